"""Queries of linked convenings (convene/services/feeders.py; the demands' forwarding reads
a chapter's upstream here too): current links, a convening's upstream and feeders, the
feeder invitations, and the lock every change of the links takes."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from convene.store import tables

_l = tables.convening_links
_c = tables.convenings
_i = tables.feeder_invitations
#: The PostgreSQL advisory lock that changes of the links take (any number, the same for all).
LINKS_LOCK = 180_018


def lock_links(session: Session) -> None:
    """Serialise the changes of the links, installation-wide, for this transaction: the
    cycle check reads the chain above a convening, which two links made at once elsewhere
    in the tree could each close without seeing the other (write skew). SQLite's writers
    are one at a time already (BEGIN IMMEDIATE). Taken before any convening row, and
    only by link changes, so it never waits on a command that waits on it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LINKS_LOCK})


def current_link(session: Session, feeder_id: int):
    """The feeder's current link (a row: id, upstream_id, code, title, linked_at, ...) or None."""
    return session.execute(
        select(_l, _c.c.code, _c.c.title)
        .join(_c, _c.c.id == _l.c.upstream_id)
        .where(_l.c.feeder_id == feeder_id, _l.c.ended_at.is_(None))
    ).one_or_none()


def upstream_of(session: Session, convening_id: int) -> int | None:
    """The id of the convening ``convening_id`` sends its demands to now, or None."""
    return session.execute(
        select(_l.c.upstream_id).where(_l.c.feeder_id == convening_id, _l.c.ended_at.is_(None))
    ).scalar_one_or_none()


def feeders_of(session: Session, upstream_id: int) -> list:
    """The current links to ``upstream_id`` with their feeders' code and title, by title."""
    return list(
        session.execute(
            select(_l, _c.c.code, _c.c.title)
            .join(_c, _c.c.id == _l.c.feeder_id)
            .where(_l.c.upstream_id == upstream_id, _l.c.ended_at.is_(None))
            .order_by(_c.c.title, _l.c.id)
        ).all()
    )


def feeder_count(session: Session, upstream_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(_l)
        .where(_l.c.upstream_id == upstream_id, _l.c.ended_at.is_(None))
    ).scalar_one()


def invitations_of(session: Session, convening_id: int) -> list:
    """The convening's feeder invitations (no secret: only their hash is kept), oldest
    first, each with how many current links were made with it (``links``)."""
    links = (
        select(_l.c.invitation_id, func.count().label("links"))
        .where(_l.c.ended_at.is_(None))
        .group_by(_l.c.invitation_id)
        .subquery()
    )
    return list(
        session.execute(
            select(_i, func.coalesce(links.c.links, 0).label("links"))
            .outerjoin(links, links.c.invitation_id == _i.c.id)
            .where(_i.c.convening_id == convening_id)
            .order_by(_i.c.id)
        ).all()
    )


def invitation_by_hash(session: Session, token_hash: str):
    return session.execute(select(_i).where(_i.c.token_hash == token_hash)).one_or_none()


def invitation_count(session: Session, convening_id: int) -> int:
    return session.execute(
        select(func.count()).select_from(_i).where(_i.c.convening_id == convening_id)
    ).scalar_one()


def convening_by_code(session: Session, code: str):
    """``(id, code, title)`` of the convening with join code ``code``, or None."""
    return session.execute(
        select(_c.c.id, _c.c.code, _c.c.title).where(_c.c.code == code)
    ).one_or_none()


def convening_by_id(session: Session, convening_id: int):
    return session.execute(
        select(_c.c.id, _c.c.code, _c.c.title).where(_c.c.id == convening_id)
    ).one()
