"""Support and agreement: support, unsupport, agreement stances, caucuses, and the recounts
of the figures that they, a removal and a change of the demand settings need.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from convene.domain import demands as rules
from convene.domain.convening import CAUCUS_MAX, Actor, Convening, Member, Role
from convene.domain.demands import (
    ACTIVE,
    Agreement,
    Demand,
    Support,
)
from convene.domain.errors import N_, Conflict, NotFound
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.text import clean_line
from convene.services.core import Services, UnitOfWork
from convene.services.demands.events import open_convening
from convene.services.demands.views import (
    SUPPORTERS_SHOWN,
    find_demand,
    shown_supporters,
    support_figures,
)
from convene.store import demands as store_demands
from convene.store import members as store_members
from convene.store import tables


def _support_change(uow: UnitOfWork, convening: Convening, demand: Demand) -> dict:
    uow.session.flush()
    supporters = store_demands.supporters(uow.session, [demand.id])[demand.id]
    names = (
        {}
        if convening.anonymous
        else store_members.names(uow.session, supporters[:SUPPORTERS_SHOWN])
    )
    return {
        "demand_id": demand.id,
        "hidden": demand.hidden,
        **support_figures(convening, demand, supporters, names),
    }


def support(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """Second a demand (once). Its author's support is implied and not counted."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        s = tables.demand_supports
        already = uow.session.execute(
            select(s.c.id).where(s.c.demand_id == demand.id, s.c.member_id == actor.member_id)
        ).first()
        rules.check_can_support(demand, actor, already is not None)
        uow.session.add(Support(demand.id, actor.member_id, uow.now))
        figures = _support_change(uow, convening, demand)
        uow.record(convening, actor, [DomainEvent("demand.support_changed", figures)])
        uow.commit()
        return {**figures, "supported": True}


def unsupport(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        s = tables.demand_supports
        row = uow.session.execute(
            select(Support).where(s.c.demand_id == demand.id, s.c.member_id == actor.member_id)
        ).scalar_one_or_none()
        rules.check_can_unsupport(demand, actor, row is not None)
        uow.session.delete(row)
        figures = _support_change(uow, convening, demand)
        uow.record(convening, actor, [DomainEvent("demand.support_changed", figures)])
        uow.commit()
        return {**figures, "supported": False}


def agree(svc: Services, actor: Actor, *, demand_id: object, stance: object) -> dict:
    """Mark a demand agree, disagree or pass. Counted, never shown with a name. Giving the
    same stance again changes nothing and publishes nothing."""
    rules.require_participant(actor)
    chosen = rules.parse_stance(stance)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        rules.check_can_take_stance(demand, actor)
        a = tables.demand_agreements
        row = uow.session.execute(
            select(Agreement).where(a.c.demand_id == demand.id, a.c.member_id == actor.member_id)
        ).scalar_one_or_none()
        changed = row is None or row.stance is not chosen
        if row is None:
            uow.session.add(Agreement(demand.id, actor.member_id, chosen, uow.now))
        elif changed:
            row.stance, row.updated_at = chosen, uow.now
        uow.session.flush()
        figures = store_demands.agreement(uow.session, [demand.id])[demand.id]
        if changed:
            data = {"demand_id": demand.id, "hidden": demand.hidden, "agreement": figures}
            # No actor id in the log either: a stance is anonymous even to facilitators.
            uow.record(convening, None, [DomainEvent("demand.agreement_changed", data)])
        uow.commit()
        return {"demand_id": demand.id, "stance": str(chosen), "agreement": figures}


def recount(session: Session, convening: Convening, demands: list[Demand]) -> DomainEvent | None:
    """One ``demands.recounted`` event with the support and agreement figures of ``demands``
    (after a caucus change, a removal, or a change of the demand settings)."""
    if not demands:
        return None
    session.flush()
    ids = [d.id for d in demands]
    supporters = store_demands.supporters(session, ids)
    agreement = store_demands.agreement(session, ids)
    names = (
        {} if convening.anonymous else store_members.names(session, shown_supporters(supporters))
    )
    entries = [
        {
            "demand_id": d.id,
            "hidden": d.hidden,
            **support_figures(convening, d, supporters[d.id], names),
            "agreement": agreement[d.id],
        }
        for d in demands
    ]
    return DomainEvent("demands.recounted", {"demands": entries})


def member_removed(uow: UnitOfWork, convening: Convening, member: Member) -> list[DomainEvent]:
    """A removed member's supports and stances stop counting: recount what they touched."""
    event = recount(uow.session, convening, store_demands.touched_by(uow.session, member.id))
    return [event] if event else []


def settings_changed(uow: UnitOfWork, convening: Convening, changes: dict) -> list[DomainEvent]:
    """``support_required`` or ``anonymous`` changed: every active demand's support figures."""
    if not {"support_required", "anonymous"} & set(changes):
        return []
    active = [
        d for d in store_demands.convening_demands(uow.session, convening.id) if d.status in ACTIVE
    ]
    event = recount(uow.session, convening, active)
    return [event] if event else []


def set_caucus(svc: Services, actor: Actor, *, member_id: object, caucus: object) -> dict:
    """A facilitator sets (or clears, with null or "") a member's caucus."""
    actor.require(Role.FACILITATOR)
    member_id = parse_id(member_id, "member_id")
    value = clean_line(caucus, "caucus", CAUCUS_MAX, required=False) or None
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        member = uow.session.get(Member, member_id)
        if member is None or member.convening_id != convening.id or not member.active:
            raise NotFound(N_("There is no participant %(id)s in this convening."), id=member_id)
        if member.caucus == value:
            raise Conflict(N_("That is already their caucus."))
        before = {"caucus": member.caucus}
        member.caucus = value
        # the figures of the demands they took a stance on follow (caucuses_changed, a handler)
        uow.record(convening, actor, [DomainEvent("participant.updated", member.public(), before)])
        uow.commit()
        return member.public()


def caucuses_changed(
    uow: UnitOfWork, convening: Convening, member_ids: list[int]
) -> list[DomainEvent]:
    """Members' caucuses changed (one set in the console, or delegations in a re-import):
    one recount of the agreement and bridging figures of the demands they took a stance on."""
    if not member_ids:
        return []
    event = recount(uow.session, convening, store_demands.stanced_by(uow.session, member_ids))
    return [event] if event else []
