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

from convene.domain.tally.profile import (
    BallotError,
    file_groups,
    prepare_ranked,
    received,
)
from convene.domain.tally.result import Number, Result, Round, Transfer, plural
from convene.domain.tally.ties import TieBreaker


def count_irv(
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
    # piles[c]: indices of the groups c currently holds; piles[None]: exhausted groups
    piles: dict[str | None, list[int]] = {c: [] for c in running}
    piles[None] = exhausted_pile = []
    place = {c: pile.append for c, pile in piles.items()}
    weight_of = weights.__getitem__
    file_groups(keys, place)
    totals: dict[str, Number] = {c: sum(map(weight_of, piles[c])) for c in running}
    exhausted: Number = sum(map(weight_of, exhausted_pile))
    total: Number = sum(weights)
    pos = [0] * len(keys)

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
        del totals[loser]
        # Move each of the loser's groups to its next continuing choice. The loop only
        # advances positions and files group indices; the weights that moved are summed
        # afterwards, per receiving pile, from what was appended to it.
        sizes = {c: len(piles[c]) for c in continuing}
        sizes[None] = len(exhausted_pile)
        exhaust = exhausted_pile.append
        for g in piles.pop(loser):
            key = keys[g]
            p = pos[g] + 1
            n = len(key)
            while p < n and key[p] not in continuing:
                p += 1
            if p < n:
                pos[g] = p
                place[key[p]](g)
            else:
                exhaust(g)
        moved = received(piles, sizes, weight_of)
        for c, votes in moved.items():
            if c is None:
                exhausted += votes
            else:
                totals[c] += votes
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
