"""The memory store of the limits (convene.services.ratelimits.SweptMemoryStorage): the
same counts as the library's own store, swept for expired keys once a second instead of
10 ms after every hit."""

from __future__ import annotations

import time_machine
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from convene.services.ratelimits import RateLimits, SweptMemoryStorage


def test_the_sweep_is_scheduled_a_second_after_a_hit_not_10_ms():
    store = SweptMemoryStorage()
    store.timer.join()  # the library's own first timer, started by __init__
    limiter = SlidingWindowCounterRateLimiter(store)
    limiter.hit(parse_many("5/second")[0], "socket", "a")
    # If the library renames its private scheduler, our override is never called and the
    # next timer is the library's 10 ms one.
    assert store.timer.interval == SweptMemoryStorage.SWEEP_SECONDS
    assert store.timer.daemon
    store.timer.cancel()


def test_it_counts_and_refuses_exactly_as_the_library_store():
    rates = parse_many("3/second;5/minute")
    ours = SlidingWindowCounterRateLimiter(SweptMemoryStorage())
    theirs = SlidingWindowCounterRateLimiter(MemoryStorage())
    with time_machine.travel(1_800_000_000.0, tick=False) as clock:
        for step in range(40):
            for key in ("a", "b"):
                a = [ours.hit(r, "join", key) for r in rates]
                b = [theirs.hit(r, "join", key) for r in rates]
                assert a == b, (step, key)
            clock.shift(0.35)


def test_the_sweep_gives_back_the_memory_of_expired_keys():
    store = SweptMemoryStorage()
    limiter = SlidingWindowCounterRateLimiter(store)
    with time_machine.travel(1_800_000_000.0, tick=False) as clock:
        for key in range(100):
            limiter.hit(parse_many("5/second")[0], "socket", str(key))
        assert len(store.expirations) >= 100
        clock.shift(10)
        store._MemoryStorage__expire_events()
        assert store.expirations == {}
        assert not store.storage


def test_the_limits_use_it_when_no_redis_is_configured():
    limits = RateLimits({"join": "1/second"})
    assert isinstance(limits._local.storage, SweptMemoryStorage)
    assert isinstance(limits._shared.storage, SweptMemoryStorage)
