"""The live protocol through Flask-SocketIO's test client: snapshot, events, resync, commands."""

from __future__ import annotations

import itertools

import pytest

from convene.bootstrap import build_services
from convene.extensions import socketio
from convene.services.convenings import remove_member


@pytest.fixture
def convening(client):
    body = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    body["headers"] = {"Authorization": f"Bearer {body['facilitator_token']}"}
    return body


def join(client, convening, name="Ana") -> dict:
    return client.post(
        f"/api/convenings/{convening['code']}/participants", json={"name": name}
    ).get_json()


def connect(app, client, token):
    return socketio.test_client(app, auth={"token": token}, flask_test_client=client)


def received(socket_client, name: str) -> list:
    return [m["args"][0] for m in socket_client.get_received() if m["name"] == name]


def test_connect_sends_a_snapshot_with_seq(app, client, convening):
    phone_token = join(client, convening)["token"]
    phone = connect(app, client, phone_token)
    assert phone.is_connected()
    [snapshot] = received(phone, "snapshot")
    assert snapshot["me"]["name"] == "Ana"
    assert snapshot["seq"] == 2  # convening.created, participant.joined
    assert snapshot["convening"]["code"] == convening["code"]
    assert snapshot["presence"]["participants_connected"] == 1


@pytest.mark.parametrize("auth", [None, {}, {"token": "forged"}, {"token": 42}, "token"])
def test_a_bad_token_is_refused(app, client, auth):
    refused = socketio.test_client(app, auth=auth, flask_test_client=client)
    assert not refused.is_connected()


def test_events_arrive_in_order_after_the_snapshot(app, client, convening):
    phone = connect(app, client, join(client, convening)["token"])
    start = received(phone, "snapshot")[0]["seq"]
    headers = convening["headers"]
    code = convening["code"]
    item = client.post(
        f"/api/convenings/{code}/agenda", json={"title": "Welcome"}, headers=headers
    ).get_json()
    client.post(f"/api/convenings/{code}/agenda/{item['id']}/start", headers=headers)
    events = received(phone, "event")
    assert [e["seq"] for e in events] == [start + 1, start + 2, start + 3, start + 4]
    assert [e["type"] for e in events] == [
        "agenda.item_added",
        "convening.started",
        "agenda.item_started",
        "floor.changed",
    ]
    assert events[2]["data"]["title"] == "Welcome"
    assert events[3]["data"]["floor"]["item_id"] == item["id"]


def test_staff_and_public_see_their_own_view_of_the_same_event(app, client, convening):
    staff = connect(app, client, convening["facilitator_token"])
    projector = connect(app, client, convening["projector_token"])
    staff.get_received(), projector.get_received()
    joined = join(client, convening, name="Ben")
    [staff_event] = received(staff, "event")
    [public_event] = received(projector, "event")
    assert staff_event["seq"] == public_event["seq"]
    assert staff_event["data"]["name"] == "Ben"
    assert public_event["data"] == {"id": joined["id"], "participants": 1}


def test_resync_returns_exactly_what_was_missed(app, client, convening):
    token = join(client, convening)["token"]
    phone = connect(app, client, token)
    seen = received(phone, "snapshot")[0]["seq"]
    phone.disconnect()
    headers, code = convening["headers"], convening["code"]
    for title in ("One", "Two", "Three"):
        client.post(f"/api/convenings/{code}/agenda", json={"title": title}, headers=headers)
    phone = connect(app, client, token)
    phone.get_received()
    reply = phone.emit("resync", {"seq": seen}, callback=True)
    assert [e["seq"] for e in reply["events"]] == [seen + 1, seen + 2, seen + 3]
    assert [e["data"]["title"] for e in reply["events"]] == ["One", "Two", "Three"]
    assert reply["seq"] == seen + 3


def test_resync_from_too_far_ahead_gets_a_snapshot(app, client, convening):
    phone = connect(app, client, join(client, convening)["token"])
    reply = phone.emit("resync", {"seq": 10_000}, callback=True)
    assert reply["snapshot"]["seq"] == 2
    bad = phone.emit("resync", {"seq": "latest"}, callback=True)
    assert bad["error"]["code"] == "invalid_input"


def test_a_stale_screen_asks_for_a_snapshot(app, client, convening):
    """A screen whose floor went stale (a change that did not fit) asks for a snapshot."""
    phone = connect(app, client, join(client, convening)["token"])
    reply = phone.emit("resync", {"seq": 2, "snapshot": True}, callback=True)
    assert reply["snapshot"]["seq"] == 2
    assert set(reply) == {"snapshot"}
    assert phone.emit("resync", {"seq": 2, "snapshot": False}, callback=True)["events"] == []
    bad = phone.emit("resync", {"seq": 2, "snapshot": "yes"}, callback=True)
    assert bad["error"]["code"] == "invalid_input"


def test_commands_over_the_socket_share_the_api_rules(app, client, convening):
    staff = connect(app, client, convening["facilitator_token"])
    phone = connect(app, client, join(client, convening)["token"])
    reply = staff.emit(
        "command", {"name": "agenda.add", "args": {"title": "Budget"}}, callback=True
    )
    assert reply["ok"] is True
    assert reply["result"]["title"] == "Budget"
    refused = phone.emit(
        "command", {"name": "agenda.add", "args": {"title": "Mine"}}, callback=True
    )
    assert refused == {
        "ok": False,
        "error": {"code": "forbidden", "message": "Only a facilitator may do that."},
    }
    for message in (None, "agenda.add", {"name": "agenda.add", "args": []}, {"name": "x"}):
        reply = staff.emit("command", message, callback=True)
        assert reply["ok"] is False
        assert reply["error"]["code"] == "invalid_input"
    state = client.get(
        f"/api/convenings/{convening['code']}", headers=convening["headers"]
    ).get_json()
    assert [i["title"] for i in state["agenda"]] == ["Budget"]


def wait_for_message(socket_client, name: str, predicate, timeout: float = 5.0) -> list:
    """Messages sent on a timer (presence, turnout) arrive on the ticker's next turn."""
    import time

    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen += [m["args"][0] for m in socket_client.get_received() if m["name"] == name]
        if any(predicate(m) for m in seen):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"no {name} message matching; got {seen}")


def test_presence_tells_facilitators_who_and_everyone_how_many(app, client, convening):
    staff = connect(app, client, convening["facilitator_token"])
    ana = join(client, convening, "Ana")
    phone = connect(app, client, ana["token"])
    wait_for_message(
        staff,
        "presence",
        lambda p: p["participants_connected"] == 1 and ana["id"] in p["connected"],
    )
    seen = wait_for_message(phone, "presence", lambda p: p["participants_connected"] == 1)
    assert all("connected" not in p for p in seen), "only facilitators learn who"
    phone.disconnect()
    wait_for_message(staff, "presence", lambda p: p["participants_connected"] == 0)


def test_a_crowd_connecting_gets_presence_at_most_once_a_second(app, client, convening):
    """N phones connecting must not cost N messages to every screen (N² in all)."""
    import time

    staff = connect(app, client, convening["facilitator_token"])
    tokens = [join(client, convening, f"P{n}")["token"] for n in range(20)]
    staff.get_received()
    started = time.monotonic()
    phones = [connect(app, client, token) for token in tokens]
    seen = wait_for_message(staff, "presence", lambda p: p["participants_connected"] == 20)
    elapsed = time.monotonic() - started
    # One message per second at most, plus the first one straight away.
    assert len(seen) <= 2 + int(elapsed), f"{len(seen)} presence messages in {elapsed:.1f} s"
    for phone in phones:
        phone.disconnect()


def test_a_removed_participant_is_told_and_disconnected(app, client, convening):
    ana = join(client, convening)
    phone = connect(app, client, ana["token"])
    assert phone.is_connected()
    response = client.delete(
        f"/api/convenings/{convening['code']}/participants/{ana['id']}",
        headers=convening["headers"],
    )
    assert response.status_code == 204
    assert not phone.is_connected()
    assert not connect(app, client, ana["token"]).is_connected()


def test_a_socket_of_someone_removed_elsewhere_cannot_vote_or_act(app, client, convening):
    """Another server process removed them: this one still holds their socket (it only
    hears "removed" through Redis), and ballots run on the actor resolved at connect, so
    the ballot itself must find out."""
    staff = connect(app, client, convening["facilitator_token"])
    created = staff.emit(
        "command",
        {
            "name": "rounds.create",
            "args": {
                "title": "Next",
                "method": "irv",
                "options": [{"label": "Rent"}, {"label": "Wages"}],
            },
        },
        callback=True,
    )["result"]
    round_id, rent = created["id"], created["options"][0]["id"]
    staff.emit("command", {"name": "rounds.open", "args": {"round_id": round_id}}, callback=True)
    ana = join(client, convening)
    phone = connect(app, client, ana["token"])
    services = app.extensions["convene"]
    elsewhere = build_services(services.session_factory)  # a process that does not hold her socket
    facilitator = elsewhere.authenticate(convening["facilitator_token"])
    remove_member(elsewhere, facilitator, member_id=ana["id"])
    assert phone.is_connected()
    ballot = {"name": "rounds.cast", "args": {"round_id": round_id, "ranking": [rent]}}
    reply = phone.emit("command", ballot, callback=True)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "not_authenticated"
    hand = phone.emit("command", {"name": "floor.raise", "args": {}}, callback=True)
    assert hand["ok"] is False
    assert hand["error"]["code"] == "not_authenticated"
    closed = staff.emit(
        "command", {"name": "rounds.close", "args": {"round_id": round_id}}, callback=True
    )
    assert closed["result"]["result"]["total"]["exact"] == "0", "no ballot was stored"


def test_hand_signals_reach_the_projector_and_facilitators_but_not_phones(app, client, convening):
    ana = join(client, convening, "Ana")
    ben = join(client, convening, "Ben")
    staff = connect(app, client, convening["facilitator_token"])
    projector = connect(app, client, convening["projector_token"])
    phone = connect(app, client, ana["token"])
    sender = connect(app, client, ben["token"])
    for screen in (staff, projector, phone, sender):
        screen.get_received()
    reply = sender.emit(
        "command", {"name": "floor.signal", "args": {"signal": "twinkle"}}, callback=True
    )
    assert reply["ok"] is False
    assert reply["error"]["field"] == "signal"
    reply = sender.emit(
        "command", {"name": "floor.signal", "args": {"signal": "agree"}}, callback=True
    )
    assert reply == {"ok": True, "result": {"accepted": True}}
    [shown] = received(projector, "signal")
    assert shown["signal"] == "agree"
    assert "Ben" not in str(shown)
    assert str(ben["id"]) not in str(shown.get("member_id", ""))
    assert received(staff, "signal") == [shown]
    assert received(phone, "signal") == []


def test_a_ballot_reaches_the_projector_as_turnout_and_a_live_count(app, client, convening):
    import time

    staff = connect(app, client, convening["facilitator_token"])
    projector = connect(app, client, convening["projector_token"])
    ana = join(client, convening, "Ana")
    phone = connect(app, client, ana["token"])
    created = staff.emit(
        "command",
        {
            "name": "rounds.create",
            "args": {
                "title": "Next campaign",
                "method": "irv",
                "options": [{"label": "Rent"}, {"label": "Transit"}],
                "live_results": True,
                # named: a secret round's count moves k ballots at a time (below)
                "secret": False,
            },
        },
        callback=True,
    )
    assert created["ok"], created
    round_id = created["result"]["id"]
    rent = created["result"]["options"][0]["id"]
    assert staff.emit(
        "command", {"name": "rounds.open", "args": {"round_id": round_id}}, callback=True
    )["ok"]
    for screen in (staff, projector, phone):
        screen.get_received()
    reply = phone.emit(
        "command",
        {"name": "rounds.cast", "args": {"round_id": round_id, "ranking": [rent]}},
        callback=True,
    )
    assert reply["ok"]
    assert reply["result"]["receipt"]
    seen = {"projector": [], "phone": []}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (
        any(m["name"] == "round.tally" for m in seen["projector"])
        # (a turnout of the opening, 0 voted, may still arrive first)
        and any(m["name"] == "round.turnout" and m["args"][0]["voted"] for m in seen["phone"])
    ):
        time.sleep(0.1)
        seen["projector"] += projector.get_received()
        seen["phone"] += phone.get_received()
    tally = next(m["args"][0] for m in seen["projector"] if m["name"] == "round.tally")
    assert tally["round_id"] == round_id
    assert tally["result"]["winners"] == [rent]
    turnout = [m["args"][0] for m in seen["phone"] if m["name"] == "round.turnout"]
    assert turnout[-1]["voted"] == 1
    assert not any(m["name"] == "round.tally" for m in seen["phone"]), "phones get turnout only"


def test_a_secret_live_count_moves_only_k_ballots_at_a_time(app, client, convening):
    """12 ballots 1.5 s apart in a secret round with a live count: the projector and the
    facilitator never get two counts that differ by fewer than k ballots (watching the
    count while someone taps would tell how they voted); turnout still moves one by one.
    The ticker is driven on a fake clock: one turn per ballot, 1.5 s apart."""
    services = app.extensions["convene"]
    services.ticker.stop()  # no background turns: this test takes them itself
    k = services.anonymity
    staff = connect(app, client, convening["facilitator_token"])
    projector = connect(app, client, convening["projector_token"])
    labels = ["Rent strike fund", "Legal clinic on Thursdays", "Childcare at assemblies"]
    created = staff.emit(
        "command",
        {
            "name": "rounds.create",
            "args": {
                "title": "¿Qué hacemos primero?",
                "method": "irv",
                "options": [{"label": label} for label in labels],
                "live_results": True,
            },
        },
        callback=True,
    )["result"]
    round_id, options = created["id"], [o["id"] for o in created["options"]]
    assert created["secret"]
    staff.emit("command", {"name": "rounds.open", "args": {"round_id": round_id}}, callback=True)
    phones = [join(client, convening, f"Zoë {i}") for i in range(12)]
    for screen in (staff, projector):
        screen.get_received()
    counts = {"projector": [0], "staff": [0]}
    turnout = []
    for i, phone in enumerate(phones):
        reply = client.post(
            f"/api/convenings/{convening['code']}/rounds/{round_id}/ballots",
            json={"ranking": [options[i % 3], options[(i + 1) % 3]]},
            headers={"Authorization": f"Bearer {phone['token']}"},
        )
        assert reply.status_code == 200, reply.get_json()
        services.ticker.tick(now=1000.0 + 1.5 * i)
        for name, screen in (("projector", projector), ("staff", staff)):
            messages = screen.get_received()
            counts[name] += [
                int(m["args"][0]["result"]["total"]["exact"])
                for m in messages
                if m["name"] == "round.tally"
            ]
            if name == "staff":
                turnout += [m["args"][0]["voted"] for m in messages if m["name"] == "round.turnout"]
    assert turnout == list(range(1, 13)), "turnout moves with every ballot"
    for name, seen in counts.items():
        assert len(seen) > 1, f"the {name} got a live count before the close"
        steps = [b - a for a, b in itertools.pairwise(seen)]
        assert min(steps) >= k, f"the {name}'s live counts {seen} moved by fewer than {k}"
    closed = staff.emit(
        "command", {"name": "rounds.close", "args": {"round_id": round_id}}, callback=True
    )["result"]
    final = int(closed["result"]["total"]["exact"])
    assert final == 12
    assert final - counts["projector"][-1] >= k, "the close brings in k or more at once"
    # The console says so where live results are switched on.
    page = client.get(f"/t/{convening['facilitator_token']}", follow_redirects=True)
    assert f"live count moves only when at least {k} new ballots" in page.get_data(as_text=True)
