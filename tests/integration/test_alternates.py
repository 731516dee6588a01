"""Alternates (issue 17 item 4): the desk seats an alternate of the same delegation in a
delegate's seat; the seat's weight votes through them while the delegate is out, a round
counts one ballot per seat, and the seat returns when the delegate checks in again;
services, hostile input, HTTP, socket, minutes, archive."""

from __future__ import annotations

import pytest

from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooMany
from convene.exports.markdown import minutes_markdown
from convene.extensions import socketio
from convene.services import checkins, convenings, minutes, roster, rounds
from convene.services.ratelimits import RateLimits
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused

ROSTER = (
    "name,delegation,role,vote_weight,external_id,contact\n"
    "María Núñez,Local 1,delegate,3,D-1,\n"
    "Quinn Doe,Local 1,delegate,,D-2,\n"
    "Ana Ruiz,Local 1,alternate,,A-1,\n"
    "Bo Lind,Local 1,alternate,,A-2,\n"
    "Sam Lee,Local 12,delegate,,D-3,\n"
    "Pat Lefèvre,Local 12,alternate,,A-3,\n"
    "Obi Server,Press,observer,,O-1,\n"
)
CHECKINS = "/api/convenings/{code}/checkins"


@pytest.fixture
def hall(services):
    created = convenings.create_convening(services, title="Regional convening")
    staff = services.authenticate(created.facilitator_token)
    roster.import_roster(services, staff, csv=ROSTER)
    entries = {e["name"]: e for e in roster.credentials(services, staff)["entries"]}
    desk = services.authenticate(convenings.invite(services, staff, role="desk").token)
    return {"created": created, "staff": staff, "desk": desk, "entries": entries}


def _id(hall, name):
    return hall["entries"][name]["entry_id"]


def _arrive(services, hall, name):
    admission = roster.redeem_link(services, token=hall["entries"][name]["token"])
    return services.authenticate(admission.token)


def _open_round(services, staff, *, secret=False):
    made = rounds.create_round(
        services,
        staff,
        title="Adopt?",
        method="yes_no",
        options=[{"label": "Adopt"}],
        secret=secret,
    )
    rounds.open_round(services, staff, round_id=made["id"])
    return made


def _seat(services, hall, alternate, delegate, actor=None):
    return checkins.check_in(
        services,
        actor or hall["desk"],
        code=hall["entries"][alternate]["code"],
        seat_of=_id(hall, delegate),
    )


def test_handing_over_seats_the_alternate_and_is_logged(services, publisher, hall):
    checkins.check_in(services, hall["desk"], code=hall["entries"]["María Núñez"]["code"])
    published = len(publisher.events)
    reply = _seat(services, hall, "Ana Ruiz", "María Núñez")
    assert reply["seat_of"] == {"entry_id": _id(hall, "María Núñez"), "name": "María Núñez"}
    assert reply["checked_in"] is True
    assert reply["already"] is False
    assert reply["counts"] == {"checked_in": 1, "voters": 1, "seated": 1, "roster": 7}
    events = publisher.events[published:]
    assert [e.type for e in events] == ["checkin.out", "checkin.in", "seat.taken"]
    assert events[0].data["name"] == "María Núñez"  # the delegate handed over: out
    taken = events[2].data
    assert (taken["name"], taken["seat_name"]) == ("Ana Ruiz", "María Núñez")
    assert taken["seat_of"] == _id(hall, "María Núñez")
    assert taken["desk_id"] == hall["desk"].member_id
    # the desk reads who holds which seat
    found = {
        e["name"]: e for e in checkins.search(services, hall["desk"], search="local 1")["entries"]
    }
    assert found["María Núñez"]["held_by"] == {
        "entry_id": _id(hall, "Ana Ruiz"),
        "name": "Ana Ruiz",
    }
    assert found["María Núñez"]["checked_in"] is False
    assert found["Quinn Doe"]["held_by"] is None
    # the console's snapshot
    from convene.services import live

    [seat] = live.snapshot(services, hall["staff"])["seats"]
    assert (seat["name"], seat["seat_name"]) == ("Ana Ruiz", "María Núñez")
    assert "seats" not in live.snapshot(services, hall["desk"])
    # the same again: nothing recorded
    published = len(publisher.events)
    assert _seat(services, hall, "Ana Ruiz", "María Núñez")["already"] is True
    assert len(publisher.events) == published


def test_the_seat_returns_when_the_delegate_checks_in_or_the_alternate_leaves(
    services, publisher, hall
):
    _seat(services, hall, "Ana Ruiz", "María Núñez")  # María never came
    published = len(publisher.events)
    back = checkins.check_in(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    assert back["held_by"] is None
    events = publisher.events[published:]
    assert [e.type for e in events] == ["checkin.in", "seat.returned"]
    assert events[1].data["reason"] == "delegate_back"
    ana = checkins.search(services, hall["desk"], search="Ana")["entries"][0]
    assert ana["checked_in"] is True  # stays in the room, without a seat
    assert ana["seat_of"] is None
    # another alternate holds it; they leave: the seat is free again
    checkins.check_out(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    _seat(services, hall, "Bo Lind", "María Núñez")
    published = len(publisher.events)
    checkins.check_out(services, hall["desk"], entry_id=_id(hall, "Bo Lind"))
    events = publisher.events[published:]
    assert [e.type for e in events] == ["seat.returned", "checkin.out"]
    assert events[0].data["reason"] == "alternate_out"
    assert checkins.search(services, hall["desk"])["counts"]["seated"] == 0
    _seat(services, hall, "Ana Ruiz", "María Núñez")  # free for another


@pytest.mark.parametrize("accredited", [True, False])
def test_the_alternate_votes_with_the_seats_weight_and_the_delegate_does_not(
    services, hall, accredited
):
    staff = hall["staff"]
    maria = _arrive(services, hall, "María Núñez")
    ana = _arrive(services, hall, "Ana Ruiz")
    bo = _arrive(services, hall, "Bo Lind")
    convenings.update_convening(services, staff, accredited_voting=accredited)
    made = _open_round(services, staff)
    checkins.check_in(services, hall["desk"], entry_id=_id(hall, "Bo Lind"))
    with pytest.raises(Forbidden, match="only in a delegate's seat"):
        rounds.cast_ballot(services, bo, round_id=made["id"], choice="yes")
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    with pytest.raises(Forbidden, match="Ana Ruiz holds your seat"):
        rounds.cast_ballot(services, maria, round_id=made["id"], choice="no")
    cast = rounds.cast_ballot(services, ana, round_id=made["id"], choice="yes")
    assert cast["weight"] == 3  # the seat's weight, not the alternate's 1
    # she may change her ballot while she holds the seat
    rounds.cast_ballot(services, ana, round_id=made["id"], choice="abstain")
    # María is back: the seat returns, but it has voted in this round
    checkins.check_in(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    with pytest.raises(Conflict, match=r"already voted in this round \(Ana Ruiz voted\)"):
        rounds.cast_ballot(services, maria, round_id=made["id"], choice="no")
    with pytest.raises(Forbidden, match="only in a delegate's seat"):
        rounds.cast_ballot(services, ana, round_id=made["id"], choice="no")
    state = rounds.get_round(services, staff, round_id=made["id"])
    assert state["turnout"]["voted"] == 1
    closed = rounds.close_round(services, staff, round_id=made["id"])
    assert closed["state"] == "closed"


def test_a_secret_round_counts_one_ballot_per_seat_without_saying_who(services, hall):
    staff = hall["staff"]
    maria = _arrive(services, hall, "María Núñez")
    ana = _arrive(services, hall, "Ana Ruiz")
    convenings.update_convening(services, staff, accredited_voting=True)
    checkins.check_in(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    made = _open_round(services, staff, secret=True)
    rounds.cast_ballot(services, maria, round_id=made["id"], choice="yes")
    _seat(services, hall, "Ana Ruiz", "María Núñez")  # hands over after voting
    with pytest.raises(Conflict) as refused:
        rounds.cast_ballot(services, ana, round_id=made["id"], choice="no")
    assert "The seat of María Núñez has already voted" in str(refused.value)
    assert "María Núñez voted" not in str(refused.value)
    with pytest.raises(Conflict, match="already voted"):
        rounds.paper_ballot(
            services, staff, round_id=made["id"], member_id=ana.member_id, choice="no"
        )
    rounds.close_round(services, staff, round_id=made["id"])
    result = rounds.get_round(services, staff, round_id=made["id"])
    assert result["turnout"]["voted"] == 1


def test_a_tellers_paper_ballot_follows_the_seat(services, hall):
    staff = hall["staff"]
    maria = _arrive(services, hall, "María Núñez")
    ana = _arrive(services, hall, "Ana Ruiz")
    made = _open_round(services, staff, secret=True)
    with pytest.raises(Forbidden, match="Ana Ruiz is an alternate without a seat"):
        rounds.paper_ballot(
            services, staff, round_id=made["id"], member_id=ana.member_id, choice="no"
        )
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    with pytest.raises(Forbidden, match="Ana Ruiz holds the seat of María Núñez"):
        rounds.paper_ballot(
            services, staff, round_id=made["id"], member_id=maria.member_id, choice="no"
        )
    entered = rounds.paper_ballot(
        services, staff, round_id=made["id"], member_id=ana.member_id, choice="yes"
    )
    assert entered["weight"] == 3


def test_the_tellers_roll_follows_the_seats(services, hall):
    """The paper roll lists only who may vote by their seat: not an alternate without one,
    not a delegate whose seat an alternate holds; a seated alternate with the seat's weight;
    in a named round, not a seat that voted (whoever cast it)."""
    staff = hall["staff"]
    maria = _arrive(services, hall, "María Núñez")
    _arrive(services, hall, "Ana Ruiz")
    _arrive(services, hall, "Sam Lee")
    made = _open_round(services, staff)

    def roll() -> dict[str, int]:
        people = rounds.paper_roll(services, staff, round_id=made["id"])["people"]
        return {p["name"]: p["weight"] for p in people}

    assert roll() == {"María Núñez": 3, "Sam Lee": 1}  # Ana has no seat
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    assert roll() == {"Ana Ruiz": 3, "Sam Lee": 1}  # María's seat is Ana's now
    checkins.check_in(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    assert roll() == {"María Núñez": 3, "Sam Lee": 1}  # the seat returned
    rounds.cast_ballot(services, maria, round_id=made["id"], choice="yes")
    checkins.check_out(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    assert roll() == {"Sam Lee": 1}  # the seat voted (María), so Ana may not


def test_an_alternate_votes_once_a_round_in_one_seat(services, hall):
    staff = hall["staff"]
    ana = _arrive(services, hall, "Ana Ruiz")
    made = _open_round(services, staff)
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    rounds.cast_ballot(services, ana, round_id=made["id"], choice="yes")
    checkins.check_out(services, hall["desk"], entry_id=_id(hall, "Ana Ruiz"))
    _seat(services, hall, "Ana Ruiz", "Quinn Doe")
    with pytest.raises(Conflict, match="in another seat"):
        rounds.cast_ballot(services, ana, round_id=made["id"], choice="no")
    # the first seat's ballot stays, the second seat votes through its delegate later
    quinn = _arrive(services, hall, "Quinn Doe")
    checkins.check_in(services, hall["desk"], entry_id=_id(hall, "Quinn Doe"))
    rounds.cast_ballot(services, quinn, round_id=made["id"], choice="no")
    assert rounds.get_round(services, staff, round_id=made["id"])["turnout"]["voted"] == 2


def test_refused_seatings_change_nothing(services, engine, publisher, hall):
    other = convenings.create_convening(services, title="Elsewhere")
    other_staff = services.authenticate(other.facilitator_token)
    roster.import_roster(services, other_staff, csv=ROSTER)
    elsewhere = roster.credentials(services, other_staff)["entries"][0]["entry_id"]
    _seat(services, hall, "Bo Lind", "Quinn Doe")
    code = hall["entries"]
    cases = [
        ({"code": code["Ana Ruiz"]["code"], "seat_of": elsewhere}, NotFound),  # other convening
        ({"code": code["Ana Ruiz"]["code"], "seat_of": 999_999}, NotFound),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": _id(hall, "Sam Lee")}, InvalidInput),
        ({"code": code["Pat Lefèvre"]["code"], "seat_of": _id(hall, "María Núñez")}, InvalidInput),
        ({"code": code["Quinn Doe"]["code"], "seat_of": _id(hall, "María Núñez")}, InvalidInput),
        ({"code": code["Obi Server"]["code"], "seat_of": _id(hall, "María Núñez")}, InvalidInput),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": _id(hall, "Bo Lind")}, InvalidInput),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": _id(hall, "Obi Server")}, InvalidInput),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": _id(hall, "Quinn Doe")}, Conflict),
        ({"code": code["Bo Lind"]["code"], "seat_of": _id(hall, "María Núñez")}, Conflict),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": "1"}, InvalidInput),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": True}, InvalidInput),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": 0}, InvalidInput),
        ({"code": code["Ana Ruiz"]["code"], "seat_of": 2**31}, InvalidInput),
        ({"code": "ZZZZ-ZZZZ", "seat_of": _id(hall, "María Núñez")}, NotFound),
        ({"seat_of": _id(hall, "María Núñez")}, InvalidInput),
    ]
    for args, error in cases:
        assert_refused(
            services,
            engine,
            publisher,
            lambda args=args: checkins.check_in(services, hall["desk"], **args),
            error,
        )
    participant = _arrive(services, hall, "Sam Lee")
    assert_refused(
        services,
        engine,
        publisher,
        lambda: _seat(services, hall, "Pat Lefèvre", "Sam Lee", actor=participant),
        Forbidden,
    )


def test_a_delegate_whose_vote_a_proxy_carries_cannot_hand_over(services, engine, publisher, hall):
    maria = _arrive(services, hall, "María Núñez")
    quinn = _arrive(services, hall, "Quinn Doe")
    convenings.set_vote_weight(
        services, hall["staff"], member_id=maria.member_id, carried_by_id=quinn.member_id
    )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: _seat(services, hall, "Ana Ruiz", "María Núñez"),
        Conflict,
    )


def test_a_flood_of_seatings_is_throttled(services, hall):
    services.limits = RateLimits({"checkins": "5/hour", "checkin_misses": "10/minute"})
    for _ in range(5):
        _seat(services, hall, "Ana Ruiz", "María Núñez")
    with pytest.raises(TooMany):
        _seat(services, hall, "Ana Ruiz", "María Núñez")


def test_minutes_list_the_seats(services, hall):
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    checkins.check_in(services, hall["desk"], entry_id=_id(hall, "María Núñez"))
    document = minutes.get_minutes(services, hall["staff"])
    log = document["attendance"]["checkins"]["log"]
    assert [(c["name"], c["seat"], c["seat_name"]) for c in log] == [
        ("Ana Ruiz", None, ""),
        ("Ana Ruiz", "taken", "María Núñez"),
        ("María Núñez", None, ""),
        ("Ana Ruiz", "returned", "María Núñez"),
    ]
    markdown = minutes_markdown(document)
    assert "took the seat of María Núñez" in markdown
    assert "gave back the seat of María Núñez" in markdown


def test_the_archive_keeps_the_seats(services, engine, hall):
    import json

    from sqlalchemy import delete, select

    from convene.exports.archive import export_convening, import_convening
    from convene.store import tables

    staff = hall["staff"]
    ana = _arrive(services, hall, "Ana Ruiz")
    made = _open_round(services, staff)
    _seat(services, hall, "Ana Ruiz", "María Núñez")
    rounds.cast_ballot(services, ana, round_id=made["id"], choice="yes")
    rounds.close_round(services, staff, round_id=made["id"])
    archive = json.loads(json.dumps(export_convening(engine, hall["created"].code)))
    with engine.begin() as connection:  # its links may be imported again
        connection.execute(
            delete(tables.convenings).where(tables.convenings.c.code == hall["created"].code)
        )
    code = import_convening(engine, archive, new_code="MOVED2")
    t = tables.roster_entries
    with engine.connect() as connection:
        convening_id = connection.execute(
            select(tables.convenings.c.id).where(tables.convenings.c.code == code)
        ).scalar_one()
        rows = {
            r.name: r for r in connection.execute(select(t).where(t.c.convening_id == convening_id))
        }
        voters = (
            connection.execute(
                select(tables.round_voters.c.seat_id).where(
                    tables.round_voters.c.round_id.in_(
                        select(tables.rounds.c.id).where(
                            tables.rounds.c.convening_id == convening_id
                        )
                    )
                )
            )
            .scalars()
            .all()
        )
    assert rows["Ana Ruiz"].seat_of == rows["María Núñez"].id
    assert voters == [rows["María Núñez"].id]


# -- the HTTP API and the socket ----------------------------------------------------------------


@pytest.fixture
def http_hall(client):
    created = client.post("/api/convenings", json={"title": "Regional convening"}).get_json()
    code = created["code"]
    staff = bearer(created["facilitator_token"])
    client.post(
        f"/api/convenings/{code}/roster", data=ROSTER, content_type="text/csv", headers=staff
    )
    listing = client.get(f"/api/convenings/{code}/roster", headers=staff).get_json()
    invited = client.post(
        f"/api/convenings/{code}/invitations", json={"role": "desk"}, headers=staff
    ).get_json()
    csv_text = client.get(f"/api/convenings/{code}/roster/credentials.csv", headers=staff)
    import csv
    import io

    rows = csv.DictReader(io.StringIO(csv_text.get_data(as_text=True).lstrip("\ufeff")))
    codes = {r["name"]: r["code"] for r in rows}
    ids = {e["name"]: e["entry_id"] for e in listing["entries"]}
    return {
        "code": code,
        "staff": staff,
        "staff_token": created["facilitator_token"],
        "desk": bearer(invited["token"]),
        "desk_token": invited["token"],
        "url": CHECKINS.format(code=code),
        "base": f"/api/convenings/{code}",
        "codes": codes,
        "ids": ids,
    }


def test_seating_over_http(client, http_hall):
    h = http_hall
    sent = client.post(
        h["url"],
        json={"code": h["codes"]["Ana Ruiz"], "seat_of": h["ids"]["María Núñez"]},
        headers=h["desk"],
    )
    body = check(sent, "/api/convenings/{code}/checkins", "post", 200)
    assert body["seat_of"]["name"] == "María Núñez"
    found = client.get(h["url"] + "?search=núñez", headers=h["desk"])
    listing = check(found, "/api/convenings/{code}/checkins", "get", 200)
    assert listing["entries"][0]["held_by"]["name"] == "Ana Ruiz"
    snapshot = check(
        client.get(h["base"], headers=h["staff"]), "/api/convenings/{code}", "get", 200
    )
    assert [s["name"] for s in snapshot["seats"]] == ["Ana Ruiz"]
    public = client.get(f"{h['base']}/events?after=0", headers=h["desk"]).get_json()
    [taken] = [e for e in public["events"] if e["type"] == "seat.taken"]
    assert set(taken["data"]) == {"counts"}  # the desk and the public: counts only


def test_hostile_seatings_over_http_are_4xx_and_change_nothing(client, http_hall):
    h = http_hall
    client.post(
        h["url"],
        json={"code": h["codes"]["Bo Lind"], "seat_of": h["ids"]["Quinn Doe"]},
        headers=h["desk"],
    )
    before = client.get(h["base"], headers=h["staff"]).get_json()["seq"]
    ana = h["codes"]["Ana Ruiz"]
    cases = [
        ({"code": ana, "seat_of": "12"}, 422),
        ({"code": ana, "seat_of": -1}, 422),
        ({"code": ana, "seat_of": 2**63}, 422),
        ({"code": ana, "seat_of": None}, 422),
        ({"code": ana, "seat_of": [1]}, 422),
        ({"code": ana, "seat_of": 999_999}, 404),
        ({"code": ana, "seat_of": h["ids"]["Sam Lee"]}, 422),
        ({"code": h["codes"]["Quinn Doe"], "seat_of": h["ids"]["María Núñez"]}, 422),
        ({"code": ana, "seat_of": h["ids"]["Quinn Doe"]}, 409),
    ]
    for body, status in cases:
        response = client.post(h["url"], json=body, headers=h["desk"])
        assert response.status_code == status, (body, response.get_json())
        assert response.get_json()["error"]["message"]
    assert client.get(h["base"], headers=h["staff"]).get_json()["seq"] == before


def test_seat_events_over_the_socket(app, client, http_hall):
    h = http_hall
    desk = socketio.test_client(app, auth={"token": h["desk_token"]}, flask_test_client=client)
    console = socketio.test_client(app, auth={"token": h["staff_token"]}, flask_test_client=client)
    console.get_received()
    desk.get_received()
    args = {"code": h["codes"]["Ana Ruiz"], "seat_of": h["ids"]["María Núñez"]}
    reply = desk.emit("command", {"name": "checkins.add", "args": args}, callback=True)
    assert reply["ok"] is True
    assert reply["result"]["seat_of"]["name"] == "María Núñez"

    def seat_events(socket):
        return [
            m["args"][0]
            for m in socket.get_received()
            if m["name"] == "event" and m["args"][0]["type"].startswith("seat.")
        ]

    [full] = seat_events(console)
    assert full["data"]["seat_name"] == "María Núñez"
    [seen] = seat_events(desk)
    assert set(seen["data"]) == {"counts"}
    desk.disconnect()
    console.disconnect()
