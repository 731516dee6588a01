"""Properties every count must have, checked on random profiles (hypothesis)."""

from __future__ import annotations

import json
import random
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convene.domain.tally import count
from tests.unit.tally.strategies import condorcet_winner, expand, ranked_profiles

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _strip_seed_free(result):
    return json.dumps(result.to_dict(), sort_keys=True)


@FAST
@given(ranked_profiles())
def test_majority_first_choice_wins_irv(profile):
    candidates, ballots = profile
    total = sum(ballots.values())
    firsts = {}
    for key, w in ballots.items():
        if key:
            firsts[key[0]] = firsts.get(key[0], 0) + w
    leader = max(firsts, key=firsts.get, default=None)
    assume(leader is not None and 2 * firsts[leader] > total)
    result = count("irv", ballots, candidates)
    assert result.winners == [leader]
    assert len(result.rounds) == 1


@FAST
@given(ranked_profiles())
def test_condorcet_winner_wins_schulze(profile):
    candidates, ballots = profile
    winner = condorcet_winner(ballots, candidates)
    assume(winner is not None)
    result = count("schulze", ballots, candidates)
    assert result.winners == [winner]
    assert result.ranking[0] == winner
    assert result.details["condorcet_winner"] == winner


@FAST
@given(ranked_profiles(), st.sampled_from(["scottish", "meek"]))
def test_one_seat_stv_elects_the_irv_winner(profile, rule):
    candidates, ballots = profile
    assume(any(ballots))
    irv = count("irv", ballots, candidates)
    stv = count("stv", ballots, candidates, seats=1, rule=rule)
    assume(not irv.tie_breaks and not stv.tie_breaks)
    assert stv.winners == irv.winners


@FAST
@given(ranked_profiles(), st.sampled_from(["irv", "stv", "schulze"]), st.randoms())
def test_results_do_not_depend_on_ballot_order(profile, method, rnd):
    candidates, ballots = profile
    raw = expand(ballots)
    shuffled = list(raw)
    rnd.shuffle(shuffled)
    seats = 2 if method == "stv" else 1
    a = count(method, raw, candidates, seats=seats)
    b = count(method, shuffled, candidates, seats=seats)
    reordered = dict(reversed(list(ballots.items())))
    c = count(method, reordered, candidates, seats=seats)
    assert _strip_seed_free(a) == _strip_seed_free(b)
    assert a.winners == c.winners
    assert a.rounds[-1].tallies == c.rounds[-1].tallies


@FAST
@given(ranked_profiles(), st.sampled_from(["irv", "stv", "schulze"]), st.randoms())
def test_relabelling_candidates_relabels_results(profile, method, rnd):
    candidates, ballots = profile
    names = [f"option-{i}" for i in range(len(candidates))]
    rnd.shuffle(names)
    rename = dict(zip(candidates, names, strict=True))
    renamed = {tuple(rename[c] for c in key): w for key, w in ballots.items()}
    seats = 2 if method == "stv" else 1
    a = count(method, ballots, candidates, seats=seats)
    b = count(method, renamed, [rename[c] for c in candidates], seats=seats)
    assume(not a.tie_breaks and not b.tie_breaks)
    assert b.winners == [rename[c] for c in a.winners]
    for ra, rb in zip(a.rounds, b.rounds, strict=True):
        assert rb.tallies == {rename[c]: v for c, v in ra.tallies.items()}
        assert rb.eliminated == [rename[c] for c in ra.eliminated]


@FAST
@given(ranked_profiles(max_candidates=7), st.integers(1, 4), st.sampled_from(["scottish", "meek"]))
def test_votes_are_conserved_round_to_round(profile, seats, rule):
    candidates, ballots = profile
    total = sum(ballots.values())
    irv = count("irv", ballots, candidates)
    for rnd in irv.rounds:
        assert sum(rnd.tallies.values()) + rnd.exhausted == total
    stv = count("stv", ballots, candidates, seats=seats, rule=rule)
    valid = sum(w for key, w in ballots.items() if key)
    for rnd in stv.rounds:
        counted = sum(rnd.tallies.values())
        if rule == "scottish":
            assert counted + rnd.exhausted + rnd.lost == valid
        else:
            # Meek: excluded candidates hold nothing, every share is exact fixed point
            assert counted + rnd.exhausted == valid
        for t in rnd.transfers:
            assert t.votes > 0
    if rule == "scottish":
        for rnd in stv.rounds:
            assert all(v >= 0 for v in rnd.tallies.values())
            assert 0 <= rnd.lost < Fraction(len(ballots) * len(stv.rounds) + 1, 100000)


@FAST
@given(ranked_profiles(), st.sampled_from(["irv", "stv", "schulze"]))
def test_a_weight_is_the_same_as_duplicated_ballots(profile, method):
    candidates, ballots = profile
    seats = 2 if method == "stv" else 1
    weighted = count(method, ballots, candidates, seats=seats)
    duplicated = count(method, expand(ballots), candidates, seats=seats)
    assert weighted.to_dict() == duplicated.to_dict()


@FAST
@given(ranked_profiles(), st.sampled_from(["irv", "schulze"]), st.integers(1, 7))
def test_fraction_weights_scale_the_tallies(profile, method, denominator):
    candidates, ballots = profile
    scale = Fraction(1, denominator)
    scaled = {key: w * scale for key, w in ballots.items()}
    a = count(method, ballots, candidates)
    b = count(method, scaled, candidates)
    assert a.winners == b.winners
    if method == "schulze":
        da, db = a.details["pairwise"], b.details["pairwise"]
        assert db == {x: {y: v * scale for y, v in row.items()} for x, row in da.items()}
        assert a.ranking == b.ranking
        return
    for ra, rb in zip(a.rounds, b.rounds, strict=True):
        assert rb.tallies == {c: v * scale for c, v in ra.tallies.items()}


@FAST
@given(ranked_profiles(max_candidates=5), st.integers(0, 2**32))
def test_results_are_json_serializable_and_repeatable(profile, seed):
    candidates, ballots = profile
    for method in ("irv", "stv", "schulze"):
        a = count(method, ballots, candidates, seed=seed, seats=2 if method == "stv" else 1)
        b = count(method, ballots, candidates, seed=seed, seats=2 if method == "stv" else 1)
        text = json.dumps(a.to_dict())
        assert text == json.dumps(b.to_dict())
        assert json.loads(text)["seed"] == seed


def test_ballot_order_with_many_random_profiles_is_stable():
    rng = random.Random(7)
    cands = list("abcde")
    raw = [tuple(rng.sample(cands, rng.randint(1, 5))) for _ in range(500)]
    a = count("stv", raw, cands, seats=3)
    rng.shuffle(raw)
    b = count("stv", raw, cands, seats=3)
    assert a.to_dict() == b.to_dict()
