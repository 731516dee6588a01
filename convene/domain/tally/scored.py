"""Approval and score voting.

Approval
    A ballot is the set of options the voter approves of (any number). Each option's
    tally is the weight of ballots approving it; the ``seats`` options with the most
    approvals win.

Score (0–5)
    A ballot gives each option a whole score from 0 to 5 (a mapping
    ``{option: score}``; an option left out scores 0). Each option's tally is the
    weighted sum of its scores; the highest totals win. The result's details also
    give each option's average over the ballots that scored it.

Equal tallies are ordered with the tie rule of :mod:`convene.domain.tally.ties`
(there are no earlier rounds, so a lot decides) and recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from convene.domain.tally.profile import BallotError, as_profile
from convene.domain.tally.result import Number, Result, Round
from convene.domain.tally.ties import TieBreaker

MAX_SCORE = 5


def _approval_key(ballot) -> frozenset:
    if isinstance(ballot, str):
        return frozenset((ballot,))
    return frozenset(ballot)


def _score_key(ballot) -> tuple:
    if not isinstance(ballot, Mapping):
        ballot = dict(ballot)
    return tuple(sorted(ballot.items()))


def count_approval(
    ballots: Mapping | Iterable,
    candidates: Sequence[str],
    *,
    seats: int = 1,
    seed: int | str | None = None,
    tie_order: Sequence[str] | None = None,
    lots: Sequence[str] | None = None,
) -> Result:
    candidates = list(candidates)
    profile = as_profile(ballots, _approval_key)
    tallies: dict[str, Number] = dict.fromkeys(candidates, 0)
    total: Number = 0
    for approved, w in profile.items():
        total += w
        for c in approved:
            if c not in tallies:
                raise BallotError(f"ballot approves unknown option {c!r}")
            tallies[c] += w
    return _by_totals(
        "approval", "approval", candidates, tallies, total, seats, seed, {}, tie_order, lots
    )


def count_score(
    ballots: Mapping | Iterable,
    candidates: Sequence[str],
    *,
    seats: int = 1,
    seed: int | str | None = None,
    max_score: int = MAX_SCORE,
    tie_order: Sequence[str] | None = None,
    lots: Sequence[str] | None = None,
) -> Result:
    candidates = list(candidates)
    profile = as_profile(ballots, _score_key)
    tallies: dict[str, Number] = dict.fromkeys(candidates, 0)
    scored: dict[str, Number] = dict.fromkeys(candidates, 0)
    total: Number = 0
    for items, w in profile.items():
        total += w
        for c, s in items:
            if c not in tallies:
                raise BallotError(f"ballot scores unknown option {c!r}")
            if type(s) is not int or not 0 <= s <= max_score:
                raise BallotError(f"scores must be whole numbers 0–{max_score}, got {s!r}")
            tallies[c] += s * w
            scored[c] += w
    averages = {c: Fraction(tallies[c]) / scored[c] if scored[c] else 0 for c in candidates}
    return _by_totals(
        "score",
        f"score-0-{max_score}",
        candidates,
        tallies,
        total,
        seats,
        seed,
        {"averages": averages, "max_score": max_score},
        tie_order,
        lots,
    )


def _by_totals(
    method, rule, candidates, tallies, total, seats, seed, details, tie_order=None, lots=None
) -> Result:
    if seats < 1:
        raise BallotError("seats must be a positive whole number")
    ties = TieBreaker(seed, candidates, order=tie_order, lots=lots)
    ranking = ties.order(
        candidates,
        tallies,
        descending=True,
        history=[],
        round_number=1,
        purpose="rank",
        places=seats,  # a tie below the seats only orders the list
    )
    winners = ranking[:seats]
    reasons = [
        {
            "kind": "totals",
            "unit": "approval" if method == "approval" else "point",
            "options": list(ranking),
            "elected": list(winners),
            "ballots": total,
            "seats": seats,
        }
    ]
    rnd = Round(number=1, tallies=dict(tallies), elected=list(winners), reasons=reasons)
    return Result(
        method=method,
        rule=rule,
        candidates=candidates,
        winners=winners,
        seats=seats,
        total=total,
        tie_breaks=ties.breaks,
        rounds=[rnd],
        ranking=ranking,
        seed=ties.seed,
        reasons=reasons,
        details={**details, "rules": {"tie_break": ties.mode}},
    )
