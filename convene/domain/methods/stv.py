"""Single transferable vote (STV): several seats, proportionally, from ranked ballots, by
the Scottish rules or Meek's method (convene/domain/tally/stv.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Ranking
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.stv import count_stv


def tally(ballots, candidates, *, seats, rule, seed, withdrawn, tie_order, lots, **_):
    return count_stv(
        ballots,
        candidates,
        seats=seats,
        rule=rule,
        seed=seed,
        withdrawn=withdrawn,
        tie_order=tie_order,
        lots=lots,
    )


METHOD = VotingMethod(
    name="stv",
    order=20,
    ballot=Ranking(),
    tally=tally,
    title=N_("Single transferable vote (STV)"),
    label=N_("Single transferable vote"),
    menu=N_("Single transferable vote: several seats, proportionally"),
    hint=N_(
        "Tap the options in order of preference: first tap is your 1st choice. Tap again "
        "to take an option out. You can also drag them."
    ),
    settings=frozenset({"seats", "rule", "tie_break"}),
    rules=("scottish", "meek"),
    proportional=True,
    exhausts=True,
    win_line="quota",
    share_bars=True,
    story="transfers",
    exports=("csv", "blt", "cvr", "summary"),
    recount=True,
)
