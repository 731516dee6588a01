"""Benchmark a live decision round end to end; writes `## Live rounds` in docs/performance.md.

    .venv/bin/python bench/live_round.py --sizes 200,1000,2000 --modes gevent,eventlet \
        [--two-process 4000] [--repeat 1] [--normal-once] [--write-docs]

For each async mode and size N it starts a real server (`python -m convene serve`, with
ASYNC_MODE=gevent: gunicorn + gevent worker; eventlet: eventlet's own server) on 127.0.0.1
with a fresh SQLite file, then, over the HTTP API (setup, not measured): creates a convening,
joins N participants, invites a projector and creates an IRV round with 8 options and live
results. N python-socketio `AsyncClient`s (aiohttp, WebSocket transport) spread over several
client processes connect, plus one projector client in its own process. The round is opened
and every participant casts one ballot (a random ranking of 1-8 options) at a random moment
within a 10-second window through the Socket.IO `command` message `rounds.cast`, with an
acknowledgement; we record the acknowledgement latency. The projector records every
`round.tally` message and its arrival time: the **projector lag** is the arrival of the first
tally whose `result.total` equals the number of acknowledged ballots, minus the moment of the
last acknowledgement. The simulated phones stay connected until then (they hang up only after
the measurement). Then the round is closed and the published ballot list must hold
exactly N ballots (no ballot lost). Server CPU (utime+stime) and memory (RSS) are read from
/proc for the server's process tree, at the start and end of the voting window.

`--two-process N` runs two server processes on two ports sharing a fresh PostgreSQL database
(`convene_bench_<random>`, dropped at the end) and Redis (a unique SOCKETIO_CHANNEL); the
clients are spread over both, the projector sits on the first.

Times are CLOCK_MONOTONIC (system-wide on Linux), so they compare across processes.
Everything is bounded in time; servers, client processes and databases are cleaned up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import gc
import json
import multiprocessing as mp
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
OPTIONS = 8
WINDOW = 10.0
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
GOAL_ACK_P99 = 0.250
GOAL_LAG = 0.500
CONNECT_TIMEOUT = 600.0  # the whole connect phase, every client process
SECTION = "## Live rounds"


# -- servers ------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """`python -m convene serve` on a free port of 127.0.0.1."""

    def __init__(self, env: dict, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = folder / f"server-{self.port}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        full = {**os.environ, **env, "HOST": HOST, "PORT": str(self.port)}
        full.pop("PYTHONWARNINGS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "convene", "serve"],
            cwd=ROOT,
            env=full,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/api/openapi.json", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-2000:]}")

    def pids(self) -> list[int]:
        """The server's process tree (gunicorn: master and worker; eventlet: one)."""
        found, todo = [], [self.process.pid]
        while todo and len(found) < 64:
            pid = todo.pop()
            found.append(pid)
            with contextlib.suppress(OSError):
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        todo.extend(int(c) for c in children.read().split())
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                for pid in reversed(self.pids()):
                    with contextlib.suppress(OSError):
                        os.kill(pid, 9)
                self.process.wait(timeout=10)
        self._log.close()


def _proc_sample(pids: list[int]) -> dict:
    """CPU seconds (utime+stime, all pids) and RSS/peak RSS (MB) of the largest process."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu, rss, hwm = 0.0, 0.0, 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / tick
            status = {}
            with open(f"/proc/{pid}/status") as lines:
                for line in lines:
                    key, _, value = line.partition(":")
                    status[key] = value
            rss = max(rss, int(status["VmRSS"].split()[0]) / 1024)
            hwm = max(hwm, int(status["VmHWM"].split()[0]) / 1024)
        except (OSError, KeyError, IndexError, ValueError):
            continue
    return {"cpu": cpu, "rss": rss, "hwm": hwm, "at": time.monotonic()}


# -- HTTP setup -----------------------------------------------------------------------------------


def _http(method: str, url: str, body: dict | None = None, token: str | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310
                text = reply.read()
                return json.loads(text) if text else {}
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {url}: {error.code} {error.read()[:300]!r}") from None
        except OSError:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("not reached")


#: Secret rounds (the default) seal their ballots and move the live count only k at a time:
#: once 2k wait, all but k are opened, so up to 2k - 1 wait for the close and the
#: projector's last live count is at least N - 2k + 1 (convene/services/rounds/ballots.py:
#: open_sealed_batch); the lag is measured to that. ``--named`` measures named rounds.
SECRET = {"on": True}
K = 5


def live_target(acknowledged: int) -> int:
    """The count the projector's last live tally reaches before the close."""
    if not SECRET["on"]:
        return acknowledged
    return acknowledged - 2 * K + 1 if acknowledged >= 2 * K else acknowledged + 1  # (< 2k: never)


def setup_convening(url: str, n: int) -> dict:
    created = _http("POST", f"{url}/api/convenings", {"title": "Bench assembly"})
    code, staff = created["code"], created["facilitator_token"]
    projector = _http(
        "POST", f"{url}/api/convenings/{code}/invitations", {"role": "projector"}, staff
    )

    def join(i: int) -> str:
        reply = _http("POST", f"{url}/api/convenings/{code}/participants", {"name": f"P{i}"})
        return reply["token"]

    with ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(join, range(n)))
    round_ = _http(
        "POST",
        f"{url}/api/convenings/{code}/rounds",
        {
            "title": "Next campaign",
            "method": "irv",
            "options": [{"label": f"Option {i + 1}"} for i in range(OPTIONS)],
            "live_results": True,
            "secret": SECRET["on"],
        },
        staff,
    )
    return {
        "code": code,
        "staff": staff,
        "projector": projector["token"],
        "tokens": tokens,
        "round_id": round_["id"],
        "option_ids": [o["id"] for o in round_["options"]],
    }


# -- client processes -----------------------------------------------------------------------------


async def _connect(url: str, token: str, semaphore: asyncio.Semaphore):
    import socketio

    for attempt in range(3):
        client = socketio.AsyncClient(reconnection=False)
        async with semaphore:
            try:
                await client.connect(
                    url, auth={"token": token}, transports=["websocket"], wait_timeout=60
                )
                return client
            except Exception:
                with contextlib.suppress(Exception):
                    await client.disconnect()
        await asyncio.sleep(0.5 * (attempt + 1))
    return None


async def _voters_main(conn, jobs: list[tuple[str, str]], seed: int) -> None:
    import logging

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    logging.getLogger("socketio.client").setLevel(logging.CRITICAL)
    loop = asyncio.get_running_loop()
    semaphore = asyncio.Semaphore(25)
    clients = await asyncio.gather(*(_connect(url, token, semaphore) for url, token in jobs))
    # The simulated phones' own collection pauses (up to ~100 ms for 500 clients) would be
    # counted as server latency: keep the connected clients out of the collector's walks.
    gc.freeze()
    conn.send(("connected", sum(c is not None for c in clients)))
    message = await loop.run_in_executor(None, conn.recv)
    if message[0] != "go":
        return
    _, start, window, round_id, option_ids = message
    rng = random.Random(seed)
    # A phone that lost its connection (e.g. a ping timeout while everyone connected)
    # reconnects, as the browser client does; counted.
    dropped = [i for i, c in enumerate(clients) if c is not None and not c.connected]
    if dropped:
        print(f"[voters {os.getpid()}] {len(dropped)} dropped", file=sys.stderr, flush=True)
        tasks = [asyncio.ensure_future(_connect(*jobs[i], semaphore)) for i in dropped]
        await asyncio.wait(tasks, timeout=max(1.0, start - time.monotonic() - 0.2))
        for i, task in zip(dropped, tasks, strict=True):
            clients[i] = task.result() if task.done() and not task.exception() else None
            task.cancel()

    async def vote(client):
        if client is None:
            return (None, None, False, "not connected")
        await asyncio.sleep(max(0.0, start + rng.uniform(0, window) - time.monotonic()))
        ranking = rng.sample(option_ids, rng.randint(1, len(option_ids)))
        sent = time.monotonic()
        try:
            reply = await client.call(
                "command",
                {"name": "rounds.cast", "args": {"round_id": round_id, "ranking": ranking}},
                timeout=60,
            )
        except Exception as error:
            return (sent, time.monotonic(), False, type(error).__name__)
        done = time.monotonic()
        ok = bool(reply and reply.get("ok"))
        return (sent, done, ok, None if ok else json.dumps(reply)[:200])

    print(f"[voters {os.getpid()}] {len(dropped)} reconnected", file=sys.stderr, flush=True)
    results = await asyncio.gather(*(vote(c) for c in clients))
    print(
        f"[voters {os.getpid()}] voted, {time.monotonic() - start:.1f} s after the start",
        file=sys.stderr,
        flush=True,
    )
    conn.send(("results", (results, len(dropped))))
    # Stay connected until the projector has its last count: 1,000 phones hanging up at once
    # is a storm of disconnects for the server (Redis presence, cleanup) that no meeting has
    # the moment its last ballot is in, and it would be counted as the projector's lag.
    with contextlib.suppress(Exception):
        await asyncio.wait_for(loop.run_in_executor(None, conn.recv), 120)


def voters_process(conn, jobs, seed) -> None:
    try:
        asyncio.run(asyncio.wait_for(_voters_main(conn, jobs, seed), CONNECT_TIMEOUT + 200))
    except Exception as error:
        with contextlib.suppress(Exception):
            conn.send(("error", repr(error)))
    conn.close()
    os._exit(0)  # the server is stopped by the parent; no graceful disconnect storm


async def _projector_main(conn, url: str, token: str) -> None:
    import logging

    import socketio

    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    loop = asyncio.get_running_loop()
    tallies: list[tuple[float, int]] = []
    seen = asyncio.Event()
    expected = {"n": None}
    client = socketio.AsyncClient(reconnection=False)

    @client.on("round.tally")
    def on_tally(data):
        total = data["result"]["total"]
        value = int(float(total["float"])) if total else 0
        tallies.append((time.monotonic(), value))
        if expected["n"] is not None and value >= expected["n"]:
            seen.set()

    await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=60)
    conn.send(("connected", 1))
    message = await loop.run_in_executor(None, conn.recv)
    if message[0] == "finish":
        expected["n"] = message[1]
        if any(v >= message[1] for _, v in tallies):
            seen.set()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(seen.wait(), 15)
    conn.send(("tallies", tallies))


def projector_process(conn, url, token) -> None:
    try:
        asyncio.run(asyncio.wait_for(_projector_main(conn, url, token), CONNECT_TIMEOUT + 200))
    except Exception as error:
        with contextlib.suppress(Exception):
            conn.send(("error", repr(error)))
    conn.close()
    os._exit(0)


def _recv(conn, kind: str, timeout: float):
    if not conn.poll(timeout):
        raise TimeoutError(f"no {kind!r} from a client process within {timeout:.0f} s")
    message = conn.recv()
    if message[0] != kind:
        raise RuntimeError(f"client process: {message}")
    return message[1]


# -- one scenario ---------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run_scenario(
    mode: str,
    n: int,
    *,
    processes: int = 1,
    synchronous: str = "FULL",
    client_procs: int = 4,
    seed: int = 1,
    profile: str = "",
) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="convene-bench-"))
    database, pg_name = None, None
    servers: list[Server] = []
    children: list[mp.Process] = []
    load = os.getloadavg()
    try:
        env = {
            "ASYNC_MODE": mode,
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": secrets.token_hex(16),
            "WORKER_CONNECTIONS": str(n // processes + 1000),
            "SQLITE_SYNCHRONOUS": synchronous,
        }
        if processes == 1:
            database = f"sqlite:///{folder / 'convene.db'}"
        else:
            pg_name, database = _create_postgres()
            env["SOCKETIO_MESSAGE_QUEUE"] = REDIS_URL
            env["SOCKETIO_CHANNEL"] = f"convene-bench-{secrets.token_hex(4)}"
        env["DATABASE_URL"] = database
        # Every simulated phone joins from 127.0.0.1, far faster than a hall: no join limit.
        env["RATELIMIT_JOIN"] = ""
        _migrate(database)
        servers = [Server(env, folder) for _ in range(processes)]
        for server in servers:
            server.wait_until_ready()
        began = time.monotonic()
        setup = setup_convening(servers[0].url, n)
        setup_s = time.monotonic() - began

        ctx = mp.get_context("spawn")
        proj_parent, proj_child = ctx.Pipe()
        projector = ctx.Process(
            target=projector_process, args=(proj_child, servers[0].url, setup["projector"])
        )
        projector.start()
        children.append(projector)
        _recv(proj_parent, "connected", 120)

        jobs = [(servers[i % processes].url, t) for i, t in enumerate(setup["tokens"])]
        pipes = []
        for k in range(client_procs):
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=voters_process, args=(child, jobs[k::client_procs], seed * 1000 + k)
            )
            proc.start()
            children.append(proc)
            pipes.append(parent)
        began = time.monotonic()
        before_connect = _sample(servers)
        connected = 0
        for parent in pipes:
            connected += _recv(
                parent, "connected", max(1.0, CONNECT_TIMEOUT - (time.monotonic() - began))
            )
        connect_s = time.monotonic() - began
        after_connect = _sample(servers)
        quiet_s = _wait_quiet(servers)  # presence messages of the last connections drain

        url0, code, staff, round_id = (
            servers[0].url,
            setup["code"],
            setup["staff"],
            setup["round_id"],
        )
        _http("POST", f"{url0}/api/convenings/{code}/rounds/{round_id}/open", {}, staff)
        start = time.monotonic() + 4.0  # dropped phones reconnect meanwhile
        before = _sample(servers)
        spies = _start_profiler(profile, servers, f"{mode}-{n}-{processes}p", WINDOW + 4)
        for parent in pipes:
            parent.send(("go", start, WINDOW, round_id, setup["option_ids"]))
        results, reconnected = [], 0
        for parent in pipes:
            remaining = max(1.0, start + WINDOW + 90 - time.monotonic())
            part, dropped = _recv(parent, "results", remaining)
            results.extend(part)
            reconnected += dropped
        ok = [r for r in results if r[2]]
        failed = [r for r in results if not r[2]]
        last_ack = max((r[1] for r in ok), default=float("nan"))
        proj_parent.send(("finish", live_target(len(ok))))
        tallies = _recv(proj_parent, "tallies", 30)
        after = _sample(servers)
        for parent in pipes:
            parent.send(("bye",))
        for spy in spies:
            spy.wait(timeout=60)

        _http("POST", f"{url0}/api/convenings/{code}/rounds/{round_id}/close", {}, staff)
        published = _http(
            "GET", f"{url0}/api/convenings/{code}/rounds/{round_id}/ballots", None, staff
        )
        stored = len(published["ballots"])

        lag = next((t - last_ack for t, total in tallies if total >= live_target(len(ok))), None)
        latencies = [r[1] - r[0] for r in ok]
        wall = after["at"] - before["at"]
        return {
            "mode": mode,
            "n": n,
            "processes": processes,
            "db": "sqlite" if processes == 1 else "postgresql+redis",
            "synchronous": synchronous if processes == 1 else "",
            "load": load,
            "setup_s": setup_s,
            "connect_s": connect_s,
            "connected": connected,
            "connect_cpu": after_connect["cpu"] - before_connect["cpu"],
            "quiet_s": quiet_s,
            "reconnected": reconnected,
            "acked": len(ok),
            "failed": len(failed),
            "errors": sorted({str(r[3]) for r in failed})[:5],
            "p50": _percentile(latencies, 0.50),
            "p99": _percentile(latencies, 0.99),
            "max": max(latencies, default=float("nan")),
            "lag": lag,
            "tallies": len(tallies),
            "cpu_s": after["cpu"] - before["cpu"],
            "cpu_pct": 100 * (after["cpu"] - before["cpu"]) / wall if wall > 0 else float("nan"),
            "rss": after["rss"],
            "hwm": after["hwm"],
            "stored": stored,
            "lost": len(ok) - stored,  # acknowledged but not in the published list
            "slowest": [
                (round(r[0] - start, 2), round(r[1] - r[0], 3))
                for r in sorted(ok, key=lambda r: r[0] - r[1])[:8]
            ],
            # the projector's last tallies: (arrival - last acknowledgement, ballots counted)
            "last_tallies": [(round(t - last_ack, 3), total) for t, total in tallies[-6:]],
            # ack latency by second of the window: where the slow ones bunch up
            "p99_by_second": _by_second(ok, start),
        }
    finally:
        for server in servers:
            server.stop()
        for proc in children:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        if pg_name:
            _drop_postgres(pg_name)
        if profile:  # keep the server logs beside the profiles
            for log_file in folder.glob("server-*.log"):
                shutil.copy(log_file, Path(profile) / f"{mode}-{n}-{processes}p-{log_file.name}")
        shutil.rmtree(folder, ignore_errors=True)


def _by_second(acked: list, start: float) -> list[list]:
    """[second, ballots sent in it, p50 ms, p99 ms] for each second of the voting window."""
    buckets: dict[int, list[float]] = {}
    for sent, done, *_ in acked:
        buckets.setdefault(int(sent - start), []).append(done - sent)
    return [
        [s, len(v), round(1000 * _percentile(v, 0.5)), round(1000 * _percentile(v, 0.99))]
        for s, v in sorted(buckets.items())
    ]


def _start_profiler(folder: str, servers: list[Server], name: str, seconds: float) -> list:
    """py-spy (if installed) on each serving process during the vote: collapsed stacks."""
    # The venv's own py-spy, else one on PATH (e.g. in a separate venv: the shared one
    # stays as it is).
    spy = shutil.which("py-spy", path=os.path.dirname(sys.executable)) or shutil.which("py-spy")
    if not folder or not spy:
        return []
    Path(folder).mkdir(parents=True, exist_ok=True)
    procs = []
    for k, server in enumerate(servers):
        pid = server.pids()[-1]  # gunicorn: its worker; eventlet: the server itself
        out = Path(folder) / f"{name}-{k}.txt"
        procs.append(
            subprocess.Popen(
                [
                    spy,
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(int(seconds)),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return procs


def _wait_quiet(servers: list[Server], limit: float = 180.0) -> float:
    """Wait until the server uses under 10% of a core for 2 s in a row (bounded)."""
    began = time.monotonic()
    previous, calm = _sample(servers), 0
    while time.monotonic() - began < limit and calm < 2:
        time.sleep(1.0)
        current = _sample(servers)
        busy = (current["cpu"] - previous["cpu"]) / (current["at"] - previous["at"])
        calm = calm + 1 if busy < 0.10 else 0
        previous = current
    return time.monotonic() - began


def _sample(servers: list[Server]) -> dict:
    samples = [_proc_sample(server.pids()) for server in servers]
    return {
        "cpu": sum(s["cpu"] for s in samples),
        "rss": sum(s["rss"] for s in samples),
        "hwm": sum(s["hwm"] for s in samples),
        "at": time.monotonic(),
    }


def _migrate(url: str) -> None:
    from convene.store.database import make_engine
    from convene.store.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def _create_postgres() -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    name = f"convene_bench_{secrets.token_hex(5)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def _drop_postgres(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# -- report ---------------------------------------------------------------------------------------


def _median_run(runs: list[dict]) -> dict:
    """Median of every figure over repeated runs (losses and failures: the worst)."""
    if len(runs) == 1:
        return {**runs[0], "runs": 1}
    merged = dict(runs[0])
    for key in (
        "setup_s",
        "connect_s",
        "connect_cpu",
        "p50",
        "p99",
        "max",
        "cpu_s",
        "cpu_pct",
        "rss",
        "hwm",
        "tallies",
    ):
        merged[key] = statistics.median(r[key] for r in runs)
    lags = [r["lag"] for r in runs if r["lag"] is not None]
    merged["lag"] = statistics.median(lags) if len(lags) == len(runs) else None
    for key in ("lost", "failed"):
        merged[key] = max(r[key] for r in runs)
    merged["acked"] = min(r["acked"] for r in runs)
    merged["connected"] = min(r["connected"] for r in runs)
    merged["p99_all"] = [r["p99"] for r in runs]
    merged["lag_all"] = [r["lag"] for r in runs]
    merged["load_all"] = [r["load"][0] for r in runs]
    merged["runs"] = len(runs)
    return merged


def _ms(value) -> str:
    return "n/a" if value is None or value != value else f"{value * 1000:,.0f} ms"


def _lost(r: dict) -> str:
    """Acknowledged but not stored; stored without an acknowledgement is not a loss."""
    if r["lost"] >= 0:
        return str(r["lost"])
    return f"0 ({-r['lost']} stored, ack never received)"


def table(rows: list[dict]) -> str:
    lines = [
        "| mode | processes | database | N | ack p50 | ack p99 | projector lag | server CPU "
        "(voting) | RSS | acked / stored | lost | not cast | connect phase | load (1 min) | runs |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        db = r["db"] + (f" ({r['synchronous']})" if r["synchronous"] else "")
        loads = r.get("load_all", [r["load"][0]])
        lines.append(
            f"| {r['mode']} | {r['processes']} | {db} | {r['n']:,} | {_ms(r['p50'])} | "
            f"{_ms(r['p99'])} | {_ms(r['lag'])} | {r['cpu_s']:.1f} s ({r['cpu_pct']:.0f}%) | "
            f"{r['rss']:.0f} MB | {r['acked']:,} / {r['stored']:,} | {_lost(r)} | "
            f"{r['n'] - r['acked']} | "
            f"{r['connect_s']:.0f} s | {', '.join(f'{x:.1f}' for x in loads)} | {r['runs']} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        target = 2000 if r["processes"] == 1 else 4000
        if r["n"] < target or r["synchronous"] == "NORMAL":
            continue
        ack = r["p99"] < GOAL_ACK_P99
        lag = r["lag"] is not None and r["lag"] < GOAL_LAG
        lost = r["lost"] <= 0 and r["acked"] == r["n"]
        met = "met" if ack and lag and lost else "**not met**"
        out.append(
            f"- Goal {r['n']:,} participants, {r['processes']} process(es), {r['mode']}: "
            f"ack p99 {_ms(r['p99'])} (< 250 ms: {'yes' if ack else 'no'}), projector lag "
            f"{_ms(r['lag'])} (< 500 ms: {'yes' if lag else 'no'}), acknowledged ballots lost "
            f"{_lost(r)}, ballots not cast {r['n'] - r['acked']}: {met}."
        )
    return out


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "performance.md"
    doc = path.read_text()
    start = doc.find(f"\n{SECTION}\n")
    if start == -1:
        doc = doc.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        following = doc.find("\n## ", start + len(SECTION) + 2)
        tail = doc[following:] if following != -1 else "\n"
        doc = doc[: start + 1] + text.rstrip("\n") + "\n" + tail
    path.write_text(doc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="200,1000,2000")
    parser.add_argument("--modes", default="gevent,eventlet")
    parser.add_argument("--two-process", type=int, default=0, metavar="N")
    parser.add_argument("--two-process-modes", default="", help="default: the first of --modes")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--normal-once",
        action="store_true",
        help="also run the largest size once with SQLITE_SYNCHRONOUS=NORMAL",
    )
    parser.add_argument("--client-procs", type=int, default=4)
    parser.add_argument("--notes", default="", help="a file whose text is added to the section")
    parser.add_argument("--profile", default="", help="py-spy the server into this folder")
    parser.add_argument("--json", default="", help="also write every run to this file")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--named", action="store_true", help="named rounds (default: secret)")
    args = parser.parse_args()
    SECRET["on"] = not args.named

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # servers inherit it
    sizes = [int(s) for s in args.sizes.split(",") if s]
    modes = [m for m in args.modes.split(",") if m]
    plan = [(m, n, 1, "FULL") for m in modes for n in sizes]
    if args.normal_once:
        plan.append((modes[0], max(sizes), 1, "NORMAL"))
    if args.two_process:
        for m in (args.two_process_modes or modes[0]).split(","):
            plan.append((m, args.two_process, 2, "FULL"))
    all_runs, rows = [], []
    for mode, n, processes, synchronous in plan:
        runs = []
        for i in range(max(1, args.repeat if synchronous == "FULL" else 1)):
            print(
                f"{mode} N={n} processes={processes} sync={synchronous} run {i + 1} "
                f"(load {os.getloadavg()[0]:.2f})",
                flush=True,
            )
            run = run_scenario(
                mode,
                n,
                processes=processes,
                synchronous=synchronous,
                client_procs=args.client_procs,
                seed=i + 1,
                profile=args.profile,
            )
            print(
                "  " + json.dumps({k: v for k, v in run.items() if k != "errors"}, default=str),
                flush=True,
            )
            if run["errors"]:
                print(f"  errors: {run['errors']}", flush=True)
            runs.append(run)
            all_runs.append(run)
        rows.append(_median_run(runs))
    print()
    print(table(rows))
    for line in verdicts(rows):
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(all_runs, indent=1, default=str))
    if args.write_docs:
        command = "python bench/live_round.py " + " ".join(sys.argv[1:])
        notes = Path(args.notes).read_text() if args.notes else ""
        write_docs(_section(rows, command, notes))
    return 0


def _section(rows: list[dict], command: str, notes: str) -> str:
    today = datetime.date.today().isoformat()
    return f"""{SECTION}

Measured with `{command}` on {today}, on this project's shared 2-core machine (24 GB),
Python {sys.version.split()[0]}, Flask-SocketIO 5.7, python-socketio/aiohttp clients in
4 separate processes on the same 2 cores (so client CPU competes with the server). Load
average (1 min) at the start of each run is in the table; other engineers' tests ran at the
same time. Each row is one round: IRV, 8 options, live results on, N participants each
casting one ballot at a random moment in a 10-second window over Socket.IO (`rounds.cast`
with an acknowledgement). **ack** = acknowledgement latency; **projector lag** = arrival of
the first `round.tally` counting every acknowledged ballot minus the last acknowledgement;
**server CPU** = utime+stime of the server process tree from the opening of the vote to the
projector's final tally (percent of one core over that time); **RSS** = resident memory of
the serving process (the sum over both for two processes); **acked / stored** = ballots
acknowledged / ballots in the published list after closing; **lost** = acknowledged but not
stored (must be 0); **not cast** = participants whose ballot was not acknowledged (their
connection dropped and did not come back, or the ack timed out); **connect phase** = time
for every client to connect (setup, not in the figures); projector lag **n/a** = the
projector's connection dropped too, or no tally counted every acknowledged ballot.
SQLite: fresh file per run, WAL, `SQLITE_SYNCHRONOUS` as shown; two processes: PostgreSQL +
Redis message queue. Several runs per row: medians (losses: the worst run).

{table(rows)}

{chr(10).join(verdicts(rows))}

{notes}
"""


if __name__ == "__main__":
    sys.exit(main())
