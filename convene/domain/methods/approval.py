"""Approval: tick every acceptable option; the most approved win
(convene/domain/tally/scored.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Approval
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.scored import count_approval


def tally(ballots, candidates, *, seats, seed, tie_order, lots, **_):
    return count_approval(
        ballots, candidates, seats=seats, seed=seed, tie_order=tie_order, lots=lots
    )


METHOD = VotingMethod(
    name="approval",
    order=40,
    ballot=Approval(),
    tally=tally,
    title=N_("Approval"),
    label=N_("Approval"),
    menu=N_("Approval: tick every acceptable option"),
    hint=N_("Tick every option you can accept."),
    settings=frozenset({"seats", "tie_break"}),
    recount=True,
)
