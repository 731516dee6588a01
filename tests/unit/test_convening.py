"""Rules of a convening and its agenda, without a database or a web server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convene.domain.convening import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Actor,
    Convening,
    ItemState,
    Role,
    check_passcode,
    hash_passcode,
    new_join_code,
    normalise_join_code,
)
from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from convene.domain.text import clean_block, clean_line

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def make_convening(**kwargs) -> Convening:
    convening = Convening.create(
        code="ACDEFG", title=kwargs.pop("title", "Assembly"), now=NOW, **kwargs
    )
    convening.id = 1
    return convening


def with_items(convening: Convening, *titles: str) -> list:
    items = []
    for number, title in enumerate(titles, start=1):
        item = convening.add_item(title=title)
        item.id = number
        items.append(item)
    return items


def state_of(convening: Convening) -> list:
    return [
        (i.id, i.title, i.notes, i.timebox_minutes, i.position, i.state, i.started_at, i.ended_at)
        for i in convening.agenda
    ] + [convening.title, convening.description, convening.place, convening.starts_on]


# -- join codes ----------------------------------------------------------------------------------


def test_join_codes_use_only_unambiguous_characters():
    for _ in range(200):
        code = new_join_code()
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)
    assert not set("0O1IL5S2Z8B") & set(CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["acdefg", " ACD-EFG ", "acd efg"])
def test_join_code_typed_loosely_is_understood(typed):
    assert normalise_join_code(typed) == "ACDEFG"


@pytest.mark.parametrize("typed", ["", "ACDEF", "ACDEFGH", "ACDEF0", 12345])
def test_malformed_join_code_finds_nothing(typed):
    with pytest.raises((NotFound, InvalidInput)):
        normalise_join_code(typed)


# -- settings ------------------------------------------------------------------------------------


def test_create_cleans_fields():
    convening = make_convening(
        title="  Spring   assembly ",
        description=" Bring snacks \r\n",
        place="Hall",
        date="2026-12-01",
    )
    assert convening.title == "Spring assembly"
    assert convening.description == "Bring snacks"
    assert convening.starts_on == date(2026, 12, 1)
    assert not convening.requires_passcode


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "", InvalidInput),
        ("title", "   ", InvalidInput),
        ("title", "x" * 201, TooLarge),
        ("title", ["a list"], InvalidInput),
        ("description", "x" * 4001, TooLarge),
        ("date", "next tuesday", InvalidInput),
        ("date", "2026-13-01", InvalidInput),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(field, value, error):
    convening = make_convening(description="Before")
    before = state_of(convening)
    with pytest.raises(error) as raised:
        convening.update_settings({field: value})
    assert raised.value.params.get("field") == field
    assert state_of(convening) == before


def test_update_settings_validates_all_fields_before_changing_any():
    convening = make_convening(place="Old hall")
    with pytest.raises(InvalidInput):
        convening.update_settings({"place": "New hall", "date": "soon"})
    assert convening.place == "Old hall"


def test_unknown_setting_is_refused():
    with pytest.raises(InvalidInput):
        make_convening().update_settings({"owner": "me"})


def test_update_settings_reports_the_new_public_state():
    convening = make_convening()
    [event] = convening.update_settings({"title": "Renamed", "passcode": "solidarity"})
    assert event.type == "convening.updated"
    assert event.data["title"] == "Renamed"
    assert event.data["requires_passcode"] is True
    assert "passcode" not in str(event.data).replace("requires_passcode", "")


# -- members -------------------------------------------------------------------------------------


def test_admit_participant_without_passcode():
    member = make_convening().admit(name=" Ana ", token_hash="h", now=NOW, caucus="North")
    assert (member.name, member.role, member.caucus, member.convening_id) == (
        "Ana",
        Role.PARTICIPANT,
        "North",
        1,
    )


@pytest.mark.parametrize("given_passcode", [None, "", "wrong", "x" * 500, 42])
def test_wrong_passcode_is_refused(given_passcode):
    convening = make_convening(passcode="solidarity")
    with pytest.raises(Forbidden):
        convening.admit(name="Ana", token_hash="h", now=NOW, passcode=given_passcode)


def test_right_passcode_admits():
    convening = make_convening(passcode="solidarity")
    assert convening.admit(name="Ana", token_hash="h", now=NOW, passcode="solidarity").name == "Ana"


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, None, {"a": 1}])
def test_bad_names_are_refused(name):
    with pytest.raises(InvalidInput):
        make_convening().admit(name=name, token_hash="h", now=NOW)


def test_passcodes_are_salted_hashes():
    first, second = hash_passcode("solidarity"), hash_passcode("solidarity")
    assert first != second
    assert "solidarity" not in first
    assert check_passcode("solidarity", first)
    assert check_passcode("solidarity", second)
    assert not check_passcode("Solidarity", first)


def test_only_facilitators_pass_the_facilitator_check():
    Actor(1, 1, Role.FACILITATOR, "F").require(Role.FACILITATOR)
    for role in (Role.PARTICIPANT, Role.PROJECTOR, Role.OBSERVER):
        with pytest.raises(Forbidden):
            Actor(1, 1, role, "X").require(Role.FACILITATOR)


# -- agenda --------------------------------------------------------------------------------------


def test_items_are_added_in_order():
    convening = make_convening()
    welcome, budget = with_items(convening, "Welcome", "Budget")
    assert [i.position for i in convening.agenda] == [0, 1]
    assert welcome.state is ItemState.PENDING
    assert budget.timebox_minutes is None


@pytest.mark.parametrize("timebox", [0, -5, 24 * 60 + 1, "ten", 2.5, True])
def test_bad_timebox_is_refused(timebox):
    convening = make_convening()
    with pytest.raises(InvalidInput):
        convening.add_item(title="Welcome", timebox_minutes=timebox)
    assert convening.agenda == []


def test_timebox_accepts_whole_minutes_as_text():
    assert make_convening().add_item(title="Welcome", timebox_minutes="15").timebox_minutes == 15


def test_starting_an_item_ends_the_running_one_and_marks_the_meeting_started():
    convening = make_convening()
    welcome, budget = with_items(convening, "Welcome", "Budget")
    events = convening.start_item(1, NOW)
    assert [e.type for e in events] == ["convening.started", "agenda.item_started"]
    assert convening.started_at == NOW
    later = NOW + timedelta(minutes=7)
    events = convening.start_item(2, later)
    assert [e.type for e in events] == ["agenda.item_ended", "agenda.item_started"]
    assert (welcome.state, welcome.ended_at) == (ItemState.DONE, later)
    assert (budget.state, budget.started_at) == (ItemState.ACTIVE, later)
    assert convening.current_item is budget
    assert convening.started_at == NOW


def test_a_done_item_can_be_taken_up_again():
    convening = make_convening()
    with_items(convening, "Welcome")
    convening.start_item(1, NOW)
    convening.end_item(1, NOW + timedelta(minutes=1))
    convening.start_item(1, NOW + timedelta(minutes=2))
    assert convening.item(1).state is ItemState.ACTIVE
    assert convening.item(1).ended_at is None


def test_agenda_refusals_change_nothing():
    convening = make_convening()
    with_items(convening, "Welcome", "Budget")
    convening.start_item(1, NOW)
    before = state_of(convening)
    refusals = [
        (lambda: convening.start_item(1, NOW), Conflict),
        (lambda: convening.end_item(2, NOW), Conflict),
        (lambda: convening.remove_item(1), Conflict),
        (lambda: convening.start_item(99, NOW), NotFound),
        (lambda: convening.edit_item(99, {"title": "x"}), NotFound),
        (lambda: convening.edit_item(2, {"title": ""}), InvalidInput),
        (lambda: convening.edit_item(2, {"title": "ok", "timebox_minutes": -1}), InvalidInput),
        (lambda: convening.edit_item(2, {"colour": "red"}), InvalidInput),
        (lambda: convening.reorder([1]), InvalidInput),
        (lambda: convening.reorder([1, 1]), InvalidInput),
        (lambda: convening.reorder([2, 99]), InvalidInput),
        (lambda: convening.reorder("1,2"), InvalidInput),
        (lambda: convening.reorder([True, 2]), InvalidInput),
    ]
    for refusal, error in refusals:
        with pytest.raises(error):
            refusal()
        assert state_of(convening) == before


def test_remove_renumbers_positions():
    convening = make_convening()
    with_items(convening, "A", "B", "C")
    [event] = convening.remove_item(2)
    assert event.data == {"id": 2, "order": [1, 3]}
    assert [(i.id, i.position) for i in convening.agenda] == [(1, 0), (3, 1)]


@given(st.permutations([1, 2, 3, 4, 5]))
def test_reorder_follows_any_permutation(order):
    convening = make_convening()
    with_items(convening, "A", "B", "C", "D", "E")
    [event] = convening.reorder(list(order))
    assert convening.order() == list(order) == event.data["order"]
    assert [i.position for i in convening.agenda] == [0, 1, 2, 3, 4]


def test_agenda_has_a_size_limit():
    convening = make_convening()
    for number in range(200):
        convening.add_item(title=f"Item {number}")
    with pytest.raises(Conflict):
        convening.add_item(title="One too many")


# -- text ----------------------------------------------------------------------------------------


def test_clean_line_strips_controls_and_bidi_overrides():
    assert clean_line("Ana\x00\u202e nna\t", "name", 60) == "Ana nna"


def test_clean_block_keeps_line_breaks():
    assert clean_block("one\r\ntwo\rthree\x07", "notes", 100) == "one\ntwo\nthree"


@given(st.text(max_size=300))
def test_clean_line_never_returns_controls_or_overlong_text(value):
    try:
        cleaned = clean_line(value, "name", 60)
    except InvalidInput:
        return
    assert 0 < len(cleaned) <= 60
    assert "\n" not in cleaned
    assert "\x00" not in cleaned
    assert cleaned == cleaned.strip()
