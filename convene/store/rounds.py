"""The queries about rounds that more than one service asks (plain functions of a session)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from convene.domain.rounds import Round
from convene.store import tables


def published_ballots(session: Session, round_: Round) -> list[tuple[str, object, int, str | None]]:
    """A round's ballots ``(receipt, content, weight, name or None)``, sorted by receipt: the
    published list and the exports. Names only for named rounds: a secret round's rows never
    carry one."""
    rows = session.execute(
        select(
            tables.ballots.c.receipt,
            tables.ballots.c.content,
            tables.ballots.c.weight,
            tables.members.c.name,
        )
        .outerjoin(tables.members, tables.members.c.id == tables.ballots.c.member_id)
        .where(tables.ballots.c.round_id == round_.id)
        .order_by(tables.ballots.c.receipt)
    ).all()
    return [
        (receipt, json.loads(content), weight, None if round_.secret else name)
        for receipt, content, weight, name in rows
    ]
