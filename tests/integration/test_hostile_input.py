"""What a hostile participant sends gets a clear 4xx (or a Socket.IO error reply), never a 5xx
or silence, and changes nothing: the inputs that once broke the server, one by one."""

from __future__ import annotations

import json

import pytest

from convene.extensions import socketio
from tests.integration.test_api import bearer, check

HUGE_ID = 2**63  # one past SQLite's and PostgreSQL bigint's range (our ids are int4)


@pytest.fixture
def room(client):
    created = client.post(
        "/api/convenings", json={"title": "Asamblea regional: vivienda y alquileres"}
    ).get_json()
    code = created["code"]
    ana = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana Núñez"})
    staff = bearer(created["facilitator_token"])
    item = client.post(
        f"/api/convenings/{code}/agenda", json={"title": "Rent strike"}, headers=staff
    ).get_json()
    return {
        "code": code,
        "staff": staff,
        "facilitator_token": created["facilitator_token"],
        "ana": ana.get_json(),
        "item": item,
        "base": f"/api/convenings/{code}",
    }


def _seq(client, room) -> int:
    return client.get(room["base"], headers=room["staff"]).get_json()["seq"]


def test_ids_beyond_the_database_range_are_422_not_overflow(client, room):
    before = _seq(client, room)
    base, staff = room["base"], room["staff"]
    for huge in (HUGE_ID, 2**31, 10**30):
        response = client.patch(f"{base}/agenda/{huge}", json={"title": "x"}, headers=staff)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.get_json()["error"]["field"] == "item_id"
        response = client.post(f"{base}/agenda/reorder", json={"order": [huge]}, headers=staff)
        body = check(response, "/api/convenings/{code}/agenda/reorder", "post", 422)
        assert body["error"]["field"] == "order"
        response = client.post(
            f"{base}/demands",
            json={"title": "Freeze rents", "body": "Now.", "agenda_item_id": huge},
            headers=bearer(room["ana"]["token"]),
        )
        assert response.status_code == 422
    assert _seq(client, room) == before


def test_a_convening_without_a_title_is_422_not_type_error(client):
    for body in ({}, {"place": "Library"}, {"title": None}, {"title": 5}):
        response = client.post("/api/convenings", json=body)
        refused = check(response, "/api/convenings", "post", 422)
        assert refused["error"]["field"] == "title"


def test_events_after_a_superscript_digit_is_422(client, room):
    for after in ("³", "١", "-1", "1e3x", "99999999999999999999"):
        response = client.get(f"{room['base']}/events?after={after}", headers=room["staff"])
        body = check(response, "/api/convenings/{code}/events", "get", 422)
        assert body["error"]["field"] == "after"
    ok = client.get(f"{room['base']}/events?after=1", headers=room["staff"])
    assert [e["seq"] for e in check(ok, "/api/convenings/{code}/events", "get", 200)["events"]]


def test_numbers_sent_as_text_are_refused_not_coerced(client, room):
    response = client.patch(
        f"{room['base']}/agenda/{room['item']['id']}",
        json={"timebox_minutes": "10"},
        headers=room["staff"],
    )
    body = check(response, "/api/convenings/{code}/agenda/{item_id}", "patch", 422)
    assert body["error"]["field"] == "timebox_minutes"
    state = client.get(room["base"], headers=room["staff"]).get_json()
    assert state["agenda"][0]["timebox_minutes"] is None


def test_json_nested_a_thousand_deep_is_400(client, room):
    body = "[" * 1000 + "]" * 1000  # 2 KB
    for data in (body, '{"title": ' + body + "}", '{"a":' * 1000 + "1" + "}" * 1000):
        response = client.post(
            f"{room['base']}/agenda",
            data=data,
            content_type="application/json",
            headers=room["staff"],
        )
        refused = check(response, "/api/convenings/{code}/agenda", "post", 400)
        assert refused["error"]["code"] == "bad_request"
    # Brackets inside strings are text, not nesting.
    response = client.post(
        f"{room['base']}/agenda", json={"title": "[" * 150}, headers=room["staff"]
    )
    assert check(response, "/api/convenings/{code}/agenda", "post", 201)["title"] == "[" * 150


def test_a_lone_surrogate_is_400_and_a_pair_is_text(client, room):
    for escaped in ('"\\ud800"', '"x\\udc00y"', '"\\ud800\\u0041"'):
        response = client.post(
            f"{room['base']}/agenda",
            data='{"title": ' + escaped + "}",
            content_type="application/json",
            headers=room["staff"],
        )
        check(response, "/api/convenings/{code}/agenda", "post", 400)
    response = client.post(
        f"{room['base']}/agenda",
        data='{"title": "Fiesta \\ud83c\\udf89"}',
        content_type="application/json",
        headers=room["staff"],
    )
    assert check(response, "/api/convenings/{code}/agenda", "post", 201)["title"] == "Fiesta 🎉"


def test_405_names_the_allowed_methods(client, room):
    response = client.put(f"{room['base']}/agenda")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"POST"}
    response = client.delete("/api/convenings")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_invisible_characters_are_stripped_from_names_and_titles(client, room):
    joined = client.post(
        f"/api/convenings/{room['code']}/participants",
        json={"name": "Pa\u200bt\u200e \u061cGarcía\ue000", "caucus": "Nor\u200dte"},
    )
    pat = check(joined, "/api/convenings/{code}/participants", "post", 201)
    members = client.get(f"{room['base']}/participants", headers=room["staff"]).get_json()
    [me] = [m for m in members["members"] if m["id"] == pat["id"]]
    assert me["name"] == "Pat García"
    assert me["caucus"] == "Norte"
    # Decomposed accents are composed (NFC): "José" typed either way is the same name.
    item = client.post(
        f"{room['base']}/agenda",
        json={"title": "\u202eJose\u0301 \u2066Martí\u2069\u00ad"},
        headers=room["staff"],
    )
    assert check(item, "/api/convenings/{code}/agenda", "post", 201)["title"] == "José Martí"
    # Nothing but invisible characters is an empty name.
    empty = client.post(
        f"/api/convenings/{room['code']}/participants", json={"name": "\u200b\u200e\u2060"}
    )
    assert check(empty, "/api/convenings/{code}/participants", "post", 422)["error"]


# -- Socket.IO --------------------------------------------------------------------------------


def _raw_command(sock, text: str):
    """Send a ``command`` event whose JSON is exactly ``text`` (as a hostile client could)."""
    sock.callback_counter += 1
    sock.socketio.server._handle_eio_message(sock.eio_sid, f"2{sock.callback_counter}{text}")
    ack, sock.acks = sock.acks, None
    return ack["args"] if ack else []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_bad_socket_command_gets_an_error_reply_and_changes_nothing(app, client, room):
    phone = socketio.test_client(
        app, auth={"token": room["ana"]["token"]}, flask_test_client=client
    )
    staff = socketio.test_client(
        app, auth={"token": room["facilitator_token"]}, flask_test_client=client
    )
    before = _seq(client, room)
    deep = {"title": "x"}
    for _ in range(200):
        deep = {"nested": deep}
    messages = [
        None,
        5,
        "agenda.add",
        ["agenda.add", {"title": "x"}],
        True,
        {},
        {"name": None},
        {"name": "no.such.command"},
        {"name": ["agenda.add"]},
        {"name": "agenda.add" * 1000, "args": {}},
        {"name": "agenda.add", "args": "title"},
        {"name": "agenda.add", "args": [1, 2]},
        {"name": "agenda.add", "args": {}},
        {"name": "agenda.add", "args": {"title": 7}},
        {"name": "agenda.add", "args": {"title": "x", "unknown": 1}},
        {"name": "agenda.edit", "args": {"item_id": HUGE_ID, "title": "x"}},
        {"name": "agenda.edit", "args": {"item_id": "1", "title": "x"}},
        {"name": "agenda.reorder", "args": {"order": list(range(1, 6000))}},
        {"name": "agenda.add", "args": deep},
        {"name": "rounds.cast", "args": {"round_id": 1, "ranking": [[[[1]]]] * 10}},
    ]
    for sock in (staff, phone):
        for message in messages:
            reply = sock.emit("command", message, callback=True)
            assert reply["ok"] is False, message
            assert reply["error"]["code"] in (
                "invalid_input",
                "too_large",
                "bad_request",
                "forbidden",
            ), reply
            assert reply["error"]["message"]
        # What json.dumps cannot even produce: a lone surrogate, nesting 1,000 deep, not JSON.
        raw = [
            '["command",{"name":"agenda.add","args":{"title":"\\ud800"}}]',
            '["command",' + "[" * 1000 + "]" * 1000 + "]",
            '["command",{"name":"agenda.add","args":{"title":"x"}',
            '["command",{"name":"agenda.add","args":{"title":NaN}}]',
        ]
        for text in raw:
            [reply] = _raw_command(sock, text)
            assert reply["ok"] is False
            assert reply["error"]["code"] == "bad_request"
    assert _seq(client, room) == before
    # The connection still works afterwards.
    reply = staff.emit(
        "command", {"name": "agenda.add", "args": {"title": "Still here"}}, callback=True
    )
    assert reply["ok"] is True
    assert json.dumps(reply["result"]["title"]) == '"Still here"'


# -- the paged reads: members, events, the text of demands -------------------------------------


def _other_room(client) -> dict:
    created = client.post("/api/convenings", json={"title": "Otra asamblea"}).get_json()
    staff = bearer(created["facilitator_token"])
    demand = client.post(
        f"/api/convenings/{created['code']}/demands",
        json={"title": "Not yours", "body": "Secret text of another convening."},
        headers=staff,
    ).get_json()
    return {"code": created["code"], "demand": demand}


def test_paged_reads_refuse_bad_pages_over_http(client, room):
    base, staff = room["base"], room["staff"]
    members, events = f"{base}/participants", f"{base}/events"
    for query in ("limit=100000", "limit=501", "limit=0", "limit=-1", "limit=x", "limit=1.5"):
        response = client.get(f"{members}?{query}", headers=staff)
        assert check(response, "/api/convenings/{code}/participants", "get", 422)["error"]
        response = client.get(f"{events}?{query}", headers=staff)
        assert check(response, "/api/convenings/{code}/events", "get", 422)["error"]
    for after in ("-1", "³", str(HUGE_ID), "", "[1]"):
        response = client.get(f"{members}?after={after}", headers=staff)
        body = check(response, "/api/convenings/{code}/participants", "get", 422)
        assert body["error"]["field"] == "after"
    response = client.get(f"{members}?oops=1", headers=staff)
    assert check(response, "/api/convenings/{code}/participants", "get", 422)["error"]
    # a participant may not read the people list, a page or not
    ana = bearer(room["ana"]["token"])
    response = client.get(f"{members}?limit=1", headers=ana)
    assert check(response, "/api/convenings/{code}/participants", "get", 403)["error"]
    page = check(
        client.get(f"{members}?limit=1", headers=staff),
        "/api/convenings/{code}/participants",
        "get",
        200,
    )
    assert len(page["members"]) == 1
    assert page["next_after"] == page["members"][0]["id"]
    page = client.get(f"{events}?after=0&limit=1", headers=staff).get_json()
    assert len(page["events"]) == 1
    assert page["next_after"] == 1


def test_the_text_of_demands_is_read_only_for_this_convening(client, room):
    other = _other_room(client)
    ana = bearer(room["ana"]["token"])
    mine = client.post(
        f"{room['base']}/demands", json={"title": "Ours", "body": "Our text."}, headers=ana
    ).get_json()
    listed = "/api/convenings/{code}/demands"
    ids = f"ids={mine['id']}&ids={other['demand']['id']}"
    page = check(client.get(f"{room['base']}/demands?{ids}", headers=ana), listed, "get", 200)
    assert [d["body"] for d in page["demands"]] == ["Our text."]
    response = client.get(f"{room['base']}/demands/{other['demand']['id']}", headers=ana)
    assert check(response, "/api/convenings/{code}/demands/{demand_id}", "get", 404)["error"]
    for bad in ("ids=x", f"ids={HUGE_ID}", "ids=0", "ids=-3", "&".join(["ids=1"] * 101)):
        response = client.get(f"{room['base']}/demands?{bad}", headers=ana)
        assert response.status_code in (413, 422), (bad, response.status_code)
        assert response.get_json()["error"]["field"] == "ids"
    # a demand hidden by a facilitator has no text for the room
    client.post(
        f"{room['base']}/demands/{mine['id']}/hide", json={"reason": "Spam"}, headers=room["staff"]
    )
    page = client.get(f"{room['base']}/demands?ids={mine['id']}", headers=ana).get_json()
    assert page["demands"] == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_paged_reads_over_the_socket_get_error_replies(app, client, room):
    other = _other_room(client)
    staff = socketio.test_client(
        app, auth={"token": room["facilitator_token"]}, flask_test_client=client
    )
    phone = socketio.test_client(
        app, auth={"token": room["ana"]["token"]}, flask_test_client=client
    )
    bad_pages = [
        {"limit": 10**9},
        {"limit": 0},
        {"limit": -5},
        {"limit": "50"},
        {"limit": None},
        {"after": -1},
        {"after": HUGE_ID},
        {"after": "0"},
        {"after": [1]},
        {"page": 2},
    ]
    for args in bad_pages:
        reply = staff.emit("command", {"name": "members.list", "args": args}, callback=True)
        assert reply["ok"] is False, args
        assert reply["error"]["code"] in ("invalid_input", "too_large"), reply
    reply = phone.emit("command", {"name": "members.list", "args": {}}, callback=True)
    assert reply["error"]["code"] == "forbidden"
    reply = staff.emit("command", {"name": "members.list", "args": {"limit": 2}}, callback=True)
    assert reply["ok"] is True
    assert len(reply["result"]["members"]) == 2
    for args in (
        {"ids": "1"},
        {"ids": [0]},
        {"ids": [HUGE_ID]},
        {"ids": [1] * 101},
        {"ids": [[1]]},
    ):
        reply = phone.emit("command", {"name": "demands.list", "args": args}, callback=True)
        assert reply["ok"] is False, args
        assert reply["error"]["field"] == "ids"
    reply = phone.emit(
        "command", {"name": "demands.list", "args": {"ids": [other["demand"]["id"]]}}, callback=True
    )
    assert reply["ok"] is True
    assert reply["result"]["demands"] == []
    for message in (
        {"seq": 0, "limit": 10**6},
        {"seq": 0, "limit": 0},
        {"seq": 0, "limit": "5"},
        {"seq": -1},
        {"seq": "0"},
        {"seq": HUGE_ID},
        {"seq": 0, "extra": True},
        {},
        "0",
        None,
        [0],
    ):
        reply = phone.emit("resync", message, callback=True)
        assert reply["error"]["code"] in ("invalid_input", "bad_request"), (message, reply)
    reply = phone.emit("resync", {"seq": 0, "limit": 1}, callback=True)
    assert len(reply["events"]) == 1
    assert reply["next_after"] == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_supporters_and_not_voted_pages_refuse_bad_input(app, client, room):
    """demands.supporters and rounds.not_voted: wrong types, huge numbers and other
    convenings' ids get an error reply over the socket and a 4xx over HTTP; nothing changes."""
    other = _other_room(client)
    base, staff = room["base"], room["staff"]
    mine = client.post(
        f"{base}/demands", json={"title": "Ours", "body": "Our text."}, headers=staff
    ).get_json()
    named = client.post(
        f"{base}/rounds",
        json={"title": "¿Sí?", "method": "yes_no", "options": [{"label": "Sí"}], "secret": False},
        headers=staff,
    ).get_json()
    client.post(f"{base}/rounds/{named['id']}/open", headers=staff)
    console = socketio.test_client(
        app, auth={"token": room["facilitator_token"]}, flask_test_client=client
    )
    phone = socketio.test_client(
        app, auth={"token": room["ana"]["token"]}, flask_test_client=client
    )
    seq = _seq(client, room)
    for name, good, bad_pages in (
        (
            "demands.supporters",
            {"demand_id": mine["id"]},
            [
                {"limit": 10**9},
                {"limit": 0},
                {"limit": "5"},
                {"offset": -1},
                {"offset": "0"},
                {"offset": HUGE_ID},
                {"after": 1},
                {"demand_id": "1"},
                {"demand_id": HUGE_ID},
                {"demand_id": [mine["id"]]},
                {"demand_id": other["demand"]["id"]},
            ],
        ),
        (
            "rounds.not_voted",
            {"round_id": named["id"]},
            [
                {"limit": 10**9},
                {"limit": 0},
                {"limit": "5"},
                {"after": -1},
                {"after": "0"},
                {"after": HUGE_ID},
                {"offset": 1},
                {"round_id": "1"},
                {"round_id": HUGE_ID},
                {"round_id": None},
            ],
        ),
    ):
        for bad in bad_pages:
            args = {**good, **bad}
            reply = console.emit("command", {"name": name, "args": args}, callback=True)
            assert reply["ok"] is False, (name, args)
            assert reply["error"]["code"] in ("invalid_input", "too_large", "not_found"), reply
        reply = console.emit("command", {"name": name, "args": good}, callback=True)
        assert reply["ok"] is True, reply
    reply = phone.emit(
        "command", {"name": "rounds.not_voted", "args": {"round_id": named["id"]}}, callback=True
    )
    assert reply["error"]["code"] == "forbidden"
    for url in (
        f"{base}/demands/{mine['id']}/supporters?limit=x",
        f"{base}/demands/{mine['id']}/supporters?offset=-1",
        f"{base}/demands/{other['demand']['id']}/supporters",
        f"{base}/demands/{HUGE_ID}/supporters",
        f"{base}/rounds/{named['id']}/not-voted?after=³",
        f"{base}/rounds/{named['id']}/not-voted?limit=100000",
        f"/api/convenings/{other['code']}/rounds/{named['id']}/not-voted",
    ):
        response = client.get(url, headers=staff)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response.get_json()["error"]
    assert _seq(client, room) == seq  # nothing was recorded
