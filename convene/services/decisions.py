"""Where rounds meet demands: which demands and amendments may go to a vote, and what a
round's opening and closing do to their statuses."""

from __future__ import annotations

from convene.domain import demands as rules
from convene.domain.convening import Actor, Convening, Role
from convene.domain.demands import Amendment, AmendmentStatus, Demand, DemandStatus
from convene.domain.errors import N_, Conflict, NotFound
from convene.domain.events import DomainEvent
from convene.domain.rounds import Round
from convene.services.core import UnitOfWork
from convene.services.demands import _event, _record_text_change, _supporters, _view


def demand_for_vote(uow: UnitOfWork, convening: Convening, demand_id: int) -> Demand:
    """A demand that may go to a vote now: active, visible, and seconded enough."""
    demand = uow.session.get(Demand, demand_id)
    if demand is None or demand.convening_id != convening.id or demand.hidden:
        raise NotFound(N_("There is no demand %(id)s in this convening."), id=demand_id)
    if demand.status not in rules.ACTIVE:
        raise Conflict(
            N_("Demand %(id)s is %(status)s: it cannot go to a vote."),
            id=demand_id,
            status=str(demand.status),
        )
    if demand.status is DemandStatus.DRAFT:
        raise Conflict(
            N_("Demand %(id)s is still a draft: put it before the room first."), id=demand_id
        )
    supporters = len(_supporters(uow.session, [demand.id]).get(demand.id, []))
    if not rules.can_go_to_vote(demand, supporters, convening.support_required):
        raise Conflict(
            N_("Demand %(id)s needs %(required)d supporters before it can go to a vote."),
            id=demand_id,
            required=convening.support_required,
        )
    return demand


def amendment_for_vote(
    uow: UnitOfWork, convening: Convening, amendment_id: int
) -> tuple[Amendment, Demand]:
    amendment = uow.session.get(Amendment, amendment_id)
    if amendment is None or amendment.convening_id != convening.id:
        raise NotFound(N_("There is no amendment %(id)s in this convening."), id=amendment_id)
    if amendment.status is not AmendmentStatus.PENDING:
        raise Conflict(N_("Amendment %(id)s is no longer pending."), id=amendment_id)
    demand = uow.session.get(Demand, amendment.demand_id)
    if demand.hidden or demand.status not in rules.ACTIVE:
        raise Conflict(N_("The demand of amendment %(id)s cannot change now."), id=amendment_id)
    return amendment, demand


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
            demand.status = DemandStatus.UNDER_VOTE
            view = _view(uow.session, convening, demand)
            events.append(_event("demand.updated", view, change="under_vote", round_id=round_.id))
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
    events = []
    for option in round_.options:
        adopted = option.id in adopted_ids
        if option.demand_id is not None:
            demand = uow.session.get(Demand, option.demand_id)
            if demand.status is DemandStatus.UNDER_VOTE or demand.status in rules.ACTIVE:
                demand.status = DemandStatus.ADOPTED if adopted else DemandStatus.REJECTED
                view = _view(uow.session, convening, demand)
                change = "adopted" if adopted else "rejected"
                events.append(_event("demand.updated", view, change=change, round_id=round_.id))
        if option.amendment_id is not None:
            amendment = uow.session.get(Amendment, option.amendment_id)
            demand = uow.session.get(Demand, amendment.demand_id)
            if amendment.status is not AmendmentStatus.PENDING:
                continue  # decided otherwise meanwhile (withdrawn, outdated)
            if adopted:
                version = rules.adopt_amendment(demand, amendment, decider, uow.now, friendly=False)
                _record_text_change(uow, convening, decider, demand, version)
                event_type = "amendment.adopted"
            else:
                rules.reject_amendment(amendment, decider, uow.now)
                event_type = "amendment.rejected"
            view = _view(uow.session, convening, demand)
            mine = next(a for a in view["amendments"] if a["id"] == amendment.id)
            events.append(
                _event(
                    event_type, view, amendment_id=amendment.id, amendment=mine, round_id=round_.id
                )
            )
    return events
