"""Single transferable vote (multi-winner): the Scottish rule and Meek.

Scottish STV (``rule="scottish"``, the default)
    As in the Scottish Local Government Elections Order 2007, so that counts
    reproduce Scottish council results:

    * quota (Droop) = floor(valid votes / (seats + 1)) + 1, fixed for the count;
    * a candidate whose votes reach the quota is elected; the largest surplus is
      transferred first, one surplus per round;
    * a surplus moves *every* ballot the candidate holds (weighted inclusive
      Gregory method): each ballot's new value is
      ``value × surplus / candidate's votes``, truncated to 5 decimal places; the
      fractions cut off are recorded as ``lost``; the elected candidate keeps
      exactly the quota;
    * with no surplus to transfer, the continuing candidate with the fewest votes
      is excluded and each of their ballots moves at its current value;
    * ballots skip elected and excluded candidates; a ballot with no continuing
      choice left is exhausted (non-transferable);
    * when the continuing candidates are no more than the seats left, they are
      all elected.

    Values are integers counting 1/100000 of a vote, so the arithmetic is exact.

Meek STV (``rule="meek"``)
    Meek's method as used by OpenSTV/OpaVote and New Zealand: each elected
    candidate keeps only a fraction (keep factor) of every vote that reaches them
    and passes the rest on, and keep factors are recomputed until every elected
    candidate holds the quota. The quota is recomputed from the votes still in
    play: ``(valid − exhausted) / (seats + 1)``, plus one unit of the fixed point.
    Arithmetic is integer fixed point with 9 decimals, each share rounded up (as in
    the NZ rules); iteration stops when the total surplus is below 0.00001 vote.
    Exclusion is one candidate at a time; excluded candidates keep nothing, so
    their votes flow on at full value.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import compress, repeat
from operator import floordiv, gt, mul

from convene.domain.tally.profile import (
    BallotError,
    file_ranked,
    move_pile,
    prepare_ranked,
)
from convene.domain.tally.result import Number, Result, Round, Transfer
from convene.domain.tally.ties import TieBreaker

SCOTTISH_SCALE = 100_000
MEEK_SCALE = 10**9
MEEK_OMEGA = 10**4  # 0.00001 vote in Meek units
MEEK_MAX_ITERATIONS = 1000
RULES = ("scottish", "meek")


def count_stv(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    *,
    seats: int = 1,
    rule: str | None = None,
    seed: int | str | None = None,
    withdrawn: Iterable[str] = (),
    tie_order: Sequence[str] | None = None,
    lots: Sequence[str] | None = None,
) -> Result:
    rule = rule or "scottish"
    if rule not in RULES:
        raise BallotError(f"unknown STV rule {rule!r} (use one of: {', '.join(RULES)})")
    if not isinstance(seats, int) or seats < 1:
        raise BallotError("seats must be a positive whole number")
    candidates = list(candidates)
    withdrawn = set(withdrawn)
    running = [c for c in candidates if c not in withdrawn]
    if rule == "scottish":
        filed = file_ranked(ballots, candidates, running, withdrawn)
        ties = TieBreaker(seed, candidates, order=tie_order, lots=lots)
        return _scottish(filed, candidates, running, seats, ties, withdrawn)
    keys, weights = prepare_ranked(ballots, candidates, withdrawn)
    ties = TieBreaker(seed, candidates, order=tie_order, lots=lots)
    return _meek(keys, weights, candidates, running, seats, ties, withdrawn)


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


class _Votes(dict):
    """Votes from units: an int when whole, else a Fraction; memoised (totals repeat)."""

    def __missing__(self, units: int) -> Number:
        whole, rest = divmod(units, SCOTTISH_SCALE)
        v = self[units] = whole if not rest else Fraction(units, SCOTTISH_SCALE)
        return v


def _scottish(filed, candidates, running, seats, ties, withdrawn) -> Result:
    # groups ranking nobody are not valid votes
    keys, weights, all_int, piles, _, overvotes = filed
    scale = SCOTTISH_SCALE
    n_groups = len(keys)
    weight_of = weights.__getitem__
    # Per group: papers, the value of each paper (units) and the amount (papers × value).
    # While every paper is worth one vote (int weights, before any surplus moves) the
    # amounts are weights × scale and are not stored: sums are taken over the weights.
    value: list[int] = []
    amount: list[int] | None = None
    papers = weights  # read only
    if not all_int:
        papers = list(weights)  # a Fraction weight becomes one paper of that value
        value = [scale] * n_groups
        for g, w in enumerate(weights):
            if type(w) is not int:
                papers[g], value[g] = _units(w, scale)
        amount = list(map(mul, papers, value))

    def units_in(groups: list[int]) -> int:
        if amount is None:
            return scale * sum(map(weight_of, groups))
        return sum(map(amount.__getitem__, groups))

    pos = [0] * n_groups
    hopeful = dict.fromkeys(running, True)
    out = set(withdrawn)  # candidates a ballot skips: elected, excluded, withdrawn
    # piles[i]: indices of the groups running[i] holds (emptied once its votes moved)
    place = dict(zip(running, [pile.append for pile in piles], strict=True))
    index = {c: i for i, c in enumerate(running)}  # (candidate order, for transfers too)
    every = range(len(running))
    exhausted_pile: list[int] = []
    # in candidate order; elected candidates stay (holding the quota), excluded ones go
    totals: dict[str, int] = dict(zip(running, map(units_in, piles), strict=True))
    valid = sum(totals.values())
    exhausted = 0
    quota_votes = valid // (scale * (seats + 1)) + 1  # floor(valid votes / (seats + 1)) + 1
    quota = quota_votes * scale
    lost = 0
    elected: list[str] = []
    pending: list[str] = []  # elected, surplus not yet transferred
    rounds: list[Round] = []
    history: list[dict[str, Number]] = []
    votes_of = _Votes().__getitem__
    number = 0

    def move(i: int, surplus: int = 0, held: int = 0) -> dict[str | None, int]:
        """Move the groups of ``running[i]`` to their next hopeful choice (or exhaust them).

        With ``surplus``, every paper's value becomes ``value × surplus // held``
        (truncated), computed for the whole pile in C before the groups move.
        """
        nonlocal exhausted, value, amount
        pile = piles[i]
        piles[i] = []
        if surplus:
            if amount is None:  # the first surplus: papers start having other values
                value = [scale] * n_groups
                amount = list(map(mul, weights, repeat(scale)))
            old = list(map(value.__getitem__, pile))
            if old and old.count(old[0]) == len(old):  # one value for every paper (usual)
                v = old[0] * surplus // held
                new = repeat(v, len(pile))
                deque(map(value.__setitem__, pile, repeat(v)), maxlen=0)
            else:
                new = list(map(floordiv, map(mul, old, repeat(surplus)), repeat(held)))
                deque(map(value.__setitem__, pile, new), maxlen=0)
            deque(
                map(amount.__setitem__, pile, map(mul, map(papers.__getitem__, pile), new)),
                maxlen=0,
            )
        sizes = list(map(len, piles))
        ex_size = len(exhausted_pile)
        exhaust = exhausted_pile.append
        move_pile(pile, keys, pos, out, place, exhaust, overvotes)
        moved: dict[str | None, int] = {}
        for j in compress(every, map(gt, map(len, piles), sizes)):
            target = running[j]
            units = moved[target] = units_in(piles[j][sizes[j] :])
            totals[target] += units
        if len(exhausted_pile) > ex_size:
            units = moved[None] = units_in(exhausted_pile[ex_size:])
            exhausted += units
        return moved

    while True:
        number += 1
        shown = totals.copy()
        rnd = Round(
            number,
            dict(zip(shown, map(votes_of, shown.values()), strict=True)),
            exhausted=votes_of(exhausted),
            lost=votes_of(lost),
            quota=quota_votes,
        )
        rounds.append(rnd)
        reasons: list[dict] = rnd.reasons
        reached = [c for c in hopeful if totals[c] >= quota]
        if reached:
            if len(reached) > 1:
                reached = ties.order(
                    reached,
                    {c: totals[c] for c in reached},
                    descending=True,
                    history=history,
                    round_number=number,
                    purpose="elect",
                    places=seats - len(elected),
                )
            order = reached[: seats - len(elected)]
            for c in order:
                del hopeful[c]
                out.add(c)
                elected.append(c)
                pending.append(c)
            rnd.elected = list(order)
            reasons.append({"kind": "elected_quota", "options": list(order), "quota": quota_votes})
        if len(elected) < seats and len(hopeful) <= seats - len(elected):
            rest = ties.order(
                list(hopeful),
                {c: totals[c] for c in hopeful},
                descending=True,
                history=history,
                round_number=number,
                purpose="elect",
                places=0,  # all elected: the order decides nothing
            )
            for c in rest:
                del hopeful[c]
                out.add(c)
                elected.append(c)
            rnd.elected += rest
            if rest:
                reasons.append({"kind": "elected_remaining", "options": rest})
        if len(elected) >= seats or not hopeful:
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
            moved = move(index[source], surplus, totals[source])
            lost += surplus - sum(moved.values())
            totals[source] = quota
            rnd.transfers = _transfers(source, moved, index, votes_of)
            reasons.append({"kind": "surplus", "options": [source], "votes": votes_of(surplus)})
        else:
            low = min(map(totals.__getitem__, hopeful))
            lowest = [c for c in hopeful if totals[c] == low]
            loser = lowest[0]
            if len(lowest) > 1:
                loser = ties.choose(
                    lowest, lowest=True, history=history, round_number=number, purpose="exclude"
                )
            del hopeful[loser]
            out.add(loser)
            del totals[loser]
            moved = move(index[loser])
            rnd.eliminated = [loser]
            rnd.transfers = _transfers(loser, moved, index, votes_of)
            reasons.append({"kind": "excluded", "options": [loser], "votes": votes_of(low)})
        history.append(shown)

    return Result(
        method="stv",
        rule="scottish",
        candidates=candidates,
        winners=elected,
        seats=seats,
        quota=quota_votes,
        total=votes_of(valid),
        tie_breaks=ties.breaks,
        rounds=rounds,
        seed=ties.seed,
        reasons=[{"kind": "elected_list", "options": list(elected)}],
        details={
            "withdrawn": sorted(withdrawn),
            "exhausted": votes_of(exhausted),
            "rules": {"tie_break": ties.mode},
        },
    )


def _transfers(
    source: str, moved: dict[str | None, int], order: dict[str, int], votes_of
) -> list[Transfer]:
    """Transfers that moved votes: most votes first, then candidate order; exhausted last."""
    items = sorted([(-u, order[c], c, u) for c, u in moved.items() if u and c is not None])
    transfers = [Transfer(source, c, votes_of(u)) for _, _, c, u in items]
    if moved.get(None):
        transfers.append(Transfer(source, None, votes_of(moved[None])))
    return transfers


def _meek(keys, weights, candidates, running, seats, ties, withdrawn) -> Result:
    scale = MEEK_SCALE
    # Meek distributes every ballot afresh each iteration; weights stay exact.
    groups = [(key, w) for key, w in zip(keys, weights, strict=True) if key]
    overvotes = any(c.__class__ is frozenset for key, _ in groups for c in key)
    valid_w = sum(w for _, w in groups)
    state = dict.fromkeys(running, "hopeful")
    keep = dict.fromkeys(running, scale)
    elected: list[str] = []
    rounds: list[Round] = []
    history: list[dict[str, Number]] = []
    previous: dict[str, Number] | None = None
    number = 0

    def reduce() -> list[tuple[tuple[str, ...], Number]]:
        # A ballot's flow depends only on its non-excluded choices up to and including
        # its first hopeful one (who keeps everything): regroup on that prefix.
        reduced: dict[tuple[str, ...], Number] = {}
        for key, w in groups:
            prefix = []
            for c in key:
                if overvotes and c.__class__ is frozenset:
                    # an overvote rank: elected candidates are still in the count
                    live = [x for x in c if state[x] != "excluded"]
                    if len(live) > 1:
                        break  # exhausted here
                    if not live:
                        continue
                    c = live[0]
                st = state[c]
                if st == "excluded" or c in prefix:
                    continue
                prefix.append(c)
                if st == "hopeful":
                    break
            k = tuple(prefix)
            reduced[k] = reduced.get(k, 0) + w
        return list(reduced.items())

    def distribute(flows) -> tuple[dict[str, Number], Number]:
        votes: dict[str, Number] = dict.fromkeys(running, 0)
        excess: Number = 0
        for key, w in flows:
            rem = scale
            for c in key:
                k = keep[c]
                if k == 0:
                    continue
                if k == scale:
                    votes[c] += rem * w
                    rem = 0
                    break
                share = -((-rem * k) // scale)  # rounded up
                votes[c] += share * w
                rem -= share
                if rem <= 0:
                    break
            if rem > 0:
                excess += rem * w
        return votes, excess

    iterations_total = 0
    while True:
        number += 1
        newly: list[str] = []
        flows = reduce()
        for _ in range(MEEK_MAX_ITERATIONS):
            iterations_total += 1
            votes, excess = distribute(flows)
            quota = (valid_w * scale - excess) / (seats + 1)
            quota = Fraction(quota) // 1 + 1
            reached = [c for c in running if state[c] == "hopeful" and votes[c] >= quota]
            if reached:
                newly = reached
                break
            surplus = sum(votes[c] - quota for c in running if state[c] == "elected")
            if surplus < MEEK_OMEGA or not elected:
                break
            for c in elected:
                if votes[c] > 0:
                    keep[c] = min(scale, -((-keep[c] * quota) // votes[c]))
        tallies = {c: _v_any(votes[c], scale) for c in running if state[c] != "excluded"}
        rnd = Round(
            number=number,
            tallies=tallies,
            exhausted=_v_any(excess, scale),
            quota=_v_any(quota, scale),
        )
        rounds.append(rnd)
        if previous is not None:
            # Meek moves votes globally: a stage's transfers are the net gains of the
            # other candidates, attributed to the one candidate excluded or elected.
            last = rounds[-2]
            source = last.eliminated + last.elected
            if len(source) == 1:
                last.transfers = [
                    Transfer(source[0], c, tallies[c] - previous.get(c, 0))
                    for c in tallies
                    if c != source[0] and tallies[c] > previous.get(c, 0)
                ]
        reasons: list[dict] = rnd.reasons
        if newly:
            order = ties.order(
                newly,
                {c: votes[c] for c in newly},
                descending=True,
                history=history,
                round_number=number,
                purpose="elect",
                places=seats - len(elected),
            )[: seats - len(elected)]
            for c in order:
                state[c] = "elected"
                elected.append(c)
            rnd.elected = list(order)
            reasons.append({"kind": "elected_quota", "options": list(order), "quota": rnd.quota})
        hopefuls = [c for c in running if state[c] == "hopeful"]
        if len(elected) < seats and len(hopefuls) <= seats - len(elected):
            rest = ties.order(
                hopefuls,
                {c: votes[c] for c in hopefuls},
                descending=True,
                history=history,
                round_number=number,
                purpose="elect",
                places=0,  # all elected: the order decides nothing
            )
            for c in rest:
                state[c] = "elected"
                elected.append(c)
            rnd.elected += rest
            if rest:
                reasons.append({"kind": "elected_remaining", "options": rest})
            hopefuls = []
        if len(elected) >= seats or not hopefuls:
            break
        if not newly:
            low = min(votes[c] for c in hopefuls)
            loser = ties.choose(
                [c for c in hopefuls if votes[c] == low],
                lowest=True,
                history=history,
                round_number=number,
                purpose="exclude",
            )
            state[loser] = "excluded"
            keep[loser] = 0
            rnd.eliminated = [loser]
            reasons.append({"kind": "excluded", "options": [loser], "votes": _v_any(low, scale)})
        history.append(tallies)
        previous = tallies

    return Result(
        method="stv",
        rule="meek",
        candidates=candidates,
        winners=elected,
        seats=seats,
        quota=rounds[-1].quota,
        total=valid_w,
        tie_breaks=ties.breaks,
        rounds=rounds,
        seed=ties.seed,
        reasons=[{"kind": "elected_list", "options": list(elected)}],
        details={
            "withdrawn": sorted(withdrawn),
            "keep_factors": {c: _v_any(keep[c], scale) for c in elected},
            "rules": {"tie_break": ties.mode},
            "iterations": iterations_total,
        },
    )


def _v_any(units: Number, scale: int) -> Number:
    f = Fraction(units) / scale
    return f.numerator if f.denominator == 1 else f
