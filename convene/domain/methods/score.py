"""Score: 0 to 5 for each option; the highest totals win (convene/domain/tally/scored.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Scores
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.scored import count_score


def tally(ballots, candidates, *, seats, seed, max_score, tie_order, lots, **_):
    return count_score(
        ballots,
        candidates,
        seats=seats,
        seed=seed,
        max_score=max_score,
        tie_order=tie_order,
        lots=lots,
    )


METHOD = VotingMethod(
    name="score",
    order=50,
    ballot=Scores(),
    tally=tally,
    title=N_("Score"),
    label=N_("Score 0–5"),
    menu=N_("Score: 0–5 for each option"),
    hint=N_("Give each option 0 (worst) to 5 (best)."),
    settings=frozenset({"seats", "tie_break"}),
    recount=True,
)
