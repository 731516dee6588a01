"""The queries about rounds (plain functions of a session): the round of a convening, its
voters and who has not voted, the stored ballots as the tally engine counts them, the
published list, the follow-ups recorded in the log, and the deadlines due.

The ballot path's own statements (casting, sealing, opening) stay with it, in
convene/services/rounds/ballots.py: what each transaction writes is its secrecy rule."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from convene.domain.convening import Role
from convene.domain.errors import N_, NotFound
from convene.domain.ids import parse_id
from convene.domain.roster import RosterRole
from convene.domain.rounds import Method, Round, RoundState, profile_key
from convene.store import tables


def load_round(
    session: Session, convening_id: int, round_id: object, *, for_update: bool = False
) -> Round:
    """Round ``round_id`` of the convening (locked for update if asked); NotFound if none."""
    query = select(Round).where(
        tables.rounds.c.id == parse_id(round_id, "round_id"),
        tables.rounds.c.convening_id == convening_id,
    )
    if for_update:
        query = query.with_for_update()
    round_ = session.execute(query).scalar_one_or_none()
    if round_ is None:
        raise NotFound(N_("There is no round %(id)s in this convening."), id=round_id)
    return round_


def convening_rounds(session: Session, convening_id: int) -> list[Round]:
    """Every round of the convening, oldest first."""
    return list(
        session.execute(
            select(Round)
            .where(tables.rounds.c.convening_id == convening_id)
            .order_by(tables.rounds.c.id)
        ).scalars()
    )


_ROUND_STATE = select(tables.rounds.c.state).where(tables.rounds.c.id == bindparam("round_id"))


def round_state(session: Session, round_id: int) -> RoundState | None:
    """A round's state as it is now (None: no such round); the live ticker asks it often."""
    return session.connection().execute(_ROUND_STATE, {"round_id": round_id}).scalar_one_or_none()


def due_for_closing(session: Session, now: datetime) -> list[tuple[int, int]]:
    """(convening id, round id) of open rounds whose deadline has passed."""
    rows = session.execute(
        select(tables.rounds.c.convening_id, tables.rounds.c.id).where(
            tables.rounds.c.state == RoundState.OPEN,
            tables.rounds.c.closes_at.is_not(None),
            tables.rounds.c.closes_at <= now,
        )
    ).all()
    return [(c, r) for c, r in rows]


def follow_ups(session: Session, convening_id: int) -> dict[int, str]:
    """Blocked consent rounds and the path the facilitator chose, from the event log (a
    closed round never changes, so the choice is recorded beside it, not in it)."""
    rows = session.execute(
        select(tables.events.c.data).where(
            tables.events.c.convening_id == convening_id,
            tables.events.c.type == "round.followed_up",
        )
    ).scalars()
    return {data["round_id"]: data["path"] for data in rows}


# -- voters -------------------------------------------------------------------------------------


def voters(session: Session, round_id: int) -> tuple[int, int, int]:
    """(how many have voted, their weight, how many of them on paper)."""
    v = tables.round_voters.c
    count, weight, paper = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(v.weight), 0),
            func.count().filter(v.paper.is_(True)),
        ).where(v.round_id == round_id)
    ).one()
    return count, int(weight), int(paper or 0)


def paper_names(session: Session, round_id: int) -> list[str]:
    """The names of those whose ballot a teller entered from paper, by name (who voted is
    not secret after the close; what they voted, in a secret round, is)."""
    m, v = tables.members.c, tables.round_voters.c
    return list(
        session.execute(
            select(m.name)
            .join(tables.round_voters, v.member_id == m.id)
            .where(v.round_id == round_id, v.paper.is_(True))
            .order_by(m.name, m.id)
        ).scalars()
    )


def paper_receipts(session: Session, round_: Round) -> set[str]:
    """The receipts of a named round's paper ballots (a secret round's ballots name no
    member, so nothing joins them to a voter: always empty there)."""
    if round_.secret:
        return set()
    b, v = tables.ballots.c, tables.round_voters.c
    return set(
        session.execute(
            select(b.receipt)
            .join(
                tables.round_voters,
                (v.round_id == b.round_id) & (v.member_id == b.member_id),
            )
            .where(b.round_id == round_.id, v.paper.is_(True))
        ).scalars()
    )


def voted_rounds(session: Session, member_id: int) -> list[int]:
    """The rounds a member has voted in."""
    return list(
        session.execute(
            select(tables.round_voters.c.round_id).where(
                tables.round_voters.c.member_id == member_id
            )
        ).scalars()
    )


def _not_voted(round_: Round):
    """Participants who may vote in ``round_`` and have not (carried proxies aside)."""
    m = tables.members.c
    return select(m.id, m.name).where(
        m.convening_id == round_.convening_id,
        m.role == Role.PARTICIPANT,
        m.removed_at.is_(None),
        m.carried_by_id.is_(None),
        m.id.not_in(
            select(tables.round_voters.c.member_id).where(
                tables.round_voters.c.round_id == round_.id
            )
        ),
    )


def paper_roll(
    session: Session, round_: Round, search: str, limit: int
) -> tuple[int, list[tuple[int, str, int]]]:
    """For a teller: the participants whose paper ballot may still be entered, whose name
    holds ``search`` (any case), by name: (how many, the first ``limit`` as (id, name,
    weight)). A named round leaves out everyone who voted, and every seat that voted; a
    secret round only those who voted on paper (nobody sees who voted there by phone:
    entering their ballot is refused). Those who cannot vote by their seat are left out (an
    alternate without one, a delegate whose seat an alternate holds), and a seated alternate
    weighs the seat's weight."""
    m, v = tables.members.c, tables.round_voters.c
    voted = select(v.member_id).where(v.round_id == round_.id)
    voted_seats = select(v.seat_id).where(v.round_id == round_.id, v.seat_id.is_not(None))
    if round_.secret:
        voted = voted.where(v.paper.is_(True))
        voted_seats = voted_seats.where(v.paper.is_(True))
    carried = tables.members.alias("carried")
    # Seats (convene/domain/seats.py): an alternate votes only in the seat they hold, with
    # its weight; a delegate whose seat an alternate holds does not vote; a seat votes once.
    entry, seat, holder = (tables.roster_entries.alias(n) for n in ("entry", "seat", "holder"))
    own_weight = func.coalesce(
        select(seat.c.vote_weight)
        .join(entry, entry.c.seat_of == seat.c.id)
        .where(entry.c.member_id == m.id, entry.c.role == RosterRole.ALTERNATE)
        .scalar_subquery(),
        m.vote_weight,
    )
    weight = (
        own_weight
        + select(func.coalesce(func.sum(carried.c.vote_weight), 0))
        .where(carried.c.carried_by_id == m.id, carried.c.removed_at.is_(None))
        .scalar_subquery()
    )
    cannot_vote = select(entry.c.member_id).where(
        entry.c.convening_id == round_.convening_id,
        entry.c.member_id.is_not(None),
        or_(
            (entry.c.role == RosterRole.ALTERNATE) & entry.c.seat_of.is_(None),
            (entry.c.role == RosterRole.ALTERNATE) & entry.c.seat_of.in_(voted_seats),
            (entry.c.role == RosterRole.DELEGATE)
            & select(holder.c.id).where(holder.c.seat_of == entry.c.id).exists(),
            (entry.c.role == RosterRole.DELEGATE) & entry.c.id.in_(voted_seats),
        ),
    )
    where = [
        m.convening_id == round_.convening_id,
        m.role == Role.PARTICIPANT,
        m.removed_at.is_(None),
        m.carried_by_id.is_(None),
        m.id.not_in(voted),
        m.id.not_in(cannot_vote),
    ]
    if search:
        where.append(func.lower(m.name).like(f"%{_escape_like(search.lower())}%", escape="\\"))
    total = session.execute(select(func.count()).where(*where)).scalar_one()
    rows = session.execute(
        select(m.id, m.name, weight).where(*where).order_by(m.name, m.id).limit(limit)
    ).all()
    return total, [(i, n, int(w)) for i, n, w in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def not_voted_count(session: Session, round_: Round) -> int:
    """How many may vote in ``round_`` and have not."""
    return session.execute(
        select(func.count()).select_from(_not_voted(round_).subquery())
    ).scalar_one()


def not_voted_by_name(session: Session, round_: Round, limit: int) -> list[tuple[int, str]]:
    """The first ``limit`` of them ``(id, name)``, by name."""
    query = _not_voted(round_).order_by(tables.members.c.name, tables.members.c.id)
    return [(i, n) for i, n in session.execute(query.limit(limit)).all()]


def not_voted_after(
    session: Session, round_: Round, after: int, limit: int
) -> list[tuple[int, str]]:
    """At most ``limit`` of them ``(id, name)`` with ids above ``after``, by id."""
    query = _not_voted(round_).where(tables.members.c.id > after).order_by(tables.members.c.id)
    return [(i, n) for i, n in session.execute(query.limit(limit)).all()]


# -- ballots ------------------------------------------------------------------------------------

# The live count groups every stored ballot of a round again every 250 ms; parsing each
# distinct content (JSON, then the engine's key) was most of that (2,000 ballots: ~70%).
# A stored content always means the same key, so each is parsed once per process.
_PROFILE_KEYS: dict[tuple[str, str], object] = {}
_PROFILE_KEYS_MAX = 100_000


def _profile_key(method: Method, content: str) -> object:
    cache_key = (method.value, content)
    key = _PROFILE_KEYS.get(cache_key)
    if key is None:
        if len(_PROFILE_KEYS) >= _PROFILE_KEYS_MAX:
            _PROFILE_KEYS.clear()
        key = _PROFILE_KEYS[cache_key] = profile_key(method, json.loads(content))
    return key


def profile_of(session: Session, round_: Round) -> dict:
    """The stored ballots grouped by content, as the tally engine counts them."""
    rows = session.execute(
        select(tables.ballots.c.content, func.sum(tables.ballots.c.weight))
        .where(tables.ballots.c.round_id == round_.id)
        .group_by(tables.ballots.c.content)
    ).all()
    method = Method(round_.method)
    profile: dict = {}
    for content, weight in rows:
        key = _profile_key(method, content)
        profile[key] = profile.get(key, 0) + int(weight)
    return profile


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
