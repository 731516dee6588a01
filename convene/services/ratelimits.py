"""Fair limits: how often one address, token, connection or person may ask.

Built on the `limits` package (sliding-window counters). Each rule is a list of rates in
its notation ("30/second;1500/minute"), named in config/default.py and documented in
docs/limits.md. Two stores:

- *shared*: limits on addresses, tokens and people. In Redis when the processes share one
  (SOCKETIO_MESSAGE_QUEUE), so a flood spread over several processes is counted once;
  in this process's memory otherwise.
- *local*: limits on one Socket.IO connection, which lives in exactly one process (sticky
  sessions), so they never need a round trip to Redis.

A refused request raises :class:`TooMany` with ``retry_after`` (whole seconds), which both
adapters turn into ``{"error": {"code": "too_many_requests", "retry_after", ...}}``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from convene.domain.errors import N_, TooMany

#: Every rule, each set by RATELIMIT_<RULE> in config/default.py.
RULES = (
    "join",
    "create",
    "commands",
    "socket",
    "socket_refused",
    "socket_connect",
    "proposals",
    "writes",
    "checkins",
    "checkin_misses",
)

#: Rules counted in this process only (one connection is served by one process).
LOCAL_RULES = frozenset({"socket", "socket_refused"})


class SweptMemoryStorage(MemoryStorage):
    """The `limits` memory store, swept for expired keys once a second, not every 10 ms.

    MemoryStorage already drops an expired key when it is next read (``get``), so its timer
    only gives back memory; but it fires 10 ms after any hit and walks every key, which at
    10,000 phones (20,000 keys) took 2.9 ms of every 10 ms of a busy meeting's one process
    (bench/ratelimit_sweep.py, docs/performance.md). A sweep a second frees the same memory.
    The hook is the library's private scheduler (limits is pinned in requirements.txt;
    tests/unit/test_ratelimits.py fails if it is renamed).
    """

    SWEEP_SECONDS = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


class RateLimits:
    def __init__(
        self,
        rules: Mapping[str, str],
        *,
        shared: Storage | None = None,
        enabled: bool = True,
    ) -> None:
        self.enabled = enabled
        self._rules: dict[str, list[RateLimitItem]] = {
            name: parse_many(text) for name, text in rules.items() if text
        }
        self._local = SlidingWindowCounterRateLimiter(SweptMemoryStorage())
        self._shared = SlidingWindowCounterRateLimiter(shared or SweptMemoryStorage())

    def hit(self, rule: str, key: object, cost: int = 1) -> None:
        """Count one request by ``key`` under ``rule``; raise TooMany past any of its rates."""
        if not self.allow(rule, key, cost):
            raise TooMany(
                N_("Too many requests at once. Please wait a moment and try again."),
                retry_after=self.retry_after(rule, key),
            )

    def allow(self, rule: str, key: object, cost: int = 1) -> bool:
        """Count a request (``cost`` of them: a heavy read counts as several); False once
        ``key`` is past one of the rates."""
        items = self._rules.get(rule)
        if not self.enabled or not items:
            return True
        limiter = self._limiter(rule)
        # Every rate counts the request, so a burst refused by the per-second rate still
        # uses up the per-minute one: a client that ignores refusals stays refused.
        allowed = True
        for item in items:
            allowed = limiter.hit(item, rule, str(key), cost=cost) and allowed
        return allowed

    def blocked(self, rule: str, key: object) -> bool:
        """Whether ``key`` is past one of ``rule``'s rates now (nothing is counted)."""
        items = self._rules.get(rule)
        if not self.enabled or not items:
            return False
        limiter = self._limiter(rule)
        return not all(limiter.test(item, rule, str(key)) for item in items)

    def retry_after(self, rule: str, key: object) -> int:
        """Seconds until ``key`` may ask again under ``rule`` (at least 1)."""
        limiter = self._limiter(rule)
        now = time.time()
        wait = 1.0
        for item in self._rules.get(rule, []):
            stats = limiter.get_window_stats(item, rule, str(key))
            if stats.remaining <= 0:
                wait = max(wait, stats.reset_time - now)
        return max(1, math.ceil(wait))

    def _limiter(self, rule: str) -> SlidingWindowCounterRateLimiter:
        return self._local if rule in LOCAL_RULES else self._shared


def shared_storage(redis_url: str, prefix: str, connection_pool=None) -> Storage:
    """The store the processes share: Redis when configured, this process's memory otherwise."""
    if not redis_url:
        return SweptMemoryStorage()
    from limits.storage import RedisStorage

    return RedisStorage(redis_url, connection_pool=connection_pool, key_prefix=prefix)
