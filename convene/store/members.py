"""The queries about members that more than one service asks (plain functions of a session)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from convene.store import tables

_m = tables.members


def names(session: Session, member_ids: Iterable[int]) -> dict[int, str]:
    """``member id → name`` of these members (removed ones too: the record keeps them)."""
    ids = set(member_ids)
    if not ids:
        return {}
    return dict(session.execute(select(_m.c.id, _m.c.name).where(_m.c.id.in_(ids))).all())
