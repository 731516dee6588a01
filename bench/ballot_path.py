"""Time the ballot command path and the live recount in one process, without sockets.

    .venv/bin/python bench/ballot_path.py [--ballots 2000] [--database-url URL] [--named]

Creates a convening with N participants in a fresh database (SQLite file with WAL and
synchronous=FULL, or an existing empty PostgreSQL database given by --database-url), opens
an IRV round with 8 options, and casts one ballot per participant through
`run_command("rounds.cast", ...)`, as the JSON API does (token lookup included; a socket
skips it, see CHECK_THEIR_ACTOR). Prints the wall time per ballot (for PostgreSQL this
includes waiting for the server), then the time of one live recount (turnout and count of
every stored ballot, what the ticker does every 250 ms), best of --repeat, and the close.
Secret ballots by default (sealed; opened at the close); --named for named ones.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--named", dest="secret", action="store_false", help="named ballots")
    args = parser.parse_args()

    from convene.app import create_app
    from convene.services import rounds
    from convene.services.commands import run_command
    from convene.services.convenings import create_convening, join
    from convene.store.migrate import upgrade

    folder = tempfile.mkdtemp(prefix="convene-ballot-path-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    upgrade(app.extensions["convene.engine"])
    services = app.extensions["convene"]
    services.ballot_limiter.allow = lambda *_: True  # one ballot each: the limiter is not timed

    created = create_convening(services, title="Bench assembly")
    tokens = [join(services, code=created.code, name=f"P{i}").token for i in range(args.ballots)]
    round_ = run_command(
        services,
        created.facilitator_token,
        "rounds.create",
        {
            "title": "Next campaign",
            "method": "irv",
            "options": [{"label": f"Option {i + 1}"} for i in range(8)],
            "live_results": True,
            "secret": args.secret,
        },
    )
    run_command(services, created.facilitator_token, "rounds.open", {"round_id": round_["id"]})
    option_ids = [o["id"] for o in round_["options"]]
    rng = random.Random(1)
    ballots = [rng.sample(option_ids, rng.randint(1, len(option_ids))) for _ in tokens]

    start = time.perf_counter()
    for token, ranking in zip(tokens, ballots, strict=True):
        run_command(services, token, "rounds.cast", {"round_id": round_["id"], "ranking": ranking})
    per_ballot = (time.perf_counter() - start) / len(tokens)

    recounts = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        with services.read() as session:
            current = rounds.current_round(session, services, round_["id"])
            rounds.turnout(session, services, current, staff=True)
            rounds.live_tally(session, current)
        recounts.append(time.perf_counter() - start)
    # The close: a secret round opens every sealed ballot, writes the round's ballots again
    # in one random order and counts them, in one transaction (then wipes the log/VACUUMs).
    start = time.perf_counter()
    run_command(services, created.facilitator_token, "rounds.close", {"round_id": round_["id"]})
    closing = time.perf_counter() - start
    database = "postgresql" if url.startswith("postgres") else "sqlite (FULL)"
    print(
        f"{database}: {len(tokens):,} {'secret' if args.secret else 'named'} ballots, "
        f"{per_ballot * 1000:.2f} ms per ballot; live recount of all of them "
        f"{min(recounts) * 1000:.1f} ms (secret: of those opened so far); "
        f"close {closing * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
