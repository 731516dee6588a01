"""The facilitator steers the projector: PUT /api/convenings/{code}/projector (projector.show)."""

from __future__ import annotations

import pytest

from tests.integration.test_api import bearer, check

PATH = "/api/convenings/{code}/projector"


@pytest.fixture
def meeting(client):
    created = client.post("/api/convenings", json={"title": "Asamblea de Peñalolén"}).get_json()
    code, boss = created["code"], created["facilitator_token"]
    person = client.post(f"/api/convenings/{code}/participants", json={"name": "Zoë Ødegård"})
    item = client.post(
        f"/api/convenings/{code}/agenda", json={"title": "Housing"}, headers=bearer(boss)
    ).get_json()
    round_ = client.post(
        f"/api/convenings/{code}/rounds",
        json={
            "title": "Which first?",
            "method": "irv",
            "options": [{"label": "Rent freeze"}, {"label": "Counsel"}],
        },
        headers=bearer(boss),
    ).get_json()
    return {
        "code": code,
        "boss": boss,
        "projector": created["projector_token"],
        "person": person.get_json()["token"],
        "item": item,
        "round": round_,
    }


def put(client, meeting, body, token=None):
    return client.put(
        f"/api/convenings/{meeting['code']}/projector",
        json=body,
        headers=bearer(token or meeting["boss"]),
    )


def snapshot(client, meeting, token):
    return client.get(f"/api/convenings/{meeting['code']}", headers=bearer(token)).get_json()


def test_the_choice_is_in_the_snapshot_and_the_log(client, meeting):
    assert snapshot(client, meeting, meeting["projector"])["projector"]["show"] == "auto"
    body = check(
        put(client, meeting, {"show": "round", "round_id": meeting["round"]["id"]}),
        PATH,
        "put",
        200,
    )
    assert body["show"] == "round"
    assert body["round_id"] == meeting["round"]["id"]
    # A projector that connects (or reconnects) now shows the choice.
    state = snapshot(client, meeting, meeting["projector"])
    assert state["projector"]["show"] == "round"
    assert state["projector"]["round_id"] == meeting["round"]["id"]
    events = client.get(
        f"/api/convenings/{meeting['code']}/events?after=0", headers=bearer(meeting["projector"])
    ).get_json()["events"]
    assert [e["data"]["show"] for e in events if e["type"] == "projector.shown"] == ["round"]
    check(put(client, meeting, {"show": "agenda"}), PATH, "put", 200)
    check(put(client, meeting, {"show": "auto"}), PATH, "put", 200)
    assert snapshot(client, meeting, meeting["person"])["projector"]["show"] == "auto"


@pytest.mark.parametrize("who", ["person", "projector"])
def test_only_facilitators_steer_it(client, meeting, who):
    response = put(client, meeting, {"show": "join"}, meeting[who])
    check(response, PATH, "put", 403)
    assert snapshot(client, meeting, meeting["boss"])["projector"]["show"] == "auto"


@pytest.mark.parametrize(
    "body",
    [
        {"show": "everything"},
        {"show": ["floor"]},
        {"show": None},
        {},
        {"show": "round"},
        {"show": "round", "round_id": "1"},
        {"show": "round", "round_id": True},
        {"show": "round", "round_id": 10**30},
        {"show": "round", "round_id": 99999},
        {"show": "demand", "demand_id": 99999},
        {"show": "floor", "round_id": 1},
        {"show": "auto", "extra": 1},
        {"show": {"nested": {"deep": [1, 2, 3]}}},
    ],
)
def test_unknown_views_and_ids_are_refused(client, meeting, body):
    response = put(client, meeting, body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["message"]
    assert snapshot(client, meeting, meeting["boss"])["projector"]["show"] == "auto"


def test_an_id_from_another_convening_is_refused(client, meeting):
    other = client.post("/api/convenings", json={"title": "Another assembly"}).get_json()
    theirs = client.post(
        f"/api/convenings/{other['code']}/rounds",
        json={"title": "Theirs", "method": "irv", "options": [{"label": "A"}, {"label": "B"}]},
        headers=bearer(other["facilitator_token"]),
    ).get_json()
    response = put(client, meeting, {"show": "round", "round_id": theirs["id"]})
    check(response, PATH, "put", 422)
    assert "no such round" in response.get_json()["error"]["message"]
