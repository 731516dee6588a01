"""Fixtures: every test gets a fresh app on a fresh database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import settings

from convene.bootstrap import build_services
from convene.i18n import compile_catalogues
from convene.store.database import make_engine, make_session_factory
from tests.support import (
    TEST_SECRET,
    FakeClock,
    PostgresDatabases,
    RecordingPublisher,
    SqliteTemplate,
    forget_redis_keys,
    need,
    run_name,
)

# Property tests assert what is computed, never how fast: Hypothesis's default 200 ms
# deadline per example is a timed assertion, and it failed a correct test on a loaded
# machine (load 15). Speed is measured in bench/.
settings.register_profile("convene", deadline=None)
settings.load_profile("convene")

# a helper module of the tests that checks with assert: its failures say what differed
# (before the test modules import it)
pytest.register_assert_rewrite("tests.integration.published_schemas")

# `make install` compiles the catalogues; so does a test run started without it.
compile_catalogues()

E2E = Path(__file__).parent / "e2e"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items):
    """`make test` runs the tests in parallel (pytest-xdist, --dist loadgroup), each test on
    whichever worker is free, except the browser tests: those of one module on one backend
    share that module's server (tests/e2e/conftest.py, module-scoped), so they go to one
    worker together instead of every worker starting a server of its own for them."""
    for item in items:
        if not item.path.is_relative_to(E2E):
            continue
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("server") if callspec else None
        if backend is not None:
            item.add_marker(pytest.mark.xdist_group(f"{item.module.__name__}-{backend}"))


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def _postgres():
    databases = PostgresDatabases()
    yield databases
    databases.stop()


@pytest.fixture(scope="session")
def _redis_prefix():
    """This test process's own Redis key prefix; what is left under it goes at the end."""
    prefix = run_name("test")
    yield prefix
    forget_redis_keys(prefix)


@pytest.fixture
def redis_channel(_redis_prefix):
    """A Socket.IO channel (and so Redis key prefix) of this test's own, emptied after it:
    parallel workers and other runs on the same Redis never share presence, locks or limits."""
    channel = f"{_redis_prefix}-{uuid.uuid4().hex[:8]}"
    yield channel
    forget_redis_keys(channel)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, _sqlite_template, _postgres):
    """A fresh, migrated database: SQLite file, or an emptied PostgreSQL database."""
    if request.param == "sqlite":
        return _sqlite_template.fresh(tmp_path)
    url = _postgres.start()
    need(url is not None, _postgres.error or "PostgreSQL is not available")
    _postgres.empty()
    return url


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def publisher():
    return RecordingPublisher()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def services(engine, publisher, clock):
    return build_services(
        make_session_factory(engine), publisher=publisher, clock=clock, ballot_secret=TEST_SECRET
    )


@pytest.fixture
def app(database_url, tmp_path):
    from convene.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            # Tests script whole meetings from one address at machine speed; the fair
            # limits are tested on their own (tests/integration/test_limits.py).
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app
    app.extensions["convene"].ticker.stop()
    app.extensions["convene.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()
