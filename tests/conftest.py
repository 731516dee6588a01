"""Fixtures: every test gets a fresh app on a fresh database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from convene.i18n import compile_catalogues
from convene.services.core import Services
from convene.store.database import make_engine, make_session_factory
from tests.support import (
    TEST_SECRET,
    FakeClock,
    PostgresDatabases,
    RecordingPublisher,
    SqliteTemplate,
    need,
)

# `make install` compiles the catalogues; so does a test run started without it.
compile_catalogues()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def _postgres():
    databases = PostgresDatabases()
    yield databases
    databases.stop()


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
    return Services(
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
