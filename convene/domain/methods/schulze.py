"""Schulze: the option that beats the others head to head, from ranked ballots
(convene/domain/tally/schulze.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Ranking
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.schulze import count_schulze


def tally(ballots, candidates, *, seed, withdrawn, tie_order, lots, **_):
    return count_schulze(
        ballots, candidates, seed=seed, withdrawn=withdrawn, tie_order=tie_order, lots=lots
    )


METHOD = VotingMethod(
    name="schulze",
    order=30,
    ballot=Ranking(),
    tally=tally,
    title=N_("Schulze (head to head)"),  # not "ranked pairs": another method
    label=N_("Schulze (head to head)"),
    menu=N_("Schulze: the option that beats the others head to head"),
    hint=N_(
        "Tap the options in order of preference. Options you leave out count below the "
        "ones you rank."
    ),
    settings=frozenset({"tie_break"}),
    story="pairwise",
    exports=("csv", "blt", "cvr"),
    recount=True,
)
