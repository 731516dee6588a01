"""The HTTP JSON API end to end: every route, its status codes, and its documented schema."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from convene.web.api import openapi_document

DOC = openapi_document()


def _validate(schema: dict, value: object) -> None:
    Draft202012Validator({**schema, "components": DOC["components"]}).validate(value)


def check_request(request, operation: dict) -> None:
    """An accepted request, validated against the document: its JSON body against the
    operation's request schema, and its query arguments are documented ones."""
    stream = request.environ["wsgi.input"]  # the test client's buffer, already read once
    stream.seek(0)
    raw = stream.read()
    if raw and "requestBody" in operation and request.mimetype == "application/json":
        _validate(
            operation["requestBody"]["content"]["application/json"]["schema"], json.loads(raw)
        )
    documented = {p["name"]: p for p in operation.get("parameters", ()) if p["in"] == "query"}
    assert set(request.args) <= set(documented), (set(request.args), set(documented))


def check(response, path: str, method: str, status: int):
    """Assert the status and validate the reply (and, when accepted, the request) against
    the generated document."""
    assert response.status_code == status, response.get_data(as_text=True)
    operation = DOC["paths"][path][method]
    if status < 300:
        check_request(response.request, operation)
    documented = operation["responses"][str(status)]
    if "content" in documented:
        _validate(documented["content"]["application/json"]["schema"], response.get_json())
    return response.get_json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def convening(client):
    body = check(
        client.post("/api/convenings", json={"title": "Tenants' assembly", "place": "Library"}),
        "/api/convenings",
        "post",
        201,
    )
    return body


def test_openapi_document_is_valid_and_served(client):
    validate(DOC)
    assert client.get("/api/openapi.json").get_json() == DOC


def test_every_api_route_is_documented_and_every_documented_route_exists(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in DOC["paths"].items() for method in ops}
    assert routes == documented


def test_create_returns_links_and_tokens(client, convening):
    code = convening["code"]
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert convening["join_url"].endswith(f"/c/{code}")
    assert convening["facilitator_url"].endswith(convening["facilitator_token"])
    state = check(
        client.get(f"/api/convenings/{code}", headers=bearer(convening["facilitator_token"])),
        "/api/convenings/{code}",
        "get",
        200,
    )
    assert state["convening"]["title"] == "Tenants' assembly"
    assert state["me"]["role"] == "facilitator"


def test_a_meeting_scripted_through_the_api(client, convening):
    code, staff = convening["code"], bearer(convening["facilitator_token"])
    joined = check(
        client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}),
        "/api/convenings/{code}/participants",
        "post",
        201,
    )
    phone = bearer(joined["token"])
    first = check(
        client.post(
            f"/api/convenings/{code}/agenda",
            json={"title": "Rent strike", "timebox_minutes": 20},
            headers=staff,
        ),
        "/api/convenings/{code}/agenda",
        "post",
        201,
    )
    second = client.post(
        f"/api/convenings/{code}/agenda", json={"title": "AOB"}, headers=staff
    ).get_json()
    edited = check(
        client.patch(
            f"/api/convenings/{code}/agenda/{first['id']}",
            json={"notes": "Vote at 8"},
            headers=staff,
        ),
        "/api/convenings/{code}/agenda/{item_id}",
        "patch",
        200,
    )
    assert edited["notes"] == "Vote at 8"
    order = check(
        client.post(
            f"/api/convenings/{code}/agenda/reorder",
            json={"order": [second["id"], first["id"]]},
            headers=staff,
        ),
        "/api/convenings/{code}/agenda/reorder",
        "post",
        200,
    )
    assert order == {"order": [second["id"], first["id"]]}
    started = check(
        client.post(f"/api/convenings/{code}/agenda/{first['id']}/start", headers=staff),
        "/api/convenings/{code}/agenda/{item_id}/start",
        "post",
        200,
    )
    assert started["state"] == "active"
    state = check(
        client.get(f"/api/convenings/{code}", headers=phone), "/api/convenings/{code}", "get", 200
    )
    assert state["current_item_id"] == first["id"]
    assert "members" not in state
    ended = check(
        client.post(f"/api/convenings/{code}/agenda/{first['id']}/end", headers=staff),
        "/api/convenings/{code}/agenda/{item_id}/end",
        "post",
        200,
    )
    assert ended["state"] == "done"
    assert (
        client.delete(f"/api/convenings/{code}/agenda/{second['id']}", headers=staff).status_code
        == 204
    )
    caught_up = check(
        client.get(f"/api/convenings/{code}/events?after={state['seq']}", headers=phone),
        "/api/convenings/{code}/events",
        "get",
        200,
    )
    assert [e["type"] for e in caught_up["events"]] == ["agenda.item_ended", "agenda.item_removed"]
    updated = check(
        client.patch(f"/api/convenings/{code}", json={"place": "Town hall"}, headers=staff),
        "/api/convenings/{code}",
        "patch",
        200,
    )
    assert updated["place"] == "Town hall"


def test_invitations_and_removal(client, convening):
    code, staff = convening["code"], bearer(convening["facilitator_token"])
    invited = check(
        client.post(
            f"/api/convenings/{code}/invitations", json={"role": "facilitator"}, headers=staff
        ),
        "/api/convenings/{code}/invitations",
        "post",
        201,
    )
    assert invited["url"].endswith(invited["token"])
    co = bearer(invited["token"])
    joined = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()
    members = check(
        client.get(f"/api/convenings/{code}/participants", headers=co),
        "/api/convenings/{code}/participants",
        "get",
        200,
    )
    assert {m["name"] for m in members["members"]} >= {"Ana", "Co-facilitator"}
    response = client.delete(f"/api/convenings/{code}/participants/{joined['id']}", headers=co)
    assert response.status_code == 204
    gone = client.get(f"/api/convenings/{code}", headers=bearer(joined["token"]))
    check(gone, "/api/convenings/{code}", "get", 401)


def test_refusals_have_clear_json_errors(client, convening):
    code = convening["code"]
    staff = bearer(convening["facilitator_token"])
    phone = bearer(
        client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()[
            "token"
        ]
    )
    item = client.post(
        f"/api/convenings/{code}/agenda", json={"title": "Item"}, headers=staff
    ).get_json()
    other = client.post("/api/convenings", json={"title": "Elsewhere"}).get_json()
    agenda = "/api/convenings/{code}/agenda"
    cases = [
        (
            client.post(f"/api/convenings/{code}/agenda", json={"title": "x"}),
            agenda,
            401,
            "not_authenticated",
        ),
        (
            client.post(
                f"/api/convenings/{code}/agenda", json={"title": "x"}, headers=bearer("forged")
            ),
            agenda,
            401,
            "not_authenticated",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda", json={"title": "x"}, headers=phone),
            agenda,
            403,
            "forbidden",
        ),
        (
            client.post(
                f"/api/convenings/{other['code']}/agenda", json={"title": "x"}, headers=staff
            ),
            agenda,
            404,
            "not_found",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda", json={"title": ""}, headers=staff),
            agenda,
            422,
            "invalid_input",
        ),
        (
            client.post(
                f"/api/convenings/{code}/agenda",
                json={"title": "x", "colour": "red"},
                headers=staff,
            ),
            agenda,
            422,
            "invalid_input",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda", json={"title": "x" * 300}, headers=staff),
            agenda,
            413,
            "too_large",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda", data="title=x", headers=staff),
            agenda,
            400,
            "bad_request",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda", json=["x"], headers=staff),
            agenda,
            400,
            "bad_request",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda/{item['id']}/end", headers=staff),
            "/api/convenings/{code}/agenda/{item_id}/end",
            409,
            "conflict",
        ),
        (
            client.post(f"/api/convenings/{code}/agenda/999/start", headers=staff),
            "/api/convenings/{code}/agenda/{item_id}/start",
            404,
            "not_found",
        ),
        (
            client.post("/api/convenings/QQQQQQ/participants", json={"name": "A"}),
            "/api/convenings/{code}/participants",
            404,
            "not_found",
        ),
    ]
    for response, path, status, code_name in cases:
        body = check(response, path, "post", status)
        assert body["error"]["code"] == code_name
        assert body["error"]["message"]
    state = client.get(f"/api/convenings/{code}", headers=staff).get_json()
    assert [i["title"] for i in state["agenda"]] == ["Item"]


def test_oversized_body_is_refused_with_413(client, convening):
    response = client.post(
        f"/api/convenings/{convening['code']}/agenda",
        json={"title": "x", "notes": "y" * 100_000},
        headers=bearer(convening["facilitator_token"]),
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"


def test_unknown_routes_and_methods_answer_in_json(client):
    assert client.get("/api/nowhere").get_json()["error"]["code"] == "not_found"
    response = client.put("/api/convenings")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_server_errors_never_show_a_stack_trace(client, convening, monkeypatch):
    from convene.services import live

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(live, "snapshot", broken)
    response = client.get(
        f"/api/convenings/{convening['code']}", headers=bearer(convening["facilitator_token"])
    )
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret internals" not in text
    assert "Traceback" not in text
    assert response.get_json()["error"]["code"] == "server_error"


def test_security_headers_are_set(client):
    response = client.get("/api/openapi.json")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
