"""How big are the events a hostile crowd can make every screen receive?

    flock /tmp/convene-bench.lock .venv/bin/python bench/event_size.py [--people 1500]
        [--root DIR]
    flock /tmp/convene-bench.lock .venv/bin/python bench/event_size.py --floor [300 1500]
        [--root DIR]

In process, on a fresh SQLite database, with the code of ``--root`` (this checkout by
default; point it at an export of an older commit, `git archive`, to measure "before"): a
convening of ``--people`` participants, one open demand of about 3 KB holding 200 pending
amendments (20 participants proposing 10 each, one distinct passage each) and supported by
everyone, and an open named round nobody has voted in yet. Prints the JSON size of each
event as a phone gets it (the log's message, as a resync sends it; the live one is the same),
the facilitator's turnout of the round (sent to every console each second while it is open)
and the snapshots, with what each costs fanned out to every participant.

``--floor N...``: the speaker list instead. For each N, a convening of N participants with
real names (diacritics: "María José Peña Ibáñez"), an item running, one of them speaking and
every other with a hand up; then the floor events a phone gets when one more hand is raised
(a point of order, to the front), one is lowered (in the middle), the next speaker is
called, the rules change (the progressive stack on: every waiting request is now there
as a first-time speaker), and the facilitator moves one request to the front (twice: the
first reorder makes every plain request "moved by the facilitator"): the bytes of each,
those times N phones, and the CPU of the command (which builds it inside the write lock);
and the phone's snapshot, which carries the whole list.
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


FIRST = [
    "María José",
    "José Ángel",
    "Zoë",
    "Łukasz",
    "Ngọc Trâm",
    "François",
    "Søren",
    "Inés",
    "Çağlar",
    "Ana Lucía",
    "Jürgen",
    "Dolores",
    "Anaïs",
    "Nuño",
    "Björk",
]
LAST = [
    "Peña Ibáñez",
    "Núñez",
    "Åström",
    "Wójcik",
    "Nguyễn",
    "Lefèvre",
    "Kierkegård",
    "Muñoz Gutiérrez",
    "Yılmaz",
    "Hernández Álvarez",
    "Müller",
    "Ortíz",
    "Brontë",
    "Szabó",
]


def person(n: int) -> str:
    return f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"


def floor_sizes(args) -> None:
    from convene.app import create_app
    from convene.services import live
    from convene.services.commands import run_command
    from convene.services.convenings import create_convening, join
    from convene.store import eventlog
    from convene.store.migrate import upgrade

    result: dict = {"root": str(Path(args.root).resolve()), "floor": {}}
    result["load_before"] = Path("/proc/loadavg").read_text().split()[:3]

    def measure(hands: int) -> dict:
        folder = tempfile.mkdtemp(prefix="convene-floor-")
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
        created = create_convening(services, title="Asamblea regional")
        boss = created.facilitator_token
        convening_id = services.authenticate(boss).convening_id
        tokens = [join(services, code=created.code, name=person(p)).token for p in range(hands + 1)]
        item = run_command(services, boss, "agenda.add", {"title": "Vivienda"})
        run_command(services, boss, "agenda.start", {"item_id": item["id"]})
        for token in tokens[:hands]:
            run_command(services, token, "floor.raise", {"kind": "speak"})
        run_command(services, boss, "floor.next", {})  # the first speaks; hands - 1 wait

        def last_event(type_: str) -> dict:
            with services.read() as session:
                latest = eventlog.last_seq(session, convening_id)
                events = eventlog.since(session, convening_id, max(0, latest - 5), 10)
            return [e for e in events if e.type == type_][-1].message(staff=False)

        measured: dict[str, dict] = {}

        def timed(label: str, type_: str, token: str, name: str, payload: dict) -> None:
            started = time.process_time()
            run_command(services, token, name, payload)
            spent = time.process_time() - started
            message = last_event(type_)
            measured[label] = {
                "bytes": size(message),
                "to_every_phone_MB": round(size(message) * hands / 1e6, 2),
                "command_cpu_ms": round(spent * 1000, 1),
            }

        timed(
            "floor.hand_raised (a point of order)",
            "floor.hand_raised",
            tokens[hands],
            "floor.raise",
            {"kind": "point_of_order"},
        )
        state = live.snapshot(services, services.authenticate(tokens[-1]))
        queue = state["floor"]["queue"]
        middle = queue[len(queue) // 2]
        members = [services.authenticate(t).member_id for t in tokens]
        owner = tokens[members.index(middle["member_id"])]
        timed(
            "floor.hand_lowered (in the middle)",
            "floor.hand_lowered",
            owner,
            "floor.lower",
            {"request_id": middle["id"]},
        )
        timed("floor.speaker_called", "floor.speaker_called", boss, "floor.next", {})
        timed(
            "floor.changed (progressive stack on)",
            "floor.changed",
            boss,
            "convening.update",
            {"progressive": "item"},
        )
        for label in ("first", "second"):
            state = live.snapshot(services, services.authenticate(boss))
            order = [e["id"] for e in state["floor"]["queue"]]
            order.insert(0, order.pop(len(order) // 2))
            timed(
                f"floor.reordered (one to the front, {label} reorder)",
                "floor.reordered",
                boss,
                "floor.reorder",
                {"order": order},
            )
        state = live.snapshot(services, services.authenticate(tokens[-1]))
        measured["phone snapshot"] = {"bytes": size(state), "floor_bytes": size(state["floor"])}
        return measured

    for hands in args.floor:
        result["floor"][f"{hands} hands"] = measure(hands)
    result["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--root", default=str(ROOT), help="checkout whose code is measured")
    parser.add_argument(
        "--floor", type=int, nargs="*", help="measure the floor's events with these many hands"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.root).resolve()))
    if args.floor is not None:
        args.floor = args.floor or [300, 1500]
        floor_sizes(args)
        return

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
