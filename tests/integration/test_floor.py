"""The floor through the services and the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import json

import pytest

from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from convene.services import agenda, convenings, floor, live
from convene.services.commands import run_command
from tests.integration.test_api import _validate, check
from tests.integration.test_services import assert_refused


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Assembly")
    facilitator = services.authenticate(created.facilitator_token)
    people, tokens = {}, {}
    for name in ("Ana", "Ben", "Cy"):
        admission = convenings.join(services, code=created.code, name=name)
        people[name] = services.authenticate(admission.token)
        tokens[name] = admission.token
    item = agenda.add_item(services, facilitator, title="Housing")
    agenda.start_item(services, facilitator, item_id=item["id"])
    return {
        "created": created,
        "facilitator": facilitator,
        "item": item,
        "tokens": tokens,
        **people,
    }


def names(state) -> list[str]:
    return [entry["name"] for entry in state["queue"]]


def test_hands_points_of_order_and_calling_speakers(services, publisher, clock, room):
    facilitator = room["facilitator"]
    floor.raise_hand(services, room["Ana"])
    clock.advance(seconds=5)
    floor.raise_hand(services, room["Ben"], kind="clarifying_question")
    clock.advance(seconds=5)
    floor.raise_hand(services, room["Cy"], kind="point_of_order")
    state = live.snapshot(services, room["Ana"])["floor"]
    assert names(state) == ["Cy", "Ben", "Ana"]
    assert [e["reason"] for e in state["queue"]] == [
        "point_of_order",
        "clarifying_question",
        "in_order_raised",
    ]
    assert publisher.events[-1].type == "floor.hand_raised"
    change = publisher.events[-1].data["change"]
    assert [e["name"] for e in change["added"]] == ["Cy"]
    assert (change["length"], change["added"][0]["position"]) == (3, 1)

    state = floor.next_speaker(services, facilitator)
    assert state["speaker"]["name"] == "Cy"
    assert names(state) == ["Ben", "Ana"]
    clock.advance(seconds=40)
    state = floor.next_speaker(services, facilitator)
    assert state["speaker"]["name"] == "Ben"
    clock.advance(seconds=20)
    state = floor.next_speaker(services, facilitator)
    assert state["speaker"]["name"] == "Ana"
    assert state["queue"] == []
    clock.advance(seconds=90)
    state = floor.next_speaker(services, facilitator)
    assert state["speaker"] is None

    stats = floor.speaking_statistics(services, facilitator)
    assert stats["convening"]["speakers"] == 3
    assert stats["convening"]["total_seconds"] == 150
    assert stats["convening"]["per_person"][0] == {
        "member_id": room["Ana"].member_id,
        "seconds": 90,
        "name": "Ana",
    }
    assert stats["items"][0]["title"] == "Housing"
    assert stats["items"][0]["first_time_speakers"] == 3


def test_progressive_stack_and_speaker_limit_from_settings(services, clock, room):
    facilitator = room["facilitator"]
    convenings.update_convening(services, facilitator, progressive="item", speaker_limit_seconds=90)
    floor.raise_hand(services, room["Ana"])
    floor.next_speaker(services, facilitator)
    clock.advance(seconds=30)
    floor.next_speaker(services, facilitator)  # Ana has spoken on this item
    floor.raise_hand(services, room["Ana"])
    clock.advance(seconds=1)
    floor.raise_hand(services, room["Ben"])
    state = floor.current_floor(services, room["Cy"])["floor"]
    assert names(state) == ["Ben", "Ana"]
    assert state["queue"][0]["reason"] == "first_time_speaking"
    state = floor.next_speaker(services, facilitator)
    assert state["speaker"]["limit_seconds"] == 90
    # An item may override the convening's rule.
    agenda.edit_item(services, facilitator, item_id=room["item"]["id"], progressive="off")
    assert floor.current_floor(services, facilitator)["floor"]["settings"]["progressive"] == "off"


def test_changing_the_rules_sends_the_new_floor(services, publisher, clock, room):
    """Every screen learns new floor rules at once (e.g. the phones hide direct responses)."""
    facilitator = room["facilitator"]
    floor.raise_hand(services, room["Ana"])
    convenings.update_convening(services, facilitator, allow_direct_responses=False)
    assert publisher.events[-1].type == "floor.changed"
    assert publisher.events[-1].data["change"]["settings"]["allow_direct_responses"] is False
    agenda.edit_item(services, facilitator, item_id=room["item"]["id"], speaker_limit_seconds=60)
    assert publisher.events[-1].type == "floor.changed"
    assert publisher.events[-1].data["change"]["settings"]["speaker_limit_seconds"] == 60
    convenings.update_convening(services, facilitator, title="Assembly (spring)")
    assert publisher.events[-1].type == "convening.updated"


def apply_change(floor: dict | None, change: dict) -> dict | None:
    """What every screen does with a floor event's change (applyFloorChange in
    static/js/live-state.js), in Python: None when it does not fit."""
    if floor is None or floor["item_id"] != change["item_id"]:
        return None
    have = {e["id"]: e for e in floor["queue"]}
    if any(i not in have for i in change["removed"]):
        return None
    placed = list(change["added"])
    for moved in change["moved"]:
        if moved["id"] not in have:
            return None
        placed.append({**have[moved["id"]], **moved})
    leaving = set(change["removed"]) | {e["id"] for e in placed}
    queue = [e for e in floor["queue"] if e["id"] not in leaving]
    for entry in sorted(placed, key=lambda e: e["position"]):
        assert 1 <= entry["position"] <= len(queue) + 1
        queue.insert(entry["position"] - 1, entry)
    assert len(queue) == change["length"]
    reasons = {i: reason for reason, ids in change["reasons"].items() for i in ids}
    assert set(reasons) <= set(have) - leaving
    queue = [
        {**e, "position": i + 1, "reason": reasons.get(e["id"], e["reason"])}
        for i, e in enumerate(queue)
    ]
    small = ("item_id", "queue_open", "settings", "speaker")
    return {**{k: change[k] for k in small}, "queue": queue}


def floor_events(publisher, since: int) -> list:
    return [e for e in publisher.events[since:] if e.type.startswith("floor.")]


def try_to(command, *args, **kwargs) -> None:
    """A command a scenario may find refused (a hand already up, nobody waiting)."""
    with contextlib.suppress(Conflict):
        command(*args, **kwargs)


@pytest.mark.parametrize("progressive", ["off", "item", "convening"])
def test_every_floor_change_gives_the_new_floor(services, publisher, clock, room, progressive):
    """Each floor event carries what changed, not the whole list: applied in order over the
    list before it (as the screens do), it gives the list the server has after it, in every
    progressive mode, through raises, points of order, calls, reorders, lowered and removed
    hands, closing, rule changes and a removed participant."""
    facilitator = room["facilitator"]
    people = {}
    for n in range(8):
        joined = convenings.join(services, code=room["created"].code, name=f"Señora Núñez {n}")
        people[n] = services.authenticate(joined.token)
    everyone = [room["Ana"], room["Ben"], room["Cy"], *people.values()]
    convenings.update_convening(services, facilitator, progressive=progressive)
    shown = floor.current_floor(services, facilitator)["floor"]
    mark = len(publisher.events)

    def check_events() -> None:
        nonlocal shown, mark
        for event in floor_events(publisher, mark):
            if "floor" in event.data:
                shown = event.data["floor"]
            else:
                assert set(event.data["change"]) == {
                    "item_id",
                    "queue_open",
                    "settings",
                    "speaker",
                    "length",
                    "removed",
                    "added",
                    "moved",
                    "reasons",
                }
                _validate({"$ref": "#/components/schemas/FloorChange"}, event.data["change"])
                shown = apply_change(shown, event.data["change"])
        mark = len(publisher.events)
        assert shown == floor.current_floor(services, facilitator)["floor"]

    kinds = ["speak", "speak", "clarifying_question", "speak", "point_of_order", "speak"]
    for step in range(3):
        for index, actor in enumerate(everyone[:6]):
            clock.advance(seconds=3)
            try_to(floor.raise_hand, services, actor, kind=kinds[(index + step) % len(kinds)])
            check_events()
        for _ in range(2):
            clock.advance(seconds=20 + 15 * step)
            floor.next_speaker(services, facilitator)
            check_events()
        waiting = floor.current_floor(services, facilitator)["floor"]["queue"]
        order = [e["id"] for e in waiting]
        if len(order) > 2:
            order.insert(0, order.pop())  # the last one to the front
            floor.reorder_queue(services, facilitator, order=order)
            check_events()
        for actor in everyone[6:]:
            try_to(floor.raise_hand, services, actor)
            check_events()
        waiting = floor.current_floor(services, facilitator)["floor"]["queue"]
        floor.lower_hand(services, facilitator, request_id=waiting[1]["id"])
        check_events()
        mine = next(e for e in waiting[2:] if e["member_id"] in {a.member_id for a in everyone})
        owner = next(a for a in everyone if a.member_id == mine["member_id"])
        floor.lower_hand(services, owner, request_id=mine["id"])
        check_events()
        floor.close_queue(services, facilitator)
        check_events()
        floor.open_queue(services, facilitator)
        check_events()
        convenings.update_convening(services, facilitator, allow_direct_responses=step % 2 == 0)
        check_events()
        while floor.current_floor(services, facilitator)["floor"]["speaker"]:
            try:
                floor.next_speaker(services, facilitator)
            except Conflict:
                break
            check_events()
            if len(floor.current_floor(services, facilitator)["floor"]["queue"]) < 4:
                break
    agenda.edit_item(services, facilitator, item_id=room["item"]["id"], progressive="item")
    check_events()
    waiting = floor.current_floor(services, facilitator)["floor"]["queue"]
    if waiting:
        convenings.remove_member(services, facilitator, member_id=waiting[0]["member_id"])
        check_events()


def test_a_floor_event_is_bounded_by_what_changed(services, publisher, clock, room):
    """With many hands up, raising, lowering, calling or moving one sends about one entry."""
    facilitator = room["facilitator"]
    people = [
        services.authenticate(
            convenings.join(services, code=room["created"].code, name=f"José Ñandú {n}").token
        )
        for n in range(60)
    ]
    for person in people:
        floor.raise_hand(services, person)
        clock.advance(seconds=1)
    whole = len(json.dumps(floor.current_floor(services, facilitator)["floor"]))
    floor.raise_hand(services, room["Ana"], kind="point_of_order")
    floor.lower_hand(
        services,
        people[30],
        request_id=floor.current_floor(services, facilitator)["floor"]["queue"][31]["id"],
    )
    floor.next_speaker(services, facilitator)
    order = [e["id"] for e in floor.current_floor(services, facilitator)["floor"]["queue"]]
    order.insert(0, order.pop(30))
    floor.reorder_queue(services, facilitator, order=order)
    events = floor_events(publisher, len(publisher.events) - 4)
    assert [e.type for e in events] == [
        "floor.hand_raised",
        "floor.hand_lowered",
        "floor.speaker_called",
        "floor.reordered",
    ]
    for event in events:
        assert len(json.dumps(event.data)) < whole / 8, event.type
    reordered = events[-1].data["change"]
    assert [m["position"] for m in reordered["moved"]] == [1]
    assert len(reordered["reasons"]["moved_by_facilitator"]) == 58  # and the one moved


def test_facilitator_reorders_and_removes(services, publisher, clock, room):
    facilitator = room["facilitator"]
    requests = {}
    for name in ("Ana", "Ben", "Cy"):
        requests[name] = floor.raise_hand(services, room[name])["id"]
        clock.advance(seconds=1)
    state = floor.reorder_queue(
        services, facilitator, order=[requests["Cy"], requests["Ana"], requests["Ben"]]
    )
    assert names(state) == ["Cy", "Ana", "Ben"]
    assert {e["reason"] for e in state["queue"]} == {"moved_by_facilitator"}
    floor.lower_hand(services, facilitator, request_id=requests["Ana"])
    assert publisher.events[-1].type == "floor.request_removed"
    floor.lower_hand(services, room["Ben"], request_id=requests["Ben"])
    assert publisher.events[-1].type == "floor.hand_lowered"
    assert names(floor.current_floor(services, facilitator)["floor"]) == ["Cy"]


def test_closing_the_list(services, room):
    facilitator = room["facilitator"]
    state = floor.close_queue(services, facilitator)
    assert state["queue_open"] is False
    with pytest.raises(Conflict):
        floor.raise_hand(services, room["Ana"])
    floor.raise_hand(services, room["Ben"], kind="point_of_process")
    assert floor.open_queue(services, facilitator)["queue_open"] is True
    floor.raise_hand(services, room["Ana"])


def test_floor_refusals_change_nothing(services, engine, publisher, room):
    facilitator, ana, ben = room["facilitator"], room["Ana"], room["Ben"]
    request = floor.raise_hand(services, ana)
    projector = services.authenticate(room["created"].projector_token)
    cases = [
        (lambda: floor.raise_hand(services, ana), Conflict),
        (lambda: floor.raise_hand(services, ben, kind="shout"), InvalidInput),
        (lambda: floor.raise_hand(services, ben, kind="direct_response"), Conflict),
        (lambda: floor.raise_hand(services, projector), Forbidden),
        (lambda: floor.next_speaker(services, ana), Forbidden),
        (lambda: floor.reorder_queue(services, ana, order=[request["id"]]), Forbidden),
        (lambda: floor.reorder_queue(services, facilitator, order=[]), InvalidInput),
        (lambda: floor.reorder_queue(services, facilitator, order="1"), InvalidInput),
        (lambda: floor.close_queue(services, ben), Forbidden),
        (lambda: floor.open_queue(services, facilitator), Conflict),
        (lambda: floor.lower_hand(services, ben, request_id=request["id"]), Forbidden),
        (lambda: floor.lower_hand(services, ana, request_id=999), NotFound),
        (lambda: floor.lower_hand(services, ana, request_id="x"), InvalidInput),
        (lambda: floor.speaking_statistics(services, ana), Forbidden),
        (lambda: floor.send_signal(services, ana, signal="wave"), InvalidInput),
        (lambda: floor.send_signal(services, facilitator, signal="agree"), Forbidden),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)


def test_no_floor_without_a_running_item(services, engine, publisher, room):
    agenda.end_item(services, room["facilitator"], item_id=room["item"]["id"])
    assert floor.current_floor(services, room["Ana"]) == {"floor": None}
    for command in (
        lambda: floor.raise_hand(services, room["Ana"]),
        lambda: floor.next_speaker(services, room["facilitator"]),
    ):
        assert_refused(services, engine, publisher, command, Conflict)


def test_ending_the_item_ends_the_speech(services, publisher, clock, room):
    floor.raise_hand(services, room["Ana"])
    floor.next_speaker(services, room["facilitator"])
    clock.advance(seconds=12)
    agenda.end_item(services, room["facilitator"], item_id=room["item"]["id"])
    assert publisher.events[-1].type == "floor.speaker_finished"
    stats = floor.speaking_statistics(services, room["facilitator"])
    assert stats["convening"]["total_seconds"] == 12


def test_a_removed_participant_leaves_the_list_and_cannot_raise(services, room):
    floor.raise_hand(services, room["Ana"])
    floor.raise_hand(services, room["Ben"])
    convenings.remove_member(services, room["facilitator"], member_id=room["Ana"].member_id)
    assert names(floor.current_floor(services, room["facilitator"])["floor"]) == ["Ben"]
    # Every adapter authenticates the token before a command: hers is refused now.
    with pytest.raises(NotAuthenticated):
        run_command(services, room["tokens"]["Ana"], "floor.raise", {})


def test_signals_are_published_without_names_and_rate_limited(services, publisher, room):
    floor.raise_hand(services, room["Ben"])
    floor.next_speaker(services, room["facilitator"])
    replies = [floor.send_signal(services, room["Cy"], signal="agree") for _ in range(8)]
    assert replies[0] == {"accepted": True}
    assert {"accepted": False} in replies, "a flood is dropped quietly"
    _convening_id, data = publisher.signals[0]
    assert data["signal"] == "agree"
    assert data["speaker_request_id"] is not None
    assert set(data) == {"signal", "speaker_request_id", "at"}


# -- HTTP ---------------------------------------------------------------------------------------


def test_the_floor_through_the_api(client):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    tokens = {
        name: client.post(f"/api/convenings/{code}/participants", json={"name": name}).get_json()[
            "token"
        ]
        for name in ("Ana", "Ben")
    }
    ana, ben = ({"Authorization": f"Bearer {tokens[n]}"} for n in ("Ana", "Ben"))
    item = client.post(
        f"/api/convenings/{code}/agenda", json={"title": "Budget"}, headers=staff
    ).get_json()
    client.post(f"/api/convenings/{code}/agenda/{item['id']}/start", headers=staff)
    raised = check(
        client.post(f"/api/convenings/{code}/queue", json={"kind": "speak"}, headers=ana),
        "/api/convenings/{code}/queue",
        "post",
        201,
    )
    check(
        client.post(f"/api/convenings/{code}/queue", headers=ben),
        "/api/convenings/{code}/queue",
        "post",
        201,
    )
    body = check(
        client.post(f"/api/convenings/{code}/queue", json={"kind": "speak"}, headers=ana),
        "/api/convenings/{code}/queue",
        "post",
        409,
    )
    assert "already raised" in body["error"]["message"]
    check(
        client.post(f"/api/convenings/{code}/queue", json={"kind": "yell"}, headers=ben),
        "/api/convenings/{code}/queue",
        "post",
        422,
    )
    listing = check(
        client.get(f"/api/convenings/{code}/queue", headers=ben),
        "/api/convenings/{code}/queue",
        "get",
        200,
    )
    assert [e["name"] for e in listing["floor"]["queue"]] == ["Ana", "Ben"]
    check(
        client.post(f"/api/convenings/{code}/queue/next", headers=ana),
        "/api/convenings/{code}/queue/next",
        "post",
        403,
    )
    state = check(
        client.post(f"/api/convenings/{code}/queue/next", headers=staff),
        "/api/convenings/{code}/queue/next",
        "post",
        200,
    )
    assert state["speaker"]["id"] == raised["id"]
    check(
        client.post(f"/api/convenings/{code}/queue/close", headers=staff),
        "/api/convenings/{code}/queue/close",
        "post",
        200,
    )
    check(
        client.post(f"/api/convenings/{code}/queue/open", headers=staff),
        "/api/convenings/{code}/queue/open",
        "post",
        200,
    )
    ben_request = listing["floor"]["queue"][1]["id"]
    check(
        client.post(
            f"/api/convenings/{code}/queue/reorder", json={"order": [ben_request]}, headers=staff
        ),
        "/api/convenings/{code}/queue/reorder",
        "post",
        200,
    )
    assert (
        client.delete(f"/api/convenings/{code}/queue/{ben_request}", headers=ben).status_code == 204
    )
    reply = check(
        client.post(f"/api/convenings/{code}/signals", json={"signal": "louder"}, headers=ben),
        "/api/convenings/{code}/signals",
        "post",
        200,
    )
    assert reply == {"accepted": True}
    stats = check(
        client.get(f"/api/convenings/{code}/speaking-stats", headers=staff),
        "/api/convenings/{code}/speaking-stats",
        "get",
        200,
    )
    assert stats["convening"]["speakers"] == 1
    check(
        client.get(f"/api/convenings/{code}/speaking-stats", headers=ana),
        "/api/convenings/{code}/speaking-stats",
        "get",
        403,
    )
