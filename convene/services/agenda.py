"""Agenda commands: the facilitator adds, edits, reorders, removes, starts and ends items."""

from __future__ import annotations

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.services.core import Services


def _item_id(value: object) -> int:
    return parse_id(value, "item_id", N_("The agenda item id must be a number."))


def add_item(
    svc: Services,
    actor: Actor,
    *,
    title: object,
    notes: object = "",
    timebox_minutes: object = None,
) -> dict:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item = convening.add_item(title=title, notes=notes, timebox_minutes=timebox_minutes)
        uow.session.flush()
        uow.record(convening, actor, [DomainEvent("agenda.item_added", item.public())])
        uow.commit()
        return item.public()


def edit_item(svc: Services, actor: Actor, *, item_id: object, **changes: object) -> dict:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        events = convening.edit_item(_item_id(item_id), changes)
        uow.record(convening, actor, events)  # and the floor's new rules (its handler)
        uow.commit()
        return convening.item(item_id).public()


def remove_item(svc: Services, actor: Actor, *, item_id: object) -> None:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        events = convening.remove_item(_item_id(item_id))
        uow.record(convening, actor, events)
        uow.commit()


def reorder(svc: Services, actor: Actor, *, order: object) -> list[int]:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        events = convening.reorder(order)
        uow.record(convening, actor, events)
        uow.commit()
        return convening.order()


def start_item(svc: Services, actor: Actor, *, item_id: object) -> dict:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        events = convening.start_item(_item_id(item_id), uow.now)
        # and the floor: the last speaker finished, the new item's list (its handlers)
        uow.record(convening, actor, events)
        uow.commit()
        return convening.item(item_id).public()


def end_item(svc: Services, actor: Actor, *, item_id: object) -> dict:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        events = convening.end_item(_item_id(item_id), uow.now)
        uow.record(convening, actor, events)  # and the speaker finished (the floor's handler)
        uow.commit()
        return convening.item(item_id).public()
