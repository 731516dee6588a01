"""Queries of linked convenings (convene/services/feeders.py; the demands' forwarding reads
a chapter's upstream here too): current links, a convening's upstream and feeders, the
feeder invitations, and the lock every change of the links takes."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from convene.domain.times import iso
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


# -- forwarded demands (convene/services/demands/forwarding.py) -------------------------------

_o = tables.demand_origins


def origins(session: Session, demand_ids: list[int]) -> dict[int, dict]:
    """The origin of each forwarded demand among ``demand_ids`` (demand id → its view)."""
    if not demand_ids:
        return {}
    rows = session.execute(select(_o).where(_o.c.demand_id.in_(demand_ids))).all()
    return {row.demand_id: origin_view(row) for row in rows}


def origin_view(row) -> dict:
    """What every screen sees of a demand's origin. The chapter is named by its title: its
    join code is in the record, for the facilitators' lists, not on every phone."""
    return {
        "chapter": {"title": row.feeder_title},
        "demand_id": row.source_demand_id,
        "version": row.source_version,
        "text_sha256": row.text_sha256,
        "decision": row.decision,
        "agreement": row.agreement,
        "mandate": row.mandate,
        "note": row.note,
        "sent_at": iso(row.sent_at),
        "previous_demand_id": row.previous_demand_id,
    }


def forwarded(session: Session, upstream_id: int, feeder_id: int, source_demand_id: int) -> list:
    """The origins of what feeder ``feeder_id`` forwarded of its demand ``source_demand_id``
    to ``upstream_id``, by version."""
    return list(
        session.execute(
            select(_o)
            .where(
                _o.c.convening_id == upstream_id,
                _o.c.feeder_id == feeder_id,
                _o.c.source_demand_id == source_demand_id,
            )
            .order_by(_o.c.source_version)
        ).all()
    )


def adopting_round(session: Session, demand_id: int):
    """The last closed round with demand ``demand_id`` on its ballot (id, title, method,
    result), or None."""
    r, o = tables.rounds, tables.round_options
    return session.execute(
        select(r.c.id, r.c.title, r.c.method, r.c.result)
        .join(o, o.c.round_id == r.c.id)
        .where(o.c.demand_id == demand_id, r.c.closed_at.is_not(None))
        .order_by(r.c.closed_at.desc(), r.c.id.desc())
        .limit(1)
    ).one_or_none()


def seat_of(session: Session, feeder_id: int, upstream_id: int) -> int | None:
    """The feeder's member in the upstream (role chapter) from any of their links, or None."""
    return session.execute(
        select(_l.c.member_id)
        .join(tables.members, tables.members.c.id == _l.c.member_id)
        .where(_l.c.feeder_id == feeder_id, _l.c.upstream_id == upstream_id)
        .order_by(_l.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
