"""The ballot path: a participant's ballot stored (named, or sealed while a secret round is
open), the same ballot sent again acknowledged once more, and sealed ballots opened into the
count at least k voters at a time.

Secret ballots: who has voted (``round_voters``) is stored apart from what was voted
(``ballots``); a ballot row carries no member id, no timestamp and no row id, only a random
receipt. To change a secret ballot, the phone sends the receipt of its last one (it keeps
it); nothing in the database links a voter to a receipt.

While the round is open a secret ballot is stored only sealed (``sealed_ballots``, see
convene/services/sealing.py), in the transaction that marks its voter; sealed ballots are
opened into ``ballots`` at least k voters at a time, in random order (``open_sealed_batch``,
for the live count) and at the close (``open_all_and_reshuffle``). The threat model and what
this code must keep: docs/rounds.md, "Secret ballots". A teller's paper ballot takes the same
path (convene/services/rounds/paper.py).
"""

from __future__ import annotations

import json
import secrets
import time
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, Conflict, Forbidden, NotAuthenticated, NotFound, TooMany
from convene.domain.ids import parse_id
from convene.domain.roster import RosterRole
from convene.domain.rounds import Round, RoundState, new_receipt, parse_receipt, require_open
from convene.domain.seats import VotedInAnotherSeat, seat_taken_in_round, voting_seat
from convene.services.core import Services
from convene.services.sealing import ENVELOPE, RoundSeal
from convene.store import rounds as store_rounds
from convene.store import tables
from convene.store.database import insert_or_ignore

# The ballot path runs for every ballot of every phone, so its statements are built once and
# run on the transaction's connection (Core, no ORM objects).
_carried = tables.members.alias("carried")
# The voter's roster entry (``_entry``), the seat an alternate holds (``_seat`` and its
# member, whose weight is the seat's), and the alternate who holds a delegate's own seat
# (``_holder``): convene/domain/seats.py.
_entry = tables.roster_entries.alias("entry")
_seat = tables.roster_entries.alias("seat")
_seat_member = tables.members.alias("seat_member")
_holder = tables.roster_entries.alias("holder")
# One statement for the round's state, the voter's weight (own + carried as a proxy) and
# their seat.
_ROUND_AND_VOTER = (
    select(
        tables.rounds.c.state,
        tables.members.c.vote_weight,
        tables.members.c.carried_by_id,
        tables.members.c.removed_at,
        select(func.coalesce(func.sum(_carried.c.vote_weight), 0))
        .where(_carried.c.carried_by_id == tables.members.c.id, _carried.c.removed_at.is_(None))
        .scalar_subquery(),
        # accredited voting (convene/services/checkins.py): the setting, and whether the
        # voter's roster entry is checked in
        select(tables.convenings.c.accredited_voting)
        .where(tables.convenings.c.id == tables.rounds.c.convening_id)
        .scalar_subquery(),
        _entry.c.checked_in_at.is_not(None).label("checked_in"),
        _entry.c.id.label("entry_id"),
        _entry.c.role.label("entry_role"),
        _entry.c.seat_of,
        _seat.c.name.label("seat_name"),
        func.coalesce(_seat_member.c.vote_weight, _seat.c.vote_weight).label("seat_weight"),
        _holder.c.name.label("held_by"),
    )
    .select_from(
        tables.rounds.join(
            tables.members, tables.members.c.convening_id == tables.rounds.c.convening_id
        )
        .outerjoin(_entry, _entry.c.member_id == tables.members.c.id)
        .outerjoin(_seat, _seat.c.id == _entry.c.seat_of)
        .outerjoin(_seat_member, _seat_member.c.id == _seat.c.member_id)
        .outerjoin(_holder, _holder.c.seat_of == _entry.c.id)
    )
    .where(
        tables.rounds.c.id == bindparam("round_id"),
        tables.rounds.c.convening_id == bindparam("convening_id"),
        tables.members.c.id == bindparam("member_id"),
    )
    # Shared lock on the round: ballots go in side by side; closing takes the round
    # exclusively and so waits for them (no acknowledged ballot is left out of the count).
    .with_for_update(read=True, of=tables.rounds)
)
_ADD_VOTER = {d: insert_or_ignore(tables.round_voters, d) for d in ("sqlite", "postgresql")}
_REWEIGH_VOTER = (
    update(tables.round_voters)
    .where(
        tables.round_voters.c.round_id == bindparam("voter_round_id"),
        tables.round_voters.c.member_id == bindparam("voter_member_id"),
    )
    .values(weight=bindparam("weight"))
)
_ADD_BALLOT = insert(tables.ballots)
# The voter's own mark in the round: on paper, and in which seat.
_MINE = select(tables.round_voters.c.paper, tables.round_voters.c.seat_id).where(
    tables.round_voters.c.round_id == bindparam("round_id"),
    tables.round_voters.c.member_id == bindparam("member_id"),
)
# Who voted in a seat (a named round's refusal names them).
_SEAT_VOTER = (
    select(tables.members.c.name)
    .select_from(
        tables.round_voters.join(
            tables.members, tables.members.c.id == tables.round_voters.c.member_id
        )
    )
    .where(
        tables.round_voters.c.round_id == bindparam("round_id"),
        tables.round_voters.c.seat_id == bindparam("seat_id"),
    )
)


class Voter(NamedTuple):
    """Who votes in a round: the open round, the weight and the seat
    (convene/domain/seats.py; None for a voter on no roster)."""

    round_id: int
    round: Round
    weight: int
    seat_id: int | None
    seat_name: str


def mark_voter(connection: Connection, round_: Round, voter: Voter, row: dict) -> bool:
    """Add the voter's mark (``row``: round_voters' values) unless they voted in the round
    before. True: a first ballot; False: they voted before, in the same seat, not on paper
    (their ballot is to be replaced). Raises Conflict when the seat already voted (by
    someone else), or they voted in another seat or on paper (its own words: the caller's)."""
    if connection.execute(_ADD_VOTER[connection.dialect.name], row).rowcount == 1:
        return True
    mine = connection.execute(_MINE, row).one_or_none()
    if mine is None:  # the seat's mark is someone else's: one ballot per seat
        voter_name = None
        if not round_.secret:
            voter_name = connection.execute(
                _SEAT_VOTER, {"round_id": voter.round_id, "seat_id": voter.seat_id}
            ).scalar()
        raise seat_taken_in_round(voter.seat_name, voter_name)
    if mine.paper:
        raise OnPaper()
    if mine.seat_id is not None and voter.seat_id is not None and mine.seat_id != voter.seat_id:
        raise VotedInAnotherSeat()
    return False


class OnPaper(Conflict):
    """The voter's ballot in this round was entered on paper (the callers say it)."""

    def __init__(self) -> None:
        super().__init__(N_("A paper ballot was entered for you in this round: it is final."))


def round_and_weight(
    svc: Services,
    connection: Connection,
    actor: Actor,
    round_id: object,
    *,
    for_someone: bool = False,
) -> Voter:
    """The open round, the weight the actor votes with and their seat. Raises NotFound or
    Conflict when there is no such open round, and refuses a voter removed meanwhile,
    whose vote a proxy carries (``for_someone``: a teller's paper ballot, whose caller
    says that in words of its own), an alternate without a seat or a delegate whose seat
    an alternate holds (convene/domain/seats.py: voting_seat)."""
    round_id = parse_id(round_id, "round_id")
    row = connection.execute(
        _ROUND_AND_VOTER,
        {"round_id": round_id, "convening_id": actor.convening_id, "member_id": actor.member_id},
    ).one_or_none()
    if row is None:
        raise NotFound(N_("There is no round %(id)s in this convening."), id=round_id)
    state, own, carried_by, removed_at, carried, accredited, checked_in = row[:7]
    if removed_at is not None:
        raise NotAuthenticated(N_("This access link is not valid (any more)."))
    if _kept_open_round(svc, round_id, state) is None:
        require_open(state)
    if carried_by is not None and not for_someone:
        raise Forbidden(N_("Your vote is carried by a proxy; they vote for you."))
    seat_id = voting_seat(
        None if row.entry_role is None else RosterRole(row.entry_role),
        row.entry_id,
        seat_of=row.seat_of,
        held_by=row.held_by,
        for_someone=for_someone,
        name=actor.name,
    )
    if accredited and not checked_in:
        if for_someone:
            raise Forbidden(
                N_("%(name)s is not checked in: only checked-in delegates may vote."),
                name=actor.name,
            )
        raise Forbidden(
            N_("Only checked-in delegates may vote: check in at the credentials desk first.")
        )
    if row.seat_of is not None:  # an alternate votes with the seat's weight
        own = row.seat_weight
    seat_name = row.seat_name if row.seat_of is not None else actor.name
    round_ = _open_round(svc, connection, round_id, state)
    return Voter(round_id, round_, own + carried, seat_id, seat_name)


def _kept_open_round(svc: Services, round_id: int, state: RoundState) -> Round | None:
    """This process's copy of the round if its current ``state`` is open; a round that is
    no longer open (closed here or elsewhere) is forgotten."""
    if state is RoundState.OPEN:
        return svc.open_rounds.get(round_id)
    svc.open_rounds.pop(round_id, None)
    return None


def _open_round(svc: Services, connection: Connection, round_id: int, state: RoundState) -> Round:
    """The round whose current ``state`` was just read; an open one from this process's
    copy once seen (nothing else about it can change)."""
    if (kept := _kept_open_round(svc, round_id, state)) is not None:
        return kept
    with Session(bind=connection) as session:
        round_ = session.get(Round, round_id)
        round_.options  # noqa: B018 - loaded now, for use after the session
    if round_.state is RoundState.OPEN:
        svc.remember_open_round(round_)
    return round_


def current_round(session: Session, svc: Services, round_id: int) -> Round | None:
    """A round as it is now, or None; for the live ticker, which reads it every 250 ms."""
    state = store_rounds.round_state(session, round_id)
    return None if state is None else _open_round(svc, session.connection(), round_id, state)


_BALLOT_BY_RECEIPT = select(
    tables.ballots.c.content, tables.ballots.c.weight, tables.ballots.c.member_id
).where(
    tables.ballots.c.round_id == bindparam("round_id"),
    tables.ballots.c.receipt == bindparam("receipt"),
)
_sealed = tables.sealed_ballots
# A sealed ballot goes in unless its tag is taken (the same receipt sealed before) or its
# receipt is taken by a ballot already opened: one statement, its rowcount says which.
_ADD_SEALED = {
    d: insert_or_ignore(_sealed, d).from_select(
        ["round_id", "tag", "box", "revokes"],
        select(
            bindparam("round_id"), bindparam("tag"), bindparam("box"), bindparam("revokes")
        ).where(
            ~exists().where(
                tables.ballots.c.round_id == bindparam("round_id"),
                tables.ballots.c.receipt == bindparam("receipt"),
            )
        ),
    )
    for d in ("sqlite", "postgresql")
}
_SEALED_BY_TAG = select(_sealed.c.box).where(
    _sealed.c.round_id == bindparam("round_id"), _sealed.c.tag == bindparam("tag")
)


def _seal_of(svc: Services, round_: Round) -> RoundSeal:
    return svc.sealer.keys(
        round_.seal, lambda: 2 * round_.ballot_form().longest_stored() + ENVELOPE
    )


def cast_ballot(
    svc: Services,
    actor: Actor,
    *,
    round_id: object,
    replaces: object = None,
    receipt: object = None,
    **ballot: object,
) -> dict:
    """Record a participant's ballot; the last one counts. Returns its receipt.

    ``receipt``: drawn by the phone (else by the server). The same ballot sent again with
    the same receipt, because its acknowledgement was lost, is acknowledged again and
    changes nothing.

    A secret ballot is stored sealed, in the transaction that marks its voter (see
    convene/services/sealing.py), and opened later together with at least k others.
    """
    actor.require(Role.PARTICIPANT)
    receipt = new_receipt() if receipt is None else parse_receipt(receipt)
    if not svc.ballot_limiter.allow(actor.member_id, time.monotonic()):
        raise TooMany(N_("Too many ballots at once: wait a moment and try again."))
    with svc.write() as uow:
        connection = uow.session.connection()
        seat = round_and_weight(svc, connection, actor, round_id)
        round_id, round_, weight = seat.round_id, seat.round, seat.weight
        form = round_.ballot_form()
        content = json.dumps(form.check(ballot), sort_keys=True, separators=(",", ":"))
        voter = {
            "round_id": round_id,
            "member_id": actor.member_id,
            "weight": weight,
            "seat_id": seat.seat_id,
        }
        first = mark_voter(connection, round_, seat, voter)
        if form.secret:
            again = cast_sealed(
                svc, connection, round_, actor, receipt, content, weight, replaces, first
            )
        else:
            again = cast_named(connection, round_id, actor, receipt, content, weight, first)
        if again is not None:
            return {"round_id": round_id, "receipt": receipt, "weight": again}
        convening_id = actor.convening_id
        uow.after_commit(lambda: svc.ticker.mark(convening_id, round_id))
        uow.commit()
        return {"round_id": round_id, "receipt": receipt, "weight": weight}


def cast_named(
    connection: Connection,
    round_id: int,
    actor: Actor,
    receipt: str,
    content: str,
    weight: int,
    first: bool,
) -> int | None:
    """A named ballot, stored as it is with its voter. Returns the stored weight of the
    same ballot sent again, else None (stored; to be committed)."""
    if not first:
        stored = connection.execute(
            _BALLOT_BY_RECEIPT, {"round_id": round_id, "receipt": receipt}
        ).first()
        if stored is not None and stored.content == content and stored.member_id == actor.member_id:
            return stored.weight
        # voted before: this ballot replaces the last one
        connection.execute(
            delete(tables.ballots).where(
                tables.ballots.c.round_id == round_id,
                tables.ballots.c.member_id == actor.member_id,
            )
        )
        connection.execute(
            _REWEIGH_VOTER,
            {"voter_round_id": round_id, "voter_member_id": actor.member_id, "weight": weight},
        )
    try:
        connection.execute(
            _ADD_BALLOT,
            {
                "round_id": round_id,
                "receipt": receipt,
                "content": content,
                "weight": weight,
                "member_id": actor.member_id,
            },
        )
    except IntegrityError:
        raise Conflict(N_("That receipt is already taken in this round: draw another.")) from None
    return None


# Only a weight that changed (a proxy or a delegate's weight changed meanwhile) is written:
# an unchanged voter row stays out of the transaction that changes a secret ballot.
_REWEIGH_CHANGED = _REWEIGH_VOTER.where(tables.round_voters.c.weight != bindparam("weight"))


def cast_sealed(
    svc: Services,
    connection: Connection,
    round_: Round,
    actor: Actor,
    receipt: str,
    content: str,
    weight: int,
    replaces: object,
    first: bool,
) -> int | None:
    """A secret ballot, sealed. Nothing in the transaction but the voter's mark (when they
    vote for the first time) says who sent it. Returns the stored weight of the same
    ballot sent again, else None (sealed; to be committed)."""
    round_id = round_.id
    seal = _seal_of(svc, round_)
    tag = seal.tag(receipt)
    revokes = ""
    if not first:
        stored = _sealed_or_opened(connection, seal, round_id, tag, receipt)
        if stored is not None and stored[0] == content:
            return stored[1]
        # voted before: this ballot replaces the last one
        revokes = _drop_previous_sealed(connection, seal, round_id, replaces)
        connection.execute(
            _REWEIGH_CHANGED,
            {"voter_round_id": round_id, "voter_member_id": actor.member_id, "weight": weight},
        )
    added = connection.execute(
        _ADD_SEALED[connection.dialect.name],
        {
            "round_id": round_id,
            "tag": tag,
            "box": seal.seal(tag, receipt, content, weight, revokes),
            "revokes": seal.tag(revokes) if revokes else None,
            "receipt": receipt,
        },
    ).rowcount
    if added != 1:
        raise Conflict(N_("That receipt is already taken in this round: draw another."))
    return None


def _sealed_or_opened(
    connection: Connection, seal: RoundSeal, round_id: int, tag: str, receipt: str
) -> tuple[str, int] | None:
    """(content, weight) of the secret ballot stored under ``receipt``, sealed or opened."""
    box = connection.execute(_SEALED_BY_TAG, {"round_id": round_id, "tag": tag}).scalar()
    if box is not None:
        _, content, weight, _ = seal.open(tag, box)
        return content, weight
    stored = connection.execute(
        _BALLOT_BY_RECEIPT, {"round_id": round_id, "receipt": receipt}
    ).first()
    return None if stored is None else (stored.content, stored.weight)


def _drop_previous_sealed(
    connection: Connection, seal: RoundSeal, round_id: int, replaces: object
) -> str:
    """Take out the ballot that ``replaces`` names. A sealed one is deleted; an opened one
    stays in the count until the sealed ballot replacing it is opened (the ballots table
    changes only k voters at a time). Returns the opened receipt that the new ballot
    revokes ("" if none)."""
    if not isinstance(replaces, str) or not replaces:
        raise Conflict(
            N_(
                "You have already voted. To change your ballot, send the receipt of your last "
                "ballot (the phone you voted with keeps it)."
            )
        )
    replaces = replaces[:16]
    old_tag = seal.tag(replaces)
    box = connection.execute(
        delete(_sealed)
        .where(_sealed.c.round_id == round_id, _sealed.c.tag == old_tag)
        .returning(_sealed.c.box)
    ).scalar()
    if box is not None:
        return seal.open(old_tag, box)[3]  # what that one revoked, this one revokes
    is_opened, is_revoked = connection.execute(
        select(
            exists().where(
                tables.ballots.c.round_id == round_id, tables.ballots.c.receipt == replaces
            ),
            exists().where(_sealed.c.round_id == round_id, _sealed.c.revokes == old_tag),
        )
    ).one()
    if not is_opened or is_revoked:
        raise Conflict(N_("That receipt is not a ballot of yours in this round."))
    return replaces


# -- opening sealed ballots ---------------------------------------------------------------------

_shuffle = secrets.SystemRandom().shuffle
_sample = secrets.SystemRandom().sample


def _open_sealed(connection: Connection, seal: RoundSeal, round_id: int, rows) -> None:
    """Open sealed ballots into the ballots table in one random order, in the caller's
    transaction; each takes out the opened ballot it replaces."""
    opened, revoked = [], []
    for tag, box in rows:
        receipt, content, weight, replaces = seal.open(tag, box)
        opened.append(
            {"round_id": round_id, "receipt": receipt, "content": content, "weight": weight}
        )
        if replaces:
            revoked.append(replaces)
    _shuffle(opened)
    connection.execute(
        delete(_sealed).where(
            _sealed.c.round_id == round_id, _sealed.c.tag.in_([tag for tag, _ in rows])
        )
    )
    if revoked:
        connection.execute(
            delete(tables.ballots).where(
                tables.ballots.c.round_id == round_id, tables.ballots.c.receipt.in_(revoked)
            )
        )
    if opened:
        connection.execute(insert(tables.ballots), opened)


def open_sealed_batch(svc: Services, round_id: int) -> dict | None:
    """During a secret round with a live count: once at least 2k sealed ballots wait, open
    all but k of them (chosen at random), so that every opening, and the one at the close,
    takes in at least k voters. Returns the live count this opening made (read in its own
    transaction: each process sends the count of its own opening), or None."""
    k = svc.anonymity
    with svc.write() as uow:
        connection = uow.session.connection()
        state = connection.execute(
            select(tables.rounds.c.state)
            .where(tables.rounds.c.id == round_id)
            .with_for_update()  # ballots wait meanwhile (they take the round shared)
        ).scalar_one_or_none()
        if state is not RoundState.OPEN:
            return None
        round_ = _open_round(svc, connection, round_id, state)
        if not round_.secret:
            return None
        rows = connection.execute(
            select(_sealed.c.tag, _sealed.c.box).where(_sealed.c.round_id == round_id)
        ).all()
        if len(rows) < 2 * k:
            return None
        _open_sealed(connection, _seal_of(svc, round_), round_id, _sample(rows, len(rows) - k))
        profile = store_rounds.profile_of(uow.session, round_)
        uow.commit()
    result = round_.tally(profile, seed="live", live=True)
    return {"round_id": round_id, "result": round_.result_json(result)}


_SEALED_WAITING = (
    select(func.count()).select_from(_sealed).where(_sealed.c.round_id == bindparam("round_id"))
)


def sealed_waiting(session: Session, round_id: int) -> int:
    """How many sealed ballots of the round are not opened yet."""
    return session.execute(_SEALED_WAITING, {"round_id": round_id}).scalar_one()


def open_all_and_reshuffle(svc: Services, session: Session, round_: Round) -> None:
    """At the close of a secret round, in its transaction: open every sealed ballot, write
    every ballot of the round again in one random order (PostgreSQL keeps rows in the order
    they were written, each stamped with its transaction), and wipe the salt."""
    connection = session.connection()
    rows = connection.execute(
        select(_sealed.c.tag, _sealed.c.box).where(_sealed.c.round_id == round_.id)
    ).all()
    if rows:
        _open_sealed(connection, _seal_of(svc, round_), round_.id, rows)
    stored = [
        dict(row)
        for row in connection.execute(
            select(tables.ballots).where(tables.ballots.c.round_id == round_.id)
        ).mappings()
    ]
    connection.execute(delete(tables.ballots).where(tables.ballots.c.round_id == round_.id))
    _shuffle(stored)
    if stored:
        connection.execute(insert(tables.ballots), stored)
    round_.seal = None
