"""The result of a count: plain dataclasses with a stable ``to_dict()``.

A projector animates exactly this structure, so it is documented in
``docs/voting-methods.md`` ("The result structure") and changes only by addition.

Numbers
-------
Counts are exact: ``int`` or :class:`fractions.Fraction`, never ``float``. In
``to_dict()`` every count becomes ``{"exact": "...", "float": ...}``: ``exact`` is
``"17"`` for an integer, a terminating decimal such as ``"2396.13639"`` when the
denominator is a power of ten (Scottish STV values, Meek's fixed point), and
``"7/3"`` otherwise; ``float`` is the nearest double, for display only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

Number = int | Fraction


def exact_str(value: Number) -> str:
    """``17`` → ``"17"``; ``Fraction(239613639, 100000)`` → ``"2396.13639"``; 7/3 → ``"7/3"``."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def number_json(value: Number | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"exact": exact_str(value), "float": float(value)}


def _counts_json(counts: dict[str, Number]) -> dict[str, Any]:
    return {name: number_json(v) for name, v in counts.items()}


@dataclass
class Transfer:
    """Votes moving from ``source`` to ``target`` (``None`` target: the votes exhaust)."""

    source: str
    target: str | None
    votes: Number

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "votes": number_json(self.votes)}


@dataclass
class TieBreak:
    """A tie the count had to break, and how (structured: renderers name the options).

    ``how`` is ``"lookback"`` (earlier rounds decided: ``looked_back`` lists the
    rounds consulted, most recent first, the last one decided), ``"lot"`` (the seeded
    lot decided among ``pool``, the candidates still tied after looking back, in
    candidate-list order; ``draw`` is the lot's number in the count), ``"order"`` (the
    published order decided among ``pool``) or ``"room"`` (a lot drawn by hand in the
    room decided among ``pool``; ``draw`` is its number among the lots drawn by hand).
    ``side`` is ``"fewest"`` (an exclusion) or ``"most"`` (an election, a surplus, a
    ranking).
    ``tied`` is in candidate-list order. ``explanation`` is kept empty (results
    stored before structured reasons had an English sentence there).
    """

    round: int
    purpose: str  # "exclude", "elect", "surplus", "rank"
    tied: list[str]
    chosen: str
    how: str
    explanation: str = ""
    looked_back: list[int] = field(default_factory=list)
    pool: list[str] = field(default_factory=list)
    draw: int | None = None
    side: str = "fewest"

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "purpose": self.purpose,
            "tied": list(self.tied),
            "chosen": self.chosen,
            "how": self.how,
            "explanation": self.explanation,
            "looked_back": list(self.looked_back),
            "pool": list(self.pool),
            "draw": self.draw,
            "side": self.side,
        }


@dataclass
class Round:
    """One round (stage) of a count.

    ``tallies`` are the votes held at the start of the round, after the previous
    round's transfers. ``elected``/``eliminated`` happen in this round, and
    ``transfers`` are the votes that move because of them; they produce the next
    round's ``tallies``. ``exhausted`` and ``lost`` are running totals (votes with no
    further preference, and fractions dropped by truncation).
    """

    number: int
    tallies: dict[str, Number]
    elected: list[str] = field(default_factory=list)
    eliminated: list[str] = field(default_factory=list)
    exhausted: Number = 0
    lost: Number = 0
    transfers: list[Transfer] = field(default_factory=list)
    explanation: str = ""
    quota: Number | None = None
    #: what happened, structured: ``{"kind": ..., "options": [ids], figures...}``
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "tallies": _counts_json(self.tallies),
            "elected": list(self.elected),
            "eliminated": list(self.eliminated),
            "exhausted": number_json(self.exhausted),
            "lost": number_json(self.lost),
            "transfers": [t.to_dict() for t in self.transfers],
            "explanation": self.explanation,
            "quota": number_json(self.quota),
            "reasons": _jsonable(self.reasons),
        }


@dataclass
class Result:
    """What any counting method returns (see the module docstring for numbers)."""

    method: str
    rule: str | None
    candidates: list[str]
    winners: list[str]
    seats: int = 1
    quota: Number | None = None
    passed: bool | None = None
    total: Number = 0
    tie_breaks: list[TieBreak] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    ranking: list[str] | None = None
    seed: int | str | None = None
    explanation: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    #: the outcome, structured like a round's reasons
    reasons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def winner(self) -> str | None:
        return self.winners[0] if self.winners else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "rule": self.rule,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "winners": list(self.winners),
            "ranking": None if self.ranking is None else list(self.ranking),
            "quota": number_json(self.quota),
            "passed": self.passed,
            "total": number_json(self.total),
            "seed": self.seed,
            "tie_breaks": [t.to_dict() for t in self.tie_breaks],
            "rounds": [r.to_dict() for r in self.rounds],
            "explanation": self.explanation,
            "details": _jsonable(self.details),
            "reasons": _jsonable(self.reasons),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | Fraction):
        return number_json(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    raise TypeError(f"cannot serialize {type(value).__name__} in a result")


def fmt(value: Number, places: int = 5) -> str:
    """Human form of a count for explanations: integers plain, others to ``places`` decimals."""
    if type(value) is int:
        return str(value) if -1000 < value < 1000 else f"{value:,}"
    if type(value) is Fraction and places >= 5:
        # a positive count in hundred-thousandths (Scottish STV): its decimals, directly
        num, den = value.numerator, value.denominator
        if num > 0 and not 100_000 % den:
            whole, rest = divmod(num * (100_000 // den), 100_000)
            if rest:
                return f"{whole:,}.{rest:05}".rstrip("0")
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    text = exact_str(value)
    if "/" not in text and len(text.split(".")[1]) <= places:
        whole, frac = text.split(".")
        return f"{int(whole):,}.{frac}"
    return f"{float(value):,.{places}f}".rstrip("0").rstrip(".")


def plural(value: Number, word: str = "vote") -> str:
    if type(value) is int:  # the usual case, without a call to fmt
        if -1000 < value < 1000:
            return f"{value} {word}" if value == 1 else f"{value} {word}s"
        return f"{value:,} {word}s"
    return f"{fmt(value)} {word}" + ("" if value == 1 else "s")
