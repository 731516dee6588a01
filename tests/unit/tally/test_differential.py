"""Differential tests: our counts agree with independent implementations.

* pyrankvote 2.0.6 ``instant_runoff_voting``: IRV winners, on random profiles whose
  count needs no tie-break (pyrankvote breaks ties by second choices, we look back).
* pref_voting ``beat_path`` (Schulze): winners on random full rankings; when it
  reports several winners (a tie), ours is one of them.

pyrankvote's STV is a different rule (exact fractional quota votes/(seats+1),
floats, several candidates excluded at once), so only its IRV is compared; see
docs/voting-methods.md.
"""

from __future__ import annotations

import random
import warnings

import pyrankvote
import pytest

from convene.domain.tally import count

with warnings.catch_warnings():
    # numba/pref_voting may warn at import on some versions; only this import is relaxed.
    warnings.simplefilter("ignore", DeprecationWarning)
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles import Profile


def random_profile(rng: random.Random, n_candidates: int, n_ballots: int, full: bool):
    candidates = [f"c{i}" for i in range(n_candidates)]
    # a few popular candidates make realistic, non-uniform profiles
    weights = [rng.random() ** 2 + 0.05 for _ in candidates]
    ballots = []
    for _ in range(n_ballots):
        pool = list(candidates)
        w = list(weights)
        ranking = []
        length = n_candidates if full else rng.randint(1, n_candidates)
        for _ in range(length):
            pick = rng.choices(range(len(pool)), weights=w)[0]
            ranking.append(pool.pop(pick))
            w.pop(pick)
        ballots.append(tuple(ranking))
    return candidates, ballots


def pyrankvote_irv_winner(candidates, ballots):
    objs = {c: pyrankvote.Candidate(c) for c in candidates}
    prv_ballots = [pyrankvote.Ballot(ranked_candidates=[objs[c] for c in b]) for b in ballots]
    result = pyrankvote.instant_runoff_voting(list(objs.values()), prv_ballots)
    return [w.name for w in result.get_winners()]


def _has_equal_tallies(result):
    return any(len(set(r.tallies.values())) < len(r.tallies) for r in result.rounds)


@pytest.mark.parametrize("seed", range(60))
def test_irv_winner_matches_pyrankvote(seed):
    """Profiles with equal tallies in any round are redrawn: tie rules legitimately differ."""
    rng = random.Random(seed)
    while True:
        candidates, ballots = random_profile(
            rng, rng.randint(3, 8), rng.randint(20, 300), full=rng.random() < 0.3
        )
        ours = count("irv", ballots, candidates)
        if not _has_equal_tallies(ours):
            break
    assert ours.tie_breaks == []
    assert ours.winners == pyrankvote_irv_winner(candidates, ballots)


def test_irv_matches_pyrankvote_on_many_profiles():
    """Counts how many of 300 tie-free random profiles agree (all of them must)."""
    rng = random.Random(2024)
    compared = 0
    for _ in range(300):
        candidates, ballots = random_profile(rng, rng.randint(3, 6), rng.randint(10, 80), False)
        ours = count("irv", ballots, candidates)
        if _has_equal_tallies(ours):
            continue
        compared += 1
        assert ours.winners == pyrankvote_irv_winner(candidates, ballots)
    assert compared > 100


@pytest.mark.parametrize("seed", range(200))
def test_schulze_winner_matches_pref_voting(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 7)
    candidates, ballots = random_profile(rng, n, rng.randint(5, 60), full=True)
    ours = count("schulze", ballots, candidates, seed=seed)
    index = {c: i for i, c in enumerate(candidates)}
    profile = Profile([[index[c] for c in b] for b in ballots])
    theirs = [candidates[i] for i in beat_path(profile)]
    if len(theirs) == 1:
        assert ours.winners == theirs
        assert not [t for t in ours.tie_breaks if ours.winners[0] in t.tied]
    else:
        assert ours.winners[0] in theirs
        assert any(set(t.tied) >= set(theirs) for t in ours.tie_breaks)
