"""Service commands against a real database (SQLite and PostgreSQL): effects, events, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from convene.domain.convening import Role
from convene.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from convene.services import agenda, convenings, live
from convene.services.commands import run_command
from convene.store import tables


def dump(engine) -> dict:
    """Every row of every table: a refused command must leave this unchanged."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                tuple(str(v) for v in row) for row in connection.execute(select(table)).all()
            )
            for table in tables.metadata.sorted_tables
        }


@pytest.fixture
def meeting(services):
    """A convening with a facilitator, a participant, and two agenda items."""
    created = convenings.create_convening(services, title="Chapter meeting", place="Union hall")
    facilitator = services.authenticate(created.facilitator_token)
    admission = convenings.join(services, code=created.code, name="Ana")
    participant = services.authenticate(admission.token)
    welcome = agenda.add_item(services, facilitator, title="Welcome", timebox_minutes=5)
    budget = agenda.add_item(services, facilitator, title="Budget")
    return {
        "created": created,
        "facilitator": facilitator,
        "participant": participant,
        "participant_token": admission.token,
        "projector": services.authenticate(created.projector_token),
        "items": (welcome["id"], budget["id"]),
    }


def assert_refused(services, engine, publisher, command, error_class):
    before, published = dump(engine), len(publisher.events)
    with pytest.raises(error_class):
        command()
    assert dump(engine) == before, "a refused command changed the database"
    assert len(publisher.events) == published, "a refused command published an event"


# -- creating and joining ---------------------------------------------------------------------


def test_create_convening_gives_tokens_for_each_role(services, publisher):
    created = convenings.create_convening(services, title="Assembly", date="2026-12-01")
    facilitator = services.authenticate(created.facilitator_token)
    projector = services.authenticate(created.projector_token)
    assert (facilitator.role, projector.role) == (Role.FACILITATOR, Role.PROJECTOR)
    assert facilitator.convening_id == projector.convening_id
    assert [e.type for e in publisher.events] == ["convening.created"]
    assert publisher.events[0].seq == 1


def test_tokens_are_stored_hashed(services, engine):
    created = convenings.create_convening(services, title="Assembly")
    assert created.facilitator_token not in str(dump(engine))


def test_create_refuses_bad_input(services, engine, publisher):
    for title in ("", "x" * 500, None):
        assert_refused(
            services,
            engine,
            publisher,
            lambda title=title: convenings.create_convening(services, title=title),
            InvalidInput,
        )


def test_join_records_the_participant_and_counts(services, publisher, meeting):
    code = meeting["created"].code
    admission = convenings.join(services, code=code.lower(), name="Ben", caucus="Eastside")
    actor = services.authenticate(admission.token, code)
    assert (actor.role, actor.name) == (Role.PARTICIPANT, "Ben")
    event = publisher.events[-1]
    assert event.type == "participant.joined"
    assert event.data["participants"] == 2
    assert event.data["caucus"] == "Eastside"
    assert event.message(staff=False)["data"] == {"id": admission.id, "participants": 2}


def test_join_refusals_change_nothing(services, engine, publisher, meeting):
    code = meeting["created"].code
    facilitator = meeting["facilitator"]
    convenings.update_convening(services, facilitator, passcode="solidarity")
    cases = [
        (lambda: convenings.join(services, code="ZZZZZZ", name="Ben"), NotFound),
        (lambda: convenings.join(services, code=code, name=""), InvalidInput),
        (lambda: convenings.join(services, code=code, name="Ben"), Forbidden),
        (lambda: convenings.join(services, code=code, name="Ben", passcode="nope"), Forbidden),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)
    assert convenings.join(services, code=code, name="Ben", passcode="solidarity").id


def test_authenticate_refuses_bad_tokens(services, meeting):
    for token in (None, "", "not-a-token", 42, "x" * 1000):
        with pytest.raises(NotAuthenticated):
            services.authenticate(token)
    other = convenings.create_convening(services, title="Other")
    with pytest.raises(NotFound):
        services.authenticate(meeting["participant_token"], other.code)


# -- roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["participant", "projector"])
def test_only_facilitators_run_facilitator_commands(services, engine, publisher, meeting, who):
    actor = meeting[who]
    item = meeting["items"][0]
    commands = [
        lambda: agenda.add_item(services, actor, title="Sneaky"),
        lambda: agenda.edit_item(services, actor, item_id=item, title="Sneaky"),
        lambda: agenda.remove_item(services, actor, item_id=item),
        lambda: agenda.reorder(services, actor, order=list(reversed(meeting["items"]))),
        lambda: agenda.start_item(services, actor, item_id=item),
        lambda: agenda.end_item(services, actor, item_id=item),
        lambda: convenings.update_convening(services, actor, title="Sneaky"),
        lambda: convenings.invite(services, actor, role="facilitator"),
        lambda: convenings.remove_member(
            services, actor, member_id=meeting["facilitator"].member_id
        ),
        lambda: live.members(services, actor),
    ]
    for command in commands:
        assert_refused(services, engine, publisher, command, Forbidden)


def test_co_facilitator_invitation_gives_full_powers(services, meeting):
    invitation = convenings.invite(services, meeting["facilitator"], role="facilitator", name="Cy")
    co = services.authenticate(invitation.token)
    assert (co.role, co.name) == (Role.FACILITATOR, "Cy")
    agenda.start_item(services, co, item_id=meeting["items"][1])


def test_invitations_are_only_for_staff_roles(services, engine, publisher, meeting):
    for role in ("participant", "owner", None):
        assert_refused(
            services,
            engine,
            publisher,
            lambda role=role: convenings.invite(services, meeting["facilitator"], role=role),
            InvalidInput,
        )


def test_removed_participant_loses_access_at_once(services, publisher, meeting):
    participant = meeting["participant"]
    convenings.remove_member(services, meeting["facilitator"], member_id=participant.member_id)
    assert publisher.removed == [participant.member_id]
    assert publisher.events[-1].type == "participant.removed"
    assert publisher.events[-1].data["participants"] == 0
    with pytest.raises(NotAuthenticated):
        services.authenticate(meeting["participant_token"])


def test_remove_refusals(services, engine, publisher, meeting):
    facilitator = meeting["facilitator"]
    other = convenings.create_convening(services, title="Other")
    outsider = services.authenticate(other.projector_token)
    cases = [
        (
            lambda: convenings.remove_member(
                services, facilitator, member_id=facilitator.member_id
            ),
            Conflict,
        ),
        (lambda: convenings.remove_member(services, facilitator, member_id=9999), NotFound),
        (
            lambda: convenings.remove_member(services, facilitator, member_id=outsider.member_id),
            NotFound,
        ),
        (lambda: convenings.remove_member(services, facilitator, member_id="2"), InvalidInput),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)


# -- agenda and the event log -------------------------------------------------------------------


def test_agenda_flow_records_ordered_events(services, publisher, clock, meeting):
    facilitator = meeting["facilitator"]
    welcome, budget = meeting["items"]
    agenda.start_item(services, facilitator, item_id=welcome)
    clock.advance(minutes=4)
    agenda.start_item(services, facilitator, item_id=budget)
    agenda.end_item(services, facilitator, item_id=budget)
    agenda.reorder(services, facilitator, order=[budget, welcome])
    agenda.edit_item(services, facilitator, item_id=welcome, notes="Say hello")
    agenda.remove_item(services, facilitator, item_id=budget)
    types = [e.type for e in publisher.events]
    assert types[-10:] == [
        "convening.started",
        "agenda.item_started",
        "floor.changed",
        "agenda.item_ended",
        "agenda.item_started",
        "floor.changed",
        "agenda.item_ended",
        "agenda.reordered",
        "agenda.item_updated",
        "agenda.item_removed",
    ]
    seqs = [e.seq for e in publisher.events]
    assert seqs == list(range(1, len(seqs) + 1)), "sequence numbers must be gapless and ordered"
    state = live.snapshot(services, facilitator)
    assert state["seq"] == seqs[-1]
    assert [i["id"] for i in state["agenda"]] == [welcome]
    assert state["agenda"][0]["notes"] == "Say hello"
    assert state["agenda"][0]["state"] == "done"
    assert state["current_item_id"] is None


def test_agenda_refusals_change_nothing(services, engine, publisher, meeting):
    facilitator = meeting["facilitator"]
    welcome, budget = meeting["items"]
    agenda.start_item(services, facilitator, item_id=welcome)
    cases = [
        (lambda: agenda.add_item(services, facilitator, title=""), InvalidInput),
        (
            lambda: agenda.add_item(services, facilitator, title="T", timebox_minutes=0),
            InvalidInput,
        ),
        (lambda: agenda.edit_item(services, facilitator, item_id=999, title="T"), NotFound),
        (lambda: agenda.edit_item(services, facilitator, item_id="x", title="T"), InvalidInput),
        (lambda: agenda.start_item(services, facilitator, item_id=welcome), Conflict),
        (lambda: agenda.end_item(services, facilitator, item_id=budget), Conflict),
        (lambda: agenda.remove_item(services, facilitator, item_id=welcome), Conflict),
        (lambda: agenda.reorder(services, facilitator, order=[welcome]), InvalidInput),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)


def test_items_of_another_convening_are_not_found(services, engine, publisher, meeting):
    other = convenings.create_convening(services, title="Other")
    stranger = services.authenticate(other.facilitator_token)
    item = meeting["items"][0]
    for command in (
        lambda: agenda.start_item(services, stranger, item_id=item),
        lambda: agenda.edit_item(services, stranger, item_id=item, title="Mine now"),
        lambda: agenda.remove_item(services, stranger, item_id=item),
    ):
        assert_refused(services, engine, publisher, command, NotFound)


def test_events_are_not_published_when_the_commit_fails(services, publisher, meeting, monkeypatch):
    from sqlalchemy.orm import Session

    def failing_commit(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Session, "commit", failing_commit)
    published = len(publisher.events)
    with pytest.raises(RuntimeError):
        agenda.add_item(services, meeting["facilitator"], title="Lost")
    assert len(publisher.events) == published


# -- snapshots and catching up ----------------------------------------------------------------


def test_snapshot_shows_each_role_what_it_may_see(services, meeting):
    staff = live.snapshot(services, meeting["facilitator"])
    phone = live.snapshot(services, meeting["participant"])
    assert {m["name"] for m in staff["members"]} == {"Facilitator", "Projector", "Ana"}
    assert "members" not in phone
    assert phone["me"]["name"] == "Ana"
    assert phone["participants"] == 1
    assert staff["seq"] == phone["seq"] > 0
    assert "connected" in staff["presence"]
    assert "connected" not in phone["presence"]


def test_events_since_returns_what_was_missed_redacted_by_role(services, meeting):
    participant = meeting["participant"]
    seq = live.snapshot(services, participant)["seq"]
    convenings.join(services, code=meeting["created"].code, name="Ben")
    agenda.start_item(services, meeting["facilitator"], item_id=meeting["items"][0])
    missed = live.events_since(services, participant, seq)
    assert [e["type"] for e in missed["events"]] == [
        "participant.joined",
        "convening.started",
        "agenda.item_started",
        "floor.changed",
    ]
    assert [e["seq"] for e in missed["events"]] == [seq + 1, seq + 2, seq + 3, seq + 4]
    assert "name" not in missed["events"][0]["data"]
    staff = live.events_since(services, meeting["facilitator"], seq)
    assert staff["events"][0]["data"]["name"] == "Ben"


def test_events_since_sends_a_snapshot_when_far_behind_or_ahead(services, meeting):
    participant = meeting["participant"]
    latest = live.snapshot(services, participant)["seq"]
    assert "snapshot" in live.events_since(services, participant, latest + 10)
    assert live.events_since(services, participant, latest) == {
        "events": [],
        "seq": latest,
        "next_after": None,
    }
    with pytest.raises(InvalidInput):
        live.events_since(services, participant, -1)


def test_events_since_comes_in_bounded_pages_that_reach_the_latest(services, meeting):
    participant = meeting["participant"]
    start = live.snapshot(services, participant)["seq"]
    for n in range(5):
        convenings.join(services, code=meeting["created"].code, name=f"Late {n}")
    latest = start + 5
    first = live.events_since(services, participant, start, 2)
    assert [e["seq"] for e in first["events"]] == [start + 1, start + 2]
    assert (first["seq"], first["next_after"]) == (latest, start + 2)
    seen, after = [], start
    while after is not None:
        page = live.events_since(services, participant, after, 2)
        seen += [e["seq"] for e in page["events"]]
        after = page["next_after"]
    assert seen == list(range(start + 1, latest + 1))
    for limit in (0, -1, 501, True, "2", 2.0):
        with pytest.raises(InvalidInput):
            live.events_since(services, participant, start, limit)


def test_members_come_in_pages_by_id_with_the_seq_they_include(services, meeting):
    staff = meeting["facilitator"]
    for n in range(6):
        convenings.join(services, code=meeting["created"].code, name=f"Person {n}")
    everyone = live.members(services, staff)
    assert everyone["next_after"] is None
    assert everyone["total"] == len(everyone["members"]) == 9
    pages, after = [], 0
    while after is not None:
        page = live.members(services, staff, after=after, limit=4)
        assert len(page["members"]) <= 4
        assert page["total"] == 9
        pages.append([m["id"] for m in page["members"]])
        after = page["next_after"]
    assert [len(p) for p in pages] == [4, 4, 1]
    assert [i for p in pages for i in p] == [m["id"] for m in everyone["members"]]
    assert everyone["seq"] == live.snapshot(services, staff)["seq"]
    for bad in ({"limit": 0}, {"limit": 501}, {"after": -1}, {"limit": "4"}, {"after": True}):
        with pytest.raises(InvalidInput):
            live.members(services, staff, **bad)
    with pytest.raises(Forbidden):
        live.members(services, meeting["participant"])


def test_a_big_meetings_snapshot_carries_a_first_page_of_members(services, meeting, monkeypatch):
    monkeypatch.setattr(live, "MEMBERS_PAGE_MAX", 2)
    staff = live.snapshot(services, meeting["facilitator"])
    assert len(staff["members"]) == 2
    assert staff["members_total"] == 3
    rest = live.members(services, meeting["facilitator"], after=staff["members_next"], limit=2)
    names = {m["name"] for m in staff["members"] + rest["members"]}
    assert names == {"Facilitator", "Projector", "Ana"}


# -- the command catalogue ----------------------------------------------------------------------


def test_run_command_checks_names_and_arguments(services, engine, publisher, meeting):
    token = meeting["created"].facilitator_token
    cases = [
        (lambda: run_command(services, token, "agenda.explode", {}), InvalidInput),
        (lambda: run_command(services, token, None, {}), InvalidInput),
        (lambda: run_command(services, token, "agenda.add", "title"), InvalidInput),
        (lambda: run_command(services, token, "agenda.add", {}), InvalidInput),
        (lambda: run_command(services, token, "agenda.add", {"title": "T", "x": 1}), InvalidInput),
        (lambda: run_command(services, "bad", "agenda.add", {"title": "T"}), NotAuthenticated),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)
    result = run_command(services, token, "agenda.add", {"title": "From a script"})
    assert result["title"] == "From a script"


def test_every_refusal_is_a_domain_error_with_a_message(services, meeting):
    with pytest.raises(DomainError) as raised:
        run_command(services, meeting["created"].facilitator_token, "agenda.add", {"title": ""})
    assert raised.value.code == "invalid_input"
    assert "title" in str(raised.value)
