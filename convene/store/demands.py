"""The queries of the demand services (plain functions of a session)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from convene.domain import demands as rules
from convene.store import tables

_m = tables.members


def supporters(session: Session, demand_ids: list[int]) -> dict[int, list[int]]:
    """Active members supporting each demand, in the order they gave their support."""
    if not demand_ids:
        return {}
    s = tables.demand_supports
    rows = session.execute(
        select(s.c.demand_id, s.c.member_id)
        .join(_m, _m.c.id == s.c.member_id)
        .where(s.c.demand_id.in_(demand_ids), _m.c.removed_at.is_(None))
        .order_by(s.c.id)
    ).all()
    result: dict[int, list[int]] = {i: [] for i in demand_ids}
    for demand_id, member_id in rows:
        result[demand_id].append(member_id)
    return result


def agreement(session: Session, demand_ids: list[int]) -> dict[int, dict]:
    """Agreement figures of each demand from one grouped query (active members only)."""
    if not demand_ids:
        return {}
    a = tables.demand_agreements
    rows = session.execute(
        select(a.c.demand_id, _m.c.caucus, a.c.stance, func.count())
        .join(_m, _m.c.id == a.c.member_id)
        .where(a.c.demand_id.in_(demand_ids), _m.c.removed_at.is_(None))
        .group_by(a.c.demand_id, _m.c.caucus, a.c.stance)
    ).all()
    grouped: dict[int, list] = {i: [] for i in demand_ids}
    for demand_id, caucus, stance, number in rows:
        grouped[demand_id].append((caucus, str(stance), number))
    return {i: rules.agreement_figures(r) for i, r in grouped.items()}
