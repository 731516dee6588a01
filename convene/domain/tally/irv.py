"""Instant-runoff voting (single winner).

Every round, each ballot counts for its highest-ranked continuing candidate. A
candidate with more than half of the continuing votes (votes on ballots that still
rank someone continuing) wins; otherwise the candidate with the fewest votes is
eliminated, one at a time, and their ballots move to the next continuing choice.
Ballots with no continuing choice are *exhausted* and counted per round. With one
candidate left, that candidate wins. Ties: :mod:`convene.domain.tally.ties`.

The count works on grouped ballots and keeps, per candidate, the list of groups it
currently holds, so an elimination only touches the eliminated candidate's ballots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import gt

from convene.domain.tally.profile import BallotError, file_ranked, move_pile
from convene.domain.tally.result import Number, Result, Round, Transfer
from convene.domain.tally.ties import TieBreaker


def count_irv(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    *,
    seed: int | str | None = None,
    withdrawn: Iterable[str] = (),
    batch_elimination: bool = False,
    until_two: bool = False,
    tie_order: Sequence[str] | None = None,
    lots: Sequence[str] | None = None,
) -> Result:
    candidates = list(candidates)
    withdrawn = set(withdrawn)
    running = [c for c in candidates if c not in withdrawn]
    if not running:
        raise BallotError("IRV needs at least one candidate")
    keys, weights, _, piles, exhausted_pile, overvotes = file_ranked(
        ballots, candidates, running, withdrawn
    )
    ties = TieBreaker(seed, candidates, order=tie_order, lots=lots)

    # piles[i]: indices of the groups running[i] currently holds (emptied once out)
    place = dict(zip(running, [pile.append for pile in piles], strict=True))
    weight_of = weights.__getitem__
    totals: dict[str, Number] = dict(
        zip(running, map(sum, map(map, repeat(weight_of), piles)), strict=True)
    )
    exhausted: Number = sum(map(weight_of, exhausted_pile))
    total: Number = sum(weights)
    pos = [0] * len(keys)  # position in its ranking of the candidate holding each group
    out = set(withdrawn)  # candidates a ballot skips
    index = {c: i for i, c in enumerate(running)}
    every = range(len(running))

    rounds: list[Round] = []
    history: list[dict[str, Number]] = []
    number = 0
    while True:
        number += 1
        tallies = totals.copy()  # in candidate order: totals only ever loses keys
        live = total - exhausted
        rnd = Round(number, tallies, exhausted=exhausted)
        rounds.append(rnd)
        names = list(tallies)
        votes = list(tallies.values())
        top = max(votes)
        if len(votes) == 1 or (2 * top > live and (not until_two or len(votes) <= 2)):
            winner = names[votes.index(top)]
            rnd.elected = [winner]
            if len(tallies) == 1:
                rnd.reasons = [
                    {
                        "kind": "elected_last",
                        "options": [winner],
                        "votes": top,
                        "exhausted": exhausted,
                    }
                ]
            else:
                rnd.reasons = [
                    {
                        "kind": "elected_majority",
                        "options": [winner],
                        "votes": top,
                        "continuing": live,
                    }
                ]
            break
        low = min(votes)
        batch = _batch(tallies, 2 if until_two else 1) if batch_elimination else None
        if batch:
            losers = batch
        else:
            loser = names[votes.index(low)]
            if votes.count(low) > 1:
                lowest = [c for c in tallies if tallies[c] == low]
                loser = ties.choose(
                    lowest, lowest=True, history=history, round_number=number, purpose="exclude"
                )
            losers = [loser]
        history.append(tallies)
        for loser in losers:
            del totals[loser]
            out.add(loser)
        transfers = []
        for loser in losers:
            # Move each of the loser's groups to its next continuing choice. The loop only
            # advances positions and files group indices; the weights that moved are summed
            # afterwards, per receiving pile, from what was appended to it.
            sizes = list(map(len, piles))
            ex_size = len(exhausted_pile)
            exhaust = exhausted_pile.append
            i = index[loser]
            pile = piles[i]
            piles[i] = []
            move_pile(pile, keys, pos, out, place, exhaust, overvotes)
            moved = []
            for i in compress(every, map(gt, map(len, piles), sizes)):
                votes = sum(map(weight_of, piles[i][sizes[i] :]))
                target = running[i]
                totals[target] += votes
                moved.append((-votes, i, target, votes))
            moved.sort()  # most votes first, then candidate order
            transfers += [Transfer(loser, target, votes) for _, _, target, votes in moved]
            if len(exhausted_pile) > ex_size:
                votes = sum(map(weight_of, exhausted_pile[ex_size:]))
                exhausted += votes
                transfers.append(Transfer(loser, None, votes))
        rnd.eliminated = losers
        rnd.transfers = transfers
        if batch:
            rnd.reasons = [
                {
                    "kind": "batch_eliminated",
                    "options": list(losers),
                    "votes": sum(tallies[c] for c in losers),
                }
            ]
        else:
            rnd.reasons = [{"kind": "eliminated", "options": losers, "votes": low}]

    return Result(
        method="irv",
        rule="irv",
        candidates=candidates,
        winners=[winner],
        seats=1,
        total=total,
        tie_breaks=ties.breaks,
        rounds=rounds,
        ranking=None,
        seed=ties.seed,
        reasons=rounds[-1].reasons,
        details={
            "withdrawn": sorted(withdrawn),
            "rules": {
                "batch_elimination": batch_elimination,
                "until_two": until_two,
                "tie_break": ties.mode,
            },
        },
    )


def _batch(tallies: dict[str, Number], keep: int) -> list[str] | None:
    """Batch elimination: the most candidates (two or more) with the fewest votes whose
    votes together are fewer than the next candidate's, lowest first, leaving at least
    ``keep`` candidates (None if there are no such two)."""
    ranked = sorted(tallies, key=tallies.__getitem__)
    best = None
    total: Number = 0
    for k in range(len(ranked) - keep):
        total += tallies[ranked[k]]
        if k >= 1 and total < tallies[ranked[k + 1]]:
            best = ranked[: k + 1]
    return best
