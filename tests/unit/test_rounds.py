"""Rounds: settings, the draft → open → closed machine, ballot shapes, counting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convene.domain.errors import Conflict, InvalidInput
from convene.domain.rounds import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Method,
    Round,
    RoundOption,
    RoundState,
    make_profile,
    new_receipt,
)

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def make_round(method="irv", labels=("Rent", "Wages", "Transit"), **settings) -> Round:
    options = [RoundOption(label=label, position=0) for label in labels]
    round_ = Round.create(
        convening_id=1, title="What first?", method=method, options=options, now=NOW, **settings
    )
    for number, option in enumerate(round_.options, start=1):
        option.id = number * 10
    round_.id = 7
    return round_


def counted(round_: Round, ballots) -> dict:
    round_.open(NOW, present=len(ballots))
    canonical = [(round_.check_ballot(b), w) for b, w in ballots]
    result = round_.tally(make_profile(round_.method, canonical), seed="s")
    round_.close(NOW + timedelta(minutes=3), present=len(ballots), result=result, seed="s")
    return round_.result


# -- settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "plurality"}, "method"),
        ({"labels": ("Only one",)}, "options"),
        ({"labels": ("Same", "same")}, "options"),
        ({"labels": tuple(f"o{i}" for i in range(61))}, "options"),
        ({"method": "yes_no", "labels": ("A", "B")}, "options"),
        ({"method": "irv", "seats": 2}, "seats"),
        ({"method": "stv", "seats": 3}, "seats"),
        ({"method": "stv", "seats": 0}, "seats"),
        ({"method": "stv", "rule": "irish"}, "rule"),
        ({"method": "irv", "rule": "meek"}, "rule"),
        ({"method": "yes_no", "labels": ("Adopt",), "threshold": "half"}, "threshold"),
        ({"method": "yes_no", "labels": ("Adopt",), "threshold": "3/2"}, "threshold"),
        ({"method": "yes_no", "labels": ("Adopt",), "threshold": 2}, "threshold"),
        ({"method": "irv", "threshold": "2/3"}, "threshold"),
        (
            {"method": "consent", "labels": ("Adopt",), "stand_aside_limit": "zero"},
            "stand_aside_limit",
        ),
        ({"method": "yes_no", "labels": ("Adopt",), "quorum": -1}, "quorum"),
        ({"method": "yes_no", "labels": ("Adopt",), "quorum": "ten"}, "quorum"),
        ({"secret": "yes"}, "secret"),
        ({"live_results": 1}, "live_results"),
        ({"closes_at": NOW - timedelta(seconds=1)}, "closes_at"),
    ],
)
def test_bad_settings_are_refused(kwargs, field):
    with pytest.raises(InvalidInput) as raised:
        make_round(**kwargs)
    assert raised.value.field == field


def test_defaults_and_settings():
    round_ = make_round("stv", labels=("A", "B", "C", "D"), seats=2)
    assert (round_.seats, round_.rule, round_.secret, round_.live_results) == (
        2,
        "scottish",
        True,
        False,
    )
    assert make_round("yes_no", labels=("Adopt",), threshold=" 2/3 ").threshold == "2/3"
    assert make_round("yes_no", labels=("Adopt",), threshold="1").threshold == "1"
    assert make_round("yes_no", labels=("Adopt",), threshold="0.5").threshold == "1/2"


# -- state machine -------------------------------------------------------------------------------


def test_a_round_opens_once_and_closes_once():
    round_ = make_round()
    with pytest.raises(Conflict):
        round_.require_open()
    [event] = round_.open(NOW, present=12)
    assert event.type == "round.opened"
    assert round_.present_at_open == 12
    with pytest.raises(Conflict):
        round_.open(NOW, present=12)
    result = round_.tally({}, seed="x")
    round_.close(NOW, present=11, result=result, seed="x")
    assert round_.state is RoundState.CLOSED
    assert round_.present_at_close == 11
    for change in (
        lambda: round_.open(NOW, 1),
        lambda: round_.close(NOW, 1, result, "x"),
        round_.require_open,
    ):
        with pytest.raises(Conflict):
            change()


def test_a_round_past_its_deadline_cannot_open():
    round_ = make_round(closes_at=NOW + timedelta(minutes=5))
    with pytest.raises(Conflict):
        round_.open(NOW + timedelta(minutes=5), present=3)
    round_.open(NOW, present=3)
    assert not round_.past_deadline(NOW + timedelta(minutes=4))
    assert round_.past_deadline(NOW + timedelta(minutes=5))


# -- ballots -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "ballot", "canonical"),
    [
        ("irv", {"ranking": [20, 10]}, {"ranking": [20, 10]}),
        ("schulze", {"ranking": [30, 10, 20]}, {"ranking": [30, 10, 20]}),
        ("approval", {"approve": [30, 10]}, {"approve": [10, 30]}),
        ("approval", {"approve": []}, {"approve": []}),
        ("score", {"scores": {"10": 5, 20: 2}}, {"scores": {"10": 5, "20": 2, "30": 0}}),
    ],
)
def test_valid_ballots_are_made_canonical(method, ballot, canonical):
    assert make_round(method).check_ballot(ballot) == canonical


@pytest.mark.parametrize(
    ("method", "ballot"),
    [
        ("irv", {"ranking": []}),
        ("irv", {"ranking": [10, 10]}),
        ("irv", {"ranking": [10, 99]}),
        ("irv", {"ranking": [10, 20, 30, 40]}),
        ("irv", {"ranking": ["10"]}),
        ("irv", {"ranking": [True]}),
        ("irv", {"ranking": 10}),
        ("irv", {"approve": [10]}),
        ("irv", {"ranking": [10], "extra": 1}),
        ("irv", ["ranking", 10]),
        ("approval", {"approve": [10, 10]}),
        ("score", {"scores": {"10": 6}}),
        ("score", {"scores": {"10": -1}}),
        ("score", {"scores": {"99": 1}}),
        ("score", {"scores": {"10": 2.5}}),
        ("score", {"scores": [5, 5]}),
    ],
)
def test_malformed_ballots_are_refused(method, ballot):
    with pytest.raises(InvalidInput):
        make_round(method).check_ballot(ballot)


@pytest.mark.parametrize(
    ("method", "good", "bad"),
    [
        ("yes_no", ["yes", "no", "abstain"], ["maybe", "Yes", 1, True, None]),
        ("consent", ["agree", "stand_aside", "block"], ["yes", "stand aside"]),
        ("gradients", [1, 2, 3, 4, 5], [0, 6, "1", True]),
    ],
)
def test_choices_per_method(method, good, bad):
    round_ = make_round(method, labels=("The proposal",))
    for choice in good:
        assert round_.check_ballot({"choice": choice}) == {"choice": choice}
    for choice in bad:
        with pytest.raises(InvalidInput):
            round_.check_ballot({"choice": choice})


# -- counting every method -----------------------------------------------------------------------


def test_irv_counts_with_weights():
    result = counted(
        make_round("irv"),
        [({"ranking": [10, 20]}, 4), ({"ranking": [20]}, 3), ({"ranking": [30, 20]}, 2)],
    )
    assert result["winners"] == [20]
    assert result["labels"]["20"] == "Wages"
    assert len(result["rounds"]) == 2


def test_stv_elects_the_seats():
    result = counted(
        make_round("stv", labels=("A", "B", "C", "D"), seats=2),
        [({"ranking": [10, 20]}, 6), ({"ranking": [30]}, 4), ({"ranking": [40, 30]}, 2)],
    )
    assert sorted(result["winners"]) == [10, 30]
    assert result["rule"].lower().startswith("scottish")


def test_schulze_approval_and_score():
    assert counted(
        make_round("schulze"), [({"ranking": [30, 10, 20]}, 3), ({"ranking": [10, 30, 20]}, 2)]
    )["winners"] == [30]
    assert counted(make_round("approval"), [({"approve": [10, 20]}, 2), ({"approve": [20]}, 1)])[
        "winners"
    ] == [20]
    assert counted(
        make_round("score"),
        [({"scores": {"10": 5, "20": 1}}, 1), ({"scores": {"10": 4, "30": 5}}, 1)],
    )["winners"] == [10]


@pytest.mark.parametrize(
    ("method", "settings", "ballots", "passed"),
    [
        ("yes_no", {}, [("yes", 3), ("no", 2)], True),
        ("yes_no", {"threshold": "2/3"}, [("yes", 3), ("no", 2)], False),
        ("yes_no", {"threshold": "1/2"}, [("yes", 2), ("no", 2), ("abstain", 5)], False),
        ("yes_no", {"quorum": 10}, [("yes", 5)], False),
        ("consent", {}, [("agree", 6), ("stand_aside", 1)], True),
        ("consent", {}, [("agree", 9), ("block", 1)], False),
        ("gradients", {}, [(1, 3), (2, 2), (4, 1)], True),
        ("gradients", {}, [(1, 3), (5, 1)], False),
    ],
)
def test_proposal_methods_pass_or_fail(method, settings, ballots, passed):
    round_ = make_round(method, labels=("The proposal",), **settings)
    result = counted(round_, [({"choice": c}, w) for c, w in ballots])
    assert result["passed"] is passed
    assert result["winners"] == []


@given(st.lists(st.permutations([10, 20, 30]), min_size=1, max_size=30))
def test_grouping_ballots_does_not_change_the_count(rankings):
    one_each = make_round("irv")
    result_each = counted(one_each, [({"ranking": list(r)}, 1) for r in rankings])
    grouped: dict = {}
    for r in rankings:
        grouped[tuple(r)] = grouped.get(tuple(r), 0) + 1
    weighted = make_round("irv")
    result_grouped = counted(weighted, [({"ranking": list(r)}, w) for r, w in grouped.items()])
    assert result_each["winners"] == result_grouped["winners"]
    assert result_each["rounds"] == result_grouped["rounds"]


def test_receipts_are_unguessable_codes():
    receipts = {new_receipt() for _ in range(500)}
    assert len(receipts) == 500
    assert all(len(r) == RECEIPT_LENGTH and set(r) <= set(RECEIPT_ALPHABET) for r in receipts)


def test_methods_know_their_shape():
    assert [m.value for m in Method if m.ranked] == ["irv", "stv", "schulze"]
    assert [m.value for m in Method if m.on_one_proposal] == ["yes_no", "consent", "gradients"]
