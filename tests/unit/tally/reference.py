"""The tally engine's IRV and Scottish STV counts as they were before the speed work.

Kept verbatim (only renamed) as an oracle: the optimised engine must give exactly the
same ``Result.to_dict()`` on every profile (see test_reference.py).
"""

# ruff: noqa
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import chain

from convene.domain.tally.profile import BallotError, check_weights, group_ballots
from convene.domain.tally.result import Number, Result, Round, Transfer, plural
from convene.domain.tally.irv import _elimination_sentence
from convene.domain.tally.stv import RULES, SCOTTISH_SCALE, _join, _transfers, _units, _v, _where
from convene.domain.tally.ties import TieBreaker


def reference_stv_scottish(ballots, candidates, *, seats=1, seed=None, withdrawn=()):
    candidates = list(candidates)
    withdrawn = set(withdrawn)
    running = [c for c in candidates if c not in withdrawn]
    keys, weights = prepare_ranked(ballots, candidates, withdrawn)
    return _scottish(keys, weights, candidates, running, seats, TieBreaker(seed), withdrawn)


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
    ties = TieBreaker(seed)

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
