"""How long the phones of a process that died keep counting as present.

    flock /tmp/convene-bench.lock .venv/bin/python bench/presence_failover.py \
        [--phones 150] [--repeat 3]

Two production servers (`python -m convene serve`, gunicorn + gevent) share a fresh
PostgreSQL database and Redis (a unique channel). A facilitator's console connects to the
first; --phones participants connect to each (python-socketio AsyncClients, WebSocket).
Once the console sees everyone, the second server and its worker get SIGKILL, as on a crash.
We time, from the kill:
- **count**: until the quorum's 'present' (the turnout of an open round, read over the
  HTTP API every 100 ms from the first process) is the first process's phones only;
- **screen**: until the console receives a presence message with that count.
Bounded: 60 s per kill at most; servers, clients and the database are cleaned up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import PostgresDatabases, ServerProcess  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/0"


def _join(url: str, code: str, n: int) -> str:
    response = requests.post(
        f"{url}/api/convenings/{code}/participants", json={"name": f"Phone {n}"}, timeout=30
    )
    return response.json()["token"]


async def _connect(url: str, token: str, on_presence=None):
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    if on_presence is not None:
        client.on("presence", on_presence)
    await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=60)
    return client


async def one_kill(phones: int, folder: Path, database_url: str) -> dict:
    env = {
        "DATABASE_URL": database_url,
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "SOCKETIO_CHANNEL": f"convene-bench-{uuid.uuid4().hex[:8]}",
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(folder),
    }
    servers = [ServerProcess(env, log_dir=folder) for _ in range(2)]
    clients = []
    try:
        for server in servers:
            server.wait_until_ready(60)
        first, second = servers
        created = requests.post(
            f"{first.url}/api/convenings", json={"title": "Failover"}, timeout=30
        ).json()
        code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
        round_ = requests.post(
            f"{first.url}/api/convenings/{code}/rounds",
            json={"title": "Quorum", "method": "irv", "options": [{"label": "A"}, {"label": "B"}]},
            headers=staff,
            timeout=30,
        ).json()
        requests.post(
            f"{first.url}/api/convenings/{code}/rounds/{round_['id']}/open",
            headers=staff,
            timeout=30,
        )
        seen: list[tuple[float, int]] = []
        clients.append(
            await _connect(
                first.url,
                created["facilitator_token"],
                lambda data: seen.append((time.monotonic(), data["participants_connected"])),
            )
        )
        for server in servers:
            tokens = [_join(server.url, code, n) for n in range(phones)]
            for start in range(0, phones, 50):
                clients += await asyncio.gather(
                    *(_connect(server.url, t) for t in tokens[start : start + 50])
                )
        deadline = time.monotonic() + 60
        while not any(n == 2 * phones for _, n in seen) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        before = max((n for _, n in seen), default=0)
        if before != 2 * phones:
            return {"count": None, "screen": None, "why": f"console saw {before} before the kill"}
        second.kill()
        killed = time.monotonic()
        count = screen = None
        while time.monotonic() < killed + 60 and (count is None or screen is None):
            if count is None:
                shown = await asyncio.to_thread(
                    requests.get,
                    f"{first.url}/api/convenings/{code}/rounds/{round_['id']}",
                    headers=staff,
                    timeout=10,
                )
                if shown.json()["turnout"]["present"] == phones:
                    count = time.monotonic() - killed
            if screen is None:
                told = [t for t, n in seen if t > killed and n == phones]
                screen = told[0] - killed if told else None
            await asyncio.sleep(0.1)
        result = {"count": count, "screen": screen}
        if screen is None:
            result["why"] = (
                f"console connected: {clients[0].connected}; last presence it got: "
                f"{seen[-1][1] if seen else None}, {seen[-1][0] - killed:.1f} s after the kill"
                if seen
                else "the console got no presence"
            )
        return result
    finally:
        for client in clients:
            if client is not None and client.connected:
                with contextlib.suppress(Exception):  # the server it spoke to may be gone
                    await asyncio.wait_for(client.disconnect(), 5)
        for server in servers:
            server.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=150, help="phones on each process")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    databases = PostgresDatabases()
    url = databases.start()
    if url is None:
        print(databases.error, file=sys.stderr)
        return 1
    runs = []
    try:
        for _ in range(args.repeat):
            databases.empty()
            with tempfile.TemporaryDirectory(prefix="convene-failover-") as folder:
                runs.append(asyncio.run(one_kill(args.phones, Path(folder), url)))
            print(runs[-1], flush=True)
    finally:
        databases.stop()
    for key in ("count", "screen"):
        values = [r[key] for r in runs if r[key] is not None]
        missing = len(runs) - len(values)
        if values:
            print(
                f"{key}: median {statistics.median(values):.1f} s, max {max(values):.1f} s"
                f" over {len(values)} kills" + (f", {missing} never within 60 s" if missing else "")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
