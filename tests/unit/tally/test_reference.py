"""The optimised IRV and Scottish STV counts against the pre-optimisation code.

``reference.py`` holds the engine's IRV and Scottish STV exactly as they were before
the speed work; every result, down to rounds, transfers, tie breaks and wording, must
be identical. Profiles include Fraction weights (delegates), empty and repeated
rankings, withdrawn candidates and many ties.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections import namedtuple
from fractions import Fraction
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.domain.tally import count
from convene.domain.tally.explain import Explainer
from tests.unit.tally import reference
from tests.unit.tally.reference import reference_irv, reference_stv_scottish


@st.composite
def profiles(draw, fractions: bool = False):
    n = draw(st.integers(1, 7))
    candidates = [chr(ord("a") + i) for i in range(n)]
    # rankings may repeat a name (the counts must skip repeats) and may be empty
    ranking = st.lists(st.sampled_from(candidates), max_size=n + 1).map(tuple)
    if fractions:
        weight = st.one_of(
            st.integers(1, 6),
            st.fractions(min_value=Fraction(1, 10), max_value=5, max_denominator=20),
            st.integers(1, 60).map(lambda k: Fraction(k, 100)),
        ).filter(lambda w: w > 0)
    else:
        weight = st.integers(1, 6)
    ballots = draw(st.dictionaries(ranking, weight, min_size=1, max_size=25))
    withdrawn = draw(st.sets(st.sampled_from(candidates), max_size=max(0, n - 1)))
    seed = draw(st.integers(0, 3))
    return candidates, ballots, sorted(withdrawn), seed


def _typed(value):
    """Every public field of a result, numbers tagged with their type (17 is not 17/1)."""
    if hasattr(value, "__dataclass_fields__"):
        # the reference's own (frozen) classes name the fields a result must have
        cls = getattr(reference, type(value).__name__)
        names = [f.name for f in dataclasses.fields(cls)]
        return (type(value).__name__, {n: _typed(getattr(value, n)) for n in names})
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_typed(v) for v in value]
    if isinstance(value, int | Fraction) and not isinstance(value, bool):
        return (type(value).__name__, value)
    return value


_NEW_TIE_FIELDS = ("looked_back", "pool", "draw", "side")


def _without_words(data):
    """A result's dict without its sentences: the reference writes English with ids, the
    engine structured reasons (compared separately, rendered)."""
    if isinstance(data, dict):
        return {
            k: _without_words(v)
            for k, v in data.items()
            if k not in ("explanation", "reasons", "rules", *_NEW_TIE_FIELDS)
        }
    if isinstance(data, list | tuple):
        return [_without_words(v) for v in data]
    return data


def _same(new, old):
    assert _without_words(new.to_dict()) == _without_words(old.to_dict())
    assert _without_words(_typed(new)) == _without_words(_typed(old))
    # the structured reasons, rendered in English with ids as labels, say what the
    # reference's sentences said
    data = new.to_dict()
    rendered = Explainer().rounds(data)
    expected = [r.explanation for r in old.rounds]
    expected = [e if e != "." else "Nobody is elected or excluded in this round." for e in expected]
    # the one wording fixed since: "1 vote transfers", "1 vote exhausts"
    expected = [re.sub(r"\b1 vote (transfer|exhaust)\b", r"1 vote \1s", e) for e in expected]
    assert rendered == expected


@settings(max_examples=400, deadline=None)
@given(profiles(fractions=True))
def test_irv_matches_reference(case):
    candidates, ballots, withdrawn, seed = case
    old = reference_irv(ballots, candidates, seed=seed, withdrawn=withdrawn)
    _same(count("irv", ballots, candidates, seed=seed, withdrawn=withdrawn), old)


@settings(max_examples=400, deadline=None)
@given(profiles(), st.integers(1, 4))
def test_scottish_stv_matches_reference_int_weights(case, seats):
    candidates, ballots, withdrawn, seed = case
    old = reference_stv_scottish(ballots, candidates, seats=seats, seed=seed, withdrawn=withdrawn)
    new = count("stv", ballots, candidates, seats=seats, seed=seed, withdrawn=withdrawn)
    _same(new, old)


@settings(max_examples=300, deadline=None)
@given(profiles(fractions=True), st.integers(1, 4))
def test_scottish_stv_matches_reference_fraction_weights(case, seats):
    """Fraction weights take the (papers=1, value=units) path; it must agree too."""
    candidates, ballots, withdrawn, seed = case
    try:
        old = reference_stv_scottish(
            ballots, candidates, seats=seats, seed=seed, withdrawn=withdrawn
        )
    except ValueError as exc:  # a weight that is not a whole number of 1/100000 votes
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            count("stv", ballots, candidates, seats=seats, seed=seed, withdrawn=withdrawn)
        return
    new = count("stv", ballots, candidates, seats=seats, seed=seed, withdrawn=withdrawn)
    _same(new, old)


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_unweighted_lists_match_reference(case):
    """Ballots given one per voter (an iterable, not a mapping) take the grouping path."""
    candidates, ballots, withdrawn, seed = case
    raw = [list(k) for k, w in ballots.items() for _ in range(w)]
    old = reference_irv(raw, candidates, seed=seed, withdrawn=withdrawn)
    _same(count("irv", raw, candidates, seed=seed, withdrawn=withdrawn), old)
    old = reference_stv_scottish(raw, candidates, seats=2, seed=seed, withdrawn=withdrawn)
    _same(count("stv", raw, candidates, seats=2, seed=seed, withdrawn=withdrawn), old)


def _outcome(fn, *args, **kwargs):
    """A result's typed fields, or the error raised (type and message)."""
    try:
        return _without_words(_typed(fn(*args, **kwargs)))
    except (ValueError, TypeError) as exc:
        return (
            "error",
            type(exc).__name__ if isinstance(exc, TypeError) else "ValueError",
            str(exc),
        )


CANDIDATES = ["a", "b", "c", "d"]
Pair = namedtuple("Pair", "first second")
# Each profile takes a different validation and filing path of file_ranked: the fast one,
# an empty ranking first, in the middle or last, keys that are not tuples (strings,
# frozensets, a namedtuple, a key that cannot be iterated), a first choice that is unknown
# or withdrawn, a withdrawn or unknown name further down, unhashable names, bad weights
# combined with bad keys (which error comes first), and raw ballots (not a mapping).
EDGE_PROFILES = [
    {("a", "b"): 3, ("b", "c"): 2, ("c",): 2, ("d", "a"): 1},
    {(): 2, ("a", "b"): 3, ("b",): 2},
    {("a", "b"): 3, (): 2, ("b",): 2, ("c", "a", "c"): 1},
    {("a", "b"): 3, ("b",): 2, (): 4},
    {(): 1, ("b", "a"): 2, ("d", "a"): 2, ("x",): 1},
    {(): 1, ("b", "a"): 2, ("d", "a"): 2},
    {(): 1, ("a",): 2, "": 1, "ba": 2},
    {"ab": 3, "ba": 2, "c": 2, "": 1},
    {frozenset({"a"}): 3, ("b", "a"): 2, ("c",): 2},
    {("a", "b"): 3, frozenset({"b"}): 2},
    {("a", "b"): 3, 7: 2},
    {("x", "a"): 3, ("b",): 2},
    {("a", "b"): 3, ("b", "x", "y"): 2},
    {("d", "a"): 3, ("a", "b"): 2, ("b", "d"): 2},
    {("a", "d", "b"): 3, ("b", "d"): 2, ("d",): 1, ("c", "d", "d"): 1},
    [("a", ["b"]), ("b",)],
    [(["a"],)],
    {("a",): 0, ("b",): 1},
    {("a",): True, ("b",): 1},
    {("a",): 1.5, ("b",): 1},
    {("a",): Fraction(-1, 2), ("b",): 1},
    {7: 0, ("a",): 1},
    {("x",): 0, ("a",): 1},
    {("a", "b"): Fraction(3, 2), (): Fraction(1, 2), ("b", "a"): 2},
    [("a", "b"), ("b",), (), ["a", "c"], ("c", "a", "b"), ("a", "b")],
    [("a", "x"), ("b",)],
    {Pair("a", "b"): 2, ("b", "a"): 1, Pair("c", "d"): 1},
    MappingProxyType({("a", "b"): 2, ("z", "b"): 1, ("c", "z"): 1}),
    {("z",): 2, ("z", "a"): 1, ("b",): 1},
]


@pytest.mark.parametrize("withdrawn", [(), ("d",), ("a", "d"), ("z",)])
@pytest.mark.parametrize("ballots", EDGE_PROFILES, ids=range(len(EDGE_PROFILES)))
def test_validation_and_filing_paths_match_reference(ballots, withdrawn):
    for seats in (1, 2):
        new = _outcome(count, "stv", ballots, CANDIDATES, seats=seats, withdrawn=withdrawn)
        old = _outcome(
            reference_stv_scottish, ballots, CANDIDATES, seats=seats, withdrawn=withdrawn
        )
        assert new == old
    new = _outcome(count, "irv", ballots, CANDIDATES, withdrawn=withdrawn)
    assert new == _outcome(reference_irv, ballots, CANDIDATES, withdrawn=withdrawn)


def test_duplicate_candidates_and_no_candidates_match_reference():
    ballots = {("a",): 1}
    for args in ((ballots, ["a", "a"]), (ballots, ["a"], ("a",)), ({}, ["a", "b"])):
        cands, withdrawn = args[1], (args[2] if len(args) > 2 else ())
        assert _outcome(count, "irv", args[0], cands, withdrawn=withdrawn) == _outcome(
            reference_irv, args[0], cands, withdrawn=withdrawn
        )
        assert _outcome(count, "stv", args[0], cands, seats=2, withdrawn=withdrawn) == _outcome(
            reference_stv_scottish, args[0], cands, seats=2, withdrawn=withdrawn
        )


def test_number_wording_matches_reference():
    """fmt and plural have fast paths for ints; every kind of number reads as before."""
    from convene.domain.tally.result import fmt, plural

    values = [*range(-2500, 2500), True, False, Fraction(1), Fraction(5), Fraction(3, 2)]
    values += [s * (10**k + d) for k in range(3, 13) for d in (-1, 0, 1) for s in (1, -1)]
    values += [Fraction(-7, 3), Fraction(123456789, 100000), Fraction(1, 3) * 10**7]
    # hundred-thousandths (Scottish STV), their reductions, and finer or other fractions
    values += [Fraction(u, 100_000) for u in (*range(-300, 300_001, 37), 10**12 + 1, 5 * 10**9)]
    values += [Fraction(u, d) for u in (1, 3, 7, 12345, 10**9 + 7) for d in (2, 8, 64, 3, 10**6)]
    for v in values:
        assert fmt(v) == reference.fmt(v)
        assert fmt(v, 2) == reference.fmt(v, 2)
        assert fmt(v, 9) == reference.fmt(v, 9)
        for word in ("vote", "continuing vote"):
            assert plural(v, word) == reference.plural(v, word)


def _bench_like(seed: int, n_ballots: int, n_cands: int):
    """Like bench/tally.py's profiles: popular candidates, 1 to 10 choices, some repeats."""
    rng = random.Random(seed)
    cands = [f"c{i}" for i in range(n_cands)]
    popularity = [rng.random() ** 2 + 0.05 for _ in cands]
    ballots: dict[tuple[str, ...], int] = {}
    for _ in range(n_ballots):
        order = sorted(range(n_cands), key=lambda i: -(rng.random() ** (1 / popularity[i])))
        ranking = [cands[i] for i in order[: rng.randint(0, min(n_cands, 10))]]
        if ranking and rng.random() < 0.05:
            ranking.append(rng.choice(ranking))  # a repeated name, never reached
        key = tuple(ranking)
        ballots[key] = ballots.get(key, 0) + 1
    return cands, ballots


@pytest.mark.parametrize("seed", range(12))
def test_larger_profiles_match_reference(seed):
    """Hundreds of groups and up to 40 candidates: long skips, many rounds, surpluses."""
    rng = random.Random(seed)
    cands, ballots = _bench_like(seed, rng.choice([200, 800, 2000]), rng.choice([5, 15, 40]))
    withdrawn = rng.sample(cands, rng.choice([0, 0, 1, 3]))
    cases = [ballots]
    # delegates: weights in hundred-thousandths (valid for the Scottish rule) and thirds
    cases.append({k: Fraction(rng.randint(1, 300_000), 100_000) for k in ballots})
    cases.append({k: w if rng.random() < 0.8 else Fraction(w, 3) for k, w in ballots.items()})
    for profile in cases:
        for s in (0, seed):
            old = reference_irv(profile, cands, seed=s, withdrawn=withdrawn)
            _same(count("irv", profile, cands, seed=s, withdrawn=withdrawn), old)
            for seats in (1, 3, 7):
                new = _outcome(
                    count, "stv", profile, cands, seats=seats, seed=s, withdrawn=withdrawn
                )
                ref = _outcome(
                    reference_stv_scottish, profile, cands, seats=seats, seed=s, withdrawn=withdrawn
                )
                assert new == ref
