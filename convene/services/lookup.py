"""Public lookups for pages that anyone with a join code may open (no token needed)."""

from __future__ import annotations

from sqlalchemy import select

from convene.services.core import Services
from convene.store import tables


def join_info(svc: Services, code: str) -> dict | None:
    """What the join form shows before someone joins: the title, whether a passcode is asked,
    whether it has a roster (badges).

    ``code`` must already be normalised. Returns None when no convening has that code.
    """
    c, r = tables.convenings.c, tables.roster_entries.c
    with svc.read() as session:
        query = select(c.id, c.title, c.passcode_hash).where(c.code == code)
        row = session.execute(query).one_or_none()
        if row is None:
            return None
        has_roster = (
            session.execute(select(r.id).where(r.convening_id == row.id).limit(1)).first()
            is not None
        )
    return {
        "code": code,
        "title": row.title,
        "requires_passcode": row.passcode_hash is not None,
        # a convening with a roster shows the badge code's form too
        "has_roster": has_roster,
    }


def language_of(svc: Services, code: str) -> str | None:
    """The convening's own language, or None when no convening has that (normalised) code."""
    c = tables.convenings.c
    with svc.read() as session:
        return session.execute(select(c.language).where(c.code == code)).scalar_one_or_none()
