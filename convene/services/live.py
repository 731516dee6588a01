"""What a screen sees: the snapshot on connect, and the events it missed."""

from __future__ import annotations

from sqlalchemy import func, select

from convene.domain.convening import Actor, Convening, Member, Role
from convene.domain.errors import N_, InvalidInput
from convene.domain.ids import is_whole
from convene.domain.times import iso
from convene.services import demands, rounds
from convene.services.core import Services, count_participants, parse_after_page
from convene.services.floor import floor_state
from convene.services.presence import presence_views
from convene.services.projector import projector_state
from convene.services.schemas import EVENTS_PAGE_MAX, MEMBERS_PAGE_MAX
from convene.store import checkins as store_checkins
from convene.store import eventlog, tables

#: A client further behind than this gets a fresh snapshot instead of the events; also the
#: largest page of events one read returns.
RESYNC_MAX_EVENTS = EVENTS_PAGE_MAX
#: MEMBERS_PAGE_MAX: the largest page of members one read returns (and the snapshot
#: carries for facilitators).


def snapshot(svc: Services, actor: Actor) -> dict:
    """The whole current state the actor's role may see, with the seq it is consistent with."""
    with svc.read() as session:
        seq = eventlog.last_seq(session, actor.convening_id)
        convening = session.execute(
            select(Convening).where(tables.convenings.c.id == actor.convening_id)
        ).scalar_one()
        me = session.get(Member, actor.member_id)
        if actor.role is Role.DESK:
            return _desk_snapshot(svc, session, seq, convening, me)
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
            # checked in at the desk: counts (names go to the facilitators in the events)
            "checkins": store_checkins.counts(session, convening.id),
        }
        state["me"].update(demands.my_state(session, actor))
        state["rounds"], state["me"]["voted_rounds"] = rounds.rounds_for_snapshot(
            session, svc, actor
        )
        state["minutes_final"] = _minutes_final(session, convening.id)
        if actor.is_staff:
            state["seats"] = store_checkins.seats(session, convening.id)
            # The first page; a console pages in the rest (members.list, after members_next).
            page = _members_page(session, convening.id, 0, MEMBERS_PAGE_MAX)
            state["members"] = page["members"]
            state["members_next"] = page["next_after"]
            state["members_total"] = page["total"]
    staff_view, public_view = presence_views(svc.presence.connected(actor.convening_id))
    state["presence"] = staff_view if actor.is_staff else public_view
    return state


def _desk_snapshot(svc: Services, session, seq: int, convening, me) -> dict:
    """What the credentials desk reads: the convening's name and settings, the check-in
    counts, who it is; no agenda, floor, demands, rounds or minutes (DESK_COMMANDS)."""
    _, public_view = presence_views(svc.presence.connected(convening.id))
    return {
        "seq": seq,
        "server_time": iso(svc.clock()),
        "me": me.public(),
        "convening": convening.public(),
        "agenda": [],
        "current_item_id": None,
        "participants": count_participants(session, convening.id),
        "checkins": store_checkins.counts(session, convening.id),
        "presence": public_view,
    }


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


def events_since(
    svc: Services, actor: Actor, after: object, limit: object = RESYNC_MAX_EVENTS
) -> dict:
    """Catch up after a reconnect: one page of the events after ``after`` (at most ``limit``,
    1 to RESYNC_MAX_EVENTS), or a snapshot if too far behind (or ahead). ``next_after``: the
    seq to ask after for the next page, None when these reach ``seq`` (the latest)."""
    if not is_whole(after):
        raise InvalidInput(N_("seq must be a whole number."), field="seq")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= RESYNC_MAX_EVENTS:
        raise InvalidInput(
            N_("limit must be a whole number from 1 to %(max)d."),
            field="limit",
            max=RESYNC_MAX_EVENTS,
        )
    with svc.read() as session:
        latest = eventlog.last_seq(session, actor.convening_id)
        if after > latest or latest - after > RESYNC_MAX_EVENTS:
            missed = None
        else:
            missed = eventlog.since(session, actor.convening_id, after, limit)
    if missed is None:
        return {"snapshot": snapshot(svc, actor)}
    last = missed[-1].seq if missed else after
    return {
        "events": [e.message(staff=actor.is_staff) for e in missed],
        "seq": latest,
        "next_after": last if last < latest else None,
    }


def _members_page(session, convening_id: int, after: int, limit: int) -> dict:
    m = tables.members.c
    active = (m.convening_id == convening_id) & m.removed_at.is_(None)
    rows = list(
        session.execute(
            select(Member).where(active, m.id > after).order_by(m.id).limit(limit + 1)
        ).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    total = session.execute(select(func.count()).where(active)).scalar_one()
    return {
        "members": [{**r.public(), "joined_at": iso(r.joined_at)} for r in rows],
        "next_after": rows[-1].id if more else None,
        "total": total,
    }


def members(
    svc: Services, actor: Actor, *, after: object = 0, limit: object = MEMBERS_PAGE_MAX
) -> dict:
    """One page of everyone holding a token for the convening, by id (facilitators only):
    the members with an id above ``after``, at most ``limit`` (1 to MEMBERS_PAGE_MAX).
    ``next_after``: where the next page starts (None: the last page); ``seq``: the last
    event the page includes (a console applies later events over it)."""
    actor.require(Role.FACILITATOR)
    after, limit = parse_after_page(after, limit, MEMBERS_PAGE_MAX)
    with svc.read() as session:
        seq = eventlog.last_seq(session, actor.convening_id)
        page = _members_page(session, actor.convening_id, after, limit)
    return {**page, "after": after, "limit": limit, "seq": seq}
