"""Decision rounds, in four parts with one job each:

- ``commands``: create, open, close (and count), draw a lot, follow up;
- ``ballots``: the ballot path (a ballot stored named or sealed, sealed ballots opened at
  least k voters at a time) and the open rounds this process keeps;
- ``paper``: a teller's paper ballot, through the same path;
- ``views``: what the screens and the live ticker read (a round, its turnout and live
  count, who has not voted, the snapshot's rounds, the published ballots, deadlines due).

Their queries are convene/store/rounds.py. What a round does to its demands is not here: the
demands' handlers of the rounds' events (convene/services/demands/handlers.py). These are
the names the command catalogue, the live ticker (as its ``RoundFeed``), the snapshot and
the tests call.
"""

from __future__ import annotations

from convene.services.rounds.ballots import (
    cast_ballot,
    current_round,
    open_sealed_batch,
    sealed_waiting,
)
from convene.services.rounds.commands import (
    FOLLOW_UP_PATHS,
    REASONS_MAX,
    close_round,
    create_round,
    draw_lot,
    follow_up,
    open_round,
)
from convene.services.rounds.paper import paper_ballot
from convene.services.rounds.views import (
    NOT_VOTED_PAGE_MAX,
    NOT_VOTED_SHOWN,
    due_for_closing,
    get_round,
    live_tally,
    not_voted,
    paper_roll,
    published_ballots,
    round_view,
    rounds_for_snapshot,
    turnout,
)
from convene.store.rounds import profile_of

__all__ = [
    "FOLLOW_UP_PATHS",
    "NOT_VOTED_PAGE_MAX",
    "NOT_VOTED_SHOWN",
    "REASONS_MAX",
    "cast_ballot",
    "close_round",
    "create_round",
    "current_round",
    "draw_lot",
    "due_for_closing",
    "follow_up",
    "get_round",
    "live_tally",
    "not_voted",
    "open_round",
    "open_sealed_batch",
    "paper_ballot",
    "paper_roll",
    "profile_of",
    "published_ballots",
    "round_view",
    "rounds_for_snapshot",
    "sealed_waiting",
    "turnout",
]
