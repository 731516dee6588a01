"""The queries about the floor that more than one service asks (plain functions of a session)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from convene.domain.floor import FloorRequest
from convene.store import tables


def speeches(session: Session, convening_id: int) -> list[FloorRequest]:
    """Every speech given or under way in the convening: the floor's order and statistics,
    and the minutes."""
    return list(
        session.execute(
            select(FloorRequest).where(
                tables.floor_requests.c.convening_id == convening_id,
                tables.floor_requests.c.started_at.is_not(None),
            )
        ).scalars()
    )
