"""Check-in (issue 17 item 3): the credentials desk checks roster entries in and out by
badge code, personal link or name; accredited voting lets only checked-in delegates vote
and counts them as present; services, API, socket, hostile input, minutes, archive."""

from __future__ import annotations

import pytest

from convene.domain.errors import Forbidden, InvalidInput, NotFound, TooMany
from convene.exports.markdown import minutes_markdown
from convene.extensions import socketio
from convene.services import checkins, convenings, minutes, roster, rounds
from convene.services.commands import run_command
from convene.services.ratelimits import RateLimits
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused

HEADER = "name,delegation,role,vote_weight,external_id,contact\n"
ROSTER = (
    HEADER
    + "María José Núñez,Local 1,delegate,2,D-1,mj@example.org\n"
    + "Pat Lefèvre,Local 12,alternate,,D-2,\n"
    + "Obi Server,Press,observer,,D-3,+1 555\n"
    + "Quinn Doe,Local 1,delegate,,D-4,\n"
)
CHECKINS = "/api/convenings/{code}/checkins"


@pytest.fixture
def desk(services):
    created = convenings.create_convening(services, title="Regional convening")
    staff = services.authenticate(created.facilitator_token)
    roster.import_roster(services, staff, csv=ROSTER)
    entries = {e["name"]: e for e in roster.credentials(services, staff)["entries"]}
    desk_token = convenings.invite(services, staff, role="desk").token
    return {
        "created": created,
        "staff": staff,
        "desk": services.authenticate(desk_token),
        "desk_token": desk_token,
        "entries": entries,
    }


def test_the_desk_is_invited_like_the_other_links(desk):
    assert desk["desk"].role == "desk"
    assert desk["desk"].name == "Credentials desk"


def test_a_badge_code_checks_in_once_and_is_logged(services, publisher, desk):
    entry = desk["entries"]["María José Núñez"]
    typed = entry["code"].lower().replace("-", " ")
    reply = checkins.check_in(services, desk["desk"], code=typed)
    assert reply["entry_id"] == entry["entry_id"]
    assert reply["checked_in"] is True
    assert reply["already"] is False
    assert reply["counts"] == {"checked_in": 1, "voters": 1, "seated": 0, "roster": 4}
    event = publisher.events[-1]
    assert event.type == "checkin.in"
    assert event.data["entry_id"] == entry["entry_id"]
    assert event.data["desk_id"] == desk["desk"].member_id
    assert event.data["member_id"] is None
    published = len(publisher.events)
    again = checkins.check_in(services, desk["desk"], code=entry["code"])
    assert again["already"] is True
    assert again["counts"]["checked_in"] == 1
    assert len(publisher.events) == published  # nothing recorded


def test_the_qr_link_and_its_token_check_in_too(services, desk):
    pat = desk["entries"]["Pat Lefèvre"]
    url = f"https://convene.example/t/{pat['token']}"
    assert checkins.check_in(services, desk["desk"], code=url)["entry_id"] == pat["entry_id"]
    quinn = desk["entries"]["Quinn Doe"]
    reply = checkins.check_in(services, desk["staff"], code=quinn["token"])
    assert reply["entry_id"] == quinn["entry_id"]
    # an alternate without a seat does not vote (convene/domain/seats.py)
    assert reply["counts"] == {"checked_in": 2, "voters": 1, "seated": 0, "roster": 4}


def test_check_out_by_entry_id_and_search_by_name(services, publisher, desk):
    obi = desk["entries"]["Obi Server"]
    checkins.check_in(services, desk["desk"], entry_id=obi["entry_id"])
    found = checkins.search(services, desk["desk"], search="obi")
    assert [e["name"] for e in found["entries"]] == ["Obi Server"]
    assert found["entries"][0]["checked_in"] is True
    assert set(found["entries"][0]) == {
        "entry_id",
        "member_id",
        "name",
        "delegation",
        "role",
        "checked_in",
        "checked_in_at",
        "seat_of",
        "held_by",
    }  # no contact, no external id, no credential
    assert found["counts"] == {"checked_in": 1, "voters": 0, "seated": 0, "roster": 4}
    out = checkins.check_out(services, desk["desk"], entry_id=obi["entry_id"])
    assert out["checked_in"] is False
    assert out["already"] is False
    assert publisher.events[-1].type == "checkin.out"
    assert checkins.check_out(services, desk["desk"], entry_id=obi["entry_id"])["already"]
    assert len(checkins.search(services, desk["desk"])["entries"]) == 4


def test_wrong_revoked_and_other_convenings_codes_change_nothing(services, engine, publisher, desk):
    entry = desk["entries"]["María José Núñez"]
    reissued = roster.reissue(services, desk["staff"], entry_id=entry["entry_id"])
    other = convenings.create_convening(services, title="Elsewhere")
    other_staff = services.authenticate(other.facilitator_token)
    roster.import_roster(services, other_staff, csv=ROSTER)
    elsewhere = roster.credentials(services, other_staff)["entries"][0]
    for code in (
        entry["code"],  # revoked
        f"https://x/t/{entry['token']}",  # revoked link
        elsewhere["code"],
        elsewhere["token"],
        "ZZZZ-ZZZZ",
        "12",
        "a b c d e f g h i j k l m n o p q r s t u v",
    ):
        assert_refused(
            services,
            engine,
            publisher,
            lambda code=code: checkins.check_in(services, desk["desk"], code=code),
            NotFound,
        )
    for kwargs in ({}, {"code": entry["code"], "entry_id": entry["entry_id"]}):
        assert_refused(
            services,
            engine,
            publisher,
            lambda kwargs=kwargs: checkins.check_in(services, desk["desk"], **kwargs),
            InvalidInput,
        )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: checkins.check_out(services, desk["desk"], entry_id=elsewhere["entry_id"]),
        NotFound,
    )
    assert checkins.check_in(services, desk["desk"], code=reissued["code"])["already"] is False


def test_the_desk_may_run_nothing_else(services, engine, publisher, desk):
    token = desk["desk_token"]
    for name, args in (
        ("members.list", {}),
        ("roster.list", {}),
        ("roster.credentials", {}),
        ("minutes.get", {}),
        ("demands.list", {}),
        ("rounds.get", {"round_id": 1}),
        ("convening.update", {"accredited_voting": False}),
    ):
        assert_refused(
            services,
            engine,
            publisher,
            lambda name=name, args=args: run_command(services, token, name, args),
            Forbidden,
        )
    phone = convenings.join(services, code=desk["created"].code, name="Walk-in")
    participant = services.authenticate(phone.token)
    entry = desk["entries"]["Quinn Doe"]
    assert_refused(
        services,
        engine,
        publisher,
        lambda: checkins.check_in(services, participant, code=entry["code"]),
        Forbidden,
    )


def test_guessing_codes_is_throttled_and_scanning_is_not(services, desk):
    services.limits = RateLimits(
        {"checkins": "50/second;240/minute", "checkin_misses": "10/minute;60/hour"}
    )
    for _ in range(10):
        with pytest.raises(NotFound):
            checkins.check_in(services, desk["desk"], code="ZZZZ-ZZZZ")
    # past the misses' rate: refused before any lookup, a right code included
    with pytest.raises(TooMany) as refused:
        checkins.check_in(services, desk["desk"], code=desk["entries"]["Quinn Doe"]["code"])
    assert refused.value.retry_after >= 1
    # another desk (the facilitator) scanning right codes is not held up
    for entry in desk["entries"].values():
        checkins.check_in(services, desk["staff"], code=entry["code"])


# -- accredited voting -------------------------------------------------------------------------


def _arrive(services, desk, name):
    entry = desk["entries"][name]
    admission = roster.redeem_link(services, token=entry["token"])
    return services.authenticate(admission.token), entry


def test_accredited_voting_lets_only_checked_in_delegates_vote(services, engine, publisher, desk):
    staff = desk["staff"]
    maria, maria_entry = _arrive(services, desk, "María José Núñez")
    quinn, _ = _arrive(services, desk, "Quinn Doe")
    walk_in = services.authenticate(
        convenings.join(services, code=desk["created"].code, name="Walk-in").token
    )
    convenings.update_convening(services, staff, accredited_voting=True)
    made = rounds.create_round(
        services, staff, title="Adopt?", method="yes_no", options=[{"label": "Adopt"}]
    )
    checkins.check_in(services, desk["desk"], code=maria_entry["code"])
    opened = rounds.open_round(services, staff, round_id=made["id"])
    assert opened["present_at_open"] == 1  # the checked-in voters, not phones
    yes = "yes"
    for voter in (quinn, walk_in):
        with pytest.raises(Forbidden, match="checked-in delegates"):
            rounds.cast_ballot(services, voter, round_id=made["id"], choice=yes)
    with pytest.raises(Forbidden, match="Quinn Doe is not checked in"):
        rounds.paper_ballot(
            services, staff, round_id=made["id"], member_id=quinn.member_id, choice=yes
        )
    rounds.cast_ballot(services, maria, round_id=made["id"], choice=yes)
    marked = []
    services.ticker.mark = lambda convening_id, round_id: marked.append(round_id)
    checkins.check_in(services, desk["desk"], entry_id=desk["entries"]["Obi Server"]["entry_id"])
    assert marked == [made["id"]]  # "present" moved: the turnout goes out again
    state = rounds.get_round(services, staff, round_id=made["id"])
    assert state["turnout"]["present"] == 1
    assert state["turnout"]["voted"] == 1
    # checked out: no more ballots; turnout's present follows
    checkins.check_out(services, desk["desk"], entry_id=maria_entry["entry_id"])
    with pytest.raises(Forbidden):
        rounds.cast_ballot(services, maria, round_id=made["id"], choice=yes)
    assert rounds.get_round(services, staff, round_id=made["id"])["turnout"]["present"] == 0
    # off again: everyone votes as before
    convenings.update_convening(services, staff, accredited_voting=False)
    rounds.cast_ballot(services, quinn, round_id=made["id"], choice=yes)


def test_accredited_voting_is_a_boolean_setting(services, engine, publisher, desk):
    staff = desk["staff"]
    for value in ("yes", 1, None):
        assert_refused(
            services,
            engine,
            publisher,
            lambda value=value: run_command(
                services,
                desk["created"].facilitator_token,
                "convening.update",
                {"accredited_voting": value},
            ),
            InvalidInput,
        )
    reply = convenings.update_convening(services, staff, accredited_voting=True)
    assert reply["accredited_voting"] is True


def test_minutes_list_check_ins_and_outs(services, desk):
    entry = desk["entries"]["Pat Lefèvre"]
    checkins.check_in(services, desk["desk"], code=entry["code"])
    checkins.check_out(services, desk["desk"], entry_id=entry["entry_id"])
    checkins.check_in(services, desk["desk"], entry_id=entry["entry_id"])
    document = minutes.get_minutes(services, desk["staff"])
    seen = document["attendance"]["checkins"]
    assert seen["at_end"] == 1
    assert seen["peak"] == 1
    assert [(c["name"], c["in"]) for c in seen["log"]] == [
        ("Pat Lefèvre", True),
        ("Pat Lefèvre", False),
        ("Pat Lefèvre", True),
    ]
    markdown = minutes_markdown(document)
    assert "Check-in at the desk" in markdown
    assert markdown.count("Pat Lefèvre") >= 3


# -- the HTTP API and the socket ----------------------------------------------------------------


@pytest.fixture
def hall(client):
    created = client.post("/api/convenings", json={"title": "Regional convening"}).get_json()
    code = created["code"]
    staff = bearer(created["facilitator_token"])
    client.post(
        f"/api/convenings/{code}/roster", data=ROSTER, content_type="text/csv", headers=staff
    )
    listing = client.get(f"/api/convenings/{code}/roster/credentials.csv", headers=staff)
    assert listing.status_code == 200
    invited = client.post(
        f"/api/convenings/{code}/invitations", json={"role": "desk"}, headers=staff
    )
    desk = check(invited, "/api/convenings/{code}/invitations", "post", 201)
    assert desk["role"] == "desk"
    return {
        "code": code,
        "staff": staff,
        "desk": bearer(desk["token"]),
        "desk_token": desk["token"],
        "url": CHECKINS.format(code=code),
        "base": f"/api/convenings/{code}",
        "csv": listing.get_data(as_text=True),
    }


def _codes(hall) -> dict[str, tuple[str, str]]:
    import csv
    import io

    rows = csv.DictReader(io.StringIO(hall["csv"].lstrip("\ufeff")))
    return {r["name"]: (r["code"], r["link"]) for r in rows}


def test_checkins_over_http(client, hall):
    code, link = _codes(hall)["María José Núñez"]
    sent = client.post(hall["url"], json={"code": link}, headers=hall["desk"])
    body = check(sent, "/api/convenings/{code}/checkins", "post", 200)
    assert body["name"] == "María José Núñez"
    assert body["already"] is False
    again = check(
        client.post(hall["url"], json={"code": code}, headers=hall["desk"]),
        "/api/convenings/{code}/checkins",
        "post",
        200,
    )
    assert again["already"] is True
    found = client.get(hall["url"] + "?search=local", headers=hall["desk"])
    listing = check(found, "/api/convenings/{code}/checkins", "get", 200)
    assert len(listing["entries"]) == 3
    snapshot = check(
        client.get(hall["base"], headers=hall["desk"]), "/api/convenings/{code}", "get", 200
    )
    assert snapshot["me"]["role"] == "desk"
    assert snapshot["checkins"] == {"checked_in": 1, "voters": 1, "seated": 0, "roster": 4}
    for hidden in ("members", "demands", "rounds", "floor", "minutes_final"):
        assert hidden not in snapshot, hidden
    assert snapshot["agenda"] == []
    out = client.delete(f"{hall['url']}/{body['entry_id']}", headers=hall["desk"])
    left = check(out, "/api/convenings/{code}/checkins/{entry_id}", "delete", 200)
    assert left["checked_in"] is False
    staff_events = client.get(f"{hall['base']}/events?after=0", headers=hall["staff"]).get_json()
    public = client.get(f"{hall['base']}/events?after=0", headers=hall["desk"]).get_json()
    full = [e for e in staff_events["events"] if e["type"].startswith("checkin.")]
    seen = [e for e in public["events"] if e["type"].startswith("checkin.")]
    assert [e["type"] for e in full] == ["checkin.in", "checkin.out"]
    assert full[0]["data"]["name"] == "María José Núñez"
    assert seen[0]["data"] == {"counts": {"checked_in": 1, "voters": 1, "seated": 0, "roster": 4}}
    # the setting
    patched = client.patch(hall["base"], json={"accredited_voting": True}, headers=hall["staff"])
    assert check(patched, "/api/convenings/{code}", "patch", 200)["accredited_voting"] is True


def test_hostile_checkins_are_4xx_and_change_nothing(client, hall):
    before = client.get(hall["base"], headers=hall["staff"]).get_json()["seq"]
    deep = {"code": "x"}
    for _ in range(40):
        deep = {"x": deep}
    cases = [
        ({"code": 12345678}, hall["desk"], 422),
        ({"code": None}, hall["desk"], 422),
        ({"code": ["ABCD-EFGH"]}, hall["desk"], 422),
        ({"code": "x" * 401}, hall["desk"], 413),
        ({"entry_id": "1"}, hall["desk"], 422),
        ({"entry_id": 2**63}, hall["desk"], 422),
        ({"code": "ABCD-EFGH", "extra": 1}, hall["desk"], 422),
        ({}, hall["desk"], 422),
        ({"code": "ZZZZ-ZZZZ"}, hall["desk"], 404),
        ({"code": "\u200b"}, hall["desk"], 422),
        ({"entry_id": 999_999}, hall["desk"], 404),
        (deep, hall["desk"], 400),
        ({"code": "ZZZZ-ZZZZ"}, {}, 401),
        ({"code": "ZZZZ-ZZZZ"}, bearer("forged"), 401),
    ]
    for body, headers, status in cases:
        response = client.post(hall["url"], json=body, headers=headers)
        assert response.status_code == status, (
            body if body is not deep else "deep",
            response.get_json(),
        )
        assert "error" in response.get_json()
    for path in ("/participants", "/minutes", "/roster", "/roster/credentials.csv"):
        response = client.get(hall["base"] + path, headers=hall["desk"])
        assert response.status_code == 403, (path, response.status_code)
    assert client.delete(f"{hall['url']}/999999", headers=hall["desk"]).status_code == 404
    other = client.post("/api/convenings", json={"title": "Elsewhere"}).get_json()
    response = client.post(
        CHECKINS.format(code=other["code"]), json={"code": "ZZZZ-ZZZZ"}, headers=hall["desk"]
    )
    assert response.status_code in (401, 404)
    assert client.get(hall["base"], headers=hall["staff"]).get_json()["seq"] == before


def test_checkins_over_the_socket(app, client, hall):
    code, _ = _codes(hall)["Quinn Doe"]
    desk = socketio.test_client(app, auth={"token": hall["desk_token"]}, flask_test_client=client)
    console = socketio.test_client(
        app, auth={"token": hall["staff"]["Authorization"][7:]}, flask_test_client=client
    )
    assert desk.is_connected()
    assert console.is_connected()
    console.get_received()
    reply = desk.emit("command", {"name": "checkins.add", "args": {"code": code}}, callback=True)
    assert reply["ok"] is True
    assert reply["result"]["name"] == "Quinn Doe"
    events = [
        m["args"][0]
        for m in console.get_received()
        if m["name"] == "event" and m["args"][0]["type"] == "checkin.in"
    ]
    assert events
    assert events[0]["data"]["counts"]["checked_in"] == 1
    for args in (None, [], {"code": 1}, {"entry_id": "x"}, {"code": "nope"}):
        bad = desk.emit("command", {"name": "checkins.add", "args": args}, callback=True)
        assert bad["ok"] is False
    refused = desk.emit("command", {"name": "members.list", "args": {}}, callback=True)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "forbidden"
    undo = desk.emit(
        "command",
        {"name": "checkins.remove", "args": {"entry_id": reply["result"]["entry_id"]}},
        callback=True,
    )
    assert undo["ok"] is True
    assert undo["result"]["checked_in"] is False
    desk.disconnect()
    console.disconnect()


def test_the_archive_keeps_check_ins_and_the_setting(services, engine, desk):
    from convene.exports.archive import export_convening

    staff = desk["staff"]
    _, entry = _arrive(services, desk, "Quinn Doe")
    checkins.check_in(services, desk["desk"], code=entry["code"])
    convenings.update_convening(services, staff, accredited_voting=True)
    archive = export_convening(engine, desk["created"].code)
    [row] = [e for e in archive["tables"]["roster_entries"] if e["name"] == "Quinn Doe"]
    assert row["checked_in_at"] is not None
    assert row["checked_in_by"] is not None
    assert archive["tables"]["convenings"][0]["accredited_voting"] is True
