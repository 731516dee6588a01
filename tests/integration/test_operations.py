"""Operating a real server: health and readiness, Prometheus metrics, log lines (JSON or
plain, a request id each, never a token) from gunicorn, eventlet and the development server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import socketio

from tests.support import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]


# -- in the process -------------------------------------------------------------------------


def test_health_answers_and_readiness_checks_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ready", "checks": {"database": "ok"}}
    assert ready.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"[0-9a-f]{16}", ready.headers["X-Request-ID"])
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-4f1c2a9e"})
    assert kept.headers["X-Request-ID"] == "nginx-4f1c2a9e"


def test_readiness_names_a_database_that_does_not_answer(tmp_path):
    from convene.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/gone",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
        }
    )
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200, "alive, though not ready"
        ready = client.get("/readyz")
        assert ready.status_code == 503
        body = ready.get_json()
        assert body["failing"] == ["database"]
        assert body["checks"]["database"].startswith("unavailable")
    finally:
        app.extensions["convene.engine"].dispose()


def test_metrics_are_off_unless_enabled(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_behind_a_token_are_for_its_bearer_only(database_url, tmp_path):
    from convene.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "METRICS_ENABLED": True,
            "METRICS_TOKEN": "scraper-secret",
        }
    )
    try:
        client = app.test_client()
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401
        created = client.post("/api/convenings", json={"title": "Metrics"}).get_json()
        staff = {"Authorization": f"Bearer {created['facilitator_token']}"}
        code = created["code"]
        client.post(f"/api/convenings/{code}/agenda", json={"title": "Rent"}, headers=staff)
        client.post(f"/api/convenings/{code}/agenda", json={"title": 7}, headers=staff)
        page = client.get("/metrics", headers={"Authorization": "Bearer scraper-secret"})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert re.search(r'convene_commands_total\{command="agenda.add",outcome="ok"\} [1-9]', text)
        assert re.search(r'command="agenda.add",outcome="invalid_input"\} [1-9]', text)
        assert "convene_db_pool_in_use" in text
    finally:
        app.extensions["convene"].ticker.stop()
        app.extensions["convene.engine"].dispose()


# -- real servers ---------------------------------------------------------------------------


class OwnRedis:
    """A Redis server of this test's own, so that it can be stopped."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        import redis

        for _ in range(100):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _migrate(env: dict) -> None:
    """What `make migrate` does before `make serve`."""
    subprocess.run(
        [sys.executable, "-m", "convene", "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def _visit(server) -> tuple[list[str], dict]:
    """What an evening does to the logs: a convening, its private links, API calls with a
    bearer, a phone's Socket.IO commands. Returns every secret it handled, and the join."""
    created = requests.post(f"{server.url}/api/convenings", json={"title": "Logs"}, timeout=10)
    created = created.json()
    code = created["code"]
    staff = {"Authorization": f"Bearer {created['facilitator_token']}"}
    joined = requests.post(
        f"{server.url}/api/convenings/{code}/participants", json={"name": "Ana"}, timeout=10
    ).json()
    secrets = [created["facilitator_token"], created["projector_token"], joined["token"]]
    for token in secrets:
        requests.get(f"{server.url}/t/{token}", timeout=10, allow_redirects=False)
    requests.get(f"{server.url}/t/{joined['token'][:-1]}x", timeout=10)  # a mistyped link
    requests.post(
        f"{server.url}/api/convenings/{code}/agenda",
        json={"title": "Rent"},
        headers=staff,
        timeout=10,
    )
    requests.get(
        f"{server.url}/api/convenings/{code}",
        timeout=10,
        headers={"Authorization": f"Bearer {joined['token']}x"},
    )  # refused
    phone = socketio.Client(reconnection=False)
    phone.connect(
        server.url, auth={"token": joined["token"]}, transports=["websocket"], wait_timeout=10
    )
    reply = phone.call("command", {"name": "demands.list", "args": {}}, timeout=10)
    phone.call("command", {"name": "no.such", "args": {"token": joined["token"]}}, timeout=10)
    return secrets, {"code": code, "staff": staff, "phone": phone, "reply": reply}


@pytest.mark.redis
def test_a_production_server_logs_json_counts_and_tells_when_redis_is_gone(tmp_path):
    own = OwnRedis(tmp_path)
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "ops-secret",
        "SOCKETIO_MESSAGE_QUEUE": own.url,
        "SOCKETIO_CHANNEL": "ops",
        "LOG_FORMAT": "json",
        "METRICS_ENABLED": "1",
        "ASYNC_MODE": "gevent",
    }
    _migrate(env)
    server = ServerProcess(env, command="serve", log_dir=tmp_path)
    try:
        server.wait_until_ready()
        assert requests.get(f"{server.url}/readyz", timeout=10).json()["checks"] == {
            "database": "ok",
            "redis": "ok",
        }
        secrets, visit = _visit(server)
        assert visit["reply"]["ok"], visit["reply"]
        page = requests.get(f"{server.url}/metrics", timeout=10).text
        assert re.search(r'convene_screens_connected\{role="participant"\} 1\.0', page)
        assert re.search(
            r'convene_commands_total\{command="demands.list",outcome="ok"\} 1\.0', page
        )
        assert re.search(r'command="unknown",outcome="invalid_input"\} 1\.0', page)
        assert re.search(r"convene_command_seconds_count\{command=\"agenda.add\"\} 1\.0", page)
        visit["phone"].disconnect()
        own.stop()
        ready = requests.get(f"{server.url}/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["failing"] == ["redis"]
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
    finally:
        server.stop()
        own.stop()
    text = server.log_path.read_text()
    for secret in secrets:
        assert secret not in text
    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert any("/t/[redacted]" in r["message"] for r in access), "the private link, redacted"
    assert all(re.search(r"id=[0-9a-f]{16}", r["message"]) for r in access)
    assert all(r.get("request_id") for r in records)
    assert any(r["logger"] == "convene.web.health" and "redis" in r["message"] for r in records)


@pytest.mark.parametrize(("command", "mode"), [("run", "threading"), ("serve", "eventlet")])
def test_other_servers_keep_tokens_out_of_their_request_lines(command, mode, tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "ops-secret",
        "SOCKETIO_MESSAGE_QUEUE": "",
        "ASYNC_MODE": mode,
    }
    _migrate(env)
    server = ServerProcess(env, command=command, log_dir=tmp_path)
    try:
        server.wait_until_ready()
        secrets, visit = _visit(server)
        visit["phone"].disconnect()
    finally:
        server.stop()
    text = server.log_path.read_text()
    for secret in secrets:
        assert secret not in text
    assert "/t/[redacted]" in text, "the request lines are there, redacted"


# -- error reports ----------------------------------------------------------------------------


class FakeSentry:
    """An HTTP endpoint on 127.0.0.1 that keeps what a Sentry SDK posts to it."""

    def __init__(self) -> None:
        import gzip
        import http.server
        import threading

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "br":
                    import brotli

                    body = brotli.decompress(body)
                received.append((self.path, body.decode("utf-8", "replace")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.dsn = f"http://publickey@127.0.0.1:{self.server.server_port}/42"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_an_unexpected_error_is_reported_to_sentry_without_its_token(database_url, tmp_path):
    import sentry_sdk

    from convene.app import create_app

    sentry = FakeSentry()
    app = create_app(
        {
            "TESTING": False,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "SENTRY_DSN": sentry.dsn,
        }
    )
    token = "Xq3_fA9-kLm2pQ7rS8tU1vW4yZ5bC6dE"

    @app.get("/t/<token>/explode")
    def explode(token):
        raise RuntimeError(f"cannot open the link of {token!r}")

    try:
        response = app.test_client().get(
            f"/t/{token}/explode", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 500
        sentry_sdk.flush(timeout=10)
        bodies = "\n".join(body for _, body in sentry.received)
        assert "RuntimeError" in bodies, "the error was reported"
        assert "/t/[redacted]/explode" in bodies
        assert token not in bodies
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: reporting off again for the tests that follow
        sentry.stop()
        app.extensions["convene"].ticker.stop()
        app.extensions["convene.engine"].dispose()
