"""Garbage collection that stays out of the way of a live vote.

CPython's full collection walks every tracked object. With 2,000 phones connected a server
process holds about 480,000 of them, and one full collection stopped the event loop for
up to 250 ms (bench/live_round.py, docs/performance.md): every ballot acknowledgement in
flight waited for it. While ballots are arriving, this keeps what was alive when the vote
began out of the collector's walks (``gc.freeze()``), so collections only look at what is
new; once no ballot has come for a while, everything goes back to the collector
(``gc.unfreeze()``), so nothing that died during the vote is kept for ever.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: After this long without a ballot the vote is over for the collector.
QUIET_SECONDS = 30.0


class VoteTimeCollector:
    def __init__(
        self,
        quiet_seconds: float = QUIET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        collector=gc,
    ) -> None:
        self.quiet_seconds = quiet_seconds
        self._clock = clock
        self._gc = collector
        self._last_vote: float | None = None

    @property
    def frozen(self) -> bool:
        return self._last_vote is not None

    def voting(self) -> None:
        """A ballot came in (or a round opened or closed)."""
        if self._last_vote is None:
            self._gc.freeze()
        self._last_vote = self._clock()

    def tick(self) -> None:
        """Called on every turn of the ticker: give everything back once the vote is quiet."""
        if self._last_vote is not None and self._clock() - self._last_vote >= self.quiet_seconds:
            self._last_vote = None
            self._gc.unfreeze()
