"""Instant runoff (IRV): one winner from ranked ballots (convene/domain/tally/irv.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Ranking
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.irv import count_irv
from convene.domain.tally.profile import BallotError


def tally(
    ballots,
    candidates,
    *,
    seats,
    seed,
    withdrawn,
    batch_elimination,
    until_two,
    tie_order,
    lots,
    **_,
):
    if seats != 1:
        raise BallotError("IRV elects one candidate; use stv for more seats")
    return count_irv(
        ballots,
        candidates,
        seed=seed,
        withdrawn=withdrawn,
        batch_elimination=batch_elimination,
        until_two=until_two,
        tie_order=tie_order,
        lots=lots,
    )


METHOD = VotingMethod(
    name="irv",
    order=10,
    ballot=Ranking(),
    tally=tally,
    title=N_("Instant runoff (IRV)"),
    label=N_("Instant runoff"),
    menu=N_("Instant runoff: one winner from ranked ballots"),
    hint=N_(
        "Tap the options in order of preference: first tap is your 1st choice. Tap again "
        "to take an option out. You can also drag them."
    ),
    settings=frozenset({"tie_break"}),
    engine_options=frozenset({"batch_elimination", "until_two"}),
    exhausts=True,
    win_line="majority",
    share_bars=True,
    story="transfers",
    exports=("csv", "blt", "cvr", "summary"),
    recount=True,
)
