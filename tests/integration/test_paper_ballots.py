"""Paper ballots (issue 17 item 5): a teller enters the ballot of a participant without a
phone. Counted once per seat, final, stored through the phone's path (named, or sealed and
opened k at a time), marked on the voter's row only; services, API, socket, hostile input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select

from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooMany
from convene.domain.floor import SignalLimiter
from convene.extensions import socketio
from convene.services import convenings, minutes, rounds
from convene.services.commands import run_command
from convene.store import tables
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused

PAPER = "/api/convenings/{code}/rounds/{round_id}/paper-ballots"
ROLL = "/api/convenings/{code}/rounds/{round_id}/paper-roll"


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Regional convening")
    facilitator = services.authenticate(created.facilitator_token)
    people = {}
    for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Fer"):
        people[name] = services.authenticate(
            convenings.join(services, code=created.code, name=name).token
        )
    teller_token = convenings.invite(services, facilitator, role="teller").token
    return {
        "created": created,
        "facilitator": facilitator,
        "teller": services.authenticate(teller_token),
        "teller_token": teller_token,
        **people,
    }


def new_round(services, room, method="irv", labels=("Rent", "Wages", "Transit"), **settings):
    created = rounds.create_round(
        services,
        room["facilitator"],
        title="What first?",
        method=method,
        options=[{"label": label} for label in labels],
        **settings,
    )
    rounds.open_round(services, room["facilitator"], round_id=created["id"])
    return created["id"], [o["id"] for o in created["options"]]


def paper(services, room, round_id, name, **ballot):
    return rounds.paper_ballot(
        services, room["teller"], round_id=round_id, member_id=room[name].member_id, **ballot
    )


def test_a_teller_is_invited_like_the_other_links(services, room):
    assert room["teller"].role == "teller"
    assert room["teller"].name == "Teller"


@pytest.mark.parametrize("secret", [False, True])
def test_a_paper_ballot_counts_once_per_seat_and_is_final(services, publisher, room, secret):
    round_id, (rent, wages, transit) = new_round(services, room, secret=secret)
    reply = paper(services, room, round_id, "Ana", ranking=[transit, rent])
    assert reply["name"] == "Ana"
    assert reply["weight"] == 1
    assert reply["paper"] == 1
    assert len(reply["receipt"]) >= 8
    event = publisher.events[-1]
    assert event.type == "round.paper_ballot"
    assert event.data == {
        "round_id": round_id,
        "member_id": room["Ana"].member_id,
        "name": "Ana",
        "teller_id": room["teller"].member_id,
        "paper": 1,
    }
    assert reply["receipt"] not in json.dumps(event.data)
    assert "ranking" not in event.data
    # the same seat again: on paper, or by phone, refused naming the person
    with pytest.raises(Conflict, match="paper ballot was already entered for Ana"):
        paper(services, room, round_id, "Ana", ranking=[wages])
    with pytest.raises(Conflict, match="A paper ballot was entered for you"):
        rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[wages])
    rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[wages])
    with pytest.raises(Conflict, match="Ben has already voted"):
        paper(services, room, round_id, "Ben", ranking=[rent])
    view = rounds.get_round(services, room["teller"], round_id=round_id)
    assert view["turnout"]["voted"] == 2
    assert view["turnout"]["paper"] == 1
    assert "not_voted" not in view["turnout"]
    assert "tally" not in view
    paper(services, room, round_id, "Cy", ranking=[transit])
    closed = rounds.close_round(services, room["facilitator"], round_id=round_id)
    # Transit 2 (Ana, Cy), Wages 1 (Ben): Transit has the majority
    assert closed["result"]["winners"] == [transit]
    published = rounds.published_ballots(services, room["Dee"], round_id=round_id)["ballots"]
    assert len(published) == 3
    if secret:
        assert all("paper" not in b and "name" not in b for b in published)
    else:
        assert {b["name"]: b["paper"] for b in published} == {"Ana": True, "Ben": False, "Cy": True}


def test_approval_weights_and_proxies(services, room):
    round_id, (a, _b, c) = new_round(services, room, method="approval", labels=("A", "B", "C"))
    fac = room["facilitator"]
    convenings.set_vote_weight(services, fac, member_id=room["Ana"].member_id, vote_weight=12)
    convenings.set_vote_weight(
        services, fac, member_id=room["Ben"].member_id, carried_by_id=room["Cy"].member_id
    )
    assert paper(services, room, round_id, "Ana", approve=[a])["weight"] == 12
    with pytest.raises(Conflict, match="The vote of Ben is carried by a proxy \\(Cy\\)"):
        paper(services, room, round_id, "Ben", approve=[c])
    # a proxy's paper ballot counts with the votes they carry; a facilitator may enter one
    reply = rounds.paper_ballot(
        services, fac, round_id=round_id, member_id=room["Cy"].member_id, approve=[c]
    )
    assert reply["weight"] == 2
    turnout = rounds.get_round(services, fac, round_id=round_id)["turnout"]
    assert (turnout["voted"], turnout["voted_weight"], turnout["paper"]) == (2, 14, 2)
    closed = rounds.close_round(services, fac, round_id=round_id)
    assert closed["result"]["winners"] == [a]


def test_the_ballot_form_checks_a_paper_ballot(services, engine, publisher, room):
    services.ballot_limiter = SignalLimiter(rate=1000, burst=1000)
    round_id, (rent, wages, _) = new_round(services, room)
    other = convenings.create_convening(services, title="Elsewhere")
    stranger = services.authenticate(convenings.join(services, code=other.code, name="Zed").token)
    projector = services.authenticate(room["created"].projector_token)
    observer = convenings.invite(services, room["facilitator"], role="observer")
    closed_id, _ = new_round(services, room, labels=("X", "Y"))
    rounds.close_round(services, room["facilitator"], round_id=closed_id)
    removed = room["Fer"].member_id
    convenings.remove_member(services, room["facilitator"], member_id=removed)
    teller = room["teller"]

    def enter(member_id, rid=round_id, actor=teller, **ballot):
        return lambda: rounds.paper_ballot(
            services, actor, round_id=rid, member_id=member_id, **ballot
        )

    ana = room["Ana"].member_id
    cases = [
        (enter(ana, ranking=[rent, rent]), InvalidInput),
        (enter(ana, ranking=[rent, 99999]), InvalidInput),
        (enter(ana, approve=[rent]), InvalidInput),
        (enter(ana), InvalidInput),
        (enter(ana, rid=closed_id, ranking=[rent]), Conflict),
        (enter(ana, rid=999_999, ranking=[rent]), NotFound),
        (enter(stranger.member_id, ranking=[rent]), NotFound),
        (enter(projector.member_id, ranking=[rent]), NotFound),
        (enter(observer.id, ranking=[rent]), NotFound),
        (enter(teller.member_id, ranking=[rent]), NotFound),
        (enter(room["facilitator"].member_id, ranking=[rent]), NotFound),
        (enter(removed, ranking=[rent]), NotFound),
        (enter(999_999, ranking=[rent]), NotFound),
        (enter("1", ranking=[rent]), InvalidInput),
        (enter(ana, actor=room["Ben"], ranking=[rent]), Forbidden),
        (enter(ana, actor=projector, ranking=[rent]), Forbidden),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)
    # another convening's round, by a teller of this one
    theirs = rounds.create_round(
        services,
        services.authenticate(other.facilitator_token),
        title="Theirs",
        method="irv",
        options=[{"label": "P"}, {"label": "Q"}],
    )
    assert_refused(services, engine, publisher, enter(ana, rid=theirs["id"], ranking=[]), NotFound)
    paper(services, room, round_id, "Ana", ranking=[wages])


def test_a_flood_of_paper_ballots_is_limited(services, room):
    round_id, (rent, *_) = new_round(services, room)
    answers = []
    for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Fer", "Ana", "Ben"):
        try:
            paper(services, room, round_id, name, ranking=[rent])
            answers.append("ok")
        except (Conflict, TooMany) as error:
            answers.append(type(error).__name__)
    assert "TooMany" in answers, answers
    assert answers[:5] == ["ok"] * 5


def test_the_roll_finds_whose_paper_ballot_is_to_come(services, room):
    named_id, (rent, *_) = new_round(services, room, secret=False)
    secret_id, (s_rent, *_) = new_round(services, room)
    for rid, first in ((named_id, rent), (secret_id, s_rent)):
        rounds.cast_ballot(services, room["Ben"], round_id=rid, ranking=[first])
        paper(services, room, rid, "Cy", ranking=[first])
    named = rounds.paper_roll(services, room["teller"], round_id=named_id)
    assert [p["name"] for p in named["people"]] == ["Ana", "Dee", "Eve", "Fer"]
    assert named["total"] == 4
    # a secret round does not tell who voted by phone: only paper voters are left out
    secret = rounds.paper_roll(services, room["teller"], round_id=secret_id)
    assert [p["name"] for p in secret["people"]] == ["Ana", "Ben", "Dee", "Eve", "Fer"]
    found = rounds.paper_roll(services, room["teller"], round_id=named_id, search=" e", limit=1)
    assert found["total"] == 3
    assert found["people"] == [{"id": room["Dee"].member_id, "name": "Dee", "weight": 1}]
    for search in ("%", "_", "\\"):
        assert (
            rounds.paper_roll(services, room["teller"], round_id=named_id, search=search)["people"]
            == []
        )
    with pytest.raises(Forbidden):
        rounds.paper_roll(services, room["Ana"], round_id=named_id)
    with pytest.raises(InvalidInput):
        rounds.paper_roll(services, room["teller"], round_id=named_id, limit=1000)
    with pytest.raises(InvalidInput):
        rounds.paper_roll(services, room["teller"], round_id=named_id, search="x" * 500)


def test_a_teller_reads_only_what_a_participant_reads(services, room):
    round_id, (rent, *_) = new_round(services, room, secret=False)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    token = room["teller_token"]
    for name, args in (
        ("rounds.ballots", {"round_id": round_id}),
        ("rounds.not_voted", {"round_id": round_id}),
        ("members.list", {}),
        ("minutes.get", {}),
        ("demands.list", {}),
        ("floor.raise", {}),
        ("rounds.cast", {"round_id": round_id, "ranking": [rent]}),
        ("members.invite", {"role": "teller"}),
    ):
        with pytest.raises(Forbidden):
            run_command(services, token, name, args)
    with pytest.raises(Forbidden):
        minutes.round_export(services, room["teller"], round_id, "csv")
    assert run_command(services, token, "rounds.get", {"round_id": round_id})["id"] == round_id


def test_the_minutes_say_which_ballots_were_on_paper(services, room):
    named_id, (rent, *_) = new_round(services, room, secret=False)
    paper(services, room, named_id, "Dee", ranking=[rent])
    paper(services, room, named_id, "Ana", ranking=[rent])
    rounds.cast_ballot(services, room["Ben"], round_id=named_id, ranking=[rent])
    rounds.close_round(services, room["facilitator"], round_id=named_id)
    secret_id, (s_rent, *_) = new_round(services, room)
    paper(services, room, secret_id, "Dee", ranking=[s_rent])
    rounds.close_round(services, room["facilitator"], round_id=secret_id)
    document = minutes.get_minutes(services, room["facilitator"])
    found = {
        r["id"]: r
        for item in [document["other"], *document["items"]]
        for r in item.get("rounds", [])
    }
    assert (found[named_id]["paper"], found[named_id]["paper_names"]) == (2, ["Ana", "Dee"])
    assert (found[secret_id]["paper"], found[secret_id]["paper_names"]) == (1, [])
    from convene.exports import markdown

    text = markdown.minutes_markdown(document)
    assert "2 ballots entered by a teller: Ana, Dee" in text
    assert "1 ballot entered by a teller\n" in text


def test_a_secret_paper_ballot_is_not_linked_to_its_voter_in_the_tables(services, engine, room):
    round_id, (rent, wages, transit) = new_round(services, room)
    paper(services, room, round_id, "Ana", ranking=[transit, wages, rent])
    with engine.connect() as connection:
        sealed = connection.execute(select(tables.sealed_ballots)).mappings().all()
        voters = connection.execute(select(tables.round_voters)).mappings().all()
        opened = connection.execute(select(tables.ballots)).mappings().all()
    assert len(sealed) == 1
    assert opened == []
    assert set(sealed[0]) == {"round_id", "tag", "box", "revokes"}
    assert [(v["member_id"], v["paper"]) for v in voters] == [(room["Ana"].member_id, True)]
    for name in ("Ben", "Cy", "Dee", "Eve"):
        rounds.cast_ballot(services, room[name], round_id=round_id, ranking=[rent])
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    with engine.connect() as connection:
        ballots = connection.execute(select(tables.ballots)).mappings().all()
        logged = connection.execute(select(tables.events.c.type, tables.events.c.data)).all()
    assert {b["member_id"] for b in ballots} == {None}
    assert set(ballots[0]) == {"round_id", "receipt", "content", "weight", "member_id"}
    receipts = {b["receipt"] for b in ballots}
    for event_type, data in logged:
        text = json.dumps(data)
        assert not receipts & set(text.split('"')), f"{event_type} names a receipt"
        if event_type == "round.paper_ballot":
            assert "ranking" not in text
            assert str(transit) not in data.values()


# -- the HTTP API and the socket ----------------------------------------------------------------


@pytest.fixture
def hall(client):
    created = client.post("/api/convenings", json={"title": "Regional convening"}).get_json()
    code = created["code"]
    staff = bearer(created["facilitator_token"])
    people = {
        name: client.post(f"/api/convenings/{code}/participants", json={"name": name}).get_json()
        for name in ("Ana Núñez", "Ben", "Cy")
    }
    invited = client.post(
        f"/api/convenings/{code}/invitations", json={"role": "teller"}, headers=staff
    )
    teller = check(invited, "/api/convenings/{code}/invitations", "post", 201)
    assert teller["role"] == "teller"
    assert "/t/" in teller["url"]
    made = client.post(
        f"/api/convenings/{code}/rounds",
        json={
            "title": "Order",
            "method": "irv",
            "options": [{"label": "A"}, {"label": "B"}],
            "secret": False,
        },
        headers=staff,
    ).get_json()
    client.post(f"/api/convenings/{code}/rounds/{made['id']}/open", headers=staff)
    return {
        "code": code,
        "staff": staff,
        "people": people,
        "teller": bearer(teller["token"]),
        "teller_token": teller["token"],
        "staff_token": created["facilitator_token"],
        "round": made,
        "options": [o["id"] for o in made["options"]],
        "url": PAPER.format(code=code, round_id=made["id"]),
        "roll": ROLL.format(code=code, round_id=made["id"]),
        "base": f"/api/convenings/{code}",
    }


def test_paper_ballots_over_http(client, hall):
    a, b = hall["options"]
    ana = hall["people"]["Ana Núñez"]["id"]
    roll = client.get(hall["roll"] + "?search=n%C3%BA&limit=5", headers=hall["teller"])
    body = check(roll, "/api/convenings/{code}/rounds/{round_id}/paper-roll", "get", 200)
    assert [p["id"] for p in body["people"]] == [ana]
    sent = client.post(
        hall["url"], json={"member_id": ana, "ranking": [b, a]}, headers=hall["teller"]
    )
    entered = check(sent, PAPER.replace("{round_id}", "{round_id}"), "post", 201)
    assert entered["name"] == "Ana Núñez"
    assert entered["paper"] == 1
    again = client.post(
        hall["url"], json={"member_id": ana, "ranking": [a]}, headers=hall["teller"]
    )
    refused = check(again, PAPER, "post", 409)
    assert "Ana Núñez" in refused["error"]["message"]
    phone = bearer(hall["people"]["Ana Núñez"]["token"])
    cast = client.post(
        f"{hall['base']}/rounds/{hall['round']['id']}/ballots", json={"ranking": [a]}, headers=phone
    )
    assert cast.status_code == 409
    state = client.get(f"{hall['base']}/rounds/{hall['round']['id']}", headers=hall["staff"])
    round_ = check(state, "/api/convenings/{code}/rounds/{round_id}", "get", 200)
    assert round_["turnout"]["voted"] == 1
    assert round_["turnout"]["paper"] == 1
    snapshot = client.get(hall["base"], headers=hall["teller"]).get_json()
    assert snapshot["me"]["role"] == "teller"
    assert "members" not in snapshot
    assert snapshot["rounds"][0]["turnout"]["paper"] == 1
    # the log: facilitators see who and which teller, everyone else only the count
    staff_events = client.get(f"{hall['base']}/events?after=0", headers=hall["staff"]).get_json()
    public = client.get(f"{hall['base']}/events?after=0", headers=phone).get_json()
    [full] = [e for e in staff_events["events"] if e["type"] == "round.paper_ballot"]
    [seen] = [e for e in public["events"] if e["type"] == "round.paper_ballot"]
    assert full["data"]["member_id"] == ana
    assert "teller_id" in full["data"]
    assert seen["data"] == {"round_id": hall["round"]["id"], "paper": 1}


def test_hostile_paper_ballots_are_4xx_and_change_nothing(client, hall):
    a, _ = hall["options"]
    ana = hall["people"]["Ana Núñez"]["id"]
    before = client.get(hall["base"], headers=hall["staff"]).get_json()["seq"]
    deep = {"member_id": ana, "ranking": [a]}
    for _ in range(40):
        deep = {"x": deep}
    cases = [
        ({"member_id": "1", "ranking": [a]}, hall["teller"], 422),
        ({"member_id": True, "ranking": [a]}, hall["teller"], 422),
        ({"member_id": 2**63, "ranking": [a]}, hall["teller"], 422),
        ({"member_id": ana, "ranking": "A"}, hall["teller"], 422),
        ({"member_id": ana, "ranking": [a] * 6000}, hall["teller"], 413),
        ({"member_id": ana, "ranking": [a], "receipt": "abc"}, hall["teller"], 422),
        ({"member_id": ana, "ranking": [a], "weight": 100}, hall["teller"], 422),
        ({"member_id": ana, "ranking": [[a]]}, hall["teller"], 422),
        ({"ranking": [a]}, hall["teller"], 422),
        (deep, hall["teller"], 400),
        (
            {"member_id": hall["people"]["Ben"]["id"], "ranking": [a]},
            bearer(hall["people"]["Ben"]["token"]),
            403,
        ),
        ({"member_id": ana, "ranking": [a]}, {}, 401),
        ({"member_id": ana, "ranking": [a]}, bearer("forged"), 401),
    ]
    for body, headers, status in cases:
        response = client.post(hall["url"], json=body, headers=headers)
        assert response.status_code == status, (
            body if body is not deep else "deep",
            response.get_json(),
        )
        assert "error" in response.get_json()
    huge = client.post(
        hall["url"],
        data=json.dumps({"member_id": ana, "ranking": [a], "x": "y" * 3_000_000}),
        content_type="application/json",
        headers=hall["teller"],
    )
    assert huge.status_code == 413
    # the teller's own id, a projector's, another convening's member
    snapshot = client.get(hall["base"], headers=hall["teller"]).get_json()
    other = client.post("/api/convenings", json={"title": "Elsewhere"}).get_json()
    zed = client.post(
        f"/api/convenings/{other['code']}/participants", json={"name": "Zed"}
    ).get_json()
    for member_id in (snapshot["me"]["id"], zed["id"]):
        response = client.post(
            hall["url"], json={"member_id": member_id, "ranking": [a]}, headers=hall["teller"]
        )
        assert response.status_code == 404
    # a round of another convening, through this convening's code
    response = client.post(
        PAPER.format(code=hall["code"], round_id=999_999),
        json={"member_id": ana, "ranking": [a]},
        headers=hall["teller"],
    )
    assert response.status_code == 404
    # a teller's token on another convening's code
    response = client.post(
        PAPER.format(code=other["code"], round_id=hall["round"]["id"]),
        json={"member_id": ana, "ranking": [a]},
        headers=hall["teller"],
    )
    assert response.status_code == 404
    # a teller reads no named ballots, no not-voted list, no members
    rid = hall["round"]["id"]
    for path in (f"/rounds/{rid}/not-voted", f"/rounds/{rid}/ballots", "/participants", "/minutes"):
        response = client.get(hall["base"] + path, headers=hall["teller"])
        assert response.status_code == 403, (path, response.status_code)
    assert client.get(hall["base"], headers=hall["staff"]).get_json()["seq"] == before


def test_paper_ballots_over_the_socket(app, client, hall):
    a, b = hall["options"]
    teller = socketio.test_client(
        app, auth={"token": hall["teller_token"]}, flask_test_client=client
    )
    assert teller.is_connected()
    staff = socketio.test_client(app, auth={"token": hall["staff_token"]}, flask_test_client=client)
    teller.get_received()
    staff.get_received()
    ben = hall["people"]["Ben"]["id"]
    reply = teller.emit(
        "command",
        {
            "name": "rounds.paper_ballot",
            "args": {"round_id": hall["round"]["id"], "member_id": ben, "ranking": [a, b]},
        },
        callback=True,
    )
    assert reply["ok"] is True
    assert reply["result"]["name"] == "Ben"

    def paper_events(socket_client):
        return [
            m["args"][0]["data"]
            for m in socket_client.get_received()
            if m["name"] == "event" and m["args"][0]["type"] == "round.paper_ballot"
        ]

    assert paper_events(teller) == [{"round_id": hall["round"]["id"], "paper": 1}]
    [seen] = paper_events(staff)
    assert (seen["member_id"], seen["name"], seen["paper"]) == (ben, "Ben", 1)
    staff.disconnect()
    again = teller.emit(
        "command",
        {
            "name": "rounds.paper_ballot",
            "args": {"round_id": hall["round"]["id"], "member_id": ben, "ranking": [a]},
        },
        callback=True,
    )
    assert again["ok"] is False
    assert again["error"]["code"] == "conflict"
    for args in (
        None,
        [],
        {"round_id": "x"},
        {"round_id": hall["round"]["id"], "member_id": ben, "ranking": {"a": 1}},
    ):
        bad = teller.emit("command", {"name": "rounds.paper_ballot", "args": args}, callback=True)
        assert bad["ok"] is False
    refused = teller.emit("command", {"name": "members.list", "args": {}}, callback=True)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "forbidden"
    teller.disconnect()


def test_the_teller_link_opens_the_teller_screen(client, hall):
    entered = client.get(f"/t/{hall['teller_token']}")
    assert entered.status_code == 302
    assert entered.headers["Location"].endswith(f"/c/{hall['code']}/teller")
    page = client.get(f"/c/{hall['code']}/teller")
    assert page.status_code == 200
    assert b"js/teller.js" in page.data
    assert hall["teller_token"].encode() in page.data  # the page's config, as other screens
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/c/{hall['code']}/teller").status_code == 403


def test_the_archive_keeps_which_voters_were_on_paper(services, engine, room):
    from convene.exports.archive import _digest, export_convening, import_convening

    round_id, (rent, *_) = new_round(services, room, secret=False)
    paper(services, room, round_id, "Ana", ranking=[rent])
    rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[rent])
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    archive = json.loads(json.dumps(export_convening(engine, room["created"].code)))
    assert sorted(v["paper"] for v in archive["tables"]["round_voters"]) == [False, True]

    def on_paper(code: str) -> list[bool]:
        with engine.connect() as connection:
            round_ids = select(tables.rounds.c.id).join(
                tables.convenings, tables.convenings.c.id == tables.rounds.c.convening_id
            )
            return sorted(
                connection.execute(
                    select(tables.round_voters.c.paper).where(
                        tables.round_voters.c.round_id.in_(
                            round_ids.where(tables.convenings.c.code == code)
                        )
                    )
                ).scalars()
            )

    def forget(code: str) -> None:  # its links may be imported again
        with engine.begin() as connection:
            connection.execute(delete(tables.convenings).where(tables.convenings.c.code == code))

    forget(room["created"].code)
    assert on_paper(import_convening(engine, archive, new_code="PAPER1")) == [False, True]
    forget("PAPER1")
    # an archive from before paper ballots: its voters voted by phone
    body = {k: v for k, v in archive.items() if k != "sha256"}
    for voter in body["tables"]["round_voters"]:
        del voter["paper"]
    older = {**body, "sha256": _digest(body)}
    assert on_paper(import_convening(engine, older, new_code="PAPER2")) == [False, False]


@pytest.mark.parametrize("secret", [False, True])
def test_a_phone_and_a_teller_at_once_take_one_seat_once(services, engine, room, secret):
    import threading

    services.ballot_limiter = SignalLimiter(rate=1000, burst=1000)
    round_id, (rent, wages, _) = new_round(services, room, secret=secret)
    names = ("Ana", "Ben", "Cy", "Dee", "Eve", "Fer")
    outcomes: dict[str, list[str]] = {name: [] for name in names}
    start = threading.Barrier(2 * len(names))

    def by_phone(name):
        start.wait()
        try:
            rounds.cast_ballot(services, room[name], round_id=round_id, ranking=[rent])
            outcomes[name].append("phone")
        except Conflict:
            outcomes[name].append("refused")

    def on_paper(name):
        start.wait()
        try:
            paper(services, room, round_id, name, ranking=[wages])
            outcomes[name].append("paper")
        except Conflict:
            outcomes[name].append("refused")

    threads = [threading.Thread(target=f, args=(n,)) for n in names for f in (by_phone, on_paper)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name, got in outcomes.items():
        assert sorted(got) in (["phone", "refused"], ["paper", "refused"]), (name, got)
    on_paper_count = sum("paper" in got for got in outcomes.values())
    turnout = rounds.get_round(services, room["facilitator"], round_id=round_id)["turnout"]
    assert (turnout["voted"], turnout["paper"]) == (len(names), on_paper_count)
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    published = rounds.published_ballots(services, room["Ana"], round_id=round_id)["ballots"]
    assert len(published) == len(names)
    wages_count = sum(b["ballot"] == {"ranking": [wages]} for b in published)
    assert wages_count == on_paper_count
