"""The voting methods' records (convene/domain/methods): one module each, read by the rounds,
the tally engine, the API schema, the minutes, the exports and the page scripts."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime

import pytest

from convene.domain import methods
from convene.domain.errors import InvalidInput
from convene.domain.methods import Method, VotingMethod, discover
from convene.domain.methods.ballots import Choice, Choices, Ranking
from convene.domain.methods.irv import tally as irv_tally
from convene.domain.minutes import METHOD_NAMES
from convene.domain.rounds import Round, RoundOption, make_profile, remap_ballot
from convene.domain.tally import METHODS, RANKED, count
from convene.services.schemas import CastBallot
from convene.tallycli import FILE_METHODS
from convene.web.api.replies import MethodName

NOW = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)

#: One valid ballot of each kind, and one each method refuses.
BALLOTS = {
    "ranking": ({"ranking": [30, 10]}, {"ranking": []}),
    "approval": ({"approve": [30, 10]}, {"approve": [10, 10]}),
    "score": ({"scores": {"10": 4}}, {"scores": {"10": 6}}),
}


def test_every_reader_lists_the_same_methods_in_the_records_order():
    names = tuple(record.name for record in methods.RECORDS)
    assert names == ("irv", "stv", "schulze", "approval", "score", "yes_no", "consent", "gradients")
    assert tuple(m.value for m in Method) == names == METHODS == methods.names()
    assert RANKED == ("irv", "stv", "schulze")
    assert tuple(METHOD_NAMES) == names
    assert MethodName.__args__ == names
    assert FILE_METHODS == ("irv", "stv", "schulze", "approval", "score")
    for record in methods.RECORDS:
        assert Method(record.name).record is record
        assert methods.named(record.name) is record
    assert methods.named("plurality") is None
    assert methods.named(None) is None


def test_the_cast_command_takes_one_field_per_kind_of_ballot():
    assert CastBallot.__struct_fields__ == (
        "round_id",
        "ranking",
        "approve",
        "scores",
        "choice",
        "receipt",
        "replaces",
    )
    assert [shape.key for shape in methods.shapes()] == ["ranking", "approve", "scores", "choice"]


def _round(record: VotingMethod) -> Round:
    labels = ("The proposal",) if record.ballot.proposal else ("Rent", "Wages", "Transit")
    options = [RoundOption(label=label, position=0) for label in labels]
    round_ = Round.create(
        convening_id=1, title="What first?", method=record.name, options=options, now=NOW
    )
    for number, option in enumerate(round_.options, start=1):
        option.id = number * 10
    return round_


@pytest.mark.parametrize("record", methods.RECORDS, ids=lambda r: r.name)
def test_a_ballot_of_every_method_is_checked_stored_grouped_remapped_and_counted(record):
    round_ = _round(record)
    if record.ballot.proposal:
        good = {"choice": record.ballot.values[0]}
        bad = {"choice": "maybe"}
    else:
        good, bad = BALLOTS[record.ballot.form]
    with pytest.raises(InvalidInput):
        round_.check_ballot(bad)
    with pytest.raises(InvalidInput):
        round_.check_ballot({**good, "other": 1})
    stored = round_.check_ballot(good)
    assert list(stored) == [record.ballot.key]
    assert len(json.dumps(stored, sort_keys=True, separators=(",", ":"))) <= (
        round_.ballot_form().longest_stored()
    )
    profile = make_profile(round_.method, [(stored, 2), (json.loads(json.dumps(stored)), 1)])
    assert list(profile.values()) == [3]  # the same content, grouped once
    result = round_.tally(profile, seed="s")
    assert result.method == record.name
    if record.ballot.proposal:
        assert result.passed is not None
    else:
        assert result.winners
    # imported into another meeting: the same ballot, on the options' new ids
    ids = {10: 110, 20: 120, 30: 130}
    moved = remap_ballot(stored, ids)
    assert (moved == stored) is record.ballot.proposal
    for option in round_.options:
        option.id = ids[option.id]
    assert round_.check_ballot(moved) == moved


@pytest.mark.parametrize("record", methods.RECORDS, ids=lambda r: r.name)
def test_the_page_scripts_get_each_record_in_the_page_language(record):
    seen = record.browser(lambda text: f"«{text}»")
    assert json.loads(json.dumps(seen)) == seen
    assert seen["name"] == record.name
    assert seen["label"] == f"«{record.label}»"
    assert seen["menu"] == f"«{record.menu}»"
    assert seen["ballot"]["form"] in ("ranking", "approval", "score", "choice")
    if record.ballot.proposal:
        assert seen["hint"] == ""
        assert [c["value"] for c in seen["ballot"]["choices"]] == list(record.ballot.values)
        assert all(c["label"].startswith("«") for c in seen["ballot"]["choices"])
        assert seen["rule_sentence"].startswith("«")
    else:
        assert seen["hint"].startswith("«")
        assert "tie_break" in seen["settings"]


def test_a_new_module_is_a_new_method(tmp_path, monkeypatch):
    package = tmp_path / "more_methods"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("WHAT = 'no METHOD here: not a method'\n")
    (package / "plurality.py").write_text(
        textwrap.dedent(
            """
            from convene.domain.methods.ballots import Ranking
            from convene.domain.methods.irv import tally
            from convene.domain.methods.record import VotingMethod

            METHOD = VotingMethod(
                name="plurality", order=5, ballot=Ranking(), tally=tally,
                title="Plurality", label="Plurality", menu="Plurality: one mark",
                settings=frozenset({"tie_break"}),
            )
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = discover("more_methods", [str(package)])
    assert [record.name for record in found] == ["plurality"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"name": "majority_judgment"}, "the name"),
        ({"name": "Judgment"}, "the name"),
        ({"settings": frozenset({"seats", "colour"})}, "unknown setting 'colour'"),
        ({"exports": ("csv", "pdf")}, "unknown export 'pdf'"),
        ({"story": "poem"}, "unknown story"),
        ({"settings": frozenset({"rule"})}, "rules go with the rule setting"),
        (
            {"ballot": Choices(Choice("yes", "Yes")), "settings": frozenset({"tie_break"})},
            "no ties between options",
        ),
    ],
)
def test_a_record_that_does_not_fit_is_refused_when_it_is_defined(changes, problem):
    fields = {
        "name": "judgment",
        "order": 90,
        "ballot": Ranking(),
        "tally": irv_tally,
        "title": "Majority judgment",
        "label": "Majority judgment",
        "menu": "Majority judgment: grade every option",
    }
    with pytest.raises(ValueError, match=problem):
        VotingMethod(**{**fields, **changes})


def test_the_engine_refuses_what_a_method_does_not_take():
    with pytest.raises(ValueError, match="unknown method 'plurality'"):
        count("plurality", [("a",)], ["a"])
    with pytest.raises(ValueError, match="needs the list of candidates"):
        count("schulze", [("a",)])
    with pytest.raises(ValueError, match="IRV rules"):
        count("stv", [("a",)], ["a"], until_two=True)
    assert count("irv", [("a",), ("b",)], ["a", "b"], until_two=True, seed=1).winners
