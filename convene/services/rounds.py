"""Decision rounds: create, open, cast a ballot, close; turnout; the published ballot list.

Secret ballots: who has voted (``round_voters``) is stored apart from what was voted
(``ballots``); a ballot row carries no member id, no timestamp and no row id, only a random
receipt. To change a secret ballot, the phone sends the receipt of its last one (it keeps
it); nothing in the database links a voter to a receipt.

While the round is open a secret ballot is stored only sealed (``sealed_ballots``, see
convene/services/sealing.py), in the transaction that marks its voter; sealed ballots are
opened into ``ballots`` at least k voters at a time, in random order (``open_sealed_batch``,
for the live count) and at the close. The threat model and what this code must keep:
docs/rounds.md, "Secret ballots".
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from convene.domain.convening import Actor, Convening, Role
from convene.domain.errors import (
    N_,
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooMany,
)
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.rounds import (
    LABEL_MAX,
    Method,
    Round,
    RoundOption,
    RoundState,
    new_receipt,
    parse_receipt,
    profile_key,
    require_open,
)
from convene.domain.tally import LotNeeded, Result
from convene.domain.text import clean_block, clean_line
from convene.services import demands as demand_service
from convene.services.core import Services, UnitOfWork, parse_after_page
from convene.services.presence import presence_views
from convene.services.schemas import NOT_VOTED_PAGE_MAX as s_NOT_VOTED_PAGE_MAX
from convene.services.sealing import ENVELOPE, RoundSeal
from convene.store import rounds as store_rounds
from convene.store import tables
from convene.store.database import insert_or_ignore

FOLLOW_UP_PATHS = ("amend", "retry", "fallback")
REASONS_MAX = 2000


def _load(
    session: Session, convening_id: int, round_id: object, *, for_update: bool = False
) -> Round:
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


def _present(svc: Services, convening_id: int) -> int:
    """Participants connected right now (the quorum's 'present')."""
    _, public = presence_views(svc.presence.connected(convening_id))
    return public["participants_connected"]


def _parse_deadline(value: object, now: datetime) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput(N_("The deadline must be an ISO 8601 time."), field="closes_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            N_("The deadline must be an ISO 8601 time."), field="closes_at"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(N_("The deadline must name its time zone (e.g. Z)."), field="closes_at")
    return moment


# -- options ------------------------------------------------------------------------------------


def _options(
    uow: UnitOfWork, convening: Convening, specs: object, *, again: bool = False
) -> list[RoundOption]:
    """The options of a new round. ``again``: a follow-up of a blocked consent round."""
    if not isinstance(specs, list):
        raise InvalidInput(N_("options must be a list."), field="options")
    options = []
    for spec in specs:
        if not isinstance(spec, dict) or len(spec) != 1:
            raise InvalidInput(
                N_("Each option is {label}, {demand_id} or {amendment_id}."), field="options"
            )
        ((kind, value),) = spec.items()
        if kind == "label":
            options.append(RoundOption(label=clean_line(value, "label", LABEL_MAX), position=0))
        elif kind == "demand_id":
            demand = demand_service.demand_for_vote(
                uow, convening, parse_id(value, "demand_id"), again=again
            )
            options.append(RoundOption(label=demand.title, position=0, demand_id=demand.id))
        elif kind == "amendment_id":
            amendment, demand = demand_service.amendment_for_vote(
                uow, convening, parse_id(value, "amendment_id")
            )
            label = demand_service.amendment_label(uow, convening, amendment, demand)
            options.append(
                RoundOption(label=label[:LABEL_MAX], position=0, amendment_id=amendment.id)
            )
        else:
            raise InvalidInput(
                N_("Each option is {label}, {demand_id} or {amendment_id}."), field="options"
            )
    return options


# -- commands ------------------------------------------------------------------------------------


def create_round(
    svc: Services,
    actor: Actor,
    *,
    title: object,
    method: object,
    options: object,
    seats: object = None,
    rule: object = None,
    threshold: object = None,
    quorum: object = None,
    stand_aside_limit: object = None,
    secret: object = True,
    live_results: object = False,
    agenda_item_id: object = None,
    closes_at: object = None,
    tie_break: object = None,
) -> dict:
    """A draft round (facilitator). Open it to start the vote."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item_id = None
        if agenda_item_id is not None:
            item_id = convening.item(parse_id(agenda_item_id, "agenda_item_id")).id
        round_ = Round.create(
            convening_id=convening.id,
            title=title,
            method=method,
            options=_options(uow, convening, options),
            now=uow.now,
            seats=seats,
            rule=rule,
            threshold=threshold,
            quorum=quorum,
            stand_aside_limit=stand_aside_limit,
            secret=secret,
            live_results=live_results,
            agenda_item_id=item_id,
            closes_at=_parse_deadline(closes_at, uow.now),
            tie_break=tie_break,
        )
        uow.session.add(round_)
        uow.session.flush()
        uow.record(convening, actor, [DomainEvent("round.created", round_.public())])
        uow.commit()
        return round_.public()


def open_round(svc: Services, actor: Actor, *, round_id: object) -> dict:
    actor.require(Role.FACILITATOR)
    # Presence may be a Redis call: read it before taking the convening's lock.
    present = _present(svc, actor.convening_id)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        round_ = _load(uow.session, convening.id, round_id, for_update=True)
        events = round_.open(uow.now, present)
        if round_.secret:
            round_.seal = svc.sealer.new_seal()
        uow.record(convening, actor, events)  # and the demands put to the vote (their handler)
        uow.after_commit(lambda: svc.ticker.mark(convening.id, round_.id))
        uow.commit()
        return round_.public()


# The ballot path runs for every ballot of every phone, so its statements are built once and
# run on the transaction's connection (Core, no ORM objects).
_carried = tables.members.alias("carried")
# One statement for the round's state and the voter's weight (own + carried as a proxy).
_ROUND_AND_VOTER = (
    select(
        tables.rounds.c.state,
        tables.members.c.vote_weight,
        tables.members.c.carried_by_id,
        tables.members.c.removed_at,
        select(func.coalesce(func.sum(_carried.c.vote_weight), 0))
        .where(_carried.c.carried_by_id == tables.members.c.id, _carried.c.removed_at.is_(None))
        .scalar_subquery(),
    )
    .select_from(
        tables.rounds.join(
            tables.members, tables.members.c.convening_id == tables.rounds.c.convening_id
        )
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


def _round_and_weight(
    svc: Services, connection: Connection, actor: Actor, round_id: object
) -> tuple[int, Round, int]:
    """The open round and the weight the actor votes with. Raises NotFound or
    Conflict when there is no such open round, and refuses a voter removed meanwhile or
    whose vote a proxy carries."""
    round_id = parse_id(round_id, "round_id")
    row = connection.execute(
        _ROUND_AND_VOTER,
        {"round_id": round_id, "convening_id": actor.convening_id, "member_id": actor.member_id},
    ).one_or_none()
    if row is None:
        raise NotFound(N_("There is no round %(id)s in this convening."), id=round_id)
    state, own, carried_by, removed_at, carried = row
    if removed_at is not None:
        raise NotAuthenticated(N_("This access link is not valid (any more)."))
    if _kept_open_round(svc, round_id, state) is None:
        require_open(state)
    if carried_by is not None:
        raise Forbidden(N_("Your vote is carried by a proxy; they vote for you."))
    return round_id, _open_round(svc, connection, round_id, state), own + carried


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


_ROUND_STATE = select(tables.rounds.c.state).where(tables.rounds.c.id == bindparam("round_id"))


def current_round(session: Session, svc: Services, round_id: int) -> Round | None:
    """A round as it is now, or None; for the live ticker, which reads it every 250 ms."""
    connection = session.connection()
    state = connection.execute(_ROUND_STATE, {"round_id": round_id}).scalar_one_or_none()
    return None if state is None else _open_round(svc, connection, round_id, state)


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
        round_id, round_, weight = _round_and_weight(svc, connection, actor, round_id)
        form = round_.ballot_form()
        content = json.dumps(form.check(ballot), sort_keys=True, separators=(",", ":"))
        voter = {"round_id": round_id, "member_id": actor.member_id, "weight": weight}
        first = connection.execute(_ADD_VOTER[connection.dialect.name], voter).rowcount == 1
        if form.secret:
            again = _cast_sealed(
                svc, connection, round_, actor, receipt, content, weight, replaces, first
            )
        else:
            again = _cast_named(connection, round_id, actor, receipt, content, weight, first)
        if again is not None:
            return {"round_id": round_id, "receipt": receipt, "weight": again}
        convening_id = actor.convening_id
        uow.after_commit(lambda: svc.ticker.mark(convening_id, round_id))
        uow.commit()
        return {"round_id": round_id, "receipt": receipt, "weight": weight}


def _cast_named(
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


def _cast_sealed(
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
        profile = profile_of(uow.session, round_)
        uow.commit()
    result = round_.tally(profile, seed="live", live=True)
    return {"round_id": round_id, "result": round_.result_json(result)}


_SEALED_WAITING = (
    select(func.count()).select_from(_sealed).where(_sealed.c.round_id == bindparam("round_id"))
)


def sealed_waiting(session: Session, round_id: int) -> int:
    """How many sealed ballots of the round are not opened yet."""
    return session.execute(_SEALED_WAITING, {"round_id": round_id}).scalar_one()


def _open_all_and_reshuffle(svc: Services, session: Session, round_: Round) -> None:
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


def close_round(
    svc: Services, actor: Actor | None, *, round_id: object, convening_id: int | None = None
) -> dict:
    """Close a round (facilitator, or the deadline): count the stored ballots once more."""
    if actor is not None:
        actor.require(Role.FACILITATOR)
        convening_id = actor.convening_id
    present = _present(svc, convening_id)  # before the lock: it may be a Redis call
    with svc.write() as uow:
        convening = uow.convening(convening_id)
        round_ = _load(uow.session, convening.id, round_id, for_update=True)
        round_.require_open()
        if round_.secret:
            _open_all_and_reshuffle(svc, uow.session, round_)
        seed = secrets.token_hex(8)
        events = round_.close(uow.now, present, _count(uow.session, round_, seed), seed)
        uow.record(convening, actor, events)  # closed: the demands decided (their handler)
        uow.after_commit(lambda: svc.ticker.mark(convening.id, round_.id))
        if round_.secret:
            uow.after_commit(svc.ticker.shred_soon)
        uow.commit()
        return round_.public(with_result=True)


def _count(session: Session, round_: Round, seed: str) -> Result | LotNeeded:
    """The round's count from its stored ballots, or the tie it pauses on (tie-break room)."""
    try:
        return round_.tally(profile_of(session, round_), seed)
    except LotNeeded as pause:
        return pause


def draw_lot(svc: Services, actor: Actor, *, round_id: object, option_id: object) -> dict:
    """The count paused on a tie (tie-break ``room``): the facilitator enters the option that
    the lot drawn in the room chose. The count runs again from the start with every lot
    drawn so far, and closes the round, or pauses on the next tie that needs a lot."""
    actor.require(Role.FACILITATOR)
    option_id = parse_id(option_id, "option_id")
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        round_ = _load(uow.session, convening.id, round_id, for_update=True)
        drawn = round_.draw_lot(option_id)
        events = [DomainEvent("round.lot_drawn", drawn)]
        events += round_.settle(_count(uow.session, round_, round_.seed), uow.now)
        uow.record(convening, actor, events)
        uow.after_commit(lambda: svc.ticker.mark(convening.id, round_.id))
        uow.commit()
        return round_.public(with_result=True)


def follow_up(
    svc: Services, actor: Actor, *, round_id: object, path: object, reasons: object = ""
) -> dict:
    """After a blocked consent round: back to amendments, a new consent round, or a fallback
    vote by the convening's supermajority. The path is recorded for the minutes; ``reasons``
    (what the blocks said) is shown to everyone on the demand."""
    actor.require(Role.FACILITATOR)
    if not isinstance(path, str) or path not in FOLLOW_UP_PATHS:
        raise InvalidInput(N_("The path is amend, retry or fallback."), field="path")
    reasons = clean_block(reasons, "reasons", REASONS_MAX)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        blocked = _load(uow.session, convening.id, round_id)
        if blocked.method is not Method.CONSENT or blocked.state is not RoundState.CLOSED:
            raise Conflict(
                N_("“%(title)s” is not a closed consent round: it has no follow-up."),
                title=blocked.title,
            )
        if not blocked.blocked:
            raise Conflict(
                N_("The consent round “%(title)s” passed: there is nothing to follow up."),
                title=blocked.title,
            )
        data = {"round_id": blocked.id, "path": path, "reasons": reasons}
        if path != "amend":
            option = blocked.options[0]
            spec = (
                {"demand_id": option.demand_id}
                if option.demand_id
                else {"amendment_id": option.amendment_id}
                if option.amendment_id
                else {"label": option.label}
            )
            fallback = path == "fallback"
            follow = Round.create(
                convening_id=convening.id,
                title=blocked.title,
                method=Method.YES_NO if fallback else Method.CONSENT,
                options=_options(uow, convening, [spec], again=True),
                now=uow.now,
                threshold=convening.fallback_threshold if fallback else None,
                stand_aside_limit=None if fallback else blocked.stand_aside_limit,
                quorum=blocked.quorum,
                secret=blocked.secret,
                live_results=blocked.live_results,
                agenda_item_id=blocked.agenda_item_id,
            )
            follow.follows_round_id, follow.path = blocked.id, path
            uow.session.add(follow)
            uow.session.flush()
            data["new_round"] = follow.public()
            uow.record(convening, actor, [DomainEvent("round.created", follow.public())])
        uow.record(convening, actor, [DomainEvent("round.followed_up", data)])
        uow.commit()
        return data


# -- reading ------------------------------------------------------------------------------------


def turnout(session: Session, svc: Services, round_: Round, *, staff: bool) -> dict:
    voters, weight = session.execute(
        select(func.count(), func.coalesce(func.sum(tables.round_voters.c.weight), 0)).where(
            tables.round_voters.c.round_id == round_.id
        )
    ).one()
    present = _present(svc, round_.convening_id)
    data = {
        "round_id": round_.id,
        "voted": voters,
        "voted_weight": int(weight),
        "present": present,
        "present_at_open": round_.present_at_open,
    }
    if staff and not round_.secret and round_.state is RoundState.OPEN:
        # Named rounds only: the facilitator may see who has not voted yet. Counted, and the
        # first few by name: this goes to every console each second while the round is open,
        # so it never lists a hall (rounds.not_voted pages through them all).
        waiting = _not_voted(round_)
        data["not_voted_count"] = session.execute(
            select(func.count()).select_from(waiting.subquery())
        ).scalar_one()
        rows = session.execute(
            waiting.order_by(tables.members.c.name, tables.members.c.id).limit(NOT_VOTED_SHOWN)
        ).all()
        data["not_voted"] = [{"id": i, "name": n} for i, n in rows]
    return data


#: How many of those who have not voted a facilitator's turnout names.
NOT_VOTED_SHOWN = 20
#: The largest page of ``rounds.not_voted``.
NOT_VOTED_PAGE_MAX = s_NOT_VOTED_PAGE_MAX


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


def not_voted(
    svc: Services,
    actor: Actor,
    *,
    round_id: object,
    after: object = 0,
    limit: object = NOT_VOTED_PAGE_MAX,
) -> dict:
    """One page of who has not voted yet in an open named round (facilitators): by member
    id, those above ``after``, at most ``limit``; ``next_after``: where the next page starts
    (None: the last); ``total``: how many have not voted. Refused for a secret round (nobody
    may learn who voted there while it is open), and once the round is no longer open."""
    actor.require(Role.FACILITATOR)
    after, limit = parse_after_page(after, limit, NOT_VOTED_PAGE_MAX)
    with svc.read() as session:
        round_ = _load(session, actor.convening_id, round_id)
        if round_.secret:
            raise Forbidden(N_("Nobody sees who has voted in a secret round."))
        if round_.state is not RoundState.OPEN:
            raise Conflict(N_("Only an open round has people who have not voted yet."))
        waiting = _not_voted(round_)
        total = session.execute(select(func.count()).select_from(waiting.subquery())).scalar_one()
        rows = session.execute(
            waiting.where(tables.members.c.id > after)
            .order_by(tables.members.c.id)
            .limit(limit + 1)
        ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "round_id": round_.id,
        "not_voted": [{"id": i, "name": n} for i, n in rows],
        "after": after,
        "limit": limit,
        "total": total,
        "next_after": rows[-1][0] if more else None,
    }


def live_tally(session: Session, round_: Round) -> dict | None:
    """The count so far, when the round shows it while voting."""
    if round_.state is not RoundState.OPEN or not round_.live_results:
        return None
    result = round_.tally(profile_of(session, round_), seed="live", live=True)
    return {"round_id": round_.id, "result": round_.result_json(result)}


def _follow_ups(session: Session, convening_id: int) -> dict[int, str]:
    """Blocked consent rounds and the path the facilitator chose, from the event log (a
    closed round never changes, so the choice is recorded beside it, not in it)."""
    rows = session.execute(
        select(tables.events.c.data).where(
            tables.events.c.convening_id == convening_id,
            tables.events.c.type == "round.followed_up",
        )
    ).scalars()
    return {data["round_id"]: data["path"] for data in rows}


def round_view(
    session: Session, svc: Services, round_: Round, actor: Actor, follow_ups: dict | None = None
) -> dict:
    view = round_.public(with_result=True)
    if round_.state is RoundState.CLOSED:
        view["decision"] = round_.decision()
        if follow_ups is None:
            follow_ups = _follow_ups(session, round_.convening_id)
        view["followed_up"] = follow_ups.get(round_.id)
    view["turnout"] = turnout(session, svc, round_, staff=actor.is_staff)
    if actor.role in (Role.FACILITATOR, Role.PROJECTOR):
        view["tally"] = live_tally(session, round_)
    return view


def rounds_for_snapshot(
    session: Session, svc: Services, actor: Actor
) -> tuple[list[dict], list[int]]:
    """Every round of the convening, and the rounds the actor has voted in."""
    rounds = session.execute(
        select(Round)
        .where(tables.rounds.c.convening_id == actor.convening_id)
        .order_by(tables.rounds.c.id)
    ).scalars()
    follow_ups = _follow_ups(session, actor.convening_id)
    views = [round_view(session, svc, r, actor, follow_ups) for r in rounds]
    voted = (
        session.execute(
            select(tables.round_voters.c.round_id).where(
                tables.round_voters.c.member_id == actor.member_id
            )
        )
        .scalars()
        .all()
    )
    return views, list(voted)


def get_round(svc: Services, actor: Actor, *, round_id: object) -> dict:
    with svc.read() as session:
        return round_view(session, svc, _load(session, actor.convening_id, round_id), actor)


def published_ballots(svc: Services, actor: Actor, *, round_id: object) -> dict:
    """After the close: every ballot with its receipt, so each voter can check theirs."""
    with svc.read() as session:
        round_ = _load(session, actor.convening_id, round_id)
        if round_.state is not RoundState.CLOSED:
            raise Conflict(N_("The ballots are published when the round closes."))
        rows = store_rounds.published_ballots(session, round_)
    ballots = []
    for receipt, content, weight, name in rows:
        entry = {"receipt": receipt, "ballot": content, "weight": weight}
        if not round_.secret:
            entry["name"] = name
        ballots.append(entry)
    return {"round_id": round_.id, "secret": round_.secret, "ballots": ballots}


def due_for_closing(svc: Services, now: datetime) -> list[tuple[int, int]]:
    """(convening id, round id) of open rounds whose deadline has passed."""
    with svc.read() as session:
        rows = session.execute(
            select(tables.rounds.c.convening_id, tables.rounds.c.id).where(
                tables.rounds.c.state == RoundState.OPEN,
                tables.rounds.c.closes_at.is_not(None),
                tables.rounds.c.closes_at <= now,
            )
        ).all()
    return [(c, r) for c, r in rows]
