"""The tally engine's IRV and Scottish STV counts as they were before the speed work.

Kept verbatim (only renamed) as an oracle: the optimised engine must give exactly the
same results on every profile (see test_reference.py). The helpers it needs (result
classes, number formatting, sentences, the tie breaker, ballot grouping) are frozen
copies of the engine's as of commit 814df26, so that speeding up the engine's own
helpers cannot change the oracle.
"""

# ruff: noqa
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Any


class BallotError(ValueError):
    """Ballots or options that cannot be counted (unknown candidate, bad weight...)."""


def group_ballots(ballots: Iterable[Sequence[str]]) -> dict[tuple[str, ...], int]:
    """Group raw ranked ballots (one per voter) into ``{ranking tuple: count}``."""
    return dict(Counter(map(tuple, ballots)))


def check_weights(weights: Iterable[Number]) -> None:
    for w in weights:
        if type(w) is int or (isinstance(w, Fraction) and not isinstance(w, bool)):
            if w <= 0:
                raise BallotError(f"ballot weights must be positive, got {w}")
        else:
            raise BallotError(
                f"ballot weights must be int or Fraction, got {type(w).__name__} {w!r}"
            )


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
    """A tie the count had to break, and how.

    ``how`` is ``"lookback"`` (earlier rounds decided), ``"lot"`` (the seeded lot
    decided) or ``"order"`` (the method's own order, e.g. equal Schulze ranks kept
    in candidate order would be recorded as ``lot`` too; ``order`` is unused today).
    """

    round: int
    purpose: str  # "exclude", "elect", "surplus", "rank"
    tied: list[str]
    chosen: str
    how: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "purpose": self.purpose,
            "tied": list(self.tied),
            "chosen": self.chosen,
            "how": self.how,
            "explanation": self.explanation,
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
        return f"{value:,}"
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    text = exact_str(value)
    if "/" not in text and len(text.split(".")[1]) <= places:
        whole, frac = text.split(".")
        return f"{int(whole):,}.{frac}"
    return f"{float(value):,.{places}f}".rstrip("0").rstrip(".")


def plural(value: Number, word: str = "vote") -> str:
    return f"{fmt(value)} {word}" + ("" if value == 1 else "s")


DEFAULT_SEED = 0


class TieBreaker:
    """Chooses among tied candidates and remembers each choice it made."""

    def __init__(self, seed: int | str | None = None, candidates=()) -> None:
        self.seed: int | str = DEFAULT_SEED if seed is None else seed
        # the lot of issue 12 (docs/voting-methods.md, "Ties"), written out again here
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | str):
            raise ValueError(
                f"the seed must be a whole number or text, got {type(self.seed).__name__}"
            )
        self._number = {c: i for i, c in enumerate(candidates, 1)}
        self._draws = 0
        self.breaks: list[TieBreak] = []

    def choose(
        self,
        tied: Sequence[str],
        *,
        lowest: bool,
        history: Sequence[dict[str, Number]],
        round_number: int,
        purpose: str,
    ) -> str:
        """One of ``tied``: the lowest (to exclude) or highest (to elect / transfer first).

        ``history`` holds the tallies of earlier rounds, oldest first; candidates
        missing from a round count as 0 there.
        """
        tied = list(tied)
        if len(tied) == 1:
            return tied[0]
        remaining = list(tied)
        looked = []
        for back in range(len(history) - 1, -1, -1):
            tallies = history[back]
            values = {c: tallies.get(c, 0) for c in remaining}
            if len(set(values.values())) == 1:
                continue
            target = min(values.values()) if lowest else max(values.values())
            remaining = [c for c in remaining if values[c] == target]
            looked.append(back + 1)
            if len(remaining) == 1:
                break
        side = "fewest" if lowest else "most"
        if len(remaining) == 1:
            chosen = remaining[0]
            how = "lookback"
            explanation = (
                f"{_names(tied)} were tied; {chosen} had the {side} votes in round "
                f"{looked[-1]}, the most recent earlier round where they differed."
            )
        else:
            pool = sorted(remaining, key=self._number.__getitem__)
            self._draws += 1
            text = "convene-lot-1|%s|%d|%s" % (
                self.seed,
                self._draws,
                ",".join(str(self._number[c]) for c in pool),
            )
            chosen = pool[int(hashlib.sha256(text.encode()).hexdigest(), 16) % len(pool)]
            how = "lot"
            first = f"{_names(tied)} were tied"
            if looked:
                first += f"; looking back left {_names(pool)}"
            explanation = f"{first}; {chosen} was chosen by lot (seed {self.seed!r})."
        self.breaks.append(
            TieBreak(
                round=round_number,
                purpose=purpose,
                tied=sorted(tied, key=self._number.__getitem__),
                chosen=chosen,
                how=how,
                explanation=explanation,
            )
        )
        return chosen

    def order(
        self,
        candidates: Sequence[str],
        key: dict[str, Number],
        *,
        descending: bool,
        history: Sequence[dict[str, Number]],
        round_number: int,
        purpose: str,
    ) -> list[str]:
        """Sort ``candidates`` by ``key``, breaking equal keys with :meth:`choose`."""
        pending = list(candidates)
        out: list[str] = []
        while pending:
            best = max(key[c] for c in pending) if descending else min(key[c] for c in pending)
            tied = [c for c in pending if key[c] == best]
            pick = self.choose(
                tied,
                lowest=not descending,
                history=history,
                round_number=round_number,
                purpose=purpose,
            )
            out.append(pick)
            pending.remove(pick)
        return out


def _names(names: Sequence[str]) -> str:
    names = sorted(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _elimination_sentence(loser: str, votes: Number, transfers: list[Transfer]) -> str:
    head = f"{loser} is eliminated with {plural(votes)}"
    if not transfers:
        return head + "."
    parts = []
    for t in transfers:
        if t.target is None:
            parts.append(f"{plural(t.votes)} exhaust")
        else:
            parts.append(f"{plural(t.votes)} transfer to {t.target}")
    if len(parts) > 4:
        rest = len(parts) - 3
        parts = [*parts[:3], f"the rest go to {rest} more"]
    return head + "; " + ", ".join(parts) + "."


SCOTTISH_SCALE = 100_000


def _units(value: Number, scale: int) -> tuple[int, int]:
    """(number of papers, value of each paper in units) for a ballot weight."""
    if type(value) is int:
        return value, scale
    scaled = Fraction(value) * scale
    if scaled.denominator != 1:
        raise BallotError(
            f"weight {value} is not a whole number of 1/{scale} votes, which this rule needs"
        )
    return 1, scaled.numerator


def _v(units: int, scale: int) -> Number:
    whole, rest = divmod(units, scale)
    return whole if not rest else Fraction(units, scale)


def _transfers(
    source: str, moved: dict[str | None, int], scale: int, order: dict[str, int]
) -> list[Transfer]:
    items = sorted(moved.items(), key=lambda kv: (kv[0] is None, -kv[1], order.get(kv[0], 0)))
    return [Transfer(source, target, _v(units, scale)) for target, units in items if units]


def _where(transfers: list[Transfer]) -> str:
    if not transfers:
        return ""
    parts = []
    for t in transfers[:3]:
        if t.target is None:
            parts.append(f"{plural(t.votes)} exhaust")
        else:
            parts.append(f"{plural(t.votes)} to {t.target}")
    if len(transfers) > 3:
        parts.append(f"the rest to {len(transfers) - 3} more")
    return ": " + ", ".join(parts)


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def reference_stv_scottish(ballots, candidates, *, seats=1, seed=None, withdrawn=()):
    candidates = list(candidates)
    withdrawn = set(withdrawn)
    running = [c for c in candidates if c not in withdrawn]
    keys, weights = prepare_ranked(ballots, candidates, withdrawn)
    return _scottish(
        keys, weights, candidates, running, seats, TieBreaker(seed, candidates), withdrawn
    )


def prepare_ranked(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    withdrawn: Iterable[str] = (),
) -> tuple[list[tuple[str, ...]], list[Number]]:
    """Validate a ranked profile; returns parallel lists of rankings and weights.

    Withdrawn candidates are removed from every ranking; any other name that is
    not a candidate is an error.
    """
    if len(set(candidates)) != len(candidates):
        raise BallotError("candidate ids must be unique")
    if isinstance(ballots, Mapping):
        keys = list(ballots)
        if set(map(type, keys)) - {tuple}:
            keys = [tuple(k) for k in keys]
        weights = list(ballots.values())
        if set(map(type, weights)) - {int} or (weights and min(weights) <= 0):
            check_weights(weights)
    else:
        grouped = group_ballots(ballots)
        keys = list(grouped)
        weights = list(grouped.values())
    withdrawn = set(withdrawn)
    names = set(chain.from_iterable(keys))
    unknown = names - set(candidates) - withdrawn
    if unknown:
        raise BallotError(f"ballots rank unknown candidate(s): {', '.join(sorted(unknown))}")
    if withdrawn & names:
        keys = [tuple(c for c in k if c not in withdrawn) for k in keys]
    return keys, weights


def reference_irv(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    *,
    seed: int | str | None = None,
    withdrawn: Iterable[str] = (),
) -> Result:
    candidates = list(candidates)
    withdrawn = set(withdrawn)
    running = [c for c in candidates if c not in withdrawn]
    if not running:
        raise BallotError("IRV needs at least one candidate")
    keys, weights = prepare_ranked(ballots, candidates, withdrawn)
    ties = TieBreaker(seed, candidates)

    continuing = dict.fromkeys(running, True)
    position = {c: i for i, c in enumerate(candidates)}
    piles: dict[str, list[int]] = {c: [] for c in running}
    totals: dict[str, Number] = dict.fromkeys(running, 0)
    pos = [0] * len(keys)
    exhausted: Number = 0
    total: Number = sum(weights)
    for g, key in enumerate(keys):
        if key:
            piles[key[0]].append(g)
        else:
            exhausted += weights[g]
    for c, pile in piles.items():
        totals[c] = sum([weights[g] for g in pile])

    rounds: list[Round] = []
    history: list[dict[str, Number]] = []
    winner = None
    number = 0
    while True:
        number += 1
        tallies = {c: totals[c] for c in continuing}
        live = total - exhausted
        rnd = Round(number=number, tallies=tallies, exhausted=exhausted)
        rounds.append(rnd)
        top = max(tallies.values())
        if len(continuing) == 1 or 2 * top > live:
            leaders = [c for c in tallies if tallies[c] == top]
            winner = leaders[0]
            rnd.elected = [winner]
            if len(continuing) == 1:
                rnd.explanation = (
                    f"{winner} is elected as the last candidate standing, "
                    f"with {plural(top)} ({plural(exhausted)} exhausted)."
                )
            else:
                rnd.explanation = (
                    f"{winner} is elected with {plural(top)} of {plural(live, 'continuing vote')}"
                    f", a majority."
                )
            break
        low = min(tallies.values())
        lowest = [c for c in tallies if tallies[c] == low]
        loser = ties.choose(
            lowest, lowest=True, history=history, round_number=number, purpose="exclude"
        )
        history.append(tallies)
        del continuing[loser]
        moved: dict[str | None, Number] = {}
        for g in piles.pop(loser):
            key = keys[g]
            p = pos[g] + 1
            n = len(key)
            while p < n and key[p] not in continuing:
                p += 1
            pos[g] = p
            w = weights[g]
            if p < n:
                c = key[p]
                piles[c].append(g)
                totals[c] += w
                moved[c] = moved.get(c, 0) + w
            else:
                exhausted += w
                moved[None] = moved.get(None, 0) + w
        del totals[loser]
        rnd.eliminated = [loser]
        rnd.transfers = [
            Transfer(loser, target, votes)
            for target, votes in sorted(
                moved.items(), key=lambda kv: (kv[0] is None, -kv[1], position.get(kv[0], 0))
            )
        ]
        rnd.explanation = _elimination_sentence(loser, low, rnd.transfers)

    ranking = None
    return Result(
        method="irv",
        rule="irv",
        candidates=candidates,
        winners=[winner],
        seats=1,
        total=total,
        tie_breaks=ties.breaks,
        rounds=rounds,
        ranking=ranking,
        seed=ties.seed,
        explanation=rounds[-1].explanation,
        details={"withdrawn": sorted(withdrawn)},
    )


def _scottish(keys, weights, candidates, running, seats, ties, withdrawn) -> Result:
    scale = SCOTTISH_SCALE
    position = {c: i for i, c in enumerate(candidates)}
    n_groups = len(keys)
    papers = list(weights)  # papers per group (ints); Fraction weights become one paper
    value = [0] * n_groups
    pos = [0] * n_groups
    hopeful = dict.fromkeys(running, True)
    piles: dict[str, list[int]] = {c: [] for c in running}
    totals: dict[str, int] = dict.fromkeys(running, 0)
    exhausted = 0
    valid = 0
    for g, key in enumerate(keys):
        n = weights[g]
        if type(n) is int:
            v = scale
        else:
            n, v = _units(n, scale)
            papers[g] = n
        value[g] = v
        if key:
            c = key[0]
            valid += n * v
            piles[c].append(g)
            totals[c] += n * v
    quota_votes = Fraction(valid, scale) // (seats + 1) + 1
    quota = quota_votes * scale
    lost = 0
    elected: list[str] = []
    pending: list[str] = []  # elected, surplus not yet transferred
    rounds: list[Round] = []
    history: list[dict[str, Number]] = []
    number = 0

    def move(pile: list[int], source: str, new_value) -> dict[str | None, int]:
        nonlocal exhausted
        moved: dict[str | None, int] = {}
        for g in pile:
            key = keys[g]
            p = pos[g] + 1
            n = len(key)
            while p < n and key[p] not in hopeful:
                p += 1
            pos[g] = p
            v = new_value(value[g])
            value[g] = v
            amount = papers[g] * v
            if p < n:
                c = key[p]
                piles[c].append(g)
                totals[c] += amount
                moved[c] = moved.get(c, 0) + amount
            else:
                exhausted += amount
                moved[None] = moved.get(None, 0) + amount
        return moved

    while True:
        number += 1
        shown = {c: totals[c] for c in candidates if c in totals}
        rnd = Round(
            number=number,
            tallies={c: _v(u, scale) for c, u in shown.items()},
            exhausted=_v(exhausted, scale),
            lost=_v(lost, scale),
            quota=quota_votes,
        )
        rounds.append(rnd)
        sentences: list[str] = []
        reached = [c for c in hopeful if totals[c] >= quota]
        if reached:
            order = ties.order(
                reached,
                {c: totals[c] for c in reached},
                descending=True,
                history=history,
                round_number=number,
                purpose="elect",
            )
            order = order[: seats - len(elected)]
            for c in order:
                del hopeful[c]
                elected.append(c)
                pending.append(c)
            rnd.elected = list(order)
            sentences.append(
                _join(order)
                + (" is" if len(order) == 1 else " are")
                + f" elected, reaching the quota of {plural(quota_votes)}"
            )
        if len(elected) < seats and len(hopeful) <= seats - len(elected):
            rest = ties.order(
                list(hopeful),
                {c: totals[c] for c in hopeful},
                descending=True,
                history=history,
                round_number=number,
                purpose="elect",
            )
            for c in rest:
                del hopeful[c]
                elected.append(c)
            rnd.elected += rest
            if rest:
                sentences.append(
                    f"{_join(rest)} {'is' if len(rest) == 1 else 'are'} elected as the "
                    "continuing candidates fill the remaining seats"
                )
        if len(elected) >= seats or not hopeful:
            rnd.explanation = "; ".join(sentences) + "."
            break
        pending = [c for c in pending if totals[c] > quota]  # an exact quota moves nothing
        if pending:
            surpluses = {c: totals[c] - quota for c in pending}
            biggest = max(surpluses.values())
            source = ties.choose(
                [c for c in pending if surpluses[c] == biggest],
                lowest=False,
                history=history,
                round_number=number,
                purpose="surplus",
            )
            pending.remove(source)
            surplus = surpluses[source]
            held = totals[source]
            moved = move(piles[source], source, lambda v, s=surplus, t=held: v * s // t)
            piles[source] = []
            passed = sum(moved.values())
            lost += surplus - passed
            totals[source] = quota
            rnd.transfers = _transfers(source, moved, scale, position)
            sentences.append(
                f"{source}'s surplus of {plural(_v(surplus, scale))} is transferred"
                + _where(rnd.transfers)
            )
        else:
            low = min(totals[c] for c in hopeful)
            loser = ties.choose(
                [c for c in hopeful if totals[c] == low],
                lowest=True,
                history=history,
                round_number=number,
                purpose="exclude",
            )
            del hopeful[loser]
            moved = move(piles.pop(loser), loser, lambda v: v)
            del totals[loser]
            rnd.eliminated = [loser]
            rnd.transfers = _transfers(loser, moved, scale, position)
            sentences.append(
                f"{loser} is excluded with {plural(_v(low, scale))}" + _where(rnd.transfers)
            )
        history.append(shown)
        rnd.explanation = "; ".join(sentences) + "."

    return Result(
        method="stv",
        rule="scottish",
        candidates=candidates,
        winners=elected,
        seats=seats,
        quota=quota_votes,
        total=_v(valid, scale),
        tie_breaks=ties.breaks,
        rounds=rounds,
        seed=ties.seed,
        explanation=f"Elected: {_join(elected)}." if elected else "No one was elected.",
        details={"withdrawn": sorted(withdrawn), "exhausted": _v(exhausted, scale)},
    )
