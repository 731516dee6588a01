"""The append-only event log of each convening.

Every command appends its events in the same transaction as its change. Sequence numbers
come from the convening row (one atomic UPDATE ... RETURNING), so they are gapless per
convening and, because that row stays locked until commit, committed in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from convene.domain.events import DomainEvent, public_view
from convene.domain.times import iso
from convene.store import tables


@dataclass(frozen=True)
class LoggedEvent:
    convening_id: int
    seq: int
    type: str
    data: dict
    at: datetime
    actor_id: int | None = None

    def message(self, *, staff: bool) -> dict:
        """The `event` message a client receives."""
        data = self.data if staff else public_view(self.type, self.data)
        return {"seq": self.seq, "type": self.type, "data": data, "at": iso(self.at)}


def append(
    session: Session,
    convening_id: int,
    actor_id: int | None,
    events: list[DomainEvent],
    now: datetime,
) -> list[LoggedEvent]:
    if not events:
        return []
    session.flush()
    last = session.execute(
        update(tables.convenings)
        .where(tables.convenings.c.id == convening_id)
        .values(last_seq=tables.convenings.c.last_seq + len(events))
        .returning(tables.convenings.c.last_seq)
    ).scalar_one()
    first = last - len(events) + 1
    logged = [
        LoggedEvent(convening_id, first + i, e.type, e.data, now, actor_id)
        for i, e in enumerate(events)
    ]
    session.execute(
        insert(tables.events),
        [
            {
                "convening_id": convening_id,
                "seq": e.seq,
                "type": e.type,
                "actor_id": actor_id,
                "data": e.data,
                "created_at": now,
            }
            for e in logged
        ],
    )
    return logged


def last_seq(session: Session, convening_id: int) -> int:
    return session.execute(
        select(tables.convenings.c.last_seq).where(tables.convenings.c.id == convening_id)
    ).scalar_one()


def since(session: Session, convening_id: int, after: int, limit: int) -> list[LoggedEvent]:
    """Events with seq > after, oldest first, at most ``limit``."""
    rows = session.execute(
        select(tables.events)
        .where(tables.events.c.convening_id == convening_id, tables.events.c.seq > after)
        .order_by(tables.events.c.seq)
        .limit(limit)
    ).all()
    return [
        LoggedEvent(r.convening_id, r.seq, r.type, r.data, r.created_at, r.actor_id) for r in rows
    ]
