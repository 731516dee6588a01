"""What does one rewrite of a demand cost when many amendments to it are open?

    flock /tmp/convene-bench.lock .venv/bin/python bench/rewrites.py [--open 50 100 200]
        [--root DIR] [--profile]

In process, on a fresh SQLite database, with the code of ``--root`` (this checkout by
default; point it at an export of an older commit, `git archive`, to measure "before"): for
each number of ``--open`` amendments, a convening with one open demand of about 2,000
characters (the sentence-long demand of tests/data/projector_content.json) and that many
pending passage amendments to it (participants proposing 10 each, each replacing a
different sentence-sized passage, twelve words on one line that occur once, with one of the
fixture's options; passages overlap, as amendments of one demand do). Then three rewrites,
each carrying every other pending amendment over to the new text (rebased, or outdated when
the rewrite touched its passage): a facilitator's typo fix in the last paragraph, another one
in the first, and the adoption of one amendment. Prints the CPU time (process time, robust
to load) and the wall time of each command, which all runs inside the convening's write
lock (until the reply is built), and the load; ``lock_ms``: the part of it inside the
convening's write lock (from ``Services.write()`` until its commit returned: wall time,
and CPU); the rest is the reply, built after the commit.
``--profile`` prints the top of a cProfile of the first typo fix at the largest number.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "projector_content.json"


def passages(body: str, count: int, size: int = 12) -> list[str]:
    """``count`` different passages of ``size`` words of ``body`` (sentence-sized), each on
    one line and occurring once in it, spread over the whole body."""
    words = list(re.finditer(r"\S+", body))
    candidates = []
    for start in range(len(words) - size + 1):
        passage = body[words[start].start() : words[start + size - 1].end()]
        if "\n" not in passage and body.count(passage) == 1:
            candidates.append(passage)
    if len(candidates) < count:
        raise SystemExit(f"only {len(candidates)} distinct passages in the fixture's demand")
    step = len(candidates) / count
    return [candidates[int(i * step)] for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--root", default=str(ROOT), help="checkout whose code is measured")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.root).resolve()))

    from convene.app import create_app
    from convene.services.commands import run_command
    from convene.services.convenings import create_convening, join
    from convene.store.migrate import upgrade

    content = json.loads(FIXTURE.read_text())
    body = content["demand"]["body"]
    options = content["options"]

    folder = tempfile.mkdtemp(prefix="convene-rewrites-")
    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    upgrade(app.extensions["convene.engine"])
    services = app.extensions["convene"]
    held: list[tuple[float, float]] = []  # (wall, CPU) of the last write, until its commit
    write = services.write

    @contextlib.contextmanager
    def timed_write():
        started, cpu = time.perf_counter(), time.process_time()
        with write() as uow:
            commit = uow.commit

            def timed_commit():
                logged = commit()
                held.append((time.perf_counter() - started, time.process_time() - cpu))
                return logged

            uow.commit = timed_commit
            yield uow

    services.write = timed_write

    result: dict = {
        "root": str(Path(args.root).resolve()),
        "body_chars": len(body),
        "load_before": Path("/proc/loadavg").read_text().split()[:3],
        "figures": {},
    }
    for number in args.open:
        created = create_convening(services, title=content["convening_title"][:200])
        boss = created.facilitator_token
        people = [
            join(services, code=created.code, name=f"Delegada {p:02d}").token
            for p in range((number + 9) // 10)
        ]
        demand = run_command(
            services,
            people[0],
            "demands.propose",
            {"title": content["demand"]["title"], "body": body},
        )
        demand_id = demand["id"]
        run_command(services, boss, "demands.open", {"demand_id": demand_id})
        chosen = passages(body, number)
        for n, passage in enumerate(chosen):
            replacement = options[n % len(options)]
            run_command(
                services,
                people[n // 10],
                "demands.amend",
                {"demand_id": demand_id, "passage": passage, "body": replacement},
            )

        def timed(name: str, payload: dict, profile: bool = False, boss: str = boss) -> tuple:
            profiler = cProfile.Profile() if profile else None
            started, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            reply = run_command(services, boss, name, payload)
            if profiler:
                profiler.disable()
            spent, wall = time.process_time() - started, time.perf_counter() - wall
            if profiler:
                pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
            pending = sum(1 for a in reply["amendments"] if a["status"] == "pending")
            lock = held[-1] if held else (0.0, 0.0)
            locked = (round(lock[0] * 1000, 1), round(lock[1] * 1000, 1))
            return round(spent * 1000, 1), round(wall * 1000, 1), pending, locked

        current = run_command(services, boss, "demands.get", {"demand_id": demand_id})["body"]
        figures: dict = {}
        last = args.profile and number == max(args.open)
        typo_end = current.replace("line by line.", "line by line, together.")
        figures["typo fix, last paragraph"] = timed(
            "demands.edit", {"demand_id": demand_id, "body": typo_end, "typo": True}, last
        )
        typo_start = typo_end.replace("not a commodity.", "not a commodity!")
        figures["typo fix, first sentence"] = timed(
            "demands.edit", {"demand_id": demand_id, "body": typo_start, "typo": True}
        )
        full = run_command(services, boss, "demands.get", {"demand_id": demand_id})
        pending = [a["id"] for a in full["amendments"] if a["status"] == "pending"]
        figures["one amendment adopted"] = timed(
            "amendments.decide", {"amendment_id": pending[len(pending) // 2], "outcome": "adopted"}
        )
        result["figures"][f"{number} open"] = {
            k: {
                "cpu_ms": ms,
                "wall_ms": wall,
                "lock_wall_ms": locked[0],
                "lock_cpu_ms": locked[1],
                "still_pending_after": left,
            }
            for k, (ms, wall, left, locked) in figures.items()
        }
    result["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
