"""Demands and amendments through the services and the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import json

import pytest
from sqlalchemy import select

from convene.domain.convening import CAUCUS_MAX
from convene.domain.demands import amendments as amendment_rules
from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from convene.services import convenings, demands, live
from convene.services.commands import run_command
from convene.services.demands import views as demand_views
from convene.store import tables
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused, dump

BODY = "We demand a rent freeze for all tenants. Repairs within a week."


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Assembly")
    facilitator = services.authenticate(created.facilitator_token)
    people, tokens = {}, {}
    for name, caucus in (("Ana", "North"), ("Ben", "North"), ("Cy", "South"), ("Di", None)):
        admission = convenings.join(services, code=created.code, name=name, caucus=caucus)
        people[name] = services.authenticate(admission.token)
        tokens[name] = admission.token
    observer_token = convenings.invite(services, facilitator, role="observer").token
    return {
        "created": created,
        "facilitator": facilitator,
        "projector": services.authenticate(created.projector_token),
        "observer": services.authenticate(observer_token),
        "tokens": tokens,
        **people,
    }


def propose(services, actor, body=BODY, title="Rent freeze", **kwargs):
    return demands.propose(services, actor, title=title, body=body, **kwargs)


def last(publisher, type_=None):
    events = [e for e in publisher.events if type_ is None or e.type == type_]
    return events[-1]


# -- proposing, editing, opening ---------------------------------------------------------------


def test_propose_edit_open_with_events_and_versions(services, publisher, clock, room):
    ana, ben, facilitator = room["Ana"], room["Ben"], room["facilitator"]
    demand = propose(services, ana, body="We *demand* <script>alert(1)</script>")
    assert demand["status"] == "draft"
    assert demand["body_html"] == (
        "<p>We <em>demand</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    assert demand["author"] == {"id": ana.member_id, "name": "Ana"}
    event = last(publisher)
    assert event.type == "demand.proposed"
    assert event.data["demand"]["id"] == demand["id"]
    assert event.message(staff=False)["data"] == event.data  # nothing to hide

    clock.advance(minutes=1)
    edited = demands.edit(services, ana, demand_id=demand["id"], body=BODY, version=1)
    assert (edited["version"], edited["body"]) == (2, BODY)
    assert last(publisher).data["change"] == "edited"

    opened = demands.open_demand(services, facilitator, demand_id=demand["id"])
    assert opened["status"] == "open"
    typo = demands.edit(services, facilitator, demand_id=demand["id"], title="Rent freeze!")
    assert typo["version"] == 3
    assert last(publisher).data["change"] == "typo"

    history = demands.versions(services, ben, demand_id=demand["id"])
    assert [(v["number"], v["kind"]) for v in history["versions"]] == [
        (1, "original"),
        (2, "edit"),
        (3, "typo"),
    ]
    compared = demands.compare(services, ben, demand_id=demand["id"], **{"from": 2, "to": 3})
    assert compared["title"] == [
        {"op": "equal", "text": "Rent "},
        {"op": "delete", "text": "freeze"},
        {"op": "insert", "text": "freeze!"},
    ]
    assert all(op["op"] == "equal" for op in compared["diff"])


def test_proposing_under_an_agenda_item(services, room):
    from convene.services import agenda

    item = agenda.add_item(services, room["facilitator"], title="Housing")
    demand = propose(services, room["Ana"], agenda_item_id=item["id"])
    assert demand["item_id"] == item["id"]


def test_bad_input_and_wrong_roles_change_nothing(services, engine, publisher, room):
    ana, ben = room["Ana"], room["Ben"]
    demand = propose(services, ana)
    cases = [
        (lambda: propose(services, ana, body=""), InvalidInput),
        (lambda: propose(services, ana, title=""), InvalidInput),
        (lambda: propose(services, ana, body="x" * 5001), TooLarge),
        (lambda: propose(services, ana, agenda_item_id=999), NotFound),
        (lambda: propose(services, room["projector"]), Forbidden),
        (lambda: propose(services, room["observer"]), Forbidden),
        (lambda: demands.edit(services, ben, demand_id=demand["id"], body="mine"), Forbidden),
        (
            lambda: demands.edit(services, ana, demand_id=demand["id"], body="x", version=3),
            Conflict,
        ),
        (lambda: demands.withdraw(services, ben, demand_id=demand["id"]), Forbidden),
        (lambda: demands.open_demand(services, ana, demand_id=demand["id"]), Forbidden),
        (lambda: demands.hide(services, ana, demand_id=demand["id"], reason="x"), Forbidden),
        (lambda: demands.support(services, ana, demand_id=demand["id"]), Conflict),  # own
        (lambda: demands.support(services, room["projector"], demand_id=demand["id"]), Forbidden),
        (
            lambda: demands.agree(
                services, room["observer"], demand_id=demand["id"], stance="agree"
            ),
            Forbidden,
        ),
        (
            lambda: demands.agree(services, ben, demand_id=demand["id"], stance="maybe"),
            InvalidInput,
        ),
        (lambda: demands.support(services, ben, demand_id=12345), NotFound),
        (lambda: demands.support(services, ben, demand_id="1"), InvalidInput),
        (
            lambda: demands.amend(services, room["projector"], demand_id=demand["id"], body="x"),
            Forbidden,
        ),
        (lambda: demands.reorder(services, room["facilitator"], order=[]), InvalidInput),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)


def test_a_demand_of_another_convening_is_not_found(services, engine, publisher, room):
    other = convenings.create_convening(services, title="Other")
    stranger = services.authenticate(convenings.join(services, code=other.code, name="Zed").token)
    demand = propose(services, room["Ana"])
    assert_refused(
        services,
        engine,
        publisher,
        lambda: demands.support(services, stranger, demand_id=demand["id"]),
        NotFound,
    )


# -- support ---------------------------------------------------------------------------------


def test_support_seconding_and_can_go_to_vote(services, engine, publisher, room):
    ana, ben, cy, facilitator = room["Ana"], room["Ben"], room["Cy"], room["facilitator"]
    convenings.update_convening(services, facilitator, support_required=2)
    demand = propose(services, ana)
    reply = demands.support(services, ben, demand_id=demand["id"])
    assert reply["supported"] is True
    assert (reply["supporters"], reply["support_required"], reply["can_go_to_vote"]) == (
        1,
        2,
        False,
    )
    assert reply["supported_by"] == [{"id": ben.member_id, "name": "Ben"}]
    assert_refused(
        services,
        engine,
        publisher,
        lambda: demands.support(services, ben, demand_id=demand["id"]),
        Conflict,
    )
    demands.support(services, cy, demand_id=demand["id"])
    assert last(publisher).type == "demand.support_changed"
    assert last(publisher).data["can_go_to_vote"] is False  # still a draft
    demands.open_demand(services, facilitator, demand_id=demand["id"])
    view = demands.get_demand(services, ben, demand_id=demand["id"])
    assert (view["supporters"], view["can_go_to_vote"]) == (2, True)
    reply = demands.unsupport(services, cy, demand_id=demand["id"])
    assert (reply["supporters"], reply["can_go_to_vote"], reply["supported"]) == (1, False, False)
    assert_refused(
        services,
        engine,
        publisher,
        lambda: demands.unsupport(services, cy, demand_id=demand["id"]),
        Conflict,
    )
    assert live.snapshot(services, ben)["me"]["supports"] == [demand["id"]]
    assert live.snapshot(services, cy)["me"]["supports"] == []


def test_anonymous_convenings_name_no_supporters(services, publisher, room):
    convenings.update_convening(services, room["facilitator"], anonymous=True)
    demand = propose(services, room["Ana"])
    reply = demands.support(services, room["Ben"], demand_id=demand["id"])
    assert reply["supported_by"] is None
    assert reply["supporters"] == 1
    assert "Ben" not in str(last(publisher).data)
    assert (
        demands.get_demand(services, room["facilitator"], demand_id=demand["id"])["supported_by"]
        is None
    )


def test_a_summary_names_the_first_supporters_and_the_rest_are_paged(
    services, engine, publisher, room
):
    """supported_by is in the snapshot and every support event, which go to every screen: it
    names the first 10 (supporters counts them all); demands.supporters pages the rest."""
    code = room["created"].code
    people = [
        services.authenticate(convenings.join(services, code=code, name=f"Vecina {n:02d}").token)
        for n in range(14)
    ]
    demand = propose(services, room["Ana"])
    for person in people:
        demands.support(services, person, demand_id=demand["id"])
    first = [{"id": p.member_id, "name": f"Vecina {n:02d}"} for n, p in enumerate(people)]
    event = last(publisher, "demand.support_changed").data
    assert (event["supporters"], event["supported_by"]) == (14, first[:10])
    summary = live.snapshot(services, room["Ben"])["demands"][0]
    assert (summary["supporters"], summary["supported_by"]) == (14, first[:10])
    facilitator = room["facilitator"]
    convenings.update_convening(services, facilitator, support_required=3)
    recounted = last(publisher, "demands.recounted").data["demands"][0]
    assert recounted["supported_by"] == first[:10]
    pages, offset = [], 0
    while offset is not None:
        page = demands.list_supporters(
            services, room["Ben"], demand_id=demand["id"], offset=offset, limit=6
        )
        assert page["total"] == 14
        pages.append(page["supporters"])
        offset = page["next_offset"]
    assert [len(p) for p in pages] == [6, 6, 2]
    assert [p for page in pages for p in page] == first
    boss = room["created"].facilitator_token

    def refused(token, args, error):
        assert_refused(
            services,
            engine,
            publisher,
            lambda: run_command(services, token, "demands.supporters", args),
            error,
        )

    for bad in (
        {"demand_id": "1"},
        {"demand_id": demand["id"], "limit": 501},
        {"demand_id": demand["id"], "limit": 0},
        {"demand_id": demand["id"], "limit": "5"},
        {"demand_id": demand["id"], "offset": -1},
        {"demand_id": demand["id"], "offset": 2**63},
        {"demand_id": [demand["id"]]},
        {"demand_id": 2**63},
        {"demand_id": demand["id"], "after": 2},
        {},
    ):
        refused(room["tokens"]["Ben"], bad, InvalidInput)
    other = convenings.create_convening(services, title="Other")
    with pytest.raises(NotFound):  # a demand of another convening
        demands.list_supporters(
            services, services.authenticate(other.facilitator_token), demand_id=demand["id"]
        )
    demands.hide(services, facilitator, demand_id=demand["id"], reason="Duplicate")
    refused(room["tokens"]["Ben"], {"demand_id": demand["id"]}, NotFound)  # hidden from the room
    demands.unhide(services, facilitator, demand_id=demand["id"])
    convenings.update_convening(services, facilitator, anonymous=True)
    refused(boss, {"demand_id": demand["id"]}, Forbidden)  # nobody sees who, there


def test_text_events_stay_small_however_many_amendments_a_demand_holds(services, publisher, room):
    """An event that changes a demand's whole text goes to every screen: it carries the new
    body and what became of the amendments, not the amendments (40 here, of 2 KB texts)."""
    code = room["created"].code
    body = " ".join(f"w{n:04d}x" for n in range(300))  # 2,100 characters, each word once
    facilitator = room["facilitator"]
    demand = propose(services, room["Ana"], body=body)
    demands.open_demand(services, facilitator, demand_id=demand["id"])
    people = [
        services.authenticate(convenings.join(services, code=code, name=f"P{n}").token)
        for n in range(4)
    ]
    for n in range(40):
        demands.amend(
            services,
            people[n % 4],
            demand_id=demand["id"],
            passage=f"w{n:04d}x",
            body=f"v{n:04d}y",
        )
    proposed = last(publisher, "amendment.proposed")
    assert len(json.dumps(proposed.data)) < 25_000
    full = demands.get_demand(services, facilitator, demand_id=demand["id"])
    assert len(json.dumps(full)) > 250_000  # what the event used to carry
    fixed = demands.edit(
        services, facilitator, demand_id=demand["id"], body=body + " Fin.", typo=True
    )
    event = last(publisher)
    assert (event.type, event.data["change"]) == ("demand.updated", "typo")
    assert len(json.dumps(event.data)) < 25_000
    assert set(event.data["text"]) == {"body", "body_html"}
    assert event.data["text"]["body"] == fixed["body"]
    assert sorted(event.data["rebased"]) == event.data["demand"]["pending_amendments"]
    assert len(event.data["rebased"]) == 40
    assert event.data["outdated"] == event.data["closed"] == []
    adopted = demands.decide(
        services, facilitator, amendment_id=event.data["rebased"][0], outcome="adopted"
    )
    event = last(publisher)
    assert event.type == "amendment.adopted"
    assert len(json.dumps(event.data)) < 25_000
    assert event.data["amendment"]["status"] == "adopted"
    assert event.data["demand"]["version"] == adopted["version"] == 3
    assert len(event.data["rebased"]) == 39


def test_changing_support_required_recounts(services, publisher, room):
    demand = propose(services, room["Ana"])
    demands.open_demand(services, room["facilitator"], demand_id=demand["id"])
    convenings.update_convening(services, room["facilitator"], support_required=0)
    event = last(publisher, "demands.recounted")
    assert event.data["demands"][0]["can_go_to_vote"] is True


# -- amendments ------------------------------------------------------------------------------


def test_amendments_diffs_conflicts_friendly_and_rebase(services, publisher, room):
    ana, ben, cy = room["Ana"], room["Ben"], room["Cy"]
    demand = propose(services, ana)
    demands.open_demand(services, room["facilitator"], demand_id=demand["id"])
    freeze = demands.amend(
        services,
        ben,
        demand_id=demand["id"],
        passage="rent freeze",
        body="rent cut",
        rationale="Freezes are not enough",
        version=1,
    )
    assert freeze["diff"] == [
        {"op": "equal", "text": "We demand a rent "},
        {"op": "delete", "text": "freeze"},
        {"op": "insert", "text": "cut"},
        {"op": "equal", "text": " for all tenants. Repairs within a week."},
    ]
    event = last(publisher)
    assert (event.type, event.data["amendment_id"]) == ("amendment.proposed", freeze["id"])
    clash = demands.amend(
        services, cy, demand_id=demand["id"], passage="freeze for all", body="freeze for some"
    )
    repairs = demands.amend(
        services, cy, demand_id=demand["id"], passage="within a week", body="within three days"
    )
    assert clash["conflicts_with"] == [freeze["id"]]
    assert repairs["conflicts_with"] == []
    # The event carries the new amendment (with whom it conflicts: conflicts are mutual, so
    # a screen adds it to theirs), never the others nor the text.
    data = last(publisher).data
    assert "text" not in data
    assert "conflicts" not in data
    assert "amendments" not in data["demand"]
    assert data["amendment"]["id"] == repairs["id"]
    assert data["amendment"]["conflicts_with"] == []
    assert data["demand"]["pending_amendments"] == [freeze["id"], clash["id"], repairs["id"]]

    adopted = demands.accept(services, ana, amendment_id=freeze["id"])
    assert adopted["version"] == 2
    assert adopted["body"] == "We demand a rent cut for all tenants. Repairs within a week."
    statuses = {a["id"]: (a["status"], a["base_version"]) for a in adopted["amendments"]}
    assert statuses == {
        freeze["id"]: ("adopted", 1),
        clash["id"]: ("outdated", 1),
        repairs["id"]: ("pending", 2),
    }
    outdated = next(a for a in adopted["amendments"] if a["id"] == clash["id"])
    assert "no longer occurs" in outdated["note"]
    event = last(publisher)
    assert event.type == "amendment.adopted"
    assert (event.data["friendly"], event.data["rebased"], event.data["outdated"]) == (
        True,
        [repairs["id"]],
        [clash["id"]],
    )
    # what changed, not every amendment: the new body, the adopted one, the outdated one's
    # new status (a screen reads the rebased one's new diff when it shows it)
    assert set(event.data["text"]) == {"body", "body_html"}
    assert event.data["text"]["body"] == adopted["body"]
    assert event.data["amendment"]["status"] == "adopted"
    assert event.data["closed"] == [
        {k: outdated[k] for k in ("id", "status", "note", "decided_at")}
    ]
    assert event.data["demand"]["version"] == 2
    rebased = next(a for a in adopted["amendments"] if a["id"] == repairs["id"])
    assert [(op["op"], op["text"]) for op in rebased["diff"] if op["op"] != "equal"] == [
        ("delete", "a week."),
        ("insert", "three days."),
    ]

    decided = demands.decide(
        services, room["facilitator"], amendment_id=repairs["id"], outcome="adopted"
    )
    assert decided["version"] == 3
    assert decided["body"].endswith("within three days.")
    compared = demands.compare(services, ben, demand_id=demand["id"], **{"from": 1, "to": 3})
    assert {op["op"] for op in compared["diff"]} == {"equal", "delete", "insert"}


def test_amendment_refusals(services, engine, publisher, room):
    ana, ben, facilitator = room["Ana"], room["Ben"], room["facilitator"]
    demand = propose(services, ana, body="Freeze rents. Freeze rents now.")
    pending = demands.amend(services, ben, demand_id=demand["id"], body="Cut rents.")
    demands.edit(services, ana, demand_id=demand["id"], body="Freeze rents. Freeze rents today.")
    demands.edit(services, ana, demand_id=demand["id"], body="Freeze rents. Freeze rents at once.")
    amend = demands.amend
    cases = [
        # a stale version: the demand is at version 3
        (lambda: amend(services, ben, demand_id=demand["id"], body="x", version=2), Conflict),
        (
            lambda: amend(services, ben, demand_id=demand["id"], passage="nope", body="x"),
            InvalidInput,
        ),
        (
            lambda: amend(services, ben, demand_id=demand["id"], passage="Freeze rents", body="x"),
            InvalidInput,
        ),
        (lambda: amend(services, ben, demand_id=demand["id"], body=""), InvalidInput),
        (lambda: amend(services, ben, demand_id=demand["id"], body="y" * 5001), TooLarge),
        (lambda: demands.accept(services, ana, amendment_id=pending["id"]), Conflict),
        (lambda: demands.accept(services, ben, amendment_id=pending["id"]), Forbidden),
        (
            lambda: demands.decide(services, ana, amendment_id=pending["id"], outcome="adopted"),
            Forbidden,
        ),
        (
            lambda: demands.decide(
                services, facilitator, amendment_id=pending["id"], outcome="maybe"
            ),
            InvalidInput,
        ),
        (lambda: demands.withdraw_amendment(services, ana, amendment_id=pending["id"]), Forbidden),
        (lambda: demands.accept(services, ana, amendment_id=999), NotFound),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)
    with pytest.raises(Conflict) as refused:
        amend(services, ben, demand_id=demand["id"], body="x", version=2)
    assert "version 3" in str(refused.value)
    # the whole-body amendment was outdated by the edits
    view = demands.get_demand(services, ben, demand_id=demand["id"])
    assert view["amendments"][0]["status"] == "outdated"

    fresh = demands.amend(services, ben, demand_id=demand["id"], body="Cut rents.", version=3)
    demands.withdraw(services, ana, demand_id=demand["id"])
    withdrawn = demands.get_demand(services, ben, demand_id=demand["id"])
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["amendments"][-1]["status"] == "outdated"
    for command, error in [
        (lambda: amend(services, ben, demand_id=demand["id"], body="x"), Conflict),
        (lambda: demands.accept(services, ana, amendment_id=fresh["id"]), Conflict),
        (lambda: demands.support(services, ben, demand_id=demand["id"]), Conflict),
        (lambda: demands.agree(services, ben, demand_id=demand["id"], stance="agree"), Conflict),
    ]:
        assert_refused(services, engine, publisher, command, error)


def test_amending_an_adopted_demand_is_refused(services, engine, publisher, room):
    demand = propose(services, room["Ana"])
    with services.write() as uow:  # the rounds issue will do this; set it by hand here
        from convene.domain.demands import Demand, DemandStatus

        uow.session.get(Demand, demand["id"]).status = DemandStatus.ADOPTED
        uow.commit()
    assert_refused(
        services,
        engine,
        publisher,
        lambda: demands.amend(services, room["Ben"], demand_id=demand["id"], body="x"),
        Conflict,
    )


def test_rejecting_and_withdrawing_amendments(services, publisher, room):
    demand = propose(services, room["Ana"])
    first = demands.amend(services, room["Ben"], demand_id=demand["id"], body="One")
    second = demands.amend(services, room["Cy"], demand_id=demand["id"], body="Two")
    assert (first["conflicts_with"], second["conflicts_with"]) == ([], [first["id"]])
    rejected = demands.decide(
        services, room["facilitator"], amendment_id=first["id"], outcome="rejected"
    )
    assert rejected["version"] == 1
    assert last(publisher).type == "amendment.rejected"
    after = demands.withdraw_amendment(services, room["Cy"], amendment_id=second["id"])
    assert [a["status"] for a in after["amendments"]] == ["rejected", "withdrawn"]
    assert last(publisher).type == "amendment.withdrawn"


# -- agreement and bridging ------------------------------------------------------------------


def test_agreement_bridging_and_sorting(services, engine, publisher, room):
    ana, ben, cy, di = room["Ana"], room["Ben"], room["Cy"], room["Di"]
    uniting = propose(services, ana, title="Uniting")
    dividing = propose(services, ana, title="Dividing")
    silent = propose(services, ana, title="Silent")
    for actor in (ana, ben, cy, di):
        demands.agree(services, actor, demand_id=uniting["id"], stance="agree")
    demands.agree(services, cy, demand_id=uniting["id"], stance="disagree")  # changes mind
    demands.agree(services, ana, demand_id=dividing["id"], stance="agree")
    demands.agree(services, ben, demand_id=dividing["id"], stance="agree")
    reply = demands.agree(services, cy, demand_id=dividing["id"], stance="disagree")
    demands.agree(services, di, demand_id=dividing["id"], stance="pass")
    assert reply["stance"] == "disagree"
    figures = reply["agreement"]
    assert (figures["agree"], figures["disagree"], figures["share"]) == (2, 1, 0.6667)
    assert figures["bridging"] == 0.0  # South disagrees entirely

    listed = demands.list_demands(services, ben, sort="agreement")
    uniting_view = next(d for d in listed["demands"] if d["id"] == uniting["id"])
    assert uniting_view["agreement"]["share"] == 0.75
    groups = {c["caucus"]: c for c in uniting_view["agreement"]["caucuses"]}
    assert groups["North"]["share"] == 1.0
    assert groups["South"]["share"] == 0.0
    assert groups[None]["share"] == 1.0
    assert [d["title"] for d in listed["demands"]] == ["Uniting", "Dividing", "Silent"]
    assert listed["me"]["stances"] == {
        str(uniting["id"]): "agree",
        str(dividing["id"]): "agree",
    }
    assert [d["title"] for d in demands.list_demands(services, ben)["demands"]] == [
        "Uniting",
        "Dividing",
        "Silent",
    ]
    assert silent["agreement"]["share"] is None

    # The same stance again changes nothing and publishes nothing.
    before, published = dump(engine), len(publisher.events)
    again = demands.agree(services, ana, demand_id=dividing["id"], stance="agree")
    assert (
        again["agreement"]
        == demands.get_demand(services, ana, demand_id=dividing["id"])["agreement"]
    )
    assert (dump(engine), len(publisher.events)) == (before, published)

    # Stances are published as counts only: no member id, no name, no actor in the log.
    stance_events = [e for e in publisher.events if e.type == "demand.agreement_changed"]
    assert len(stance_events) == 9
    for event in stance_events:
        assert set(event.data) == {"demand_id", "hidden", "agreement"}
        assert event.actor_id is None
        text = str(event.data)
        assert not any(name in text for name in ("Ana", "Ben", "Cy", "Di"))
    with engine.connect() as connection:
        actors = connection.execute(
            select(tables.events.c.actor_id).where(
                tables.events.c.type == "demand.agreement_changed"
            )
        ).scalars()
        assert set(actors) == {None}


def test_caucus_changes_and_removals_recount(services, publisher, room):
    ana, cy, facilitator = room["Ana"], room["Cy"], room["facilitator"]
    demand = propose(services, ana)
    demands.agree(services, ana, demand_id=demand["id"], stance="agree")
    demands.agree(services, cy, demand_id=demand["id"], stance="disagree")
    demands.support(services, cy, demand_id=demand["id"])
    assert demands.get_demand(services, ana, demand_id=demand["id"])["agreement"]["bridging"] == 0.0

    member = demands.set_caucus(services, facilitator, member_id=cy.member_id, caucus="North")
    assert member["caucus"] == "North"
    updated, recounted = publisher.events[-2:]
    assert updated.type == "participant.updated"
    assert updated.message(staff=False)["data"] == {"id": cy.member_id, "participants": None}
    assert recounted.type == "demands.recounted"
    assert recounted.data["demands"][0]["agreement"]["bridging"] == 0.5

    convenings.remove_member(services, facilitator, member_id=cy.member_id)
    recount = last(publisher, "demands.recounted")
    entry = recount.data["demands"][0]
    assert (entry["supporters"], entry["agreement"]["disagree"]) == (0, 0)
    view = demands.get_demand(services, ana, demand_id=demand["id"])
    assert (view["supporters"], view["agreement"]["share"]) == (0, 1.0)


def test_set_caucus_refusals(services, engine, publisher, room):
    facilitator, ana = room["facilitator"], room["Ana"]
    for command, error in [
        (lambda: demands.set_caucus(services, ana, member_id=ana.member_id, caucus="x"), Forbidden),
        (lambda: demands.set_caucus(services, facilitator, member_id=999, caucus="x"), NotFound),
        (
            lambda: demands.set_caucus(
                services, facilitator, member_id=ana.member_id, caucus="North"
            ),
            Conflict,
        ),
        (
            lambda: demands.set_caucus(
                services, facilitator, member_id=ana.member_id, caucus="x" * (CAUCUS_MAX + 1)
            ),
            TooLarge,
        ),
    ]:
        assert_refused(services, engine, publisher, command, error)
    cleared = demands.set_caucus(services, facilitator, member_id=ana.member_id, caucus="")
    assert cleared["caucus"] is None


# -- screening -------------------------------------------------------------------------------


def test_hidden_demands_are_for_facilitators_only(services, engine, publisher, room):
    ana, ben, facilitator = room["Ana"], room["Ben"], room["facilitator"]
    abusive = propose(services, ben, title="Abuse", body="Something abusive")
    kept = propose(services, ana)
    hidden = demands.hide(services, facilitator, demand_id=abusive["id"], reason="Abusive")
    assert (hidden["hidden"], hidden["hidden_reason"]) == (True, "Abusive")
    event = last(publisher)
    assert event.type == "demand.hidden"
    assert event.data["reason"] == "Abusive"
    assert event.message(staff=False)["data"] == {"demand_id": abusive["id"], "hidden": True}
    assert "Something abusive" in str(event.message(staff=True))

    for actor in (ben, room["projector"]):
        snapshot = live.snapshot(services, actor)
        assert [d["id"] for d in snapshot["demands"]] == [kept["id"]]
    staff = live.snapshot(services, facilitator)["demands"]
    assert {d["id"]: d["hidden"] for d in staff} == {abusive["id"]: True, kept["id"]: False}
    for command, error in [
        (lambda: demands.get_demand(services, ben, demand_id=abusive["id"]), NotFound),
        (lambda: demands.support(services, ana, demand_id=abusive["id"]), NotFound),
        (lambda: demands.amend(services, ana, demand_id=abusive["id"], body="x"), NotFound),
        (
            lambda: demands.hide(services, facilitator, demand_id=abusive["id"], reason="x"),
            Conflict,
        ),
        (
            lambda: demands.hide(services, facilitator, demand_id=kept["id"], reason=""),
            InvalidInput,
        ),
    ]:
        assert_refused(services, engine, publisher, command, error)

    reordered = demands.reorder(services, facilitator, order=[kept["id"], abusive["id"]])
    assert reordered == {"order": [kept["id"], abusive["id"]]}
    assert last(publisher).message(staff=False)["data"] == {"order": [kept["id"]]}

    shown = demands.unhide(services, facilitator, demand_id=abusive["id"])
    assert shown["hidden"] is False
    assert last(publisher).message(staff=False)["data"]["demand"]["title"] == "Abuse"


def test_merge_carries_supporters_and_credits_both_authors(services, engine, publisher, room):
    ana, ben, cy, di, facilitator = (room[n] for n in ("Ana", "Ben", "Cy", "Di", "facilitator"))
    target = propose(services, ana, title="Rent freeze")
    duplicate = propose(services, ben, title="Freeze the rent")
    demands.support(services, cy, demand_id=duplicate["id"])
    demands.support(services, ana, demand_id=duplicate["id"])
    demands.support(services, ben, demand_id=target["id"])
    demands.support(services, di, demand_id=target["id"])
    pending = demands.amend(services, di, demand_id=duplicate["id"], body="Other")
    merged = demands.merge(services, facilitator, demand_id=duplicate["id"], into=target["id"])
    assert [a["name"] for a in merged["authors"]] == ["Ana", "Ben"]
    # Ben is now an author (no seconding of one's own), Ana too; Cy and Di carry over.
    assert [s["name"] for s in merged["supported_by"]] == ["Di", "Cy"]
    source_event, target_event = publisher.events[-2:]
    assert (source_event.data["change"], source_event.data["into"]) == ("merged", target["id"])
    assert source_event.data["outdated"] == [pending["id"]]
    assert target_event.data["merged"] == duplicate["id"]
    source = demands.get_demand(services, ben, demand_id=duplicate["id"])
    assert (source["status"], source["merged_into"]) == ("merged", target["id"])
    for command, error in [
        (
            lambda: demands.merge(
                services, facilitator, demand_id=duplicate["id"], into=target["id"]
            ),
            Conflict,
        ),
        (
            lambda: demands.merge(services, facilitator, demand_id=target["id"], into=target["id"]),
            InvalidInput,
        ),
        (lambda: demands.merge(services, facilitator, demand_id=target["id"], into=999), NotFound),
        (
            lambda: demands.merge(services, ana, demand_id=target["id"], into=duplicate["id"]),
            Forbidden,
        ),
    ]:
        assert_refused(services, engine, publisher, command, error)


def test_commands_through_the_catalogue(services, room):
    token = room["tokens"]["Ana"]
    demand = run_command(
        services, token, "demands.propose", {"title": "Rent", "body": "Freeze it."}
    )
    with pytest.raises(InvalidInput):
        run_command(services, token, "demands.propose", {"title": "Rent", "body": "x", "bad": 1})
    compared = run_command(
        services, token, "demands.compare", {"demand_id": demand["id"], "from": 1, "to": 1}
    )
    assert compared["diff"] == [{"op": "equal", "text": "Freeze it."}]
    with pytest.raises(InvalidInput):
        run_command(services, token, "demands.compare", {"demand_id": demand["id"], "from": 1})


# -- the HTTP API ----------------------------------------------------------------------------

BASE = "/api/convenings/{code}"


def test_demands_through_the_api(client):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    code, staff = created["code"], bearer(created["facilitator_token"])
    tokens = {}
    for name, caucus in (("Ana", "North"), ("Ben", "South")):
        joined = client.post(
            f"/api/convenings/{code}/participants", json={"name": name, "caucus": caucus}
        ).get_json()
        tokens[name] = (joined["id"], bearer(joined["token"]))
    ana, ben = tokens["Ana"][1], tokens["Ben"][1]
    path = BASE + "/demands"
    url = path.format(code=code)

    demand = check(
        client.post(url, json={"title": "Rent", "body": "Freeze **all** rents."}, headers=ana),
        path,
        "post",
        201,
    )
    one = f"{url}/{demand['id']}"
    check(client.post(url, json={"title": "", "body": "x"}, headers=ana), path, "post", 422)
    check(client.post(url, json={"title": "x", "body": "y" * 6000}, headers=ana), path, "post", 413)
    projector = bearer(created["projector_token"])
    check(client.post(url, json={"title": "x", "body": "y"}, headers=projector), path, "post", 403)
    check(client.post(url, json={"title": "x", "body": "y"}), path, "post", 401)

    p = path + "/{demand_id}"
    check(client.get(one, headers=ben), p, "get", 200)
    check(client.patch(one, json={"body": "Mine"}, headers=ben), p, "patch", 403)
    edited = check(
        client.patch(one, json={"body": "Freeze rents.", "version": 1}, headers=ana),
        p,
        "patch",
        200,
    )
    assert edited["version"] == 2
    check(client.patch(one, json={"body": "x", "version": 1}, headers=ana), p, "patch", 409)
    check(client.post(f"{one}/open", headers=ana), p + "/open", "post", 403)
    check(client.post(f"{one}/open", headers=staff), p + "/open", "post", 200)

    supported = check(client.post(f"{one}/support", headers=ben), p + "/support", "post", 200)
    assert supported["can_go_to_vote"] is True
    check(client.post(f"{one}/support", headers=ben), p + "/support", "post", 409)
    check(client.delete(f"{one}/support", headers=ben), p + "/support", "delete", 200)

    amendment = check(
        client.post(
            f"{one}/amendments",
            json={"passage": "Freeze", "body": "Cut", "rationale": "Deeper", "version": 2},
            headers=ben,
        ),
        p + "/amendments",
        "post",
        201,
    )
    check(
        client.post(f"{one}/amendments", json={"body": "x", "version": 1}, headers=ben),
        p + "/amendments",
        "post",
        409,
    )
    check(
        client.post(f"{one}/amendments", json={"passage": "absent", "body": "x"}, headers=ben),
        p + "/amendments",
        "post",
        422,
    )
    a = BASE + "/amendments/{amendment_id}"
    a_url = f"/api/convenings/{code}/amendments/{amendment['id']}"
    check(client.post(f"{a_url}/accept", headers=ben), a + "/accept", "post", 403)
    accepted = check(client.post(f"{a_url}/accept", headers=ana), a + "/accept", "post", 200)
    assert accepted["body"] == "Cut rents."
    second = client.post(f"{one}/amendments", json={"body": "Abolish rent."}, headers=ben)
    second_url = f"/api/convenings/{code}/amendments/{second.get_json()['id']}"
    check(
        client.post(f"{second_url}/decide", json={"outcome": "x"}, headers=staff),
        a + "/decide",
        "post",
        422,
    )
    check(
        client.post(f"{second_url}/decide", json={"outcome": "rejected"}, headers=staff),
        a + "/decide",
        "post",
        200,
    )
    third = client.post(f"{one}/amendments", json={"body": "Halve rent."}, headers=ben)
    check(
        client.delete(f"/api/convenings/{code}/amendments/{third.get_json()['id']}", headers=ben),
        a,
        "delete",
        200,
    )

    versions = check(client.get(f"{one}/versions", headers=ben), p + "/versions", "get", 200)
    assert [v["kind"] for v in versions["versions"]] == ["original", "edit", "amendment"]
    compared = check(
        client.get(f"{one}/compare?from=1&to=3", headers=ben), p + "/compare", "get", 200
    )
    assert compared["diff"][0]["op"] == "delete"
    check(client.get(f"{one}/compare?from=1&to=9", headers=ben), p + "/compare", "get", 404)
    check(client.get(f"{one}/compare?from=1", headers=ben), p + "/compare", "get", 422)

    stance = check(
        client.put(f"{one}/agreement", json={"stance": "agree"}, headers=ben),
        p + "/agreement",
        "put",
        200,
    )
    assert stance["agreement"]["agree"] == 1
    check(
        client.put(f"{one}/agreement", json={"stance": "yes"}, headers=ben),
        p + "/agreement",
        "put",
        422,
    )
    listed = check(client.get(f"{url}?sort=bridging", headers=ben), path, "get", 200)
    assert listed["me"]["stances"] == {str(demand["id"]): "agree"}
    check(client.get(f"{url}?sort=votes", headers=ben), path, "get", 422)

    other = client.post(url, json={"title": "Other", "body": "Repairs."}, headers=ana).get_json()
    check(
        client.post(f"{url}/{other['id']}/hide", json={"reason": "Spam"}, headers=staff),
        p + "/hide",
        "post",
        200,
    )
    assert [d["id"] for d in client.get(url, headers=ben).get_json()["demands"]] == [demand["id"]]
    check(client.get(f"{url}/{other['id']}", headers=ben), p, "get", 404)
    check(client.post(f"{url}/{other['id']}/unhide", headers=staff), p + "/unhide", "post", 200)
    check(
        client.post(f"{url}/reorder", json={"order": [other["id"], demand["id"]]}, headers=staff),
        path + "/reorder",
        "post",
        200,
    )
    check(
        client.post(f"{url}/{other['id']}/merge", json={"into": demand["id"]}, headers=staff),
        p + "/merge",
        "post",
        200,
    )
    draft = client.post(url, json={"title": "Draft", "body": "x"}, headers=ana).get_json()
    withdrawn = check(client.delete(f"{url}/{draft['id']}", headers=ana), p, "delete", 200)
    assert withdrawn["status"] == "withdrawn"

    member = f"/api/convenings/{code}/participants/{tokens['Ben'][0]}"
    check(
        client.patch(member, json={"caucus": "East"}, headers=ben),
        BASE + "/participants/{member_id}",
        "patch",
        403,
    )
    changed = check(
        client.patch(member, json={"caucus": "East"}, headers=staff),
        BASE + "/participants/{member_id}",
        "patch",
        200,
    )
    assert changed["caucus"] == "East"

    snapshot = check(client.get(f"/api/convenings/{code}", headers=ben), BASE, "get", 200)
    assert snapshot["me"]["stances"] == {str(demand["id"]): "agree"}
    assert (
        check(
            client.patch(
                f"/api/convenings/{code}",
                json={"anonymous": True, "support_required": 3},
                headers=staff,
            ),
            BASE,
            "patch",
            200,
        )["support_required"]
        == 3
    )


def test_a_rewrite_builds_its_diffs_outside_the_write_lock(services, publisher, room, monkeypatch):
    """After a rewrite every pending amendment's diff against the new text is new (about
    10 ms each, seconds at 200): the command's reply computes them after its commit, so the
    convening's write lock is held for the rebase only; the events carry none of them but
    the adopted amendment's. Replies and events say what they said before."""
    facilitator = room["facilitator"]
    body = "We demand a rent freeze for all tenants. Repairs within a week. Heating in winter."
    demand = propose(services, room["Ana"], body=body)
    demands.open_demand(services, facilitator, demand_id=demand["id"])
    passages = {"rent freeze": "rent cap", "within a week": "within days", "in winter": "always"}
    for who, (passage, text) in zip(("Ben", "Cy", "Di"), passages.items(), strict=True):
        demands.amend(services, room[who], demand_id=demand["id"], passage=passage, body=text)

    writing = []
    write = services.write

    @contextlib.contextmanager
    def watched():
        with write() as uow:
            writing.append(uow)
            commit = uow.commit

            def committed():
                logged = commit()
                writing.remove(uow)
                return logged

            uow.commit = committed
            try:
                yield uow
            finally:
                if uow in writing:
                    writing.remove(uow)

    diffed_while_writing = []

    def spy(module, name):
        real = getattr(module, name)

        def wrapped(*args):
            diffed_while_writing.append(bool(writing))
            return real(*args)

        monkeypatch.setattr(module, name, wrapped)

    monkeypatch.setattr(services, "write", watched)
    spy(demand_views, "render_diff")
    spy(amendment_rules, "word_diff")

    edited = demands.edit(
        services, facilitator, demand_id=demand["id"], body=body + " Now.", typo=True
    )
    assert diffed_while_writing
    assert not any(diffed_while_writing)
    assert edited == demands.get_demand(services, facilitator, demand_id=demand["id"])
    assert all(a["diff"] and a["diff_html"] for a in edited["amendments"])
    event = last(publisher, "demand.updated").data
    assert len(event["rebased"]) == 3
    assert "diff" not in json.dumps(event)

    diffed_while_writing.clear()
    adopted = edited["amendments"][1]
    reply = demands.decide(services, facilitator, amendment_id=adopted["id"], outcome="adopted")
    # The adopted amendment's diff (its event carries it) is the only one inside the lock.
    assert diffed_while_writing.count(True) == 2  # its word diff and its rendered diff
    assert reply == demands.get_demand(services, facilitator, demand_id=demand["id"])
    event = last(publisher, "amendment.adopted").data
    assert event["amendment"]["diff"] == reply["amendments"][1]["diff"]
    assert event["amendment"]["diff_html"] == reply["amendments"][1]["diff_html"]
    assert [a["status"] for a in reply["amendments"]] == ["pending", "adopted", "pending"]
