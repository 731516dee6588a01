"""projector.show over Socket.IO: the facilitator's choice reaches every screen as an event,
a projector that reconnects gets it in its snapshot, and anyone else (or anything malformed)
gets an error reply that changes nothing."""

from __future__ import annotations

import pytest

from tests.socket.test_live import connect, convening, join, received  # noqa: F401 - fixture


def command(socket_client, name: str, args) -> dict:
    return socket_client.emit("command", {"name": name, "args": args}, callback=True)


def shown(socket_client) -> list[dict]:
    return [e["data"] for e in received(socket_client, "event") if e["type"] == "projector.shown"]


@pytest.fixture
def room(app, client, convening):  # noqa: F811
    """A convening with a round, its facilitator, its projector and a participant connected."""
    staff = connect(app, client, convening["facilitator_token"])
    round_ = command(
        staff,
        "rounds.create",
        {
            "title": "Which campaign first?",
            "method": "irv",
            "options": [{"label": "Rent freeze"}, {"label": "Right to counsel"}],
        },
    )["result"]
    ana = join(client, convening, "Ana")
    projector = connect(app, client, convening["projector_token"])
    phone = connect(app, client, ana["token"])
    for screen in (staff, projector, phone):
        screen.get_received()
    return {
        "staff": staff,
        "projector": projector,
        "phone": phone,
        "round": round_,
        "ana": ana,
    }


def test_the_facilitator_puts_a_round_on_every_projector(app, client, convening, room):  # noqa: F811
    reply = command(
        room["staff"], "projector.show", {"show": "round", "round_id": room["round"]["id"]}
    )
    assert reply["ok"] is True
    assert reply["result"]["show"] == "round"
    assert reply["result"]["round_id"] == room["round"]["id"]
    # The projector, the phone and the console all hear it, with the same seq.
    events = {name: received(room[name], "event") for name in ("projector", "phone", "staff")}
    for name, got in events.items():
        [event] = got
        assert event["type"] == "projector.shown", name
        assert event["data"]["show"] == "round"
        assert event["data"]["round_id"] == room["round"]["id"]
    assert len({e[0]["seq"] for e in events.values()}) == 1

    # A projector that reconnects (a new socket, as after a dropped Wi-Fi) keeps the choice.
    room["projector"].disconnect()
    again = connect(app, client, convening["projector_token"])
    [snapshot] = received(again, "snapshot")
    assert snapshot["projector"]["show"] == "round"
    assert snapshot["projector"]["round_id"] == room["round"]["id"]

    # One that only missed the event gets it on resync.
    seq = snapshot["seq"]
    assert command(room["staff"], "projector.show", {"show": "agenda"})["ok"] is True
    again.disconnect()
    third = connect(app, client, convening["projector_token"])
    third.get_received()
    missed = third.emit("resync", {"seq": seq}, callback=True)
    assert [(e["type"], e["data"]["show"]) for e in missed["events"]] == [
        ("projector.shown", "agenda")
    ]

    # Back to auto: the projector follows the meeting again, results closed before stay off.
    back = command(room["staff"], "projector.show", {"show": "auto"})
    assert back["ok"] is True
    assert back["result"]["show"] == "auto"
    assert back["result"]["since"]
    [event] = shown(third)
    assert event["show"] == "auto"
    assert event["since"] == back["result"]["since"]


@pytest.mark.parametrize("who", ["phone", "projector"])
def test_only_a_facilitator_steers_it(app, client, convening, room, who):  # noqa: F811
    reply = command(room[who], "projector.show", {"show": "join"})
    assert reply == {
        "ok": False,
        "error": {"code": "forbidden", "message": "Only a facilitator may do that."},
    }
    for name in ("staff", "projector", "phone"):
        assert shown(room[name]) == [], name
    snapshot = received(connect(app, client, convening["projector_token"]), "snapshot")[0]
    assert snapshot["projector"]["show"] == "auto"


@pytest.mark.parametrize(
    "args",
    [
        {"show": "everything"},
        {"show": "ROUND"},
        {"show": ["floor"]},
        {"show": None},
        {},
        [],
        "agenda",
        {"show": "round"},
        {"show": "round", "round_id": "1"},
        {"show": "round", "round_id": 1.5},
        {"show": "round", "round_id": -1},
        {"show": "round", "round_id": 10**30},
        {"show": "round", "round_id": 99999},
        {"show": "demand", "demand_id": 99999},
        {"show": "demand", "round_id": 1},
        {"show": "floor", "round_id": 1},
        {"show": "auto", "extra": 1},
        {"show": {"nested": {"deep": [[[[1]]]]}}},
        {"show": "x" * 100_000},
    ],
)
def test_bad_views_and_ids_are_refused(app, client, convening, room, args):  # noqa: F811
    reply = command(room["staff"], "projector.show", args)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid_input"
    assert reply["error"]["message"]
    assert shown(room["projector"]) == []
    snapshot = received(connect(app, client, convening["projector_token"]), "snapshot")[0]
    assert snapshot["projector"]["show"] == "auto"


def test_a_round_of_another_convening_is_refused(app, client, convening, room):  # noqa: F811
    other = client.post("/api/convenings", json={"title": "Another assembly"}).get_json()
    theirs = connect(app, client, other["facilitator_token"])
    their_round = command(
        theirs,
        "rounds.create",
        {"title": "Theirs", "method": "irv", "options": [{"label": "A"}, {"label": "B"}]},
    )["result"]
    reply = command(
        room["staff"], "projector.show", {"show": "round", "round_id": their_round["id"]}
    )
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid_input"
    assert "no such round" in reply["error"]["message"]
    assert shown(room["projector"]) == []
