"""Hypothesis strategies for ranked profiles ({ranking tuple: weight})."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def ranked_profiles(draw, min_candidates=2, max_candidates=6, max_groups=12, max_weight=5):
    n = draw(st.integers(min_candidates, max_candidates))
    candidates = [chr(ord("a") + i) for i in range(n)]
    ranking = st.permutations(candidates).flatmap(
        lambda perm: st.integers(0, len(perm)).map(lambda k: tuple(perm[:k]))
    )
    ballots = draw(
        st.dictionaries(ranking, st.integers(1, max_weight), min_size=1, max_size=max_groups)
    )
    return candidates, ballots


def expand(ballots):
    """One list entry per unit of weight (weights must be ints)."""
    return [key for key, w in ballots.items() for _ in range(w)]


def condorcet_winner(ballots, candidates):
    def beats(a, b):
        score = 0
        for key, w in ballots.items():
            ia = key.index(a) if a in key else len(key)
            ib = key.index(b) if b in key else len(key)
            if ia < ib:
                score += w
            elif ib < ia:
                score -= w
        return score > 0

    for a in candidates:
        if all(beats(a, b) for b in candidates if b != a):
            return a
    return None
