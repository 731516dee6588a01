"""The demands' commands: propose, edit, withdraw, open, hide, unhide, merge, reorder; and
the amendments': amend, accept (friendly), decide, withdraw.
"""

from __future__ import annotations

from sqlalchemy import delete

from convene.domain import demands as rules
from convene.domain.convening import Actor, Role
from convene.domain.demands import (
    Demand,
    Outcome,
    Support,
)
from convene.domain.errors import N_, Conflict, InvalidInput, NotFound
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.services.core import Services, UnitOfWork
from convene.services.demands.events import (
    amendment_event,
    demand_event,
    open_convening,
    record_text_change,
    text_event,
)
from convene.services.demands.views import (
    find_amendment,
    find_demand,
    reply_view,
    view_of,
)
from convene.store import demands as store_demands
from convene.store import tables


def propose(
    svc: Services, actor: Actor, *, title: object, body: object, agenda_item_id: object = None
) -> dict:
    """A participant (or facilitator) proposes a demand, optionally under an agenda item."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        item_id = None
        if agenda_item_id is not None:
            item_id = convening.item(parse_id(agenda_item_id, "agenda_item_id")).id
        count, mine, last = store_demands.proposal_counts(
            uow.session, convening.id, actor.member_id
        )
        if count >= rules.DEMANDS_MAX:
            raise Conflict(N_("A convening has at most %(max)d demands."), max=rules.DEMANDS_MAX)
        if not actor.is_staff and mine >= rules.DEMANDS_PER_PERSON:
            raise Conflict(
                N_("One person may propose at most %(max)d demands in a convening."),
                max=rules.DEMANDS_PER_PERSON,
            )
        demand = Demand.propose(
            convening_id=convening.id,
            actor=actor,
            title=title,
            body=body,
            position=0 if last is None else last + 1,
            item_id=item_id,
            now=uow.now,
        )
        uow.session.add(demand)
        uow.session.flush()
        uow.session.add(demand.first_version())
        view = view_of(uow.session, convening, demand)
        uow.record(convening, actor, [demand_event("demand.proposed", view, text=True)])
        uow.commit()
        return view


def edit(
    svc: Services, actor: Actor, *, demand_id: object, version: object = None, **changes: object
) -> dict:
    """The author edits a draft (``edit``); a facilitator fixes typos (``typo``) while it is
    active. Either way a new version; pending amendments are rebased or outdated."""
    rules.require_participant(actor)
    expected = rules.parse_optional_version(version)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        new = demand.edit(actor, changes, uow.now, version=expected)
        moved = record_text_change(uow, convening, actor, demand, new)
        view = view_of(uow.session, convening, demand, diffs=set())
        change = str(new.kind)
        uow.record(
            convening,
            actor,
            [
                text_event(
                    "demand.updated", view, moved, change="typo" if change == "typo" else "edited"
                )
            ],
        )
        uow.commit()
        return reply_view(uow, convening, demand)


def withdraw(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """The author withdraws a draft; its pending amendments are outdated."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        demand.withdraw(actor, uow.now)
        outdated = rules.close_amendments(
            store_demands.amendments_of(uow.session, demand), rules.NOTE_WITHDRAWN, uow.now
        )
        view = view_of(uow.session, convening, demand, diffs=set())
        uow.record(
            convening,
            actor,
            [
                text_event(
                    "demand.updated",
                    view,
                    {"rebased": [], "outdated": outdated},
                    change="withdrawn",
                )
            ],
        )
        uow.commit()
        return reply_view(uow, convening, demand)


def open_demand(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """A facilitator puts a draft before the room: its author can no longer edit it."""
    actor.require(Role.FACILITATOR)
    return _simple_change(svc, actor, demand_id, "opened", lambda d, now: d.open(actor, now))


def hide(svc: Services, actor: Actor, *, demand_id: object, reason: object) -> dict:
    """A facilitator hides abusive content: kept (and logged with the reason), shown only to
    facilitators."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        demand.hide(actor, reason, uow.now)
        view = view_of(uow.session, convening, demand)
        uow.record(
            convening, actor, [demand_event("demand.hidden", view, reason=demand.hidden_reason)]
        )
        uow.commit()
        return view


def unhide(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    actor.require(Role.FACILITATOR)
    return _simple_change(svc, actor, demand_id, "unhidden", lambda d, now: d.unhide(actor, now))


def _simple_change(svc: Services, actor: Actor, demand_id: object, change: str, apply) -> dict:
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        apply(demand, uow.now)
        view = view_of(uow.session, convening, demand)
        uow.record(convening, actor, [demand_event("demand.updated", view, change=change)])
        uow.commit()
        return view


def merge(svc: Services, actor: Actor, *, demand_id: object, into: object) -> dict:
    """A facilitator merges a duplicate into another demand: its supporters carry over and
    its authors are credited; the duplicate becomes ``merged``. Returns the target."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        source = find_demand(uow.session, convening, demand_id, actor)
        try:
            target = find_demand(uow.session, convening, into, actor)
        except NotFound:
            raise NotFound(
                N_("There is no demand %(id)s in this convening."), id=str(into)[:20]
            ) from None
        except InvalidInput:
            raise InvalidInput(N_("into must be a demand id."), field="into") from None
        source.merge_into(actor, target, uow.now)
        supporters = store_demands.supporters(uow.session, [source.id, target.id])
        keep = rules.merged_support(supporters[source.id], supporters[target.id], target)
        s = tables.demand_supports
        uow.session.execute(
            delete(s).where(s.c.demand_id == target.id, s.c.member_id.not_in(keep or {0}))
        )
        for member_id in supporters[source.id]:
            if member_id in keep and member_id not in supporters[target.id]:
                uow.session.add(Support(target.id, member_id, uow.now))
        outdated = rules.close_amendments(
            store_demands.amendments_of(uow.session, source),
            rules.NOTE_MERGED,
            uow.now,
        )
        source_view = view_of(uow.session, convening, source, diffs=set())
        target_view = view_of(uow.session, convening, target, diffs=set())
        uow.record(
            convening,
            actor,
            [
                text_event(
                    "demand.updated",
                    source_view,
                    {"rebased": [], "outdated": outdated},
                    change="merged",
                    into=target.id,
                ),
                demand_event("demand.updated", target_view, change="merged_in", merged=source.id),
            ],
        )
        uow.commit()
        return reply_view(uow, convening, target)


def reorder(svc: Services, actor: Actor, *, order: object) -> dict:
    """A facilitator orders the list: ``order`` lists every demand id once."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        everything = store_demands.convening_demands(uow.session, convening.id)
        new_order = rules.reorder(everything, order)
        hidden = [d.id for d in everything if d.hidden]
        uow.record(
            convening,
            actor,
            [DomainEvent("demands.reordered", {"order": new_order, "hidden_ids": hidden})],
        )
        uow.commit()
        return {"order": new_order}


def amend(
    svc: Services,
    actor: Actor,
    *,
    demand_id: object,
    body: object,
    rationale: object = "",
    passage: object = None,
    version: object = None,
) -> dict:
    """Propose an amendment: the whole body, or ``passage`` (occurring exactly once in the
    current body) replaced by ``body``. ``version``: the version it was written against;
    a stale one is refused (409)."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        demand = find_demand(uow.session, convening, demand_id, actor)
        existing = store_demands.amendments_of(uow.session, demand)
        if len(existing) >= rules.AMENDMENTS_MAX:
            raise Conflict(N_("A demand has at most %(max)d amendments."), max=rules.AMENDMENTS_MAX)
        mine = sum(1 for a in existing if a.author_id == actor.member_id)
        if not actor.is_staff and mine >= rules.AMENDMENTS_PER_PERSON:
            raise Conflict(
                N_("One person may propose at most %(max)d amendments to a demand."),
                max=rules.AMENDMENTS_PER_PERSON,
            )
        amendment = rules.propose_amendment(
            demand,
            actor,
            body=body,
            rationale=rationale,
            passage=passage,
            version=version,
            now=uow.now,
        )
        uow.session.add(amendment)
        view = view_of(uow.session, convening, demand)
        mine = next(a for a in view["amendments"] if a["id"] == amendment.id)
        uow.record(convening, actor, [amendment_event("amendment.proposed", view, amendment.id)])
        uow.commit()
        return mine


def _adopt(uow: UnitOfWork, convening, actor, demand, amendment, friendly: bool) -> None:
    """Adopt ``amendment``: a new text, the others rebased; its event (the reply is the
    caller's ``reply_view``, after the commit)."""
    version = rules.adopt_amendment(demand, amendment, actor, uow.now, friendly=friendly)
    moved = record_text_change(uow, convening, actor, demand, version)
    view = view_of(uow.session, convening, demand, diffs={amendment.id})
    uow.record(
        convening,
        actor,
        [
            text_event(
                "amendment.adopted",
                view,
                moved,
                amendment_id=amendment.id,
                friendly=friendly,
                version=version.number,
            )
        ],
    )


def accept(svc: Services, actor: Actor, *, amendment_id: object) -> dict:
    """The demand's author accepts an amendment as friendly: applied at once."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        amendment, demand = find_amendment(uow.session, convening, amendment_id, actor)
        rules.check_can_accept(demand, amendment, actor)
        _adopt(uow, convening, actor, demand, amendment, friendly=True)
        uow.commit()
        return reply_view(uow, convening, demand)


def decide(svc: Services, actor: Actor, *, amendment_id: object, outcome: object) -> dict:
    """A facilitator records the room's decision on an amendment: adopted or rejected."""
    actor.require(Role.FACILITATOR)
    result = rules.parse_outcome(outcome)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        amendment, demand = find_amendment(uow.session, convening, amendment_id, actor)
        rules.check_can_decide(demand, amendment, actor)
        if result is Outcome.ADOPTED:
            _adopt(uow, convening, actor, demand, amendment, friendly=False)
        else:
            rules.reject_amendment(amendment, actor, uow.now)
            view = view_of(uow.session, convening, demand, diffs={amendment.id})
            uow.record(
                convening, actor, [amendment_event("amendment.rejected", view, amendment.id)]
            )
        uow.commit()
        return reply_view(uow, convening, demand)


def withdraw_amendment(svc: Services, actor: Actor, *, amendment_id: object) -> dict:
    """The author of a pending amendment withdraws it."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = open_convening(uow, actor)
        amendment, demand = find_amendment(uow.session, convening, amendment_id, actor)
        rules.check_can_withdraw_amendment(demand, amendment, actor)
        rules.withdraw_amendment(amendment, uow.now)
        view = view_of(uow.session, convening, demand)
        uow.record(convening, actor, [amendment_event("amendment.withdrawn", view, amendment.id)])
        uow.commit()
        return view
