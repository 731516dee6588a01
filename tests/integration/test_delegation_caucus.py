"""Delegations as caucuses (issue 17 item 6): a delegate who arrives with their badge has
their delegation as caucus, whatever its length (up to the roster's 200 characters), so
every chapter counts in the demands' agreement and bridging figures; a re-import that
changes a delegation changes the caucus and recounts the figures once."""

from __future__ import annotations

import pytest

from convene.domain.convening import CAUCUS_MAX
from convene.domain.roster import DELEGATION_MAX
from convene.services import convenings, demands, roster
from tests.integration.test_api import bearer, check

#: 200 characters, diacritics and all: the longest delegation a roster may hold.
LONG = "Federación Regional de Sindicatos de Trabajadoras y Trabajadores de la Enseñanza, "
LONG = (LONG * 3)[:DELEGATION_MAX].strip()
#: a long one without spaces to break at
UNBROKEN = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 3
HEADER = "name,delegation,role,vote_weight,external_id,contact\n"


def roster_csv(delegations: dict[str, str]) -> str:
    lines = [f'{name},"{d}",delegate,1,{name[:3].upper()},\n' for name, d in delegations.items()]
    return HEADER + "".join(lines)


PEOPLE = {"Ana Núñez": LONG, "Ben Ortiz": LONG, "Cy Łukasz": UNBROKEN, "Di Ruiz": "Local 12"}


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Convención regional")
    facilitator = services.authenticate(created.facilitator_token)
    roster.import_roster(services, facilitator, csv=roster_csv(PEOPLE))
    codes = {e["name"]: e["code"] for e in roster.credentials(services, facilitator)["entries"]}
    people = {
        name: services.authenticate(
            roster.redeem(services, code=created.code, badge_code=codes[name]).token
        )
        for name in PEOPLE
    }
    return created, facilitator, people


def test_a_delegation_fits_a_caucus():
    assert len(LONG) == DELEGATION_MAX == CAUCUS_MAX
    assert len(UNBROKEN) > 60


def test_a_badge_holder_of_a_long_delegation_counts_in_the_figures(services, publisher, room):
    _, facilitator, people = room
    joined = [e.data for e in publisher.events if e.type == "participant.joined"]
    assert {d["name"]: d["caucus"] for d in joined} == PEOPLE
    demand = demands.propose(services, facilitator, title="Rent freeze", body="Now.")
    demands.open_demand(services, facilitator, demand_id=demand["id"])
    for name, stance in [("Ana Núñez", "agree"), ("Ben Ortiz", "disagree")]:
        demands.agree(services, people[name], demand_id=demand["id"], stance=stance)
    for name in ("Cy Łukasz", "Di Ruiz"):
        demands.agree(services, people[name], demand_id=demand["id"], stance="agree")
    agreement = demands.get_demand(services, facilitator, demand_id=demand["id"])["agreement"]
    shares = {c["caucus"]: c["share"] for c in agreement["caucuses"] if c["counted"]}
    assert shares == {LONG: 0.5, UNBROKEN: 1.0, "Local 12": 1.0}
    assert agreement["caucuses_counted"] == 3
    assert agreement["bridging"] == 0.5  # the long-named chapter is the divided one


def test_a_reimport_moves_the_caucus_and_recounts_once(services, publisher, room):
    _, facilitator, people = room
    demand = demands.propose(services, facilitator, title="Rent freeze", body="Now.")
    demands.open_demand(services, facilitator, demand_id=demand["id"])
    for name, stance in [("Ana Núñez", "agree"), ("Ben Ortiz", "disagree"), ("Di Ruiz", "agree")]:
        demands.agree(services, people[name], demand_id=demand["id"], stance=stance)
    before = len(publisher.events)

    # Ben's chapter is renamed and Ana moves to Local 12: two new caucuses, one recount.
    moved = {**PEOPLE, "Ana Núñez": "Local 12", "Ben Ortiz": LONG[:150].strip() + " (Sur)"}
    reply = roster.import_roster(services, facilitator, csv=roster_csv(moved))
    assert (reply["updated"], reply["unchanged"]) == (2, 2)
    events = publisher.events[before:]
    updated = {e.data["name"]: e.data["caucus"] for e in events if e.type == "participant.updated"}
    assert updated == {"Ana Núñez": "Local 12", "Ben Ortiz": moved["Ben Ortiz"]}
    assert [e.type for e in events].count("demands.recounted") == 1
    recounted = next(e for e in events if e.type == "demands.recounted").data["demands"]
    shares = {c["caucus"]: c["share"] for c in recounted[0]["agreement"]["caucuses"]}
    assert shares == {"Local 12": 1.0, moved["Ben Ortiz"]: 0.0}

    # Only a weight changed: the member follows, the figures are not recounted.
    before = len(publisher.events)
    weights = roster_csv(moved).replace(
        'Di Ruiz,"Local 12",delegate,1', 'Di Ruiz,"Local 12",delegate,2'
    )
    assert roster.import_roster(services, facilitator, csv=weights)["updated"] == 1
    assert "demands.recounted" not in [e.type for e in publisher.events[before:]]


def test_a_long_caucus_by_hand_and_over_http(client):
    created = client.post("/api/convenings", json={"title": "Convención"}).get_json()
    code, staff = created["code"], bearer(created["facilitator_token"])
    joined = client.post(
        f"/api/convenings/{code}/participants", json={"name": "Ana", "caucus": LONG}
    ).get_json()
    me = client.get(f"/api/convenings/{code}", headers=bearer(joined["token"])).get_json()
    assert me["me"]["caucus"] == LONG
    response = client.patch(
        f"/api/convenings/{code}/participants/{me['me']['id']}",
        json={"caucus": UNBROKEN},
        headers=staff,
    )
    assert (
        check(response, "/api/convenings/{code}/participants/{member_id}", "patch", 200)["caucus"]
        == UNBROKEN
    )
    too_long = client.patch(
        f"/api/convenings/{code}/participants/{me['me']['id']}",
        json={"caucus": LONG + "x"},
        headers=staff,
    )
    assert too_long.status_code == 413, too_long.get_data(as_text=True)
    assert too_long.get_json()["error"]["field"] == "caucus"
