"""Cross-aggregate effects run as handlers of the command's events (convene/services/core.py:
Handlers), inside its transaction: after its own events, before the commit and the publish."""

from __future__ import annotations

import pytest

from convene.bootstrap import build_services
from convene.services import agenda, convenings, demands, floor, rounds
from convene.store.database import make_session_factory
from tests.integration.test_services import assert_refused


class HandlerFailed(Exception):
    pass


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Assembly")
    people = {
        name: services.authenticate(convenings.join(services, code=created.code, name=name).token)
        for name in ("Ana", "Ben", "Cy")
    }
    return {"facilitator": services.authenticate(created.facilitator_token), **people}


def _demand_on_a_round(services, room):
    facilitator = room["facilitator"]
    convenings.update_convening(services, facilitator, support_required=1)
    rent = demands.propose(
        services, room["Ana"], title="Rent freeze", body="Freeze rents for two years."
    )
    demands.open_demand(services, facilitator, demand_id=rent["id"])
    demands.support(services, room["Cy"], demand_id=rent["id"])
    round_ = rounds.create_round(
        services,
        facilitator,
        title="Freeze rents?",
        method="yes_no",
        options=[{"demand_id": rent["id"]}],
    )
    rounds.open_round(services, facilitator, round_id=round_["id"])
    for name in ("Ana", "Ben", "Cy"):
        rounds.cast_ballot(services, room[name], round_id=round_["id"], choice="yes")
    return rent["id"], round_["id"]


def _status(services, actor, demand_id):
    return demands.get_demand(services, actor, demand_id=demand_id)["status"]


def test_the_demand_decided_by_a_round_is_recorded_after_the_round_in_its_transaction(
    services,
    publisher,
    room,
):
    demand_id, round_id = _demand_on_a_round(services, room)
    assert _status(services, room["facilitator"], demand_id) == "under_vote"
    published = len(publisher.events)
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    closing = publisher.events[published:]
    assert [e.type for e in closing] == ["round.closed", "demand.updated"]
    assert closing[1].seq == closing[0].seq + 1
    assert closing[1].data["change"] == "adopted"
    assert _status(services, room["facilitator"], demand_id) == "adopted"


def test_a_handler_that_raises_rolls_the_whole_command_back(
    services,
    engine,
    publisher,
    room,
):
    demand_id, round_id = _demand_on_a_round(services, room)
    seen = []

    def fails(uow, convening, actor, event):
        # runs after the demands' own handler changed the demand, in the same transaction
        seen.append(event.type)
        raise HandlerFailed

    services.handlers.on("round.closed", fails)
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.close_round(services, room["facilitator"], round_id=round_id),
        HandlerFailed,
    )
    assert seen == ["round.closed"]
    assert rounds.get_round(services, room["facilitator"], round_id=round_id)["state"] == "open"
    assert _status(services, room["facilitator"], demand_id) == "under_vote"


@pytest.mark.parametrize("event_type", ["round.opened", "round.closed", "round.followed_up"])
def test_the_demands_side_handles_the_rounds_events(services, event_type):
    assert event_type in services.handlers.handled()


@pytest.mark.parametrize(
    "event_type",
    [
        "convening.updated",
        "participant.removed",
        "agenda.item_started",
        "agenda.item_ended",
        "agenda.item_updated",
    ],
)
def test_the_demands_and_floor_handle_the_convening_and_agenda_events(services, event_type):
    assert event_type in services.handlers.handled()


def test_a_removal_is_followed_by_the_demands_figures_then_the_floor(services, publisher, room):
    facilitator, ana, ben = room["facilitator"], room["Ana"], room["Ben"]
    item = agenda.add_item(services, facilitator, title="Rents")
    agenda.start_item(services, facilitator, item_id=item["id"])
    rent = demands.propose(services, ana, title="Rent freeze", body="Freeze rents.")
    demands.agree(services, ben, demand_id=rent["id"], stance="agree")
    hand = floor.raise_hand(services, ben)
    published = len(publisher.events)
    convenings.remove_member(services, facilitator, member_id=ben.member_id)
    removal = publisher.events[published:]
    expected = ["participant.removed", "demands.recounted", "floor.changed"]
    assert [e.type for e in removal] == expected
    assert [e.seq for e in removal] == list(range(removal[0].seq, removal[0].seq + 3))
    assert (removal[2].data["change"]["removed"], removal[2].data["change"]["length"]) == (
        [hand["id"]],
        0,
    )


def test_a_settings_change_is_followed_by_the_figures_the_names_then_the_floor(
    engine, publisher, clock, room
):
    services = build_services(
        make_session_factory(engine), publisher=publisher, clock=clock, languages=("en", "es")
    )
    facilitator, ana = room["facilitator"], room["Ana"]
    item = agenda.add_item(services, facilitator, title="Rents")
    agenda.start_item(services, facilitator, item_id=item["id"])
    demands.propose(services, ana, title="Rent freeze", body="Freeze rents.")
    published = len(publisher.events)
    convenings.update_convening(
        services, facilitator, language="es", support_required=2, progressive="item"
    )
    types = [e.type for e in publisher.events[published:]]
    assert types[:2] == ["convening.updated", "demands.recounted"]
    assert types[-1] == "floor.changed"
    assert set(types[2:-1]) == {"participant.updated"}
