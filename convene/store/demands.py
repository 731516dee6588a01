"""The queries about demands (plain functions of a session): the convening's demands, their
amendments, versions, supporters and agreement, what a member touched."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from convene.domain import demands as rules
from convene.domain.demands import Amendment, AmendmentStatus, Demand, DemandVersion
from convene.store import tables

_m = tables.members
_d = tables.demands


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


def amendment_counts(session: Session, demand_ids: list[int]) -> tuple[dict, dict]:
    """Per demand: how many amendments it has, and the ids of the pending ones (no text)."""
    counts: dict[int, int] = dict.fromkeys(demand_ids, 0)
    pending: dict[int, list[int]] = {i: [] for i in demand_ids}
    if demand_ids:
        am = tables.amendments
        for demand_id, amendment_id, status in session.execute(
            select(am.c.demand_id, am.c.id, am.c.status)
            .where(am.c.demand_id.in_(demand_ids))
            .order_by(am.c.id)
        ).all():
            counts[demand_id] += 1
            if str(status) == str(AmendmentStatus.PENDING):
                pending[demand_id].append(amendment_id)
    return counts, pending


def convening_demands(session: Session, convening_id: int) -> list[Demand]:
    """The convening's demands in the facilitator's order."""
    return list(
        session.execute(
            select(Demand).where(_d.c.convening_id == convening_id).order_by(_d.c.position, _d.c.id)
        ).scalars()
    )


def amendments_of(session: Session, demand: Demand) -> list[Amendment]:
    """A demand's amendments, oldest first."""
    return list(
        session.execute(
            select(Amendment)
            .where(tables.amendments.c.demand_id == demand.id)
            .order_by(tables.amendments.c.id)
        ).scalars()
    )


def versions_of(session: Session, demand: Demand) -> dict[int, DemandVersion]:
    """A demand's versions by number."""
    return {
        v.number: v
        for v in session.execute(
            select(DemandVersion)
            .where(tables.demand_versions.c.demand_id == demand.id)
            .order_by(tables.demand_versions.c.number)
        ).scalars()
    }


def touched_by(session: Session, member_id: int) -> list[Demand]:
    """The demands a member supports or has taken a stance on."""
    s, a = tables.demand_supports, tables.demand_agreements
    ids = (
        select(s.c.demand_id)
        .where(s.c.member_id == member_id)
        .union(select(a.c.demand_id).where(a.c.member_id == member_id))
    )
    return list(session.execute(select(Demand).where(_d.c.id.in_(ids)).order_by(_d.c.id)).scalars())


def stanced_by(session: Session, member_ids: list[int]) -> list[Demand]:
    """The demands any of these members has taken a stance on."""
    a = tables.demand_agreements
    return list(
        session.execute(
            select(Demand)
            .where(_d.c.id.in_(select(a.c.demand_id).where(a.c.member_id.in_(member_ids))))
            .order_by(_d.c.id)
        ).scalars()
    )


def proposal_counts(
    session: Session, convening_id: int, author_id: int
) -> tuple[int, int, int | None]:
    """(the convening's demands, those by ``author_id``, the last position or None)."""
    count, last = session.execute(
        select(func.count(), func.max(_d.c.position)).where(_d.c.convening_id == convening_id)
    ).one()
    mine = session.execute(
        select(func.count()).where(_d.c.convening_id == convening_id, _d.c.author_id == author_id)
    ).scalar_one()
    return count, mine, last
