"""The minutes model: a pure function of recorded state and event log."""

from __future__ import annotations

import pytest

from convene.domain.errors import InvalidInput
from convene.domain.minutes import build_minutes, duration, parse_action


def _state(anonymous=False):
    return {
        "convening": {"code": "ACDEFG", "title": "T", "anonymous": anonymous},
        "members": [
            {"id": 1, "name": "Fran", "role": "facilitator", "vote_weight": 1},
            {"id": 2, "name": "Ana", "role": "participant", "vote_weight": 3},
            {"id": 3, "name": "Ben", "role": "participant", "vote_weight": 1, "carried_by_id": 2},
        ],
        "agenda": [{"id": 7, "title": "Rent", "position": 0, "state": "done"}],
        "demands": [],
        "rounds": [],
        "actions": [{"id": 1, "what": "Call", "who": "Ana", "due": None, "agenda_item_id": 7}],
    }


EVENTS = [
    {"seq": 1, "type": "convening.created", "data": {}, "at": "2026-11-23T18:00:00Z"},
    {
        "seq": 2,
        "type": "participant.joined",
        "data": {"role": "participant", "participants": 1},
        "at": "2026-11-23T18:01:00Z",
    },
    {
        "seq": 3,
        "type": "participant.joined",
        "data": {"role": "participant", "participants": 2},
        "at": "2026-11-23T18:02:00Z",
    },
    {
        "seq": 4,
        "type": "participant.removed",
        "data": {"role": "participant", "participants": 1},
        "at": "2026-11-23T18:09:00Z",
    },
]


def test_attendance_over_time_comes_from_the_event_log():
    document = build_minutes(_state(), EVENTS)
    attendance = document["attendance"]
    assert [(p["at"], p["count"]) for p in attendance["timeline"]] == [
        ("2026-11-23T18:01:00Z", 1),
        ("2026-11-23T18:02:00Z", 2),
        ("2026-11-23T18:09:00Z", 1),
    ]
    assert (attendance["peak"], attendance["present_at_end"]) == (2, 1)
    assert attendance["names"] == ["Ana", "Ben"]
    assert attendance["delegates"] == [{"name": "Ana", "weight": 3}]
    assert attendance["proxies"] == [{"name": "Ben", "carried_by": "Ana"}]
    assert document["facilitators"] == ["Fran"]
    assert document["items"][0]["actions"][0]["what"] == "Call"
    assert document["actions"][0]["agenda_item"] == "Rent"
    assert document["last_seq"] == 4
    assert document["final"] is False


def test_an_anonymous_convening_names_nobody():
    attendance = build_minutes(_state(anonymous=True), EVENTS)["attendance"]
    assert attendance["names"] is None
    assert attendance["delegates"] == attendance["proxies"] == []


def test_the_same_input_gives_the_same_document():
    assert build_minutes(_state(), EVENTS) == build_minutes(_state(), EVENTS)


def test_action_items_are_checked():
    with pytest.raises(InvalidInput):
        parse_action("", "Ana", None)
    with pytest.raises(InvalidInput):
        parse_action("Call", "Ana", "next week")
    assert parse_action(" Call ", "Ana", "2026-12-01")["due"].isoformat() == "2026-12-01"
    assert duration(754.0) == "12 min 34 s"
