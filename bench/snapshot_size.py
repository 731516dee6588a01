"""How big is the live snapshot, and what does it cost to build, at 500 demands of 3 KB?

    flock /tmp/convene-bench.lock .venv/bin/python bench/snapshot_size.py [--people 1500]

In process, on a fresh SQLite database: a convening with 500 demands of about 3 KB (50
participants proposing 10 each, as bench/flood.py), one pending amendment on each of the
first 50, ``--people`` participants in all, and an open 8-option round. Prints the JSON size
of the snapshot a phone and a facilitator get on connecting (what every reconnect costs),
and the CPU time (process time, robust to load) to build one, median of ``--repeat``; the
same for the reads that page in what the snapshot leaves out (a page of 100 demands in
full, the text of 20 demands, a page of 500 members).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from convene.app import create_app
    from convene.services import live
    from convene.services.commands import run_command
    from convene.services.convenings import create_convening, join
    from convene.store.migrate import upgrade

    folder = tempfile.mkdtemp(prefix="convene-snapshot-")
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
    created = create_convening(services, title="Regional convening")
    boss = created.facilitator_token
    words = ("Every chapter keeps a tenants' rights desk open two evenings a week. " * 45)[:2960]
    tokens = []
    for p in range(args.people):
        tokens.append(join(services, code=created.code, name=f"Participant {p}").token)
    ids = []
    for p in range(50):
        for d in range(10):
            demand = run_command(
                services,
                tokens[p],
                "demands.propose",
                {
                    "title": f"Demand {p}-{d}: a sentence-long title about housing",
                    "body": f"{words} Agreed by chapter {p}.",
                },
            )
            ids.append(demand["id"])
    for i, demand_id in enumerate(ids[:50]):
        run_command(services, boss, "demands.open", {"demand_id": demand_id})
        run_command(
            services,
            tokens[60 + i],
            "demands.amend",
            {"demand_id": demand_id, "passage": "Agreed by", "body": "Moved by"},
        )
    round_ = run_command(
        services,
        boss,
        "rounds.create",
        {
            "title": "Which campaign first?",
            "method": "irv",
            "options": [{"label": f"Option {i + 1}"} for i in range(8)],
        },
    )
    run_command(services, boss, "rounds.open", {"round_id": round_["id"]})

    result = {}
    for role, token in (("phone", tokens[-1]), ("facilitator", boss)):
        actor = services.authenticate(token)
        sizes, cpu = [], []
        for _ in range(args.repeat):
            started = time.process_time()
            state = live.snapshot(services, actor)
            text = json.dumps(state, separators=(",", ":"))
            cpu.append(time.process_time() - started)
            sizes.append(len(text.encode()))
        parts = {k: len(json.dumps(v, separators=(",", ":")).encode()) for k, v in state.items()}
        result[role] = {
            "bytes": sizes[-1],
            "cpu_ms_median": round(statistics.median(cpu) * 1000, 1),
            "largest_parts": dict(sorted(parts.items(), key=lambda kv: -kv[1])[:4]),
        }
    phone = tokens[-1]
    for name, call in (
        ("demands_list_page_of_100", {}),
        ("demands_list_20_ids", {"ids": ids[:20], "limit": 20}),
        ("members_list_page_of_500", None),
    ):
        cpu, size = [], 0
        for _ in range(args.repeat):
            started = time.process_time()
            if call is None:
                reply = run_command(services, boss, "members.list", {})
            else:
                reply = run_command(services, phone, "demands.list", call)
            size = len(json.dumps(reply, separators=(",", ":")).encode())
            cpu.append(time.process_time() - started)
        result[name] = {"bytes": size, "cpu_ms_median": round(statistics.median(cpu) * 1000, 1)}
    result["people"] = args.people
    result["load"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
