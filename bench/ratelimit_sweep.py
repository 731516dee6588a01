"""CPU spent by the rate limits' memory store on its own housekeeping, by number of phones.

    flock /tmp/convene-bench.lock .venv/bin/python bench/ratelimit_sweep.py [--phones 1500 10000]

Each phone has one key under the per-connection rule (``socket``, two counters each in a
sliding window) and one under the per-token rule (``commands``). Every phone hits both once,
then hits arrive at ``--rate`` a second, spread over the phones, for ``--seconds``: a live
round's steady traffic. The process's CPU time (all threads, so the store's sweep timer too)
is compared between the `limits` library's MemoryStorage (a sweep of every key 10 ms after
any hit) and Convene's SweptMemoryStorage (once a second). Medians of ``--runs``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from config import default
from convene.services.ratelimits import SweptMemoryStorage

SOCKET = parse_many(default.RATELIMIT_SOCKET)
COMMANDS = parse_many(default.RATELIMIT_COMMANDS)


def run(store_class, phones: int, rate: int, seconds: float) -> tuple[float, float]:
    """CPU seconds in all, and of them the hits' own (timed one by one)."""
    store = store_class()
    limiter = SlidingWindowCounterRateLimiter(store)

    def hit(i: int) -> None:
        for item in SOCKET:
            limiter.hit(item, "socket", f"sid-{i}")
        for item in COMMANDS:
            limiter.hit(item, "commands", f"token-{i}")

    for i in range(phones):
        hit(i)
    start_cpu = time.process_time()
    start = time.monotonic()
    hits_cpu = 0.0
    n = 0
    gap = 1.0 / rate
    while time.monotonic() - start < seconds:
        t = time.process_time()
        hit(n % phones)
        hits_cpu += time.process_time() - t
        n += 1
        time.sleep(max(0.0, start + n * gap - time.monotonic()))
    total = time.process_time() - start_cpu
    store.timer.cancel()
    return total, hits_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[1500, 5000, 10000])
    parser.add_argument("--rate", type=int, default=500, help="hits a second, all phones together")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.rate} hits/s for {args.seconds:g} s; share of one core, median of {args.runs}")
    print("phones  store                 CPU/s   of which hits")
    for phones in args.phones:
        stores = (("MemoryStorage", MemoryStorage), ("SweptMemoryStorage", SweptMemoryStorage))
        for name, cls in stores:
            runs = [run(cls, phones, args.rate, args.seconds) for _ in range(args.runs)]
            total = statistics.median(r[0] for r in runs) / args.seconds
            hits = statistics.median(r[1] for r in runs) / args.seconds
            print(f"{phones:6d}  {name:20s}  {total:6.1%}   {hits:6.1%}")


if __name__ == "__main__":
    main()
