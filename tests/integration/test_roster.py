"""Importing a roster: the command against a real database, and its HTTP route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from convene.domain.errors import Forbidden, InvalidInput, NotAuthenticated
from convene.domain.roster import ROSTER_MAX_ROWS, RosterInvalid
from convene.services import convenings, roster
from convene.services.commands import run_command
from convene.store import tables
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused, dump

FIXTURE = Path(__file__).parents[1] / "data" / "roster_300.csv"
HEADER = "name,delegation,role,vote_weight,external_id,contact\n"
PATH = "/api/convenings/{code}/roster"


def entries(engine, convening_id: int | None = None) -> list[dict]:
    t = tables.roster_entries
    query = select(t).order_by(t.c.id)
    if convening_id is not None:
        query = query.where(t.c.convening_id == convening_id)
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


@pytest.fixture
def staff(services):
    created = convenings.create_convening(services, title="Regional convening")
    return services.authenticate(created.facilitator_token), created


# -- the command -----------------------------------------------------------------------------


def test_import_adds_everyone_records_and_publishes_one_event(services, engine, publisher, staff):
    actor, _ = staff
    reply = roster.import_roster(services, actor, csv=FIXTURE.read_text("utf-8"))
    assert (reply["added"], reply["updated"], reply["unchanged"], reply["total"]) == (
        300,
        0,
        0,
        300,
    )
    assert reply["not_in_file"] == []
    assert reply["dry_run"] is False
    kept = entries(engine)
    assert len(kept) == 300
    assert {"Pat Lefèvre", "María José Núñez"} <= {e["name"] for e in kept}
    assert max(len(e["delegation"]) for e in kept) > 120
    assert publisher.events[-1].type == "roster.imported"
    assert publisher.events[-1].data == {
        "added": 300,
        "updated": 0,
        "unchanged": 0,
        "not_in_file": 0,
        "total": 300,
    }


def test_reimport_updates_by_external_id_and_reports_rows_not_in_file(
    services, engine, publisher, staff
):
    actor, _ = staff
    text = FIXTURE.read_text("utf-8")
    roster.import_roster(services, actor, csv=text)
    ids_before = {e["external_id"]: e["id"] for e in entries(engine)}
    again = roster.import_roster(services, actor, csv=text)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 300)
    lines = text.splitlines(keepends=True)
    header, people = lines[0], lines[1:]
    changed = people[0].replace(",D-0001,", ",D-0001,").replace("María José", "María Josefa")
    dropped = people[1]  # D-0002 leaves the file
    reply = roster.import_roster(
        services,
        actor,
        csv=header + changed + "".join(people[2:]) + "Nuevo Delegado,Local 9,,,D-0301,\n",
    )
    assert (reply["added"], reply["updated"], reply["unchanged"]) == (1, 1, 298)
    assert [(p["external_id"], p["name"]) for p in reply["not_in_file"]] == [
        ("D-0002", dropped.split(",")[0])
    ]
    after = entries(engine)
    assert len(after) == 301  # nobody deleted, nobody duplicated
    assert {e["external_id"]: e["id"] for e in after if e["external_id"] != "D-0301"} == ids_before
    assert next(e for e in after if e["external_id"] == "D-0001")["name"].startswith("María Josefa")


def test_dry_run_changes_nothing_and_says_what_each_row_would_do(
    services, engine, publisher, staff
):
    actor, _ = staff
    roster.import_roster(services, actor, csv=HEADER + "Ana,Local 1,,,A-1,\n")
    before, published = dump(engine), len(publisher.events)
    reply = roster.import_roster(
        services,
        actor,
        rows=[
            {"name": "Ana", "delegation": "Local 1", "vote_weight": 2, "external_id": "A-1"},
            {"name": "Bo", "delegation": "Local 2"},
        ],
        dry_run=True,
    )
    assert [(r["name"], r["action"], r["line"]) for r in reply["rows"]] == [
        ("Ana", "updated", 1),
        ("Bo", "added", 2),
    ]
    assert (reply["added"], reply["updated"], reply["dry_run"]) == (1, 1, True)
    assert dump(engine) == before
    assert len(publisher.events) == published


def test_one_bad_row_and_nothing_is_imported(services, engine, publisher, staff):
    actor, _ = staff
    lines = FIXTURE.read_text("utf-8").splitlines(keepends=True)
    lines[150] = lines[150].replace(",delegate,", ",chairperson,")
    lines[200] = lines[200].replace(",D-0200,", ",D-0001,")
    text = "".join(lines)
    assert_refused(
        services,
        engine,
        publisher,
        lambda: roster.import_roster(services, actor, csv=text),
        RosterInvalid,
    )
    with pytest.raises(RosterInvalid) as raised:
        roster.import_roster(services, actor, csv=text)
    assert [(p.line, p.field) for p in raised.value.problems] == [
        (151, "role"),
        (201, "external_id"),
    ]
    assert entries(engine) == []


def test_refusals_change_nothing(services, engine, publisher, staff):
    actor, created = staff
    admission = convenings.join(services, code=created.code, name="Ana")
    participant = services.authenticate(admission.token)
    text = HEADER + "Ana,Local 1,,,,\n"
    for command, error in [
        (lambda: roster.import_roster(services, participant, csv=text), Forbidden),
        (lambda: roster.import_roster(services, actor), InvalidInput),
        (lambda: roster.import_roster(services, actor, csv=text, rows=[]), InvalidInput),
        (
            lambda: roster.import_roster(services, actor, csv=HEADER + "Ana,Local 1,boss,,,\n"),
            RosterInvalid,
        ),
        (lambda: run_command(services, admission.token, "roster.import", {"csv": text}), Forbidden),
        (lambda: run_command(services, None, "roster.import", {"csv": text}), NotAuthenticated),
        (
            lambda: run_command(services, created.facilitator_token, "roster.import", {"csv": 5}),
            InvalidInput,
        ),
        (
            lambda: run_command(
                services,
                created.facilitator_token,
                "roster.import",
                {"rows": [{"name": {"first": "Ana"}}]},
            ),
            InvalidInput,
        ),
        (
            lambda: run_command(
                services, created.facilitator_token, "roster.import", {"rows": "Ana"}
            ),
            InvalidInput,
        ),
    ]:
        assert_refused(services, engine, publisher, command, error)


def test_rosters_of_two_convenings_are_apart(services, engine, staff):
    actor, _ = staff
    other = convenings.create_convening(services, title="Another")
    other_actor = services.authenticate(other.facilitator_token)
    roster.import_roster(services, actor, csv=HEADER + "Ana,Local 1,,,A-1,\n")
    reply = roster.import_roster(services, other_actor, csv=HEADER + "Bo,Local 2,,,A-1,\n")
    assert (reply["added"], reply["not_in_file"]) == (1, [])
    assert len(entries(engine, actor.convening_id)) == 1


# -- the HTTP route --------------------------------------------------------------------------


@pytest.fixture
def room(client):
    created = client.post("/api/convenings", json={"title": "Convención regional"}).get_json()
    code = created["code"]
    ana = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()
    return {
        "code": code,
        "url": f"/api/convenings/{code}/roster",
        "staff": bearer(created["facilitator_token"]),
        "ana": bearer(ana["token"]),
    }


def _seq(client, room) -> int:
    return client.get(f"/api/convenings/{room['code']}", headers=room["staff"]).get_json()["seq"]


def test_post_a_csv_roster(client, room):
    response = client.post(
        room["url"],
        data=FIXTURE.read_bytes(),
        headers={**room["staff"], "Content-Type": "text/csv; charset=utf-8"},
    )
    body = check(response, PATH, "post", 200)
    assert (body["added"], body["updated"], body["unchanged"], body["not_in_file"]) == (
        300,
        0,
        0,
        [],
    )
    response = client.post(
        room["url"] + "?dry_run=true",
        data=FIXTURE.read_bytes(),
        headers={**room["staff"], "Content-Type": "text/csv"},
    )
    body = check(response, PATH, "post", 200)
    assert body["unchanged"] == 300
    assert len(body["rows"]) == 300


def test_post_json_rows(client, room):
    response = client.post(
        room["url"],
        json={"rows": [{"name": "Ana Núñez", "delegation": "Local 1", "role": "alternate"}]},
        headers=room["staff"],
    )
    assert check(response, PATH, "post", 200)["added"] == 1


def test_a_bad_roster_is_422_with_every_line_and_field(client, room):
    before = _seq(client, room)
    text = HEADER + "Ana,Local 1,delegate,-2,,\n,Local 1,,,,\nBo,Local 1,usher,,,\n"
    response = client.post(
        room["url"], data=text.encode(), headers={**room["staff"], "Content-Type": "text/csv"}
    )
    body = check(response, PATH, "post", 422)["error"]
    assert body["code"] == "invalid_roster"
    assert body["error_count"] == 3
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (2, "vote_weight"),
        (3, "name"),
        (4, "role"),
    ]
    assert "1 to 10000" in body["errors"][0]["message"]
    spanish = client.post(
        room["url"],
        data=text.encode(),
        headers={**room["staff"], "Content-Type": "text/csv", "Accept-Language": "es"},
    ).get_json()["error"]
    assert "nada" in spanish["message"].lower()
    assert _seq(client, room) == before


def test_hostile_rosters_get_a_clear_4xx_and_change_nothing(client, room):
    before = _seq(client, room)
    url, staff = room["url"], room["staff"]
    csv_headers = {**staff, "Content-Type": "text/csv"}
    cases = [
        # a 10 MB file
        (client.post(url, data=b"name\n" + b"x" * (10 * 1024 * 1024), headers=csv_headers), 413),
        # 100,000 rows, as CSV and as JSON
        (
            client.post(
                url,
                data=("name,delegation\n" + "P,L\n" * 100_000).encode(),
                headers=csv_headers,
            ),
            422,
        ),
        (client.post(url, json={"rows": [{"name": "P"}] * 100_000}, headers=staff), 422),
        # not UTF-8
        (client.post(url, data="name\nJosé\n".encode("latin-1"), headers=csv_headers), 422),
        # wrong types, nested JSON, unknown fields
        (client.post(url, json={"rows": "Ana"}, headers=staff), 422),
        (client.post(url, json={"csv": ["name"]}, headers=staff), 422),
        (client.post(url, json={"rows": [{"name": {"first": "Ana"}}]}, headers=staff), 422),
        (client.post(url, json={"rows": [[["Ana"]]]}, headers=staff), 422),
        (client.post(url, json={"rows": [], "csv": "name\n"}, headers=staff), 422),
        (client.post(url, json={"people": []}, headers=staff), 422),
        (client.post(url, json=[{"name": "Ana"}], headers=staff), 400),
        (
            client.post(
                url, data=b"[" * 100_000, headers={**staff, "Content-Type": "application/json"}
            ),
            400,
        ),
        (client.post(url + "?dry_run=maybe", json={"rows": []}, headers=staff), 422),
        # a participant's token, no token, another convening's code, a code that is none
        (client.post(url, json={"rows": [{"name": "Ana"}]}, headers=room["ana"]), 403),
        (client.post(url, json={"rows": [{"name": "Ana"}]}), 401),
        (
            client.post(
                "/api/convenings/CCCCCC/roster", json={"rows": [{"name": "A"}]}, headers=staff
            ),
            404,
        ),
    ]
    other = client.post("/api/convenings", json={"title": "Other"}).get_json()
    cases.append(
        (
            client.post(
                f"/api/convenings/{other['code']}/roster",
                json={"rows": [{"name": "Ana", "delegation": "L"}]},
                headers=staff,
            ),
            404,  # a facilitator's token on another convening: as if it did not exist
        )
    )
    for response, status in cases:
        assert response.status_code == status, (status, response.get_data(as_text=True)[:300])
        assert "error" in response.get_json()
    assert _seq(client, room) == before
    rows = client.post(url + "?dry_run=1", json={"rows": []}, headers=staff).get_json()
    assert rows["total"] == 0


def test_the_roster_route_is_in_the_document():
    from convene.web.api import openapi_document

    operation = openapi_document()["paths"][PATH]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "text/csv"}
    assert {"403", "413", "422"} <= set(operation["responses"])
    assert json.dumps(operation)  # serialisable
    assert ROSTER_MAX_ROWS == 5000
