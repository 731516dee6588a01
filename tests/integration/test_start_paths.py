"""Every way to start Convene works on a fresh clone: `make run` (development server) and
`make serve` (gunicorn + gevent), on the default SQLite file, on SQLite elsewhere, and on
PostgreSQL, with folders that do not exist yet."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support import ServerProcess, need

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres(_postgres):
    return _postgres


def _database(backend: str, tmp_path: Path, postgres) -> str:
    if backend == "sqlite-default":
        return ""  # instance/convene.db
    if backend == "sqlite-elsewhere":
        return f"sqlite:///{tmp_path / 'not' / 'yet' / 'there' / 'meeting.db'}"
    url = postgres.start()
    need(url is not None, postgres.error or "PostgreSQL is not available")
    postgres.empty()
    return url


@pytest.mark.parametrize(
    ("command", "backend"),
    [
        ("run", "sqlite-default"),
        ("run", "sqlite-elsewhere"),
        pytest.param("run", "postgres", marks=pytest.mark.postgres),
        ("serve", "sqlite-elsewhere"),
        pytest.param("serve", "postgres", marks=pytest.mark.postgres),
    ],
)
def test_the_server_starts_with_any_database(command, backend, tmp_path, postgres):
    instance = tmp_path / "fresh-clone" / "instance"  # nothing of it exists yet
    env = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": _database(backend, tmp_path, postgres),
        # An operator on PostgreSQL sets the key (several processes share it); else it is made.
        "SECRET_KEY": "set-by-the-operator" if backend == "postgres" else "",
        "SOCKETIO_MESSAGE_QUEUE": "",
        "PYTHONUNBUFFERED": "1",
    }
    # What `make migrate` does before `make run` / `make serve`.
    subprocess.run(
        [sys.executable, "-m", "convene", "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    server = ServerProcess(env, command=command, log_dir=tmp_path)
    try:
        server.wait_until_ready()
        assert requests.get(server.url + "/", timeout=10).status_code == 200
        if command == "run":
            link = re.search(r"/t/([\w-]+)", server.log_path.read_text())
            assert link, server.log_path.read_text()
            page = requests.get(f"{server.url}/t/{link.group(1)}", timeout=10)
            assert page.status_code == 200
            assert (instance / "facilitator-link.txt").read_text().strip() == link.group(1)
    finally:
        server.stop()
    if backend != "postgres":
        assert (instance / "secret_key").exists(), "a restart keeps everyone's sessions"
    if backend == "sqlite-default":
        assert (instance / "convene.db").exists()
    elif backend == "sqlite-elsewhere":
        assert (tmp_path / "not" / "yet" / "there" / "meeting.db").exists()
