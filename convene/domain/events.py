"""Domain events: what happened, recorded in a convening's log and sent to every screen.

Every event has one audience rule, here and nowhere else: facilitators see the full data;
everyone else (participants, projector, observers) sees :func:`public_view` of it. Both
audiences receive every sequence number, so nobody sees a gap that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Event types whose data names people; the public sees only the member id (so a removed
#: participant's own screen knows it was removed) and the new participant count.
_MEMBER_EVENTS = {
    "participant.joined",
    "participant.removed",
    "member.invited",
    "participant.updated",
}
#: Event types only facilitators see anything of (a badge reissued names its person).
_STAFF_ONLY = {
    "roster.credential_reissued",
    "roster.credentials_issued",
    "roster.credentials_exported",
    "feeder.invited",
    "feeder.invitation_revoked",
}
#: Links between convenings (convene/services/feeders.py): the other convening's join code
#: is for the facilitators; everyone else sees its title.
_LINK_EVENTS = {
    "upstream.linked": "upstream",
    "upstream.unlinked": "upstream",
    "feeder.linked": "feeder",
    "feeder.unlinked": "feeder",
    "demand.forwarded": "upstream",
}


@dataclass(frozen=True)
class DomainEvent:
    type: str
    data: dict
    #: For the event's handlers only (convene/services/core.py: Handlers), never logged or
    #: sent: the fields the command changed, each with its value before the change.
    before: dict = field(default_factory=dict, compare=False, repr=False)


def public_view(event_type: str, data: dict) -> dict:
    """What a non-facilitator may see of an event's data."""
    if event_type in _MEMBER_EVENTS:
        return {"id": data.get("id"), "participants": data.get("participants")}
    if event_type in _STAFF_ONLY:
        return {}
    if event_type in _LINK_EVENTS:
        key = _LINK_EVENTS[event_type]
        other = {"title": (data.get(key) or {}).get("title")}
        return {k: v for k, v in data.items() if k != "invitation_id"} | {key: other}
    if event_type in ("checkin.in", "checkin.out", "seat.taken", "seat.returned"):
        # who came in or left, who holds whose seat, and at which desk, is for the
        # facilitators: the counts only
        return {"counts": data.get("counts")}
    if event_type == "round.paper_ballot":
        # who voted on paper, and which teller entered it, is for the facilitators
        return {"round_id": data.get("round_id"), "paper": data.get("paper")}
    if event_type.startswith(("demand.", "amendment.")) and data.get("hidden"):
        # A hidden demand does not exist outside the facilitators' screens: drop it.
        return {"demand_id": data.get("demand_id"), "hidden": True}
    if event_type == "demands.reordered":
        hidden = set(data.get("hidden_ids", ()))
        return {"order": [i for i in data.get("order", ()) if i not in hidden]}
    if event_type == "demands.recounted":
        return {"demands": [d for d in data.get("demands", ()) if not d.get("hidden")]}
    return data
