"""One participant floods a Socket.IO connection; how fast does everyone else get answers?

    flock /tmp/convene-bench.lock .venv/bin/python bench/flood.py [--flood 10000] [--root DIR]

Loopback only. Sets up, on a fresh SQLite database: a convening with 500 demands of about
3 KB (50 participants proposing 10 each), an open ranked round, a *victim* and a *flooder*.
Then runs `python -m convene serve` (gunicorn + gevent, one process) from ``--root`` (this
checkout by default; point it at an export of an older commit to measure "before") and:

1. the victim sends ``rounds.get`` at a phone's pace (10 a second) and times each reply:
   p50 and p99 without a flood;
2. the same while the flooder sends ``--flood`` ``demands.list`` commands as fast as one
   connection can, without waiting for the replies;
3. prints what became of the flood (answered, refused with too_many_requests, unanswered,
   disconnected) and the server's resident memory (RSS now and at its peak).

The victim connects before the flood (while flooded, a new connection may not get in at
all). Bounded: at most --flood messages, each phase at most --seconds; a victim reply slower than
30 s counts as 30 s (and as a timeout).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.live_round import HOST, Server, _free_port, _proc_sample  # noqa: E402

TIMEOUT = 30.0


class RootServer(Server):
    """`python -m convene serve` run from the checkout at ``root``."""

    def __init__(self, env: dict, folder: Path, root: Path) -> None:
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = folder / f"server-{self.port}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        full = {**os.environ, **env, "HOST": HOST, "PORT": str(self.port)}
        full.pop("PYTHONWARNINGS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "convene", "serve"],
            cwd=root,
            env=full,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )


#: Runs in the server's own checkout (``--root``), so "before" is set up by the old code.
SETUP = r"""
import json, sys
from convene.app import create_app
from convene.services.commands import run_command
from convene.services.convenings import create_convening, join
from convene.store.migrate import upgrade

folder, url = sys.argv[1], sys.argv[2]
app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": url, "SECRET_KEY": "bench",
                  "RATELIMIT_ENABLED": False})
upgrade(app.extensions["convene.engine"])
services = app.extensions["convene"]
created = create_convening(services, title="Regional convening")
body = ("Every chapter keeps a tenants' rights desk open two evenings a week. " * 45)[:3000]
for p in range(50):
    token = join(services, code=created.code, name=f"Proposer {p}").token
    for d in range(10):
        run_command(services, token, "demands.propose",
                    {"title": f"Demand {p}-{d}: a sentence-long title about housing", "body": body})
round_ = run_command(services, created.facilitator_token, "rounds.create", {
    "title": "Which campaign first?", "method": "irv",
    "options": [{"label": f"Option {i + 1}"} for i in range(8)]})
run_command(services, created.facilitator_token, "rounds.open", {"round_id": round_["id"]})
print(json.dumps({
    "victim": join(services, code=created.code, name="Victim").token,
    "flooder": join(services, code=created.code, name="Flooder").token,
    "round_id": round_["id"],
}))
"""


def _client(url: str, token: str):
    import socketio

    client = socketio.Client(reconnection=False)
    client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=30)
    return client


def _victim(client, round_id: int, seconds: float, pace: float) -> dict:
    latencies, timeouts = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            reply = client.call(
                "command",
                {"name": "rounds.get", "args": {"round_id": round_id}},
                timeout=TIMEOUT,
            )
            if not reply.get("ok"):
                raise RuntimeError(f"victim refused: {reply}")
        except TimeoutError:
            timeouts += 1
        except Exception as error:  # socketio.exceptions.TimeoutError
            if type(error).__name__ != "TimeoutError":
                raise
            timeouts += 1
        latencies.append(time.perf_counter() - started)
        time.sleep(max(0.0, pace - (time.perf_counter() - started)))
    latencies.sort()
    return {
        "replies": len(latencies),
        "timeouts": timeouts,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
    }


class Flooder:
    def __init__(self, url: str, token: str, count: int) -> None:
        self.client = _client(url, token)
        self.count = count
        self.sent = 0
        self.answered = 0
        self.refused = 0
        self.lock = threading.Lock()
        self.disconnected = threading.Event()
        self.client.on("disconnect", lambda *_: self.disconnected.set())
        self.thread = threading.Thread(target=self._send, daemon=True)

    def _reply(self, reply) -> None:
        with self.lock:
            if isinstance(reply, dict) and reply.get("ok"):
                self.answered += 1
            else:
                self.refused += 1

    def _send(self) -> None:
        for _ in range(self.count):
            if self.disconnected.is_set():
                return
            try:
                self.client.emit(
                    "command", {"name": "demands.list", "args": {}}, callback=self._reply
                )
            except Exception:  # the server hung up on us
                return
            self.sent += 1

    def run(self, seconds: float) -> dict:
        """Send the flood, wait ``seconds`` for what comes back, and tell what came."""
        self.thread.start()
        self.disconnected.wait(timeout=seconds)
        return self.stop()

    def stop(self) -> dict:
        with self.lock:
            result = {
                "sent": self.sent,
                "answered": self.answered,
                "refused": self.refused,
                "unanswered": self.sent - self.answered - self.refused,
                "disconnected": self.disconnected.is_set(),
            }
        if not self.disconnected.is_set():
            self.client.disconnect()
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flood", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pace", type=float, default=0.1, help="seconds between victim calls")
    parser.add_argument("--root", default=str(ROOT), help="checkout whose server is measured")
    parser.add_argument("--flooder", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flooder:
        flooder = Flooder(args.flooder, os.environ["FLOOD_TOKEN"], args.flood)
        print(json.dumps(flooder.run(args.seconds)))
        return
    root = Path(args.root).resolve()

    folder = Path(tempfile.mkdtemp(prefix="convene-flood-"))
    database = f"sqlite:///{folder}/bench.db"
    env = {**os.environ, "PYTHONPATH": str(root)}
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, str(folder), database],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    ids = json.loads(setup.stdout.strip().splitlines()[-1])

    server = RootServer(
        {"DATABASE_URL": database, "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench"},
        folder,
        root,
    )
    try:
        server.wait_until_ready()
        victim = _client(server.url, ids["victim"])  # connected before the flood starts
        quiet = _victim(victim, ids["round_id"], args.seconds, args.pace)
        before = _proc_sample(server.pids())
        # The flooder is another process: decoding its replies must not slow the victim's.
        flooder = subprocess.Popen(
            [
                *(sys.executable, __file__, "--flooder", server.url),
                *("--flood", str(args.flood), "--seconds", str(args.seconds)),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "FLOOD_TOKEN": ids["flooder"]},  # a token may start with "-"
        )
        loud = _victim(victim, ids["round_id"], args.seconds, args.pace)
        flood = json.loads(flooder.communicate(timeout=args.seconds + 60)[0])
        victim.disconnect()
        after = _proc_sample(server.pids())
    finally:
        server.stop()
    uptime = Path("/proc/loadavg").read_text().split()[:3]
    print(
        json.dumps(
            {
                "root": str(root),
                "victim_quiet": quiet,
                "victim_during_flood": loud,
                "flood": flood,
                "server_rss_mb": {"before_flood": before["rss"], "after": after["rss"]},
                "server_peak_rss_mb": after["hwm"],
                "load": uptime,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
