"""The public join-form lookup: a convening's title and whether it asks for a passcode."""

from __future__ import annotations

import pytest

from convene.bootstrap import build_services
from convene.services import convenings
from convene.services.lookup import join_info
from convene.store.database import make_engine, make_session_factory
from convene.store.migrate import upgrade


@pytest.fixture
def svc(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'lookup.db'}")
    upgrade(engine)
    yield build_services(make_session_factory(engine))
    engine.dispose()


def test_join_info_names_the_convening_and_its_passcode_rule(svc):
    open_one = convenings.create_convening(svc, title="Chapter meeting")
    locked = convenings.create_convening(svc, title="Assembly", passcode="sesame")
    assert join_info(svc, open_one.code) == {
        "code": open_one.code,
        "title": "Chapter meeting",
        "requires_passcode": False,
        "has_roster": False,
    }
    assert join_info(svc, locked.code)["requires_passcode"] is True


def test_join_info_is_none_for_an_unknown_code(svc):
    assert join_info(svc, "ACDEFG") is None
