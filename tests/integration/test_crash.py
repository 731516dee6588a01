"""Nothing acknowledged is lost: kill -9 of the server during a burst of secret ballots.

The production server (gunicorn + gevent, ``python -m convene serve``) is killed with
SIGKILL, master and worker, while 40 phones send secret ballots (sealed, and opened k at a
time by the live count). After a restart every phone sends its ballot again with the same
receipt, as the phone does when it got no acknowledgement (and here also when it did);
then the round closes. Every ballot is counted exactly once, with what it said.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from convene.domain.rounds import new_receipt
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
VOTERS = 40
KILL_AFTER = 15


def _http(url: str, method: str, path: str, body: dict | None = None, token: str = ""):
    request = urllib.request.Request(  # noqa: S310 - the test's own server on 127.0.0.1
        url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


class Server:
    """``python -m convene serve`` in its own process group, so that kill -9 takes it all."""

    def __init__(self, env: dict, log: Path) -> None:
        self.url = f"http://127.0.0.1:{env['PORT']}"
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "convene", "serve"],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()[-2000:]
            try:
                urllib.request.urlopen(self.url + "/api/openapi.json", timeout=1)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        self._log.close()


def test_every_acknowledged_secret_ballot_survives_kill_9(database_url, tmp_path):
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "crash-test-secret",  # both lives of the server open the same seals
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("PUBLIC_URL", "SOCKETIO_MESSAGE_QUEUE", "ASYNC_MODE"):
        env.pop(name, None)
    log = tmp_path / "server.log"
    server = Server(env, log)
    try:
        created = _http(server.url, "POST", "/api/convenings", {"title": "Asamblea"})
        code, staff = created["code"], created["facilitator_token"]
        tokens = [
            _http(server.url, "POST", f"/api/convenings/{code}/participants", {"name": f"Zoë {i}"})[
                "token"
            ]
            for i in range(VOTERS)
        ]
        new = _http(
            server.url,
            "POST",
            f"/api/convenings/{code}/rounds",
            {
                "title": "¿Qué hacemos primero?",
                "method": "irv",
                "options": [{"label": f"Propuesta número {i + 1}"} for i in range(8)],
                "live_results": True,
            },
            staff,
        )
        round_id, options = new["id"], [o["id"] for o in new["options"]]
        _http(server.url, "POST", f"/api/convenings/{code}/rounds/{round_id}/open", {}, staff)
        ballots = [
            {"ranking": [options[i % 8], options[(i * 3 + 1) % 8]], "receipt": new_receipt()}
            for i in range(VOTERS)
        ]
        path = f"/api/convenings/{code}/rounds/{round_id}/ballots"
        acknowledged: set[int] = set()
        lock = threading.Lock()

        def cast(i: int) -> None:
            try:
                reply = _http(server.url, "POST", path, ballots[i], tokens[i])
            except (OSError, http.client.HTTPException):
                return  # no acknowledgement: the phone will send it again
            assert reply["receipt"] == ballots[i]["receipt"]
            with lock:
                acknowledged.add(i)
                if len(acknowledged) == KILL_AFTER:
                    server.kill()  # kill -9, master and worker, ballots in flight

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(cast, range(VOTERS)))
        assert len(acknowledged) >= KILL_AFTER
        assert server.process.poll() is not None, "the server was killed during the burst"

        server = Server(env, log)  # restart on the same database
        for i in range(VOTERS):  # every phone sends its ballot again, same receipt
            reply = _http(server.url, "POST", path, ballots[i], tokens[i])
            assert reply["receipt"] == ballots[i]["receipt"]
        closed = _http(
            server.url, "POST", f"/api/convenings/{code}/rounds/{round_id}/close", {}, staff
        )
        assert closed["result"]["total"]["exact"] == str(VOTERS)
        published = _http(server.url, "GET", path, None, staff)["ballots"]
        receipts = [b["receipt"] for b in published]
        assert sorted(receipts) == sorted(b["receipt"] for b in ballots), "each exactly once"
        by_receipt = {b["receipt"]: b["ballot"] for b in published}
        for ballot in ballots:
            assert by_receipt[ballot["receipt"]] == {"ranking": ballot["ranking"]}
    finally:
        server.stop()
