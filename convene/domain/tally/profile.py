"""Ballots, grouped by identical content, and the checks every method shares.

A *profile* maps each distinct ballot to its total weight, e.g.
``{("Memphis", "Nashville"): 42, ("Knoxville",): 17}``. Weights are positive
``int`` or :class:`~fractions.Fraction` (a delegate carrying several votes); a
ballot of weight 3 counts exactly like three ballots of weight 1.

Ranked ballots may repeat a candidate: for IRV and STV a repeat can never be
reached (a ballot only moves past a candidate once that candidate is out), and
Schulze keeps the first mention.

An *overvote rank* is a :class:`frozenset` of candidates in a ranking: several candidates
marked at one rank, counted under the rule "exhaust only if more than one marked candidate
is still in the count" (RCTab's ``exhaustIfMultipleContinuing``). Whenever a ballot reaches
that rank, it counts for the one marked candidate still in the count; if none is, it moves
on to the next rank; if two or more are, the ballot is exhausted there. "In the count"
means a candidate the ballot's vote could still go to: not withdrawn, excluded or (IRV,
Scottish STV) elected; in Meek STV elected candidates stay in the count (they keep a share
of every vote that reaches them); in Schulze nobody leaves, so the ballot ends at an
overvote rank of two or more running candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import chain

from convene.domain.tally.result import Number


class BallotError(ValueError):
    """Ballots or options that cannot be counted (unknown candidate, bad weight...)."""


def group_ballots(ballots: Iterable[Sequence[str]]) -> dict[tuple[str, ...], int]:
    """Group raw ranked ballots (one per voter) into ``{ranking tuple: count}``."""
    return dict(Counter(map(tuple, ballots)))


def as_profile(ballots: Mapping | Iterable, key=tuple) -> dict[Hashable, Number]:
    """A mapping ``ballot → weight`` from either a mapping or an iterable of ballots."""
    if isinstance(ballots, Mapping):
        out: dict[Hashable, Number] = {}
        for ballot, weight in ballots.items():
            k = key(ballot)
            out[k] = out.get(k, 0) + weight
        check_weights(out.values())
        return out
    return dict(Counter(map(key, ballots)))


def check_weights(weights: Iterable[Number]) -> None:
    for w in weights:
        if type(w) is int or (isinstance(w, Fraction) and not isinstance(w, bool)):
            if w <= 0:
                raise BallotError(f"ballot weights must be positive, got {w}")
        else:
            raise BallotError(
                f"ballot weights must be int or Fraction, got {type(w).__name__} {w!r}"
            )


def next_choice(key: Sequence, p: int, out: set) -> tuple[int, str | None]:
    """From position ``p`` of a ranking with overvote ranks, the position and candidate the
    ballot counts for next, skipping the candidates in ``out``; ``(len(key), None)`` when it
    is exhausted (no choice left, or an overvote rank with two or more still in the count).
    """
    n = len(key)
    while p < n:
        c = key[p]
        if c.__class__ is frozenset:
            live = c - out
            if len(live) > 1:
                return n, None
            if live:
                (c,) = live
                return p, c
        elif c not in out:
            return p, c
        p += 1
    return n, None


def move_pile(
    pile: Iterable[int],
    keys: Sequence[Sequence],
    pos: list[int],
    out: set,
    place: Mapping[str, Callable],
    exhaust: Callable,
    overvotes: bool,
) -> None:
    """Move each group of ``pile`` to its next choice still in the count (``place[name]``
    appends it to that pile), or to ``exhaust`` when it has none; ``pos`` advances. IRV's
    eliminations and STV's transfers share it. Rankings with overvote ranks take
    ``next_choice``; the others the plain scan, the hot loop of a large count."""
    if overvotes:
        for g in pile:
            p, target = next_choice(keys[g], pos[g] + 1, out)
            if target is None:
                exhaust(g)
            else:
                pos[g] = p
                place[target](g)
        return
    for g in pile:
        key = keys[g]
        p = pos[g] + 1
        n = len(key)
        while p < n and key[p] in out:
            p += 1
        if p < n:
            pos[g] = p
            place[key[p]](g)
        else:
            exhaust(g)


def _names(keys: Iterable) -> tuple[set, bool]:
    """Every name the rankings mention (overvote ranks opened), and whether any has one."""
    names = set(chain.from_iterable(keys))
    sets = [n for n in names if n.__class__ is frozenset]
    if not sets:
        return names, False
    names.difference_update(sets)
    names.update(chain.from_iterable(sets))
    return names, True


def resolve_overvotes(keys: Iterable, withdrawn: set, *, stop: bool = False) -> list[tuple]:
    """Rankings with overvote ranks made ready to count: withdrawn candidates taken out of
    every rank, an overvote rank left with one candidate becomes that candidate and one left
    with none is dropped; a ranking whose first rank is still an overvote is exhausted
    before round 1 (it ranks nobody). ``stop``: end each ranking at its first overvote rank
    (Schulze, where everyone running stays in the count)."""
    out = []
    for key in keys:
        resolved: list = []
        for c in key:
            if c.__class__ is frozenset:
                live = c - withdrawn
                if len(live) > 1:
                    if stop or not resolved:
                        break
                    resolved.append(live)
                elif live:
                    resolved.extend(live)
            elif c not in withdrawn:
                resolved.append(c)
        out.append(tuple(resolved))
    return out


def prepare_ranked(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    withdrawn: Iterable[str] = (),
    *,
    stop_at_overvote: bool = False,
) -> tuple[list[tuple[str, ...]], list[Number]]:
    """Validate a ranked profile; returns parallel lists of rankings and weights.

    Withdrawn candidates are removed from every ranking; any other name that is
    not a candidate is an error. Overvote ranks are resolved by :func:`resolve_overvotes`.
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
    # issuperset walks the names without building a set of them (the common, valid case)
    if not set(candidates).difference(withdrawn).issuperset(chain.from_iterable(keys)):
        names, overvotes = _names(keys)
        unknown = names - set(candidates) - withdrawn
        if unknown:
            raise BallotError(f"ballots rank unknown candidate(s): {', '.join(sorted(unknown))}")
        if overvotes:
            keys = resolve_overvotes(keys, withdrawn, stop=stop_at_overvote)
        elif withdrawn & names:
            keys = [tuple(c for c in k if c not in withdrawn) for k in keys]
    return keys, weights


def file_ranked(
    ballots: Mapping[Sequence[str], Number] | Iterable[Sequence[str]],
    candidates: Sequence[str],
    running: Sequence[str],
    withdrawn: set[str],
) -> tuple[list[Sequence[str]], list[Number], bool, list[list[int]], list[int], bool]:
    """Validate a ranked profile (as :func:`prepare_ranked`) and file every group.

    Returns ``(keys, weights, all_int, piles, empty, overvotes)``: ``piles[i]`` lists the
    indices of the groups whose first choice is ``running[i]``, ``empty`` those ranking
    nobody (after withdrawals), ``all_int`` whether every weight is an ``int``,
    ``overvotes`` whether a ranking has an overvote rank (then moving a ballot on takes
    :func:`next_choice`). ``running`` is ``candidates`` without ``withdrawn``.

    The checks, their errors and their order are those of :func:`prepare_ranked`; only
    the work differs. Groups are filed first, by ``key[0]``: when that fails (a first
    choice that is not running, a key that cannot be indexed) the keys are turned into
    tuples, checked and filed again, exactly as before. So the usual valid profile is
    never copied, and no per-key type check is needed (a key that can be indexed counts
    as the tuple of its items).
    """
    if len(set(candidates)) != len(candidates):
        raise BallotError("candidate ids must be unique")
    piles: list[list[int]] = [[] for _ in running]
    empty: list[int] = []
    place = dict(zip(running, [pile.append for pile in piles], strict=True))
    if isinstance(ballots, Mapping):
        keys: list = list(ballots)
        filed = _file(keys, place, empty)
        if not filed:
            keys = [tuple(k) for k in keys]
        weights = list(ballots.values())
        all_int = not set(map(type, weights)) - {int}
        if not all_int or (weights and min(weights) <= 0):
            check_weights(weights)
    else:
        grouped = group_ballots(ballots)
        keys = list(grouped)
        weights = list(grouped.values())
        all_int = True
        filed = _file(keys, place, empty)
    overvotes = False
    # issuperset walks the names without building a set of them (the common, valid case)
    if not filed or not set(running).issuperset(chain.from_iterable(keys)):
        names, overvotes = _names(keys)
        unknown = names - set(candidates) - withdrawn
        if unknown:
            raise BallotError(f"ballots rank unknown candidate(s): {', '.join(sorted(unknown))}")
        if overvotes:
            keys = resolve_overvotes(keys, withdrawn)
        elif withdrawn & names:
            keys = [tuple(c for c in k if c not in withdrawn) for k in keys]
        for pile in piles:
            pile.clear()
        empty.clear()
        for g, key in enumerate(keys):
            if key:
                place[key[0]](g)
            else:
                empty.append(g)
    return keys, weights, all_int, piles, empty, overvotes


def _file(keys: list, place: dict[str, Callable], empty: list[int]) -> bool:
    """``place[key[0]](g)`` for every group ``g`` (``empty`` if the key is empty).

    False, leaving the piles half filed, if a first choice is not in ``place`` or a key
    cannot be indexed. A plain loop: on Python 3.11 it is as fast as
    ``map(operator.call, ...)`` and simpler (measured); an empty ranking (at most one in
    a mapping) costs one exception.
    """
    g = -1
    try:
        for g, key in enumerate(keys):
            place[key[0]](g)
    except IndexError:
        empty.append(g)
        try:
            for g2 in range(g + 1, len(keys)):
                key = keys[g2]
                if key:
                    place[key[0]](g2)
                else:
                    empty.append(g2)
        except (KeyError, TypeError):
            return False
    except (KeyError, TypeError):
        return False
    return True
