"""Test helpers: SQLite and PostgreSQL databases, a fake clock, a recording publisher."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from convene.store.database import make_engine
from convene.store.migrate import upgrade
from convene.store.tables import metadata

#: The application secret of every test's processes (secret ballots are sealed with keys
#: derived from it: a second process must share it to open them).
TEST_SECRET = "test-secret"
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when a service is missing; in CI (CI=true), fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 18, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class RecordingPublisher:
    """Records what would be sent to screens, to assert what is published and when."""

    def __init__(self) -> None:
        self.events = []
        self.presences = []
        self.removed = []
        self.revoked = []
        self.signals = []
        self.lives = []

    def publish(self, events) -> None:
        self.events.extend(events)

    def presence(self, convening_id, staff, public) -> None:
        self.presences.append((convening_id, staff, public))

    def member_removed(self, member_id) -> None:
        self.removed.append(member_id)

    def member_revoked(self, member_id) -> None:
        self.revoked.append(member_id)

    def signal(self, convening_id, data) -> None:
        self.signals.append((convening_id, data))

    def live(self, convening_id, name, data, *, audience) -> None:
        self.lives.append((convening_id, name, data, audience))


#: This test process: "gw0", "gw1"... under pytest-xdist, "main" without it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
#: This test run: pytest-xdist gives its workers one id; a run without it makes its own.
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8]


def run_name(kind: str) -> str:
    """A name of this process's own for a shared server's database or key prefix: parallel
    workers and other test runs on the machine each get theirs (issue 16: runs must not
    collide), and the run and worker in it say whose a leftover was."""
    return f"convene_{kind}_{RUN}_{WORKER}_{uuid.uuid4().hex[:6]}"


class PostgresDatabases:
    """One fresh database per test process (each xdist worker), emptied between tests and
    dropped at the end."""

    def __init__(self) -> None:
        self.name = run_name("test")
        self.url = None
        self.error = None

    def start(self) -> str | None:
        if self.url or self.error:
            return self.url
        try:
            admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            admin.dispose()
        except Exception as error:
            self.error = (
                f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({error.__class__.__name__})"
            )
            return None
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        self.url = f"{base}/{self.name}"
        engine = make_engine(self.url)
        upgrade(engine)
        engine.dispose()
        return self.url

    def empty(self) -> None:
        engine = create_engine(self.url)
        with engine.begin() as connection:
            names = ", ".join(table.name for table in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()

    def stop(self) -> None:
        if not self.url:
            return
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()


class SqliteTemplate:
    """Migrate once, copy the file for each test (fresh database, no migration cost)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"
        engine = make_engine(f"sqlite:///{self.path}")
        upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    def fresh(self, folder: Path) -> str:
        target = folder / "convene.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"


#: Ports handed out by free_port() in this process (never twice, even once released).
_HANDED_OUT: set[int] = set()


def _ephemeral_ports() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def free_port() -> int:
    """A port no one listens on, for a server this test starts.

    Taken below the kernel's ephemeral range (the kernel's own pick, port 0, is in it): so
    no outgoing connection (to PostgreSQL, Redis, another test's server), which parallel
    workers (pytest-xdist) and other test runs on the machine open all the time, can land
    on it between this check and the server's bind. Drawn from the system's entropy, so
    that workers and runs do not draw the same ports.
    """
    import random
    import socket

    low, _ = _ephemeral_ports()
    first, last = (10_000, low - 1) if low > 12_000 else (None, None)
    draw = random.SystemRandom()
    for _ in range(200):
        if first is None:  # no room below the ephemeral range: let the kernel pick
            port = 0
        else:
            port = draw.randint(first, last)
            if port in _HANDED_OUT:
                continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # someone listens there (or it is still in TIME_WAIT)
            port = sock.getsockname()[1]
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError("no free port found")


class ServerProcess:
    """A real Convene server (``python -m convene run|serve``) in a subprocess on a free port."""

    def __init__(self, env: dict, command: str = "serve", log_dir: Path | None = None) -> None:
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        root = Path(__file__).resolve().parents[1]
        self.log_path = (
            log_dir or Path(env.get("INSTANCE_PATH", "/tmp"))
        ) / f"server-{self.port}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "convene", command],
            cwd=root,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout: float = 90) -> None:
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-2000:]}")

    def kill(self) -> None:
        """Die at once, as on a crash or an out-of-memory kill: SIGKILL to the server and its
        workers (gunicorn's worker holds the connections), no goodbye to anyone."""
        import signal

        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        workers = [int(c) for c in children.read_text().split()] if children.exists() else []
        for target in [pid, *workers]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(target, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is not None:
            self._log.close()
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        self._log.close()


#: The Redis server of the tests that need one (scale-out, presence, shared limits).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_available(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def forget_redis_keys(prefix: str, url: str = REDIS_URL) -> None:
    """Delete every key under ``prefix`` (a test's channel: presence, locks, limits)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    except redis.ConnectionError:
        pass  # no Redis, so nothing was written there
    finally:
        client.close()


class Nginx:
    """Debian's nginx with deploy/nginx/convene.conf as shipped, in front of ``servers``
    (what differs per machine, convene-servers.conf and convene-local.conf, written here)."""

    CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "convene.conf"

    def __init__(self, servers, folder: Path) -> None:
        import subprocess

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        self.access_log = folder / "access.log"
        (folder / "convene-servers.conf").write_text(
            "".join(f"server 127.0.0.1:{s.port} max_fails=1 fail_timeout=10s;\n" for s in servers)
        )
        (folder / "convene-local.conf").write_text(
            f"listen 127.0.0.1:{self.port};\n"
            f"access_log {self.access_log} convene;\n"
            f"error_log {folder / 'error.log'} warn;\n"
        )
        user = "user root;\n" if os.getuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
            "http {\n"
            f"  client_body_temp_path {folder / 'body'};\n  proxy_temp_path {folder / 'proxy'};\n"
            f"  fastcgi_temp_path {folder / 'fastcgi'};\n  uwsgi_temp_path {folder / 'uwsgi'};\n"
            f"  scgi_temp_path {folder / 'scgi'};\n  access_log off;\n"
            f"  include {self.CONF};\n"
            "}\n"
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout: float = 30) -> None:
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                errors = self.folder / "error.log"
                raise RuntimeError(f"nginx exited: {errors.read_text() if errors.exists() else ''}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
                self.process.wait()


def nginx_available() -> bool:
    return bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())


# -- a crowd at real size --------------------------------------------------------------------

_GIVEN = [
    "María José",
    "Ana Lucía",
    "José Ángel",
    "Guadalupe",
    "Nguyễn Thị",
    "Zoë",
    "Björn",
    "Åsa",
    "Siobhán",
    "Chidi",
    "Oluwaseun",
    "Jean-François",
    "Małgorzata",
    "Þórunn",
    "Dương",
    "Fatoumata",
]
_FAMILY = [
    "García Hernández",
    "Núñez de Arce y Villalobos",
    "Ødegård",
    "Çelik",
    "Schäfer-Großmann",
    "O'Sullivan",
    "Nakamura",
    "Abdulrahman Al-Farsi",
    "Wójcik",
    "Dupont-Lefèvre",
    "Müller",
    "Kowalczyk-Szymańska",
]
CAUCUSES = [
    "Inquilinos Unidos del Barrio Norte",
    "Student Debt Collective, Región Sur",
    "Trabajadoras del hogar",
    "Riverside tenants",
    None,
]


def crowd(n: int) -> list[tuple[str, str | None]]:
    """``n`` (name, caucus) pairs as a regional convening has them: long names with
    diacritics, some people sharing a name (twice), a few caucuses and people in none."""
    people = []
    for i in range(n):
        given = _GIVEN[i % len(_GIVEN)]
        family = _FAMILY[(i // len(_GIVEN)) % len(_FAMILY)]
        name = f"{given} {family}"
        if i // (len(_GIVEN) * len(_FAMILY)):
            name = f"{name} {i}"  # beyond every combination: still distinct
        people.append((name, CAUCUSES[i % len(CAUCUSES)]))
    # the same name twice, as happens: two "María José García Hernández"
    for i in range(0, n, 40):
        if i + 1 < n:
            people[i + 1] = (people[i][0], people[i + 1][1])
    return people


def seed_crowd(database_url: str, code: str, n: int) -> list[int]:
    """Join :func:`crowd` (``n`` people) to the convening ``code`` through the services, on
    the server's own database (the HTTP join is limited per address); returns member ids.
    The server's screens learn of them from their next snapshot."""
    from convene.bootstrap import build_services
    from convene.services import convenings
    from convene.store.database import make_session_factory

    engine = make_engine(database_url)
    try:
        services = build_services(make_session_factory(engine))
        return [
            convenings.join(services, code=code, name=name, caucus=caucus).id
            for name, caucus in crowd(n)
        ]
    finally:
        engine.dispose()
