"""Roster credentials (issue 17 item 2): each entry's personal link and badge code, the
credentials CSV, joining with a badge, reissuing a lost one."""

from __future__ import annotations

import csv
import io
import json

import pytest

from convene.domain.convening import Role
from convene.domain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from convene.domain.roster import BADGE_CODE_LENGTH, normalise_badge_code
from convene.exports.credentials import credentials_csv, safe_cell
from convene.services import convenings, roster
from convene.services.commands import run_command
from tests.integration.test_api import bearer, check
from tests.integration.test_limits import limited  # noqa: F401 - a fixture
from tests.integration.test_services import assert_refused, dump

HEADER = "name,delegation,role,vote_weight,external_id,contact\n"
ROSTER = (
    HEADER
    + "María José Núñez,Sindicato de Trabajadores de la Enseñanza,delegate,3,D-1,mj@example.org\n"
    + "Pat Lefèvre,Local 12,alternate,,D-2,\n"
    + '=HYPERLINK("http://evil"),@Local,observer,,D-3,+1 555\n'
)


@pytest.fixture
def staff(services):
    created = convenings.create_convening(services, title="Regional convening")
    actor = services.authenticate(created.facilitator_token)
    roster.import_roster(services, actor, csv=ROSTER)
    return actor, created


def by_name(services, actor) -> dict[str, dict]:
    return {e["name"]: e for e in roster.credentials(services, actor)["entries"]}


# -- the service ------------------------------------------------------------------------------


def test_every_entry_gets_a_code_and_a_link_stored_only_hashed_and_sealed(services, engine, staff):
    actor, _ = staff
    listing = by_name(services, actor)
    assert len(listing) == 3
    codes = [e["code"] for e in listing.values()]
    assert len(set(codes)) == 3
    for entry in listing.values():
        assert len(entry["code"]) == BADGE_CODE_LENGTH + 1
        assert entry["code"][4] == "-"
        assert len(entry["token"]) >= 32
        assert entry["member_id"] is None  # nobody is a member until they arrive
    stored = str(dump(engine))
    for entry in listing.values():
        assert entry["token"] not in stored
        assert entry["code"].replace("-", "") not in stored
    # the same credentials every time they are asked for
    assert by_name(services, actor) == listing


def test_a_badge_code_joins_as_that_person_once_on_any_phone(services, publisher, staff):
    actor, created = staff
    entry = by_name(services, actor)["María José Núñez"]
    typed = entry["code"].lower().replace("-", " ")
    first = roster.redeem(services, code=created.code, badge_code=typed)
    member = services.authenticate(first.token, created.code)
    assert (member.name, member.role) == ("María José Núñez", Role.PARTICIPANT)
    assert first.token == entry["token"]  # the code and the link are one identity
    joined = publisher.events[-1]
    assert joined.type == "participant.joined"
    assert joined.data["vote_weight"] == 3
    assert joined.data["caucus"] == "Sindicato de Trabajadores de la Enseñanza"
    assert joined.data["roster_entry_id"] == entry["entry_id"]
    again = roster.redeem_link(services, token=entry["token"])
    assert again.id == first.id
    assert by_name(services, actor)["María José Núñez"]["member_id"] == first.id
    assert [e.type for e in publisher.events].count("participant.joined") == 1


def test_observers_join_as_observers(services, staff):
    actor, created = staff
    entry = by_name(services, actor)['=HYPERLINK("http://evil")']
    admission = roster.redeem(services, code=created.code, badge_code=entry["code"])
    assert admission.role is Role.OBSERVER


def test_a_reimport_changes_the_member_who_joined(services, publisher, staff):
    actor, created = staff
    entry = by_name(services, actor)["Pat Lefèvre"]
    admission = roster.redeem(services, code=created.code, token=entry["token"])
    roster.import_roster(
        services,
        actor,
        csv=ROSTER.replace("Pat Lefèvre,Local 12,alternate,", "Pat Lefèvre,Local 12,alternate,4"),
    )
    updated = [e for e in publisher.events if e.type == "participant.updated"][-1]
    assert (updated.data["id"], updated.data["vote_weight"]) == (admission.id, 4)


def test_a_reimport_that_makes_a_delegate_an_observer_stops_their_vote(services, publisher, staff):
    from convene.domain.errors import Forbidden as Refused
    from convene.services import agenda, rounds

    actor, created = staff
    entry = by_name(services, actor)["María José Núñez"]
    admission = roster.redeem(services, code=created.code, badge_code=entry["code"])
    roster.import_roster(
        services,
        actor,
        csv=ROSTER.replace(
            "Sindicato de Trabajadores de la Enseñanza,delegate,3",
            "Sindicato de Trabajadores de la Enseñanza,observer,3",
        ),
    )
    updated = [e for e in publisher.events if e.type == "participant.updated"][-1]
    assert (updated.data["role"], updated.data["participants"]) == ("observer", 0)
    assert services.authenticate(admission.token).role is Role.OBSERVER
    agenda.add_item(services, actor, title="Vote")
    created_round = rounds.create_round(
        services, actor, title="Yes?", method="approval", options=[{"label": "A"}, {"label": "B"}]
    )
    rounds.open_round(services, actor, round_id=created_round["id"])
    option = created_round["options"][0]["id"]
    with pytest.raises(Refused):
        rounds.cast_ballot(
            services,
            services.authenticate(admission.token),
            round_id=created_round["id"],
            approved=[option],
        )


def test_reissue_revokes_the_old_link_and_code_at_once(services, publisher, staff):
    actor, created = staff
    old = by_name(services, actor)["Pat Lefèvre"]
    admission = roster.redeem(services, code=created.code, badge_code=old["code"])
    new = roster.reissue(services, actor, entry_id=old["entry_id"])
    assert new["code"] != old["code"]
    assert new["token"] != old["token"]
    assert publisher.revoked == [admission.id]
    assert publisher.events[-1].type == "roster.credential_reissued"
    assert old["token"] not in str(publisher.events[-1].data)
    with pytest.raises(NotAuthenticated):
        services.authenticate(old["token"])
    with pytest.raises(NotFound):
        roster.redeem(services, code=created.code, badge_code=old["code"])
    with pytest.raises(NotAuthenticated):
        roster.redeem_link(services, token=old["token"])
    # the new badge is the same member
    again = roster.redeem(services, code=created.code, badge_code=new["code"])
    assert again.id == admission.id
    assert services.authenticate(new["token"]).member_id == admission.id


def test_a_removed_badge_holder_cannot_come_back_with_the_badge(services, staff):
    actor, created = staff
    entry = by_name(services, actor)["Pat Lefèvre"]
    admission = roster.redeem(services, code=created.code, badge_code=entry["code"])
    convenings.remove_member(services, actor, member_id=admission.id)
    with pytest.raises(NotAuthenticated):
        roster.redeem(services, code=created.code, badge_code=entry["code"])


def test_badges_belong_to_their_convening(services, engine, publisher, staff):
    actor, _created = staff
    entry = by_name(services, actor)["Pat Lefèvre"]
    other = convenings.create_convening(services, title="Another")
    other_actor = services.authenticate(other.facilitator_token)
    assert_refused(
        services,
        engine,
        publisher,
        lambda: roster.redeem(services, code=other.code, badge_code=entry["code"]),
        NotFound,
    )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: roster.reissue(services, other_actor, entry_id=entry["entry_id"]),
        NotFound,
    )


def test_hostile_credentials_commands_are_refused_and_change_nothing(
    services, engine, publisher, staff
):
    actor, created = staff
    entry = by_name(services, actor)["Pat Lefèvre"]
    ana = services.authenticate(convenings.join(services, code=created.code, name="Ana").token)
    token = convenings.join(services, code=created.code, name="Bo").token
    cases = [
        (lambda: roster.credentials(services, ana), Forbidden),
        (lambda: roster.reissue(services, ana, entry_id=entry["entry_id"]), Forbidden),
        (lambda: roster.reissue(services, actor, entry_id=2**40), InvalidInput),
        (lambda: roster.reissue(services, actor, entry_id="1"), InvalidInput),
        (lambda: roster.reissue(services, actor, entry_id=True), InvalidInput),
        (lambda: roster.reissue(services, actor, entry_id=999_999), NotFound),
        (lambda: roster.redeem(services, code=created.code), InvalidInput),
        (
            lambda: roster.redeem(
                services, code=created.code, badge_code=entry["code"], token=entry["token"]
            ),
            InvalidInput,
        ),
        (lambda: roster.redeem(services, code=created.code, badge_code=12345678), InvalidInput),
        (lambda: roster.redeem(services, code=created.code, badge_code="AAAA-AAAA"), NotFound),
        (lambda: roster.redeem(services, code=created.code, badge_code="x" * 10_000), NotFound),
        (lambda: roster.redeem(services, code=created.code, badge_code=created.code), NotFound),
        (lambda: roster.redeem(services, code=created.code, token=token), NotAuthenticated),
        (lambda: roster.redeem_link(services, token="t" * 5000), NotAuthenticated),
        (lambda: roster.redeem_link(services, token=["x"]), NotAuthenticated),
        (
            lambda: run_command(services, token, "roster.reissue", {"entry_id": entry["entry_id"]}),
            Forbidden,
        ),
        (
            lambda: run_command(services, None, "roster.credentials", {}),
            NotAuthenticated,
        ),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)


def test_badge_codes_are_typed_loosely_and_refused_strictly():
    assert normalise_badge_code(" k7pq-mx3a ") == "K7PQMX3A"
    for wrong in ("K7PQ-MX3", "K7PQ-MX3AA", "K0PQ-MX3A", "ＫＫＫＫＫＫＫＫ", ""):
        with pytest.raises(NotFound):
            normalise_badge_code(wrong)


# -- the CSV ----------------------------------------------------------------------------------


def test_no_cell_is_a_formula():
    for dangerous in ("=1+1", "+1 555", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("María") == "María"
    assert safe_cell(None) == ""
    text = credentials_csv(
        [
            {
                "name": "=cmd|' /C calc'!A0",
                "delegation": "@x",
                "role": "delegate",
                "code": "K7PQ-MX3A",
                "token": "abc",
                "external_id": "-1",
                "contact": "+1",
            }
        ],
        lambda token: f"https://example.org/t/{token}",
    )
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["name", "delegation", "role", "code", "link", "external_id", "contact"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][1:] == [
        "'@x",
        "delegate",
        "K7PQ-MX3A",
        "https://example.org/t/abc",
        "'-1",
        "'+1",
    ]


# -- the HTTP routes --------------------------------------------------------------------------

CSV_PATH = "/api/convenings/{code}/roster/credentials.csv"
BADGE_PATH = "/api/convenings/{code}/badges"
LIST_PATH = "/api/convenings/{code}/roster"
REISSUE_PATH = "/api/convenings/{code}/roster/{entry_id}/reissue"


@pytest.fixture
def room(client):
    created = client.post("/api/convenings", json={"title": "Convención regional"}).get_json()
    code = created["code"]
    staff = bearer(created["facilitator_token"])
    response = client.post(
        f"/api/convenings/{code}/roster",
        data=ROSTER.encode(),
        headers={**staff, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200
    ana = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()
    return {"code": code, "staff": staff, "ana": bearer(ana["token"])}


def _csv(client, room) -> list[dict]:
    response = client.get(
        f"/api/convenings/{room['code']}/roster/credentials.csv", headers=room["staff"]
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _seq(client, room) -> int:
    return client.get(f"/api/convenings/{room['code']}", headers=room["staff"]).get_json()["seq"]


def test_the_credentials_csv_and_a_badge_over_http(client, room):
    rows = {r["name"]: r for r in _csv(client, room)}
    assert set(rows) == {"María José Núñez", "Pat Lefèvre", '\'=HYPERLINK("http://evil")'}
    maria = rows["María José Núñez"]
    assert maria["delegation"] == "Sindicato de Trabajadores de la Enseñanza"
    assert maria["contact"] == "mj@example.org"
    assert maria["link"].startswith("http://localhost/t/")
    assert rows['\'=HYPERLINK("http://evil")']["contact"] == "'+1 555"
    # joining with the code typed on the page's form, over the API
    body = check(
        client.post(f"/api/convenings/{room['code']}/badges", json={"badge_code": maria["code"]}),
        BADGE_PATH,
        "post",
        201,
    )
    assert body["role"] == "participant"
    assert body["url"] == maria["link"]
    me = client.get(f"/api/convenings/{room['code']}", headers=bearer(body["token"]))
    assert me.status_code == 200
    # the personal link itself: the page remembers the member and opens the phone
    pat = rows["Pat Lefèvre"]
    response = client.get(pat["link"].removeprefix("http://localhost"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{room['code']}")


def test_reissue_over_http(client, room):
    pat = {r["name"]: r for r in _csv(client, room)}["Pat Lefèvre"]
    joined = client.post(
        f"/api/convenings/{room['code']}/badges", json={"badge_code": pat["code"]}
    ).get_json()
    listed = check(
        client.get(f"/api/convenings/{room['code']}/roster?search=lefÈvre", headers=room["staff"]),
        LIST_PATH,
        "get",
        200,
    )
    assert [e["name"] for e in listed["entries"]] == ["Pat Lefèvre"]
    entry_id = listed["entries"][0]["entry_id"]
    assert listed["entries"][0]["member_id"] == joined["id"]
    body = check(
        client.post(
            f"/api/convenings/{room['code']}/roster/{entry_id}/reissue", headers=room["staff"]
        ),
        REISSUE_PATH,
        "post",
        200,
    )
    assert body["code"] != pat["code"]
    assert body["url"] != pat["link"]
    refused = client.get(f"/api/convenings/{room['code']}", headers=bearer(joined["token"]))
    assert refused.status_code == 401
    old_link = client.get(pat["link"].removeprefix("http://localhost"))
    assert old_link.status_code == 404
    assert {r["name"]: r for r in _csv(client, room)}["Pat Lefèvre"]["code"] == body["code"]


def test_hostile_credential_requests_get_a_4xx_and_change_nothing(client, room):
    code, staff = room["code"], room["staff"]
    _csv(client, room)  # every credential issued
    before = _seq(client, room)
    other = client.post("/api/convenings", json={"title": "Other"}).get_json()
    badges = f"/api/convenings/{code}/badges"
    cases = [
        (client.get(f"/api/convenings/{code}/roster/credentials.csv", headers=room["ana"]), 403),
        (client.get(f"/api/convenings/{code}/roster/credentials.csv"), 401),
        (client.get(f"/api/convenings/{other['code']}/roster/credentials.csv", headers=staff), 404),
        (client.post(f"/api/convenings/{code}/roster/1/reissue", headers=room["ana"]), 403),
        (client.post(f"/api/convenings/{code}/roster/1/reissue"), 401),
        (client.post(f"/api/convenings/{code}/roster/{2**63}/reissue", headers=staff), 422),
        (client.post(f"/api/convenings/{code}/roster/999999/reissue", headers=staff), 404),
        (
            client.post(
                f"/api/convenings/{other['code']}/roster/1/reissue",
                headers=bearer(other["facilitator_token"]),
            ),
            404,
        ),
        (client.post(badges, json={"badge_code": 12345678}), 422),
        (client.post(badges, json={"badge_code": ["AAAA"]}), 422),
        (client.post(badges, json={"badge_code": "AAAA-AAAA"}), 404),
        (client.post(badges, json={}), 422),
        (client.post(badges, json={"badge_code": "AAAA-AAAA", "name": "x"}), 422),
        (client.post(badges, json={"token": "nope"}), 401),
        (client.post("/api/convenings/CCCCCC/badges", json={"badge_code": "AAAA-AAAA"}), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, (status, response.get_data(as_text=True)[:300])
        assert "error" in response.get_json()
    assert _seq(client, room) == before


def test_a_flood_of_guessed_badge_codes_is_limited(limited):  # noqa: F811 - the fixture
    app = limited(RATELIMIT_JOIN="20/second")
    client = app.test_client()
    code = client.post("/api/convenings", json={"title": "Guessing"}).get_json()["code"]
    statuses = [
        client.post(f"/api/convenings/{code}/badges", json={"badge_code": "AAAA-AAAA"}).status_code
        for _ in range(60)
    ]
    assert 429 in statuses, set(statuses)
    assert set(statuses) <= {404, 429}
    refused = client.post(f"/api/convenings/{code}/badges", json={"badge_code": "AAAA-AAAA"})
    assert refused.get_json()["error"]["code"] == "too_many_requests"


def test_the_join_page_takes_a_badge_code(client, room):
    pat = {r["name"]: r for r in _csv(client, room)}["Pat Lefèvre"]
    page = client.get(f"/c/{room['code']}")
    assert 'name="badge_code"' in page.get_data(as_text=True)
    with client.session_transaction() as session:
        csrf = session.get("csrf")
    wrong = client.post(f"/c/{room['code']}/badge", data={"csrf": csrf, "badge_code": "AAAA-AAAA"})
    assert wrong.status_code == 404
    assert "badge-error" in wrong.get_data(as_text=True)
    assert "join-error" not in wrong.get_data(as_text=True)  # not under the name's form
    right = client.post(f"/c/{room['code']}/badge", data={"csrf": csrf, "badge_code": pat["code"]})
    assert right.status_code == 302
    phone = client.get(f"/c/{room['code']}")
    assert 'name="badge_code"' not in phone.get_data(as_text=True)


def test_credentials_are_in_the_document():
    from convene.web.api import openapi_document

    paths = openapi_document()["paths"]
    assert "text/csv" in paths[CSV_PATH]["get"]["responses"]["200"]["content"]
    assert paths[BADGE_PATH]["post"]["security"] == []
    assert {"401", "403", "404"} <= set(paths[REISSUE_PATH]["post"]["responses"])


# -- the archive -------------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_archive_moves_the_credentials(services, engine, staff, request):
    """The entries' credentials move with the convening (SQLite → PostgreSQL): the member a
    badge became stays theirs, the link and the code still work with the same secret."""
    from convene.bootstrap import build_services
    from convene.exports.archive import ArchiveError, export_convening, import_convening
    from convene.store.database import make_engine, make_session_factory
    from tests.support import TEST_SECRET, need

    actor, created = staff
    listing = by_name(services, actor)
    pat = listing["Pat Lefèvre"]
    joined = roster.redeem(services, code=created.code, badge_code=pat["code"])
    archive = export_convening(engine, created.code)
    text = json.dumps(archive)
    for entry in listing.values():
        assert entry["token"] not in text
        assert entry["code"].replace("-", "") not in text
    with pytest.raises(ArchiveError, match="access links are already in use"):
        import_convening(engine, archive, new_code="KKKKKK")
    _postgres = request.getfixturevalue("_postgres")
    url = _postgres.start()
    need(url is not None, _postgres.error or "PostgreSQL is not available")
    _postgres.empty()
    target = make_engine(url)
    try:
        assert import_convening(target, json.loads(text)) == created.code
        moved = build_services(make_session_factory(target), ballot_secret=TEST_SECRET)
        again = roster.redeem(moved, code=created.code, badge_code=pat["code"])
        assert moved.authenticate(again.token).name == "Pat Lefèvre"
        assert again.token == joined.token
        maria = listing["María José Núñez"]
        first = roster.redeem_link(moved, token=maria["token"])
        assert moved.authenticate(first.token, created.code).name == "María José Núñez"
    finally:
        target.dispose()


def test_each_export_is_in_the_log_without_a_secret(services, engine, publisher, staff):
    actor, _ = staff
    listing = roster.credentials(services, actor)
    exported = publisher.events[-1]
    assert exported.type == "roster.credentials_exported"
    assert exported.data == {"count": 3, "entry_id": None}
    for entry in listing["entries"]:
        assert entry["token"] not in str(exported.data)
    one = listing["entries"][0]["entry_id"]
    roster.credentials(services, actor, entry_id=one)
    assert publisher.events[-1].data == {"count": 1, "entry_id": one}
    from convene.domain.events import public_view

    assert public_view("roster.credentials_exported", exported.data) == {}


def test_entries_imported_before_credentials_get_one_when_exported(
    services, engine, publisher, staff
):
    from sqlalchemy import update

    from convene.store import tables

    actor, created = staff
    with engine.begin() as connection:  # as after migration 0016 on an older roster
        connection.execute(
            update(tables.roster_entries).values(
                link_hash=None, code_tag=None, credential=None, issued_at=None
            )
        )
    listing = roster.credentials(services, actor)
    assert [e.type for e in publisher.events[-2:]] == [
        "roster.credentials_issued",
        "roster.credentials_exported",
    ]
    assert publisher.events[-2].data == {"count": 3}
    entry = listing["entries"][0]
    assert (
        roster.redeem(services, code=created.code, badge_code=entry["code"]).token == entry["token"]
    )
    again = roster.credentials(services, actor)
    assert [(e["code"], e["token"]) for e in again["entries"]] == [
        (e["code"], e["token"]) for e in listing["entries"]
    ]
    assert publisher.events[-1].type == "roster.credentials_exported"
