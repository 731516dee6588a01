"""The Schulze method (Condorcet): winner and full ranking from strongest paths.

1. Pairwise matrix: ``d[a][b]`` is the weight of ballots ranking ``a`` above ``b``.
   A ranked candidate is above every unranked one; unranked candidates are equal.
2. Links: ``a → b`` has strength ``d[a][b]`` when ``d[a][b] > d[b][a]`` (winning
   votes), else 0.
3. Strongest paths: ``p[a][b]`` is the strength of the strongest path from ``a`` to
   ``b``, where a path is as strong as its weakest link (Floyd–Warshall).
4. ``a`` beats ``b`` when ``p[a][b] > p[b][a]`` (a transitive relation). The
   winners are the candidates nobody beats; the ranking repeatedly takes the
   unbeaten candidates among those left. When several are unbeaten at once (a
   tie), the seeded lot orders them and the tie is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from convene.domain.tally.profile import BallotError, prepare_ranked
from convene.domain.tally.result import Number, Result, Round
from convene.domain.tally.ties import TieBreaker


def count_schulze(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    *,
    seed: int | str | None = None,
    withdrawn: Iterable[str] = (),
    tie_order: Sequence[str] | None = None,
    lots: Sequence[str] | None = None,
) -> Result:
    candidates = list(candidates)
    withdrawn = set(withdrawn)
    running = [c for c in candidates if c not in withdrawn]
    if not running:
        raise BallotError("Schulze needs at least one candidate")
    keys, weights = prepare_ranked(ballots, candidates, withdrawn, stop_at_overvote=True)
    d = pairwise_matrix(keys, weights, running)
    p = strongest_paths(d, running)
    ties = TieBreaker(seed, candidates, order=tie_order, lots=lots)
    wins = {a: sum(1 for b in running if b != a and p[a][b] > p[b][a]) for a in running}
    ranking: list[str] = []
    remaining = list(running)
    while remaining:
        # the unbeaten candidates among those left; more than one is a tie
        top = [a for a in remaining if not any(p[b][a] > p[a][b] for b in remaining if b != a)]
        pick = ties.choose(
            top,
            lowest=False,
            history=[],
            round_number=1,
            purpose="rank",
            decisive=not ranking,  # only the first place elects
        )
        ranking.append(pick)
        remaining.remove(pick)
    winner = ranking[0]
    total = sum(weights)
    condorcet = all(d[winner][b] > d[b][winner] for b in running if b != winner)
    if any(t.chosen == winner for t in ties.breaks):
        how = "lot"
    elif condorcet:
        how = "condorcet"
    else:
        how = "paths"
    reasons = [{"kind": "schulze", "how": how, "options": [winner], "ranking": list(ranking)}]
    rnd = Round(number=1, tallies=wins, elected=[winner], reasons=reasons)
    return Result(
        method="schulze",
        rule="schulze-winning-votes",
        candidates=candidates,
        winners=[winner],
        seats=1,
        total=total,
        tie_breaks=ties.breaks,
        rounds=[rnd],
        ranking=ranking,
        seed=ties.seed,
        reasons=reasons,
        details={
            "pairwise": d,
            "strongest_paths": p,
            "condorcet_winner": winner if condorcet else None,
            "withdrawn": sorted(withdrawn),
            "rules": {"tie_break": ties.mode},
            "note": "round tallies count the candidates each one beats by strongest path",
        },
    )


def pairwise_matrix(
    keys: Sequence[Sequence[str]], weights: Sequence[Number], candidates: Sequence[str]
) -> dict[str, dict[str, Number]]:
    """``d[a][b]``: weight of ballots that rank ``a`` above ``b`` (unranked = bottom)."""
    index = {c: i for i, c in enumerate(candidates)}
    n = len(candidates)
    above = [[0] * n for _ in range(n)]  # both ranked, row above column
    ranked = [0] * n  # weight of ballots ranking the candidate at all
    for key, w in zip(keys, weights, strict=True):
        seen: list[int] = []
        for c in key:
            i = index.get(c)
            if i is None or i in seen:
                continue
            ranked[i] += w
            for j in seen:
                above[j][i] += w
            seen.append(i)
    # a above b = (a ranked, b ranked lower) + (a ranked, b unranked)
    #           = ranked[a] - (both ranked with b above a)
    return {
        a: {b: ranked[i] - above[j][i] for j, b in enumerate(candidates) if j != i}
        for i, a in enumerate(candidates)
    }


def strongest_paths(
    d: Mapping[str, Mapping[str, Number]], candidates: Sequence[str]
) -> dict[str, dict[str, Number]]:
    n = len(candidates)
    idx = list(candidates)
    p = [[0] * n for _ in range(n)]
    for i, a in enumerate(idx):
        for j, b in enumerate(idx):
            if i != j and d[a][b] > d[b][a]:
                p[i][j] = d[a][b]
    for k in range(n):
        pk = p[k]
        for i in range(n):
            if i == k:
                continue
            pik = p[i][k]
            if not pik:
                continue
            pi = p[i]
            for j in range(n):
                if j != i and j != k:
                    via = pik if pik < pk[j] else pk[j]
                    if via > pi[j]:
                        pi[j] = via
    return {a: {b: p[i][j] for j, b in enumerate(idx) if j != i} for i, a in enumerate(idx)}
