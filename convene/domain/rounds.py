"""Decision rounds: what a round is, its state machine, and what a valid ballot is.

Pure Python. A round moves draft → open → closed, and a closed round never changes. Its
method's record (convene/domain/methods) says which settings it takes and what its ballot
is; :meth:`Round.check_ballot` turns what a client sent into the canonical form that is
stored, and :func:`profile_key` turns a stored ballot into the key the tally engine groups
by (ballots with the same content are counted once, with their weights added).
"""

from __future__ import annotations

import enum
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from convene.domain.errors import N_, Conflict, InvalidInput
from convene.domain.events import DomainEvent
from convene.domain.methods import Method, named, shapes
from convene.domain.tally import BallotError, LotNeeded, Result, count
from convene.domain.tally.consent import parse_threshold
from convene.domain.text import clean_line
from convene.domain.times import iso

TITLE_MAX = 200
LABEL_MAX = 200
OPTIONS_MAX = 60
QUORUM_MAX = 1_000_000
#: Receipt codes: 10 characters from an unambiguous alphabet (about 46 bits): unguessable,
#: short enough to read back from a phone to check the published ballot list.
RECEIPT_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
RECEIPT_LENGTH = 10


class RoundState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    #: voting is over, and the count waits for the result of a lot drawn in the room
    PAUSED = "paused"
    CLOSED = "closed"


#: How a round breaks a tie that looking back at earlier rounds cannot: the seeded lot
#: (default), the published order of its options (to exclude, the tied option listed last;
#: to elect, the one listed first), or a lot drawn in the room (the count pauses until the
#: facilitator enters which option the lot chose). docs/voting-methods.md, "Ties".
TIE_BREAKS = ("lot", "order", "room")


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def parse_receipt(value: object) -> str:
    """A receipt the phone drew itself (so that sending a ballot again, after its
    acknowledgement was lost, is recognised as the same ballot)."""
    if (
        not isinstance(value, str)
        or len(value) != RECEIPT_LENGTH
        or not set(value) <= set(RECEIPT_ALPHABET)
    ):
        raise InvalidInput(
            N_("A receipt is %(length)d characters from %(alphabet)s."),
            field="receipt",
            length=RECEIPT_LENGTH,
            alphabet=RECEIPT_ALPHABET,
        )
    return value


def parse_method(value: object) -> Method:
    try:
        return Method(value)
    except ValueError:
        names = ", ".join(m.value for m in Method)
        raise InvalidInput(
            N_("The method must be one of: %(names)s."), field="method", names=names
        ) from None


def parse_fraction(value: object, field_name: str) -> str | None:
    """A threshold or share written as a fraction string ("1/2", "2/3", "3/4", "1")."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 20:
        raise InvalidInput(N_('%(field)s must be a fraction such as "2/3".'), field=field_name)
    try:
        parsed = parse_threshold(value.strip(), "1/2")
    except BallotError:
        raise InvalidInput(
            N_('%(field)s must be a fraction above 0 and at most 1, such as "2/3".'),
            field=field_name,
        ) from None
    return str(parsed)


def _whole(value: object, field_name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            N_("%(field)s must be a whole number from %(low)d to %(high)d."),
            field=field_name,
            low=low,
            high=high,
        )
    return value


@dataclass(eq=False)
class RoundOption:
    label: str
    position: int
    demand_id: int | None = None
    amendment_id: int | None = None
    id: int | None = None
    round_id: int | None = None

    def public(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "position": self.position,
            "demand_id": self.demand_id,
            "amendment_id": self.amendment_id,
        }


def require_open(state: RoundState) -> None:
    """Ballots go only into an open round."""
    if state is RoundState.DRAFT:
        raise Conflict(N_("This round is not open for voting yet."))
    if state is RoundState.PAUSED:
        raise Conflict(
            N_("Voting in this round is over: the count waits for a lot drawn in the room.")
        )
    if state is RoundState.CLOSED:
        raise Conflict(N_("This round is closed."))


@dataclass(frozen=True)
class BallotForm:
    """What a valid ballot of one round is: its method and options, and whether it is secret.

    A round's form never changes once it is open, so a server may keep it and check every
    ballot against it without reading the round again.
    """

    method: Method
    option_ids: tuple[int, ...]
    secret: bool = True

    def check(self, ballot: object) -> dict:
        """The canonical stored form of a ballot, or InvalidInput naming what is wrong."""
        if not isinstance(ballot, Mapping):
            raise InvalidInput(N_("A ballot must be a JSON object."), field="ballot")
        shape = self.method.record.ballot
        if set(ballot) != {shape.key}:
            raise InvalidInput(
                N_("A %(method)s ballot is {%(key)s: ...} and nothing else."),
                field="ballot",
                method=self.method.value,
                key=shape.key,
            )
        return {shape.key: shape.check(ballot[shape.key], self.option_ids)}

    def longest_stored(self) -> int:
        """The length of the longest stored form a ballot of this round can have (secret
        ballots are sealed padded to it, so that their length says nothing)."""
        shape = self.method.record.ballot
        longest = {shape.key: shape.longest(self.option_ids)}
        return len(json.dumps(longest, sort_keys=True, separators=(",", ":")))


@dataclass(eq=False)
class Round:
    convening_id: int
    title: str
    method: Method
    created_at: datetime
    options: list[RoundOption] = field(default_factory=list)
    seats: int = 1
    rule: str | None = None
    threshold: str | None = None
    quorum: int | None = None
    stand_aside_limit: str | None = None
    secret: bool = True
    live_results: bool = False
    agenda_item_id: int | None = None
    closes_at: datetime | None = None
    state: RoundState = RoundState.DRAFT
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    #: when the result became final: the close, or the last lot entered after a pause
    #: (None in older rounds: their closed_at)
    settled_at: datetime | None = None
    present_at_open: int | None = None
    present_at_close: int | None = None
    #: the seed of the lot, drawn at close and stored with the result
    seed: str | None = None
    result: dict | None = None
    #: secret rounds while open: the salt of the round's sealing keys (see
    #: convene/services/sealing.py); wiped at the close
    seal: str | None = None
    #: consensus with fallback: the blocked consent round this one follows, and the path taken
    follows_round_id: int | None = None
    path: str | None = None
    #: ties looking back cannot break: one of TIE_BREAKS (None, in older rounds: lot)
    tie_break: str | None = None
    #: tie_break room: the option ids (text, as the count names them) chosen by the lots
    #: drawn in the room so far, in draw order
    lots: list | None = None
    #: a paused count: the tie it waits on (LotNeeded.to_dict(), option ids as numbers)
    pending_lot: dict | None = None
    id: int | None = None

    # -- creation ------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        convening_id: int,
        title: object,
        method: object,
        options: list[RoundOption],
        now: datetime,
        seats: object = None,
        rule: object = None,
        threshold: object = None,
        quorum: object = None,
        stand_aside_limit: object = None,
        secret: object = True,
        live_results: object = False,
        agenda_item_id: int | None = None,
        closes_at: datetime | None = None,
        tie_break: object = None,
    ) -> Round:
        """A draft round, every setting checked. ``options`` are already labelled."""
        the_method = parse_method(method)
        record = the_method.record
        round_ = cls(
            convening_id=convening_id,
            title=clean_line(title, "title", TITLE_MAX),
            method=the_method,
            created_at=now,
            agenda_item_id=agenda_item_id,
        )
        count_ = len(options)
        if the_method.on_one_proposal:
            if count_ != 1:
                raise InvalidInput(
                    N_("A %(method)s round decides exactly one proposal: give one option."),
                    field="options",
                    method=the_method.value,
                )
        elif not 2 <= count_ <= OPTIONS_MAX:
            raise InvalidInput(
                N_("A round needs from 2 to %(max)d options."), field="options", max=OPTIONS_MAX
            )
        labels = [option.label.casefold() for option in options]
        if len(set(labels)) != len(labels):
            raise InvalidInput(N_("Two options have the same label."), field="options")
        round_.options = options
        for position, option in enumerate(options):
            option.position = position

        multi_seat = record.takes("seats")
        if not multi_seat and seats not in (None, 1):
            raise InvalidInput(
                N_("Only STV, approval and score rounds fill several seats."), field="seats"
            )
        if multi_seat:
            round_.seats = _whole(1 if seats is None else seats, "seats", 1, max(1, count_ - 1))
        if rule not in (None, ""):
            if rule not in record.rules:
                raise InvalidInput(
                    N_("The rule is scottish or meek, and only for STV rounds."), field="rule"
                )
            round_.rule = rule
        elif record.rules:
            round_.rule = record.rules[0]
        round_.threshold = parse_fraction(threshold, "threshold")
        if round_.threshold and not record.takes("threshold"):
            raise InvalidInput(
                N_("A threshold applies to yes/no and gradients rounds."), field="threshold"
            )
        round_.stand_aside_limit = parse_fraction(stand_aside_limit, "stand_aside_limit")
        if round_.stand_aside_limit and not record.takes("stand_aside_limit"):
            raise InvalidInput(
                N_("A stand-aside limit applies to consent rounds."), field="stand_aside_limit"
            )
        if quorum not in (None, ""):
            round_.quorum = _whole(quorum, "quorum", 0, QUORUM_MAX)
        for name, value in (("secret", secret), ("live_results", live_results)):
            if not isinstance(value, bool):
                raise InvalidInput(N_("%(field)s must be true or false."), field=name)
            setattr(round_, name, value)
        if closes_at is not None and closes_at <= now:
            raise InvalidInput(N_("The deadline must be in the future."), field="closes_at")
        round_.closes_at = closes_at
        if tie_break in (None, ""):
            tie_break = "lot"
        if tie_break not in TIE_BREAKS:
            raise InvalidInput(
                N_("The tie-break is one of: %(names)s."),
                field="tie_break",
                names=", ".join(TIE_BREAKS),
            )
        if tie_break != "lot" and not record.takes("tie_break"):
            raise InvalidInput(
                N_("A tie-break applies to rounds that choose between options."),
                field="tie_break",
            )
        round_.tie_break = tie_break
        return round_

    # -- state machine ---------------------------------------------------------------------

    def open(self, now: datetime, present: int) -> list[DomainEvent]:
        if self.state is not RoundState.DRAFT:
            raise Conflict(N_("This round has already been opened."))
        if self.closes_at is not None and self.closes_at <= now:
            raise Conflict(N_("The deadline of this round has already passed."))
        self.state = RoundState.OPEN
        self.opened_at = now
        self.present_at_open = present
        return [DomainEvent("round.opened", self.public())]

    def require_open(self) -> None:
        require_open(self.state)

    def close(
        self, now: datetime, present: int, result: Result | LotNeeded, seed: str
    ) -> list[DomainEvent]:
        """Voting ends. ``result``: the count, or the tie it paused on (a lot drawn in the
        room is needed: the round waits, paused, for :meth:`draw_lot`)."""
        self.require_open()
        self.closed_at = now
        self.present_at_close = present
        self.seed = seed
        return self.settle(result, now)

    def settle(self, result: Result | LotNeeded, now: datetime) -> list[DomainEvent]:
        """The count's outcome: closed with its result (settled ``now``), or paused on a tie
        for the room."""
        if isinstance(result, LotNeeded):
            self.state = RoundState.PAUSED
            pending = result.to_dict()
            for key in ("tied", "pool"):
                pending[key] = [int(c) for c in pending[key]]
            self.pending_lot = pending
            return [DomainEvent("round.paused", self.public())]
        self.state = RoundState.CLOSED
        self.pending_lot = None
        self.settled_at = now
        self.result = self.result_json(result)
        return [
            DomainEvent(
                "round.closed", {**self.public(with_result=True), "decision": self.decision()}
            )
        ]

    def draw_lot(self, option_id: int) -> dict:
        """Record the option that the lot drawn in the room chose for the tie the count
        waits on (then count again: :meth:`settle`). Returns what was drawn, for the log."""
        if self.state is not RoundState.PAUSED or not self.pending_lot:
            raise Conflict(
                N_("The count of “%(title)s” is not waiting for a lot."), title=self.title
            )
        if option_id not in self.option_ids():
            raise InvalidInput(
                N_("Option %(id)s is not in this round."), field="option_id", id=option_id
            )
        pending = self.pending_lot
        if option_id not in pending["pool"]:
            labels = {o.id: o.label for o in self.options}
            raise InvalidInput(
                N_("The lot is drawn between the tied options only: %(names)s."),
                field="option_id",
                names=", ".join(labels[i] for i in pending["pool"]),
            )
        self.lots = [*(self.lots or []), str(option_id)]
        return {"round_id": self.id, **pending, "chosen": option_id}

    def decision(self) -> str:
        """The outcome in one plain sentence, for the agenda item and the minutes."""
        if self.result is None:
            return ""
        labels = {o.id: o.label for o in self.options}
        if self.method.on_one_proposal:
            proposal = self.options[0].label
            return f"{proposal}: {'passed' if self.result.get('passed') else 'not passed'}."
        winners = [labels.get(w, str(w)) for w in self.result.get("winners", [])]
        if not winners:
            return "No option was chosen."
        if len(winners) == 1:
            return f"Chosen: {winners[0]}."
        return f"Chosen, in order: {', '.join(winners)}."

    @property
    def blocked(self) -> bool:
        """A closed consent round that did not pass: not a decision against its proposal,
        which goes back to the room (amendments, a new consent round or a fallback vote)."""
        return (
            self.method is Method.CONSENT
            and self.state is RoundState.CLOSED
            and not (self.result or {}).get("passed")
        )

    def past_deadline(self, now: datetime) -> bool:
        return (
            self.state is RoundState.OPEN and self.closes_at is not None and now >= self.closes_at
        )

    # -- ballots ---------------------------------------------------------------------------

    def option_ids(self) -> list[int]:
        return [option.id for option in self.options]

    def ballot_form(self) -> BallotForm:
        """What a valid ballot of this round is (fixed once the round has options)."""
        return BallotForm(self.method, tuple(self.option_ids()), self.secret)

    def check_ballot(self, ballot: object) -> dict:
        """The canonical stored form of a ballot, or InvalidInput naming what is wrong."""
        return self.ballot_form().check(ballot)

    # -- counting --------------------------------------------------------------------------

    def tally(self, profile: Mapping, seed: str, *, live: bool = False) -> Result:
        """Count a profile of stored ballots (``profile_key(ballot) → weight``).

        With the room's lots (tie-break ``room``) a tie needing one more lot raises
        :class:`LotNeeded`, except in a ``live`` count while voting, where the seeded lot
        stands in (the count so far is provisional anyway)."""
        candidates = [str(i) for i in self.option_ids()]
        threshold = Fraction(self.threshold) if self.threshold else None
        ties: dict = {}
        if self.tie_break == "order":
            ties["tie_order"] = candidates  # the options' own order, as on the ballot
        elif self.tie_break == "room" and not live:
            ties["lots"] = list(self.lots or [])
        return count(
            self.method.value,
            profile,
            candidates,
            seats=self.seats,
            rule=self.rule,
            threshold=threshold,
            quorum=self.quorum,
            stand_aside_limit=Fraction(self.stand_aside_limit) if self.stand_aside_limit else None,
            seed=seed,
            **ties,
        )

    def result_json(self, result: Result) -> dict:
        """The engine's result with option ids as numbers, and labels for reading it."""
        data = result.to_dict()
        data["winners"] = (
            [int(w) for w in result.winners] if not self.method.on_one_proposal else []
        )
        data["labels"] = {str(o.id): o.label for o in self.options}
        return data

    # -- views -----------------------------------------------------------------------------

    def public(self, *, with_result: bool = False) -> dict:
        data = {
            "id": self.id,
            "title": self.title,
            "method": self.method.value,
            "options": [option.public() for option in self.options],
            "seats": self.seats,
            "rule": self.rule,
            "threshold": self.threshold,
            "quorum": self.quorum,
            "stand_aside_limit": self.stand_aside_limit,
            "secret": self.secret,
            "live_results": self.live_results,
            "agenda_item_id": self.agenda_item_id,
            "closes_at": iso(self.closes_at),
            "state": self.state.value,
            "opened_at": iso(self.opened_at),
            "closed_at": iso(self.closed_at),
            "settled_at": iso(self.settled_at),
            "present_at_open": self.present_at_open,
            "present_at_close": self.present_at_close,
            "follows_round_id": self.follows_round_id,
            "path": self.path,
            "tie_break": self.tie_break or "lot",
            "lots": [int(i) for i in self.lots or []],
            "pending_lot": self.pending_lot if self.state is RoundState.PAUSED else None,
        }
        if with_result and self.result is not None:
            data["result"] = self.result
            data["seed"] = self.seed
        return data


def profile_key(method: Method, ballot: Mapping) -> object:
    """The hashable key the tally engine groups a stored ballot by."""
    shape = method.record.ballot
    return shape.group(ballot[shape.key])


def make_profile(method: Method, ballots: Iterable[tuple[Mapping, int]]) -> dict:
    """Group ``(stored ballot, weight)`` pairs into the engine's ``key → weight`` profile."""
    profile: dict = {}
    for ballot, weight in ballots:
        key = profile_key(method, ballot)
        profile[key] = profile.get(key, 0) + weight
    return profile


def remap_ballot(ballot: Mapping, ids: Mapping[int, int]) -> dict:
    """A stored ballot with its option ids replaced (``ids``: old → new), e.g. on import."""
    for shape in shapes():
        if shape.key in ballot:
            return {shape.key: shape.remap(ballot[shape.key], ids)}
    return dict(ballot)


def remap_result(result: dict | None, ids: Mapping[int, int]) -> dict | None:
    """A stored result with every option id replaced (``ids``: old → new); the figures and
    everything else are kept as counted. Single-proposal results name no option."""
    record = named(result.get("method")) if result else None
    if not result or (record is not None and record.ballot.proposal):
        return result
    m = {str(old): str(new) for old, new in ids.items()}

    def one(value):
        return None if value is None else m.get(str(value), str(value))

    def many(values):
        return None if values is None else [one(v) for v in values]

    def keys(mapping):
        return None if mapping is None else {one(k): v for k, v in mapping.items()}

    def reasons(items):
        out = []
        for r in items or []:
            r = {**r, "options": many(r.get("options"))}
            for key in ("elected", "ranking"):
                if r.get(key) is not None:
                    r[key] = many(r[key])
            out.append(r)
        return out

    data = dict(result)
    data["winners"] = [int(m.get(str(w), w)) for w in result.get("winners") or []]
    data["candidates"] = many(result.get("candidates"))
    data["ranking"] = many(result.get("ranking"))
    data["labels"] = keys(result.get("labels"))
    if "reasons" in result:
        data["reasons"] = reasons(result["reasons"])
    data["tie_breaks"] = [
        {
            **t,
            "tied": many(t.get("tied")),
            "chosen": one(t.get("chosen")),
            **({"pool": many(t["pool"])} if "pool" in t else {}),
        }
        for t in result.get("tie_breaks") or []
    ]
    rounds = []
    for r in result.get("rounds") or []:
        r = {
            **r,
            "tallies": keys(r.get("tallies")),
            "elected": many(r.get("elected")),
            "eliminated": many(r.get("eliminated")),
            "transfers": [
                {**t, "from": one(t.get("from")), "to": one(t.get("to"))}
                for t in r.get("transfers") or []
            ],
        }
        if "reasons" in r:
            r["reasons"] = reasons(r["reasons"])
        rounds.append(r)
    data["rounds"] = rounds
    details = dict(result.get("details") or {})
    for key in ("pairwise", "strongest_paths"):
        if isinstance(details.get(key), dict):
            details[key] = {one(a): keys(row) for a, row in details[key].items()}
    for key in ("averages", "keep_factors"):
        if isinstance(details.get(key), dict):
            details[key] = keys(details[key])
    if details.get("condorcet_winner") is not None:
        details["condorcet_winner"] = one(details["condorcet_winner"])
    if isinstance(details.get("withdrawn"), list):
        details["withdrawn"] = many(details["withdrawn"])
    data["details"] = details
    return data
