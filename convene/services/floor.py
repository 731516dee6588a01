"""Floor commands: raise and lower hands, call the next speaker, reorder, close and open the
speaker list, hand signals, and speaking statistics."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from convene.domain.convening import FLOOR_SETTINGS, Actor, AgendaItem, Convening, Role
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.events import DomainEvent
from convene.domain.floor import (
    FloorRequest,
    FloorSettings,
    RequestKind,
    RequestState,
    check_can_raise,
    floor_change,
    parse_kind,
    parse_signal,
    queue_order,
    speaking_stats,
)
from convene.domain.ids import is_id_list, parse_id
from convene.domain.times import iso
from convene.services.core import Handlers, Services, UnitOfWork
from convene.store import floor as store_floor
from convene.store import members as store_members
from convene.store import tables

_OPEN = (RequestState.WAITING, RequestState.SPEAKING)


# -- reading the floor ---------------------------------------------------------------------


def _requests(session: Session, item_id: int, states) -> list[FloorRequest]:
    return list(
        session.execute(
            select(FloorRequest)
            .where(
                tables.floor_requests.c.item_id == item_id,
                tables.floor_requests.c.state.in_(states),
            )
            .order_by(tables.floor_requests.c.id)
        ).scalars()
    )


def _places(
    session: Session, convening: Convening, item: AgendaItem, settings: FloorSettings | None = None
):
    """The open requests of ``item`` and its waiting ones in order, each with its reason
    (``settings``: by these rules, not those in force)."""
    settings = settings or convening.floor_settings(item)
    open_requests = _requests(session, item.id, _OPEN)
    history = store_floor.speeches(session, convening.id)
    spoke_on_item = {s.member_id for s in history if s.item_id == item.id}
    seconds = {}
    for speech in history:
        if speech.state is RequestState.DONE:
            seconds[speech.member_id] = seconds.get(speech.member_id, 0.0) + speech.seconds_spoken
    return settings, open_requests, queue_order(open_requests, settings, spoke_on_item, seconds)


def floor_state(session: Session, convening: Convening, item: AgendaItem | None) -> dict | None:
    """The speaker list of ``item`` as every screen shows it (None without an item)."""
    if item is None:
        return None
    settings, open_requests, places = _places(session, convening, item)
    speaker = next((r for r in open_requests if r.state is RequestState.SPEAKING), None)
    names = store_members.names(session, {r.member_id for r in open_requests})
    return {
        "item_id": item.id,
        "queue_open": item.queue_open,
        "settings": settings.public(),
        "speaker": None
        if speaker is None
        else {**speaker.public(), "name": names.get(speaker.member_id, "")},
        "queue": [
            {
                **place.request.public(),
                "name": names.get(place.request.member_id, ""),
                "reason": str(place.reason),
                "position": index + 1,
            }
            for index, place in enumerate(places)
        ],
    }


Order = list[tuple[int, str]]


def queue_of(
    session: Session,
    convening: Convening,
    item: AgendaItem | None,
    settings: FloorSettings | None = None,
) -> Order | None:
    """The waiting requests of ``item`` as the screens have them now, ``(id, reason)`` from
    the front (no names): what a floor event's change is taken against (``settings``: as
    the rules before a change ordered them). None without an item."""
    if item is None:
        return None
    _, _, places = _places(session, convening, item, settings)
    return [(place.request.id, str(place.reason)) for place in places]


def changed_event(
    session: Session, convening: Convening, before: Order | None, type_: str = "floor.changed"
) -> DomainEvent | None:
    """The running item's floor event after a change that ``before`` (``queue_of`` the same
    item, taken before it) was the list of: its ``change``; the whole ``floor`` when there
    was no list before (None when no item runs)."""
    item = convening.current_item
    if item is None:
        return None
    session.flush()
    state = floor_state(session, convening, item)
    if before is None:
        return DomainEvent(type_, {"floor": state})
    return DomainEvent(type_, {"change": floor_change(before, state)})


def _current_item(convening: Convening) -> AgendaItem:
    item = convening.current_item
    if item is None:
        raise Conflict(N_("No agenda item is running, so there is no speaker list."))
    return item


def _record(
    uow: UnitOfWork,
    convening: Convening,
    actor: Actor | None,
    item,
    type_: str,
    data: dict,
    before: Order,
) -> dict:
    """Record a floor event: ``data`` and the list's change since ``before``. Returns the
    whole new floor (the command's reply)."""
    uow.session.flush()
    state = floor_state(uow.session, convening, item)
    uow.record(
        convening, actor, [DomainEvent(type_, {**data, "change": floor_change(before, state)})]
    )
    return state


def _own_or_staff(actor: Actor, request: FloorRequest) -> None:
    if actor.role is not Role.FACILITATOR and request.member_id != actor.member_id:
        raise Forbidden(N_("You can only lower your own hand."))


def _request_id(value: object) -> int:
    return parse_id(value, "request_id", N_("The request id must be a number."))


# -- commands ------------------------------------------------------------------------------


def raise_hand(svc: Services, actor: Actor, *, kind: object = "speak") -> dict:
    """A participant (or a facilitator) asks for the floor on the running item."""
    actor.require(Role.PARTICIPANT, Role.FACILITATOR)
    request_kind = parse_kind(kind)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item = _current_item(convening)
        before = queue_of(uow.session, convening, item)
        open_requests = _requests(uow.session, item.id, _OPEN)
        check_can_raise(
            request_kind,
            actor.member_id,
            open_requests,
            convening.floor_settings(item),
            item.queue_open,
            any(r.state is RequestState.SPEAKING for r in open_requests),
        )
        request = FloorRequest(
            convening_id=convening.id,
            item_id=item.id,
            member_id=actor.member_id,
            kind=request_kind,
            raised_at=uow.now,
        )
        uow.session.add(request)
        uow.session.flush()
        _record(
            uow,
            convening,
            actor,
            item,
            "floor.hand_raised",
            {"request": request.public()},
            before,
        )
        uow.commit()
        return request.public()


def lower_hand(svc: Services, actor: Actor, *, request_id: object) -> None:
    """Lower one's own hand, or (facilitator) take anyone's request off the list."""
    request_id = _request_id(request_id)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        request = uow.session.get(FloorRequest, request_id)
        if request is None or request.convening_id != convening.id:
            raise NotFound(N_("There is no such request on the speaker list."))
        _own_or_staff(actor, request)
        if request.state is not RequestState.WAITING:
            raise Conflict(N_("This request is no longer waiting."))
        mine = request.member_id == actor.member_id
        item = convening.item(request.item_id)
        before = queue_of(uow.session, convening, item)
        request.state = RequestState.WITHDRAWN if mine else RequestState.REMOVED
        request.ended_at = uow.now
        event = "floor.hand_lowered" if mine else "floor.request_removed"
        _record(uow, convening, actor, item, event, {"request": request.public()}, before)
        uow.commit()


def next_speaker(svc: Services, actor: Actor) -> dict:
    """The current speaker finishes; the front of the list gets the floor."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item = _current_item(convening)
        before = queue_of(uow.session, convening, item)
        finished = _finish_speaker(uow, item)
        state = floor_state(uow.session, convening, item)
        called = None
        if state["queue"]:
            called = uow.session.get(FloorRequest, state["queue"][0]["id"])
            called.state = RequestState.SPEAKING
            called.started_at = uow.now
            called.limit_seconds = convening.floor_settings(item).speaker_limit_seconds
        if finished is None and called is None:
            raise Conflict(N_("Nobody is speaking and nobody is waiting."))
        state = _record(
            uow,
            convening,
            actor,
            item,
            "floor.speaker_called",
            {
                "finished": finished.public() if finished else None,
                "called": called.public() if called else None,
            },
            before,
        )
        uow.commit()
        return state


def reorder_queue(svc: Services, actor: Actor, *, order: object) -> dict:
    """The facilitator puts the waiting requests in an order of their choosing.

    ``order`` lists every waiting request once. Points of order and of process, direct
    responses and clarifying questions keep their place at the front; the others follow in
    the given order, ahead of anyone who raises a hand later.
    """
    actor.require(Role.FACILITATOR)
    if not is_id_list(order):
        raise InvalidInput(N_("The order must be a list of request ids."), field="order")
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item = _current_item(convening)
        before = queue_of(uow.session, convening, item)
        waiting = {r.id: r for r in _requests(uow.session, item.id, (RequestState.WAITING,))}
        if sorted(order) != sorted(waiting):
            raise InvalidInput(
                N_("The order must list every waiting request exactly once."), field="order"
            )
        for rank, request_id in enumerate(order):
            if waiting[request_id].kind is RequestKind.SPEAK:
                waiting[request_id].manual_rank = rank
        state = _record(uow, convening, actor, item, "floor.reordered", {}, before)
        uow.commit()
        return state


def close_queue(svc: Services, actor: Actor) -> dict:
    return _set_queue_open(svc, actor, False)


def open_queue(svc: Services, actor: Actor) -> dict:
    return _set_queue_open(svc, actor, True)


def _set_queue_open(svc: Services, actor: Actor, is_open: bool) -> dict:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item = _current_item(convening)
        if item.queue_open == is_open:
            raise Conflict(
                N_("The speaker list is already open.")
                if is_open
                else N_("The speaker list is already closed.")
            )
        before = queue_of(uow.session, convening, item)
        item.queue_open = is_open
        event = "floor.queue_opened" if is_open else "floor.queue_closed"
        state = _record(uow, convening, actor, item, event, {"item_id": item.id}, before)
        uow.commit()
        return state


def send_signal(svc: Services, actor: Actor, *, signal: object) -> dict:
    """A silent hand signal. Never recorded with a name; too many per second are dropped."""
    actor.require(Role.PARTICIPANT)
    kind = parse_signal(signal)
    if not svc.signal_limiter.allow(actor.member_id, time.monotonic()):
        return {"accepted": False}
    with svc.read() as session:
        speaker = session.execute(
            select(tables.floor_requests.c.id).where(
                tables.floor_requests.c.convening_id == actor.convening_id,
                tables.floor_requests.c.state == RequestState.SPEAKING,
            )
        ).scalar_one_or_none()
    svc.publisher.signal(
        actor.convening_id,
        {"signal": str(kind), "speaker_request_id": speaker, "at": iso(svc.clock())},
    )
    return {"accepted": True}


def speaking_statistics(svc: Services, actor: Actor) -> dict:
    """Who spoke, for how long, per agenda item and for the convening (facilitators)."""
    actor.require(Role.FACILITATOR)
    with svc.read() as session:
        history = store_floor.speeches(session, actor.convening_id)
        names = store_members.names(session, {s.member_id for s in history})
        items = dict(
            session.execute(
                select(tables.agenda_items.c.id, tables.agenda_items.c.title).where(
                    tables.agenda_items.c.convening_id == actor.convening_id
                )
            ).all()
        )
    now = svc.clock()
    for speech in history:  # a speech under way counts up to now
        if speech.state is RequestState.SPEAKING:
            speech.ended_at = now
    overall, per_item = speaking_stats(history)

    def named(stats) -> dict:
        public = stats.public()
        for entry in public["per_person"]:
            entry["name"] = names.get(entry["member_id"], "")
        return public

    return {
        "convening": named(overall),
        "items": [
            {"item_id": item_id, "title": items.get(item_id, ""), **named(stats)}
            for item_id, stats in per_item.items()
        ],
    }


# -- what the agenda, the settings and removals do to the floor (its handlers) --------------


def _finish_speaker(uow: UnitOfWork, item: AgendaItem) -> FloorRequest | None:
    speaker = next((r for r in _requests(uow.session, item.id, (RequestState.SPEAKING,))), None)
    if speaker is not None:
        speaker.state = RequestState.DONE
        speaker.ended_at = uow.now
    return speaker


def _on_item_ended(uow, convening: Convening, actor, event: DomainEvent) -> list[DomainEvent]:
    """An item ended: whoever had the floor on it has finished speaking."""
    item = convening.item(event.data["id"])
    finished = _finish_speaker(uow, item)
    if finished is None:
        return []
    uow.session.flush()
    data = {"request": finished.public(), "item_id": item.id}
    return [DomainEvent("floor.speaker_finished", data)]


def _on_item_started(uow, convening: Convening, actor, event: DomainEvent) -> list[DomainEvent]:
    """An item started: every screen gets its whole speaker list."""
    item = convening.item(event.data["id"])
    return [DomainEvent("floor.changed", {"floor": floor_state(uow.session, convening, item)})]


def _rules_changed(
    uow: UnitOfWork, convening: Convening, before: dict, item_id: int | None = None
) -> list[DomainEvent]:
    """The floor rules of the running item changed (convening-wide, or ``item_id``'s own;
    ``before``: the changed settings' old values): every screen gets the new settings and
    what moved, against the list as the old rules made it."""
    item = convening.current_item
    if item is None or not set(before) & set(FLOOR_SETTINGS):
        return []
    if item_id is not None and item_id != item.id:
        return []
    was = convening.floor_settings(item, **{"item_was" if item_id else "was": before})
    event = changed_event(uow.session, convening, queue_of(uow.session, convening, item, was))
    return [event] if event else []


def _on_settings_changed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return _rules_changed(uow, convening, event.before)


def _on_item_updated(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return _rules_changed(uow, convening, event.before, event.data["id"])


def _on_participant_removed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    """A removed participant's waiting requests leave the list with them."""
    before = queue_of(uow.session, convening, convening.current_item)
    for request in uow.session.execute(
        select(FloorRequest).where(
            tables.floor_requests.c.member_id == event.data["id"],
            tables.floor_requests.c.state == RequestState.WAITING,
        )
    ).scalars():
        request.state = RequestState.REMOVED
        request.ended_at = uow.now
    floor_event = changed_event(uow.session, convening, before)
    return [floor_event] if floor_event else []


def register(handlers: Handlers) -> None:
    """What the agenda's events, the convening's settings and a removal do to the floor."""
    handlers.on("agenda.item_ended", _on_item_ended)
    handlers.on("agenda.item_started", _on_item_started)
    handlers.on("agenda.item_updated", _on_item_updated)
    handlers.on("convening.updated", _on_settings_changed)
    handlers.on("participant.removed", _on_participant_removed)


def current_floor(svc: Services, actor: Actor) -> dict:
    """The speaker list of the running item (``floor: null`` when no item runs)."""
    with svc.read() as session:
        convening = session.execute(
            select(Convening).where(tables.convenings.c.id == actor.convening_id)
        ).scalar_one()
        return {"floor": floor_state(session, convening, convening.current_item)}
