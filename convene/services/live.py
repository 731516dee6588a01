"""What a screen sees: the snapshot on connect, and the events it missed."""

from __future__ import annotations

from sqlalchemy import select

from convene.domain.convening import Actor, Convening, Member
from convene.domain.errors import N_, InvalidInput
from convene.domain.times import iso
from convene.services import demands, rounds
from convene.services.core import Services, active_members, count_participants
from convene.services.floor import floor_state
from convene.services.presence import presence_views
from convene.services.projector import projector_state
from convene.store import eventlog, tables

#: A client further behind than this gets a fresh snapshot instead of the events.
RESYNC_MAX_EVENTS = 500


def snapshot(svc: Services, actor: Actor) -> dict:
    """The whole current state the actor's role may see, with the seq it is consistent with."""
    with svc.read() as session:
        seq = eventlog.last_seq(session, actor.convening_id)
        convening = session.execute(
            select(Convening).where(tables.convenings.c.id == actor.convening_id)
        ).scalar_one()
        me = session.get(Member, actor.member_id)
        current = convening.current_item
        state = {
            "seq": seq,
            "server_time": iso(svc.clock()),
            "me": me.public(),
            "convening": convening.public(),
            "agenda": [item.public() for item in convening.agenda],
            "current_item_id": current.id if current else None,
            "participants": count_participants(session, convening.id),
            "floor": floor_state(session, convening, current),
            "demands": demands.demand_list(session, convening, actor),
            "projector": projector_state(convening),
        }
        state["me"].update(demands.my_state(session, actor))
        state["rounds"], state["me"]["voted_rounds"] = rounds.rounds_for_snapshot(
            session, svc, actor
        )
        state["minutes_final"] = _minutes_final(session, convening.id)
        if actor.is_staff:
            state["members"] = [
                {**m.public(), "joined_at": iso(m.joined_at)}
                for m in active_members(session, convening.id)
            ]
    staff_view, public_view = presence_views(svc.presence.connected(actor.convening_id))
    state["presence"] = staff_view if actor.is_staff else public_view
    return state


def _minutes_final(session, convening_id: int) -> dict | None:
    """The stamp of the latest final version of the minutes (as in `minutes.finalized`)."""
    row = session.execute(
        select(
            tables.minutes_versions.c.number,
            tables.minutes_versions.c.approved_by,
            tables.minutes_versions.c.approved_at,
        )
        .where(tables.minutes_versions.c.convening_id == convening_id)
        .order_by(tables.minutes_versions.c.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return {
        "version": row.number,
        "approved_by": row.approved_by,
        "approved_at": iso(row.approved_at),
    }


def events_since(svc: Services, actor: Actor, after: object) -> dict:
    """Catch up after a reconnect: the events after ``after``, or a snapshot if too far behind."""
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise InvalidInput(N_("seq must be a whole number."), field="seq")
    with svc.read() as session:
        latest = eventlog.last_seq(session, actor.convening_id)
        if after > latest or latest - after > RESYNC_MAX_EVENTS:
            missed = None
        else:
            missed = eventlog.since(session, actor.convening_id, after, RESYNC_MAX_EVENTS)
    if missed is None:
        return {"snapshot": snapshot(svc, actor)}
    return {"events": [e.message(staff=actor.is_staff) for e in missed], "seq": latest}


def members(svc: Services, actor: Actor) -> list[dict]:
    """Everyone holding a token for the convening (facilitators only)."""
    from convene.domain.convening import Role

    actor.require(Role.FACILITATOR)
    with svc.read() as session:
        return [
            {**m.public(), "joined_at": iso(m.joined_at)}
            for m in active_members(session, actor.convening_id)
        ]
