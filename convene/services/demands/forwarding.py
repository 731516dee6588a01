"""Forwarding an adopted demand upstream (issue 18 item 2).

A chapter's facilitator forwards a demand its meeting adopted to the convening it sends its
demands to (convene/services/feeders.py links them; the link is read in store/feeders.py).
The regional convening receives a demand of its own, open, authored by the chapter's seat
there (a member of role chapter, made the first time, whose token nobody holds), with its
origin (convene/domain/demands/origins.py). The same version again is the same demand
(``forwarded: false``); a newer version is a new demand whose origin names the earlier one
(``previous_demand_id``). Recorded in both logs: ``demand.forwarded`` in the chapter's,
``demand.proposed`` (with ``origin``) in the region's, by no member of it.
"""

from __future__ import annotations

from sqlalchemy import insert, update

from convene.domain import demands as rules
from convene.domain.convening import Actor, Member, Role, hash_token, new_token
from convene.domain.demands import Demand, DemandStatus
from convene.domain.demands.origins import decision_figures, parse_mandate, text_sha256
from convene.domain.errors import N_, Conflict
from convene.domain.events import DomainEvent
from convene.services.core import Services, UnitOfWork
from convene.services.demands.events import demand_event
from convene.services.demands.views import find_demand, view_of
from convene.store import demands as store_demands
from convene.store import feeders as store_feeders
from convene.store import tables

_l = tables.convening_links
_o = tables.demand_origins
_SEAT_NAME_MAX = 60


def forward(
    svc: Services, actor: Actor, *, demand_id: object, mandate: object = None, note: object = None
) -> dict:
    """Send adopted demand ``demand_id`` to this convening's upstream (facilitator), with
    the chapter's ``mandate`` to its delegates and a ``note``. Returns ``{forwarded,
    upstream, demand_id, version, origin}``: ``forwarded`` false when this version was sent
    before (nothing changes)."""
    actor.require(Role.FACILITATOR)
    mandate_text, note_text = parse_mandate(mandate, note)
    with svc.write() as uow:
        upstream_id = store_feeders.upstream_of(uow.session, actor.convening_id)
        locked = {i: uow.convening(i) for i in sorted({actor.convening_id, upstream_id or 0}) if i}
        chapter = locked[actor.convening_id]
        demand = find_demand(uow.session, chapter, demand_id, actor)
        _check_forwardable(demand)
        link = store_feeders.current_link(uow.session, chapter.id)
        if link is None or link.upstream_id != upstream_id:
            raise Conflict(
                N_("“%(title)s” cannot be forwarded: this convening sends its demands nowhere."),
                title=demand.title,
            )
        region = locked[upstream_id]
        earlier = store_feeders.forwarded(uow.session, region.id, chapter.id, demand.id)
        same = next((o for o in earlier if o.source_version == demand.version), None)
        if same is not None:
            return _reply(False, region, same.demand_id, store_feeders.origin_view(same))
        origin = _origin(uow, chapter, demand, mandate_text, note_text)
        origin["previous_demand_id"] = earlier[-1].demand_id if earlier else None
        seat = _seat(uow, link, chapter, region)
        count, _mine, last = store_demands.proposal_counts(uow.session, region.id, seat)
        if count >= rules.DEMANDS_MAX:
            raise Conflict(N_("A convening has at most %(max)d demands."), max=rules.DEMANDS_MAX)
        copy = Demand(
            convening_id=region.id,
            author_id=seat,
            title=demand.title,
            body=demand.body,
            created_at=uow.now,
            updated_at=uow.now,
            position=0 if last is None else last + 1,
            status=DemandStatus.OPEN,
        )
        uow.session.add(copy)
        uow.session.flush()
        uow.session.add(copy.first_version())
        uow.session.execute(
            insert(_o).values(
                convening_id=region.id,
                demand_id=copy.id,
                feeder_id=chapter.id,
                feeder_code=chapter.code,
                feeder_title=chapter.title,
                source_demand_id=demand.id,
                source_version=demand.version,
                text_sha256=origin["text_sha256"],
                decision=origin["decision"],
                agreement=origin["agreement"],
                mandate=mandate_text,
                note=note_text,
                sent_at=uow.now,
                sent_by=actor.member_id,
                previous_demand_id=origin["previous_demand_id"],
            )
        )
        view = view_of(uow.session, region, copy)
        uow.record(region, None, [demand_event("demand.proposed", view, text=True)])
        sent = {
            "demand_id": demand.id,
            "hidden": False,
            "version": demand.version,
            "upstream": {"code": region.code, "title": region.title},
            "mandate": mandate_text,
        }
        uow.record(chapter, actor, [DomainEvent("demand.forwarded", sent)])
        uow.commit()
        return _reply(True, region, copy.id, view["origin"])


def _check_forwardable(demand: Demand) -> None:
    """Only an adopted, visible demand goes upstream (409 naming it)."""
    if demand.hidden:
        raise Conflict(
            N_("“%(title)s” is hidden: a hidden demand is not forwarded."), title=demand.title
        )
    if demand.status is not DemandStatus.ADOPTED:
        raise Conflict(
            N_("“%(title)s” is %(status)s: only a demand the meeting adopted is forwarded."),
            title=demand.title,
            status=str(demand.status).replace("_", " "),
        )


def _origin(uow: UnitOfWork, chapter, demand: Demand, mandate: str, note: str) -> dict:
    decided = store_feeders.adopting_round(uow.session, demand.id)
    decision = None
    if decided is not None:
        result = decided.result or {}
        decision = {
            "round_id": decided.id,
            "title": decided.title,
            "method": str(decided.method),
            "figures": decision_figures(result),
            "passed": True,
        }
    figures = store_demands.agreement(uow.session, [demand.id])[demand.id]
    return {
        "text_sha256": text_sha256(demand.title, demand.body),
        "decision": decision,
        "agreement": {
            k: figures.get(k) for k in ("agree", "disagree", "pass", "share", "bridging")
        },
        "mandate": mandate,
        "note": note,
    }


def _seat(uow: UnitOfWork, link, chapter, region) -> int:
    """The chapter's member in the region (role chapter), made the first time it forwards;
    kept on the link, and found again after an unlink and a new link."""
    kept = store_feeders.seat_of(uow.session, chapter.id, region.id)
    if kept is not None:
        if link.member_id is None:
            uow.session.execute(update(_l).where(_l.c.id == link.id).values(member_id=kept))
        return kept
    name = chapter.title if len(chapter.title) <= _SEAT_NAME_MAX else chapter.title[:59] + "…"
    member = Member(
        convening_id=region.id,
        role=Role.CHAPTER,
        name=name,
        token_hash=hash_token(new_token()),  # thrown away: nobody holds it
        joined_at=uow.now,
    )
    uow.session.add(member)
    uow.session.flush()
    uow.session.execute(update(_l).where(_l.c.id == link.id).values(member_id=member.id))
    return member.id


def _reply(forwarded: bool, region, demand_id: int, origin: dict) -> dict:
    return {
        "forwarded": forwarded,
        "upstream": {"code": region.code, "title": region.title},
        "demand_id": demand_id,
        "origin": origin,
    }
