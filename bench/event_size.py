"""How big are the events a hostile crowd can make every screen receive?

    flock /tmp/convene-bench.lock .venv/bin/python bench/event_size.py [--people 1500]
        [--root DIR]

In process, on a fresh SQLite database, with the code of ``--root`` (this checkout by
default; point it at an export of an older commit, `git archive`, to measure "before"): a
convening of ``--people`` participants, one open demand of about 3 KB holding 200 pending
amendments (20 participants proposing 10 each, one distinct passage each) and supported by
everyone, and an open named round nobody has voted in yet. Prints the JSON size of each
event as a phone gets it (the log's message, as a resync sends it; the live one is the same),
the facilitator's turnout of the round (sent to every console each second while it is open)
and the snapshots, with what each costs fanned out to every participant.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def size(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--root", default=str(ROOT), help="checkout whose code is measured")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.root).resolve()))

    from convene.app import create_app
    from convene.services import live
    from convene.services.commands import run_command
    from convene.services.convenings import create_convening, join
    from convene.store import eventlog
    from convene.store.migrate import upgrade

    folder = tempfile.mkdtemp(prefix="convene-events-")
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
    convening_id = services.authenticate(boss).convening_id
    tokens = [
        join(services, code=created.code, name=f"Participant {p:04d}").token
        for p in range(args.people)
    ]
    words = [f"tenant{n:03d}right" for n in range(200)]
    body = "Every chapter keeps a desk open: " + " ".join(words) + "."
    body += " " + ("Agreed by the regional assembly of tenants. " * 20)
    demand = run_command(services, tokens[0], "demands.propose", {"title": "Desks", "body": body})
    demand_id = demand["id"]
    run_command(services, boss, "demands.open", {"demand_id": demand_id})
    for n, word in enumerate(words):
        run_command(
            services,
            tokens[1 + n // 10],
            "demands.amend",
            {"demand_id": demand_id, "passage": word, "body": word.upper()},
        )

    def last_event(type_: str) -> dict:
        with services.read() as session:
            latest = eventlog.last_seq(session, convening_id)
            events = eventlog.since(session, convening_id, max(0, latest - 400), 500)
        chosen = [e for e in events if e.type == type_]
        return chosen[-1].message(staff=False)

    result: dict = {"people": args.people, "root": str(Path(args.root).resolve())}
    measured: dict[str, dict] = {}

    def keep(name: str, message: dict, cpu: float | None = None) -> None:
        measured[name] = {
            "bytes": size(message),
            "to_every_phone_MB": round(size(message) * args.people / 1e6, 1),
        }
        if cpu is not None:
            measured[name]["command_cpu_ms"] = round(cpu * 1000, 1)

    keep("amendment.proposed (the 200th)", last_event("amendment.proposed"))
    for token in tokens[1:]:
        run_command(services, token, "demands.support", {"demand_id": demand_id})
    keep(
        f"demand.support_changed ({args.people - 1} supporters)",
        last_event("demand.support_changed"),
    )
    run_command(services, boss, "convening.update", {"support_required": 3})
    keep("demands.recounted (one demand)", last_event("demands.recounted"))
    started = time.process_time()
    run_command(
        services,
        boss,
        "demands.edit",
        {"demand_id": demand_id, "body": body + " Typo fixed.", "typo": True},
    )
    keep(
        "demand.updated typo (200 rebased)",
        last_event("demand.updated"),
        time.process_time() - started,
    )
    full = run_command(services, boss, "demands.get", {"demand_id": demand_id})
    pending = [a["id"] for a in full["amendments"] if a["status"] == "pending"]
    started = time.process_time()
    run_command(
        services, boss, "amendments.decide", {"amendment_id": pending[0], "outcome": "adopted"}
    )
    keep(
        "amendment.adopted (199 rebased)",
        last_event("amendment.adopted"),
        time.process_time() - started,
    )
    full = run_command(services, boss, "demands.get", {"demand_id": demand_id})
    measured["demands.get (the demand in full, for comparison)"] = {"bytes": size(full)}

    round_ = run_command(
        services,
        boss,
        "rounds.create",
        {
            "title": "Which campaign first?",
            "method": "irv",
            "secret": False,
            "options": [{"label": f"Option {i + 1}"} for i in range(8)],
        },
    )
    run_command(services, boss, "rounds.open", {"round_id": round_["id"]})
    turnout = run_command(services, boss, "rounds.get", {"round_id": round_["id"]})["turnout"]
    measured["facilitator's round.turnout (nobody voted yet)"] = {
        "bytes": size(turnout),
        "per_console_per_minute_MB": round(size(turnout) * 60 / 1e6, 2),
    }
    for role, token in (("phone", tokens[-1]), ("facilitator", boss)):
        state = live.snapshot(services, services.authenticate(token))
        measured[f"{role} snapshot"] = {"bytes": size(state)}
    result["sizes"] = measured
    result["load"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
