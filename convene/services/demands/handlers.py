"""What other aggregates do to the demands, as handlers of their events (wired by
convene/bootstrap.py): a round puts demands under vote and decides them and their
amendments, a follow-up is recorded on the demand, a settings change, a removal or a new
caucus (set, or a delegation re-imported) recounts the figures; and what a round may put on
its ballot (``BALLOT_OPTIONS``, convene/services/core.py: BallotOptions).
"""

from __future__ import annotations

from convene.domain import demands as rules
from convene.domain.convening import Actor, Convening, Member, Role
from convene.domain.demands import (
    Amendment,
    AmendmentStatus,
    Demand,
    DemandStatus,
)
from convene.domain.errors import N_, Conflict, NotFound
from convene.domain.events import DomainEvent
from convene.domain.rounds import Round
from convene.i18n import gettext_in
from convene.services.core import Handlers, UnitOfWork
from convene.services.demands.events import (
    amendment_event,
    demand_event,
    record_text_change,
    text_event,
)
from convene.services.demands.support import caucuses_changed, member_removed, settings_changed
from convene.services.demands.views import view_of
from convene.store import demands as store_demands
from convene.store import members as store_members


def demand_for_vote(
    uow: UnitOfWork, convening: Convening, demand_id: int, *, again: bool = False
) -> Demand:
    """A demand that may go to a vote now: active, visible, and seconded enough (``again``:
    a follow-up of a blocked consent round on it, which had its support already)."""
    demand = uow.session.get(Demand, demand_id)
    if demand is None or demand.convening_id != convening.id or demand.hidden:
        raise NotFound(N_("There is no demand %(id)s in this convening."), id=demand_id)
    supporters = len(store_demands.supporters(uow.session, [demand.id]).get(demand.id, []))
    demand.check_for_vote(supporters, convening.support_required, again=again)
    return demand


def _amendment_name(uow: UnitOfWork, amendment: Amendment, demand: Demand) -> dict:
    author = store_members.names(uow.session, [amendment.author_id]).get(amendment.author_id, "")
    return {"author": author or "—", "title": demand.title}


def amendment_for_vote(
    uow: UnitOfWork, convening: Convening, amendment_id: int
) -> tuple[Amendment, Demand]:
    amendment = uow.session.get(Amendment, amendment_id)
    if amendment is None or amendment.convening_id != convening.id:
        raise NotFound(N_("There is no amendment %(id)s in this convening."), id=amendment_id)
    demand = uow.session.get(Demand, amendment.demand_id)
    if amendment.status is not AmendmentStatus.PENDING:
        raise Conflict(
            N_("The amendment by %(author)s to “%(title)s” is %(status)s, no longer pending."),
            status=str(amendment.status),
            **_amendment_name(uow, amendment, demand),
        )
    if demand.hidden or demand.status not in rules.ACTIVE:
        raise Conflict(
            N_("“%(title)s” cannot change now: the amendment by %(author)s cannot go to a vote."),
            **_amendment_name(uow, amendment, demand),
        )
    return amendment, demand


def amendment_label(
    uow: UnitOfWork, convening: Convening, amendment: Amendment, demand: Demand
) -> str:
    """An amendment as a round's option: by whom, to what, and the start of its words. Made
    in the convening's language when the round is created and kept as is (the ballots were
    cast on it; the projector and the minutes show it to the room)."""
    names = _amendment_name(uow, amendment, demand)
    words = " ".join(amendment.body.split())
    if len(words) > 60:
        words = words[:59].rstrip() + "…"
    return gettext_in(
        convening.language,
        N_("Amendment by %(author)s to “%(title)s”: “%(words)s”"),
        author=names["author"],
        title=names["title"],
        words=words,
    )


class DemandBallotOptions:
    """The demands and amendments a round may put on its ballot (convene/services/core.py:
    BallotOptions, wired by convene/bootstrap.py)."""

    def demand(
        self, uow: UnitOfWork, convening: Convening, demand_id: int, *, again: bool = False
    ) -> tuple[int, str]:
        demand = demand_for_vote(uow, convening, demand_id, again=again)
        return demand.id, demand.title

    def amendment(
        self, uow: UnitOfWork, convening: Convening, amendment_id: int
    ) -> tuple[int, str]:
        amendment, demand = amendment_for_vote(uow, convening, amendment_id)
        return amendment.id, amendment_label(uow, convening, amendment, demand)


BALLOT_OPTIONS = DemandBallotOptions()


def round_opened(
    uow: UnitOfWork, convening: Convening, actor: Actor, round_: Round
) -> list[DomainEvent]:
    """Demands on the ballot are now under vote."""
    events = []
    for option in round_.options:
        if option.demand_id is None:
            continue
        demand = uow.session.get(Demand, option.demand_id)
        if demand.status in rules.ACTIVE:
            demand.put_to_vote()
            view = view_of(uow.session, convening, demand)
            events.append(
                demand_event("demand.updated", view, change="under_vote", round_id=round_.id)
            )
    return events


def round_closed(
    uow: UnitOfWork, convening: Convening, actor: Actor | None, round_: Round
) -> list[DomainEvent]:
    """The room decided: demands and amendments on the ballot are adopted or rejected.

    A proposal round (yes/no, consent, gradients) adopts its one option when it passed. A
    choice among options adopts the winners and rejects the others.
    """
    # A deadline closes a round without a person: the record names no one.
    decider = actor or Actor(
        member_id=None, convening_id=convening.id, role=Role.FACILITATOR, name=""
    )
    result = round_.result or {}
    if round_.method.on_one_proposal:
        adopted_ids = {round_.options[0].id} if result.get("passed") else set()
    else:
        adopted_ids = set(result.get("winners", []))
    blocked = round_.blocked
    events = []
    for option in round_.options:
        adopted = option.id in adopted_ids
        if option.demand_id is not None:
            demand = uow.session.get(Demand, option.demand_id)
            if demand.status is DemandStatus.UNDER_VOTE or demand.status in rules.ACTIVE:
                if blocked:
                    demand.blocked(round_.id, round_.title, uow.now)
                    change = "blocked"
                else:
                    demand.decided(adopted, uow.now)
                    change = "adopted" if adopted else "rejected"
                view = view_of(uow.session, convening, demand, diffs=set())
                events.append(
                    demand_event("demand.updated", view, change=change, round_id=round_.id)
                )
        if option.amendment_id is not None:
            amendment = uow.session.get(Amendment, option.amendment_id)
            demand = uow.session.get(Demand, amendment.demand_id)
            if amendment.status is not AmendmentStatus.PENDING or blocked:
                # decided otherwise meanwhile (withdrawn, outdated); or blocked: it stays
                # pending, so that each follow-up of the block works
                continue
            if adopted:
                version = rules.adopt_amendment(demand, amendment, decider, uow.now, friendly=False)
                moved = record_text_change(uow, convening, decider, demand, version)
                view = view_of(uow.session, convening, demand, diffs={amendment.id})
                event = text_event(
                    "amendment.adopted",
                    view,
                    moved,
                    amendment_id=amendment.id,
                    friendly=False,
                    version=version.number,
                    round_id=round_.id,
                )
            else:
                rules.reject_amendment(amendment, decider, uow.now)
                view = view_of(uow.session, convening, demand, diffs={amendment.id})
                event = amendment_event(
                    "amendment.rejected", view, amendment.id, round_id=round_.id
                )
            events.append(event)
    return events


def round_followed_up(
    uow: UnitOfWork,
    convening: Convening,
    actor: Actor,
    round_: Round,
    path: str,
    reasons: object,
) -> list[DomainEvent]:
    """After a blocked consent round: its demand records the path and the blocks' reasons
    (every screen shows them on the demand)."""
    events = []
    for option in round_.options:
        if option.demand_id is None:
            continue
        demand = uow.session.get(Demand, option.demand_id)
        if demand is None or demand.status not in rules.ACTIVE:
            continue
        demand.followed_up(round_.id, path, reasons, uow.now)
        view = view_of(uow.session, convening, demand)
        events.append(
            demand_event("demand.updated", view, change="followed_up", round_id=round_.id)
        )
    return events


def _round_of(uow: UnitOfWork, round_id: int) -> Round:
    return uow.session.get(Round, round_id)  # the command's own, loaded already


def _on_round_opened(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return round_opened(uow, convening, actor, _round_of(uow, event.data["id"]))


def _on_round_closed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return round_closed(uow, convening, actor, _round_of(uow, event.data["id"]))


def _on_round_followed_up(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    data = event.data
    round_ = _round_of(uow, data["round_id"])
    return round_followed_up(uow, convening, actor, round_, data["path"], data["reasons"])


def _on_settings_changed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return settings_changed(uow, convening, event.before)


def _on_participant_removed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return member_removed(uow, convening, uow.session.get(Member, event.data["id"]))


def _on_participant_updated(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    if "caucus" not in event.before:  # set in the console (members.set_caucus)
        return []
    return caucuses_changed(uow, convening, [event.data["id"]])


def _on_roster_imported(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    # the members whose delegation, so caucus, the re-import changed
    return caucuses_changed(uow, convening, list(event.before.get("caucuses", ())))


def register(handlers: Handlers) -> None:
    """What the rounds' events do to the demands and amendments on their ballots, and what a
    change of the settings, a removal or a new caucus does to the demands' figures."""
    handlers.on("round.opened", _on_round_opened)
    handlers.on("round.closed", _on_round_closed)
    handlers.on("round.followed_up", _on_round_followed_up)
    handlers.on("convening.updated", _on_settings_changed)
    handlers.on("participant.removed", _on_participant_removed)
    handlers.on("participant.updated", _on_participant_updated)
    handlers.on("roster.imported", _on_roster_imported)
