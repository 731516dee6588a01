"""Check-in queries (convene/services/checkins.py): the counts, who is checked in."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from convene.domain.roster import RosterRole
from convene.domain.rounds import RoundState
from convene.domain.times import iso
from convene.store import tables

_t = tables.roster_entries
#: Who votes among those checked in: "present" under accredited voting counts them. A
#: delegate votes in their own seat; an alternate only in the seat they hold
#: (convene/domain/seats.py), so each seat counts once (its delegate is then out).
_VOTES = (_t.c.role == RosterRole.DELEGATE) | (
    (_t.c.role == RosterRole.ALTERNATE) & _t.c.seat_of.is_not(None)
)


def counts(session: Session, convening_id: int) -> dict:
    """How many roster entries are checked in (``checked_in``), of them how many may vote
    (``voters``: delegates, and alternates in a delegate's seat), how many alternates hold
    a seat (``seated``), and the roster's size (``roster``)."""
    voter_in = case((_t.c.checked_in_at.is_not(None) & _VOTES, 1), else_=0)
    row = session.execute(
        select(
            func.count(),
            func.count(_t.c.checked_in_at),
            func.sum(voter_in),
            func.count(_t.c.seat_of),
        ).where(_t.c.convening_id == convening_id)
    ).one()
    return {
        "checked_in": int(row[1]),
        "voters": int(row[2] or 0),
        "seated": int(row[3]),
        "roster": int(row[0]),
    }


def seats(session: Session, convening_id: int) -> list[dict]:
    """The seats alternates hold now, by delegation and the delegate's name: the alternate
    (``entry_id``, ``member_id``, ``name``), the seat (``seat_of``: the delegate's entry,
    ``seat_member_id``, ``seat_name``), the delegation and since when."""
    seat = _t.alias("seat")
    rows = session.execute(
        select(
            _t.c.id,
            _t.c.member_id,
            _t.c.name,
            _t.c.delegation,
            _t.c.seated_at,
            seat.c.id.label("seat_of"),
            seat.c.member_id.label("seat_member_id"),
            seat.c.name.label("seat_name"),
        )
        .join(seat, seat.c.id == _t.c.seat_of)
        .where(_t.c.convening_id == convening_id)
        .order_by(_t.c.delegation, seat.c.name, seat.c.id)
    ).all()
    return [seat_view(r) for r in rows]


def seat_view(row) -> dict:
    return {
        "entry_id": row.id,
        "member_id": row.member_id,
        "name": row.name,
        "delegation": row.delegation,
        "seat_of": row.seat_of,
        "seat_member_id": row.seat_member_id,
        "seat_name": row.seat_name,
        "seated_at": iso(row.seated_at),
    }


def accredited(session: Session, convening_id: int) -> bool:
    """Whether the convening's ``accredited_voting`` is on."""
    return bool(
        session.execute(
            select(tables.convenings.c.accredited_voting).where(
                tables.convenings.c.id == convening_id
            )
        ).scalar()
    )


def open_round_ids(session: Session, convening_id: int) -> list[int]:
    """The convening's open rounds (whose "present" a check-in moves under accredited
    voting)."""
    return list(
        session.execute(
            select(tables.rounds.c.id).where(
                tables.rounds.c.convening_id == convening_id,
                tables.rounds.c.state == RoundState.OPEN,
            )
        ).scalars()
    )


def attendance(session: Session, convening_id: int) -> list[dict]:
    """Who is checked in now, by delegation and name (the minutes' attendance)."""
    rows = session.execute(
        select(_t.c.name, _t.c.delegation, _t.c.role)
        .where(_t.c.convening_id == convening_id, _t.c.checked_in_at.is_not(None))
        .order_by(_t.c.delegation, _t.c.name)
    ).all()
    return [{"name": r.name, "delegation": r.delegation, "role": str(r.role)} for r in rows]
