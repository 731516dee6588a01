"""Browser tests: the real server in a subprocess, driven by Debian chromium via Playwright.

One server per backend (SQLite, PostgreSQL) per test module keeps the suite fast. Without
chromium or PostgreSQL the tests skip with the reason, unless CI=true: then they fail.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import free_port, run_name

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: browser and PostgreSQL tests must run)")
    pytest.skip(reason)


@dataclass
class Server:
    url: str
    backend: str
    log: Path
    database_url: str = ""  # for seeding a crowd through the services (tests/support.py)


# -- databases -----------------------------------------------------------------------------------


class _Postgres:
    """A fresh database on the PostgreSQL server, dropped afterwards."""

    def __init__(self) -> None:
        self.admin_url = os.environ.get("TEST_POSTGRES_URL") or POSTGRES_ADMIN_URL
        self.name = run_name("e2e")

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=3)

    def create(self) -> str:
        try:
            with self._admin() as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        except Exception as error:  # any failure means "not reachable"
            _unavailable(f"PostgreSQL is not reachable at {self.admin_url}: {error}")
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{self.name}"

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=1) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {timeout}s:\n{log.read_text()}")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """The real server (`python -m convene run`) on a free port, for one backend."""
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"e2e-{backend}")
    postgres = None
    if backend == "sqlite":
        database_url = f"sqlite:///{tmp / 'e2e.db'}"
    else:
        postgres = _Postgres()
        database_url = postgres.create()
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp),
        "SECRET_KEY": secrets.token_hex(16),
        "PYTHONUNBUFFERED": "1",
        "SQLITE_SYNCHRONOUS": "NORMAL",  # a test database need not survive a power cut
        # One server and one address for the whole session, creating a convening per test:
        # the fair limits have their own tests (tests/integration/test_limits.py).
        "RATELIMIT_ENABLED": "0",
    }
    env.pop("PUBLIC_URL", None)
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    subprocess.run(
        [sys.executable, "-m", "convene", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "convene", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Server(url=url, backend=backend, log=log, database_url=database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if postgres is not None:
            postgres.drop()


# -- browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # An expectation waits up to 10 s (Playwright's default is 5 s), as actions do (below):
    # with parallel workers, or two runs at once, on 2 cores, a page's answer to a websocket
    # event sometimes took longer than 5 s, though nothing was wrong.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Make browser contexts (one per person/device); each is closed after the test.

    Every page fails the test on a JavaScript error or a CSP violation, and any dialog
    (alert, confirm) is recorded in ``context.dialogs`` and dismissed.
    """
    contexts = []

    def make(viewport=LAPTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(10_000)
        # A page load fetches the page and each of its scripts from the development server:
        # on 2 cores shared with parallel workers (and other runs) it once took over 10 s.
        context.set_default_navigation_timeout(30_000)
        context.dialogs = []
        context.errors = []

        def on_page(page):
            page.on("pageerror", lambda error: context.errors.append(str(error)))
            page.on(
                "console",
                lambda msg: (
                    context.errors.append(msg.text)
                    if msg.type == "error" and "Content Security Policy" in msg.text
                    else None
                ),
            )

            def on_dialog(dialog):
                context.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)

        context.on("page", on_page)
        contexts.append(context)
        return context

    yield make
    errors = [e for c in contexts for e in c.errors]
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors or CSP violations in the pages: {errors}"


@pytest.fixture
def shoot(server):
    """shoot(page, "console") saves test-artifacts/console.png (gitignored).

    The pages look the same on both backends, so only the SQLite run takes screenshots.
    """
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = False) -> Path | None:
        if server.backend != "sqlite":
            return None
        path = ARTIFACTS / f"{name}.png"
        page.bring_to_front()  # a background tab may not paint
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
