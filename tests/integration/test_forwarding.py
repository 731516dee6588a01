"""Forwarding an adopted demand upstream with a mandate (issue 18 item 2): the origin
record, idempotence, a newer version, bad input, the regional live log, HTTP."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import update

from convene.domain.demands.origins import parse_mandate, text_sha256
from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from convene.services import convenings, demands, feeders, live, rounds
from convene.services.commands import run_command
from convene.store import tables
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused


def test_the_text_hash_is_sha256_of_title_blank_line_body():
    expected = hashlib.sha256(b"Rent freeze\n\nFreeze rents.").hexdigest()
    assert text_sha256("Rent freeze", "Freeze rents.") == expected


def test_mandates_and_notes():
    assert parse_mandate(None, None) == ("as written", "")
    assert parse_mandate("advisory", "  Use judgement. ") == ("advisory", "Use judgement.")
    for bad in ("as-written", 3, ""):
        with pytest.raises(InvalidInput):
            parse_mandate(bad, None)
    with pytest.raises(InvalidInput):
        parse_mandate("advisory", "x" * 501)


@pytest.fixture
def series(services):
    region = convenings.create_convening(services, title="Regional convening")
    chapter = convenings.create_convening(services, title="Northside chapter")
    staff = services.authenticate(chapter.facilitator_token)
    region_staff = services.authenticate(region.facilitator_token)
    people = {
        n: services.authenticate(convenings.join(services, code=chapter.code, name=n).token)
        for n in ("Ana", "Ben", "Cy")
    }
    invitation = feeders.invite(services, region_staff)["invitation"]
    feeders.link(services, staff, code=region.code, invitation=invitation)

    def demand(title, votes=("yes", "yes", "no"), decide=True):
        made = demands.propose(services, people["Ana"], title=title, body=f"{title}, now.")
        demands.open_demand(services, staff, demand_id=made["id"])
        demands.support(services, people["Ben"], demand_id=made["id"])
        demands.agree(services, people["Cy"], demand_id=made["id"], stance="agree")
        if not decide:
            return made["id"]
        round_ = rounds.create_round(
            services, staff, title=title, method="yes_no", options=[{"demand_id": made["id"]}]
        )
        rounds.open_round(services, staff, round_id=round_["id"])
        for name, vote in zip(("Ana", "Ben", "Cy"), votes, strict=True):
            rounds.cast_ballot(services, people[name], round_id=round_["id"], choice=vote)
        rounds.close_round(services, staff, round_id=round_["id"])
        return made["id"]

    return {
        "region": region,
        "region_staff": region_staff,
        "chapter": chapter,
        "staff": staff,
        "people": people,
        "demand": demand,
    }


def test_an_adopted_demand_goes_upstream_with_its_origin(services, publisher, series):
    rent = series["demand"]("Rent freeze")
    sent = demands.forward(
        services,
        series["staff"],
        demand_id=rent,
        mandate="may accept friendly amendments",
        note="Our delegates may take wording changes.",
    )
    assert sent["forwarded"] is True
    assert sent["upstream"]["code"] == series["region"].code
    origin = sent["origin"]
    assert origin["chapter"] == {"title": "Northside chapter"}
    assert (origin["demand_id"], origin["version"]) == (rent, 1)
    assert origin["text_sha256"] == text_sha256("Rent freeze", "Rent freeze, now.")
    assert origin["decision"]["method"] == "yes_no"
    assert origin["decision"]["passed"] is True
    assert origin["decision"]["figures"] == {"yes": 2, "no": 1, "abstain": 0}
    assert origin["agreement"]["agree"] == 1
    assert "bridging" in origin["agreement"]
    assert origin["mandate"] == "may accept friendly amendments"
    assert origin["previous_demand_id"] is None
    regional = demands.get_demand(services, series["region_staff"], demand_id=sent["demand_id"])
    assert regional["status"] == "open"
    assert regional["title"] == "Rent freeze"
    assert regional["author"]["name"] == "Northside chapter"
    assert regional["origin"] == origin
    proposed, forwarded = publisher.events[-2:]
    assert (proposed.type, proposed.actor_id) == ("demand.proposed", None)
    assert proposed.data["demand"]["origin"] == origin
    assert forwarded.type == "demand.forwarded"
    # nobody can act as the chapter's seat in the region
    seat = [
        m
        for m in live.members(services, series["region_staff"])["members"]
        if m["role"] == "chapter"
    ]
    assert [m["name"] for m in seat] == ["Northside chapter"]


def test_the_same_version_twice_is_one_demand_and_a_newer_one_links_to_it(
    services, engine, publisher, series
):
    rent = series["demand"]("Rent freeze")
    first = demands.forward(services, series["staff"], demand_id=rent)
    again = demands.forward(services, series["staff"], demand_id=rent, mandate="advisory")
    assert again["forwarded"] is False
    assert again["demand_id"] == first["demand_id"]
    assert again["origin"]["mandate"] == "as written"
    # a newer version of the adopted demand (as a re-decision would leave it)
    with engine.begin() as connection:
        connection.execute(
            update(tables.demands)
            .where(tables.demands.c.id == rent)
            .values(version=2, body="Rent freeze, now, for two years.")
        )
    newer = demands.forward(services, series["staff"], demand_id=rent)
    assert newer["forwarded"] is True
    assert newer["demand_id"] != first["demand_id"]
    assert newer["origin"]["version"] == 2
    assert newer["origin"]["previous_demand_id"] == first["demand_id"]
    # one seat for the chapter, however many it sends
    members = live.members(services, series["region_staff"])["members"]
    assert [m["role"] for m in members].count("chapter") == 1


def test_what_cannot_be_forwarded_is_refused_naming_the_demand(services, engine, publisher, series):
    staff = series["staff"]
    draft = demands.propose(services, series["people"]["Ana"], title="A draft", body="Not yet.")
    rejected = series["demand"]("Lower fares", votes=("no", "no", "yes"))
    hidden = series["demand"]("Hidden one")
    demands.hide(services, staff, demand_id=hidden, reason="Abusive")
    open_one = series["demand"]("Still open", decide=False)
    for demand_id, words in (
        (draft["id"], "A draft"),
        (rejected, "Lower fares"),
        (hidden, "Hidden one"),
        (open_one, "Still open"),
    ):
        with pytest.raises(Conflict, match=words):
            demands.forward(services, staff, demand_id=demand_id)
        assert_refused(
            services,
            engine,
            publisher,
            lambda d=demand_id: demands.forward(services, staff, demand_id=d),
            Conflict,
        )
    adopted = series["demand"]("Rent freeze")
    for bad in ({"mandate": "maybe"}, {"note": "x" * 600}, {"mandate": 1}):
        assert_refused(
            services,
            engine,
            publisher,
            lambda b=bad: demands.forward(services, staff, demand_id=adopted, **b),
            InvalidInput,
        )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: demands.forward(services, staff, demand_id=99999),
        NotFound,
    )
    # no upstream
    feeders.unlink(services, staff)
    with pytest.raises(Conflict, match=r"Rent freeze.*sends its demands nowhere"):
        demands.forward(services, staff, demand_id=adopted)


def test_who_may_forward(services, series):
    rent = series["demand"]("Rent freeze")
    with pytest.raises(Forbidden):
        demands.forward(services, series["people"]["Ana"], demand_id=rent)
    with pytest.raises(NotFound):  # another convening's facilitator, on the chapter's code
        run_command(
            services,
            _token_of_region(services, series),
            "demands.forward",
            {"demand_id": rent},
            code=series["chapter"].code,
        )


def _token_of_region(services, series):
    invited = convenings.invite(services, series["region_staff"], role="facilitator")
    return invited.token


def test_the_chapter_s_seat_holds_no_usable_token(services, engine, series):
    rent = series["demand"]("Rent freeze")
    demands.forward(services, series["staff"], demand_id=rent)
    with engine.connect() as connection:
        row = connection.execute(
            tables.members.select().where(tables.members.c.role == "chapter")
        ).one()
    assert len(row.token_hash) == 64
    with pytest.raises(NotAuthenticated):
        services.authenticate(row.token_hash)


def test_the_regional_live_log_gets_the_new_demand(services, series):
    rent = series["demand"]("Rent freeze")
    sent = demands.forward(services, series["staff"], demand_id=rent)
    phone = services.authenticate(
        convenings.join(services, code=series["region"].code, name="Delegate").token
    )
    seen = live.events_since(services, phone, 0, 500)["events"]
    proposed = [e for e in seen if e["type"] == "demand.proposed"]
    assert proposed[-1]["data"]["demand_id"] == sent["demand_id"]
    assert proposed[-1]["data"]["demand"]["origin"]["mandate"] == "as written"
    assert series["chapter"].code not in str(proposed[-1]["data"])
    snapshot = live.snapshot(services, phone)
    assert [d["origin"]["chapter"]["title"] for d in snapshot["demands"]] == ["Northside chapter"]


def test_forwarding_over_http(client, services, series):
    rent = series["demand"]("Rent freeze")
    path = "/api/convenings/{code}/demands/{demand_id}/forward"
    url = f"/api/convenings/{series['chapter'].code}/demands/{rent}/forward"
    staff = bearer(series["chapter"].facilitator_token)
    sent = check(client.post(url, json={"mandate": "advisory"}, headers=staff), path, "post", 200)
    assert sent["forwarded"] is True
    again = check(client.post(url, json={}, headers=staff), path, "post", 200)
    assert again["forwarded"] is False
    regional = check(
        client.get(
            f"/api/convenings/{series['region'].code}/demands/{sent['demand_id']}",
            headers=bearer(series["region"].facilitator_token),
        ),
        "/api/convenings/{code}/demands/{demand_id}",
        "get",
        200,
    )
    assert regional["origin"]["mandate"] == "advisory"
    for body, status in (
        ({"mandate": "whatever"}, 422),
        ({"note": 5}, 422),
        ({"extra": True}, 422),
        ({"note": "x" * 600}, 413),
    ):
        check(client.post(url, json=body, headers=staff), path, "post", status)
    check(client.post(url, json={}, headers=bearer("nope")), path, "post", 401)
    wrong = f"/api/convenings/{series['chapter'].code}/demands/{2**31}/forward"
    assert client.post(wrong, json={}, headers=staff).status_code == 422
    missing = f"/api/convenings/{series['chapter'].code}/demands/9999/forward"
    check(client.post(missing, json={}, headers=staff), path, "post", 404)
    deep = "[" * 100 + "]" * 100
    reply = client.post(url, data=deep, headers={**staff, "Content-Type": "application/json"})
    assert reply.status_code == 400
