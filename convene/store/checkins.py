"""Check-in queries (convene/services/checkins.py): the counts, who is checked in."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from convene.domain.roster import RosterRole
from convene.domain.rounds import RoundState
from convene.store import tables

_t = tables.roster_entries
#: The roster roles that vote: "present" under accredited voting counts these.
VOTING_ROLES = (RosterRole.DELEGATE, RosterRole.ALTERNATE)


def counts(session: Session, convening_id: int) -> dict:
    """How many roster entries are checked in (``checked_in``), of them how many may vote
    (``voters``: delegates and alternates), and the roster's size (``roster``)."""
    voter_in = case((_t.c.checked_in_at.is_not(None) & _t.c.role.in_(VOTING_ROLES), 1), else_=0)
    row = session.execute(
        select(func.count(), func.count(_t.c.checked_in_at), func.sum(voter_in)).where(
            _t.c.convening_id == convening_id
        )
    ).one()
    return {"checked_in": int(row[1]), "voters": int(row[2] or 0), "roster": int(row[0])}


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
