"""The optimised IRV and Scottish STV counts against the pre-optimisation code.

``reference.py`` holds the engine's IRV and Scottish STV exactly as they were before
the speed work; every result, down to rounds, transfers, tie breaks and wording, must
be identical. Profiles include Fraction weights (delegates), empty and repeated
rankings, withdrawn candidates and many ties.
"""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.domain.tally import count
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


def _same(new, old):
    assert new.to_dict() == old.to_dict()
    assert _typed(new) == _typed(old)


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
