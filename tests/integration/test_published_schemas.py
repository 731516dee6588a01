"""Issue 12: the RCTab summary validates against the published Universal RCV Tabulator
schema (vendored from rcvformats 0.0.46 with its licence) and reads in rcvformats, for IRV
and STV rounds with ties, long labels with diacritics, and every tie-break mode. (Every
summary of tests/integration/test_recount.py and test_room_lot.py is checked the same
way: published_schemas.check_summary.)"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from fractions import Fraction
from importlib import resources

import pytest
from jsonschema import ValidationError

from convene.domain.rounds import LABEL_MAX, Method, Round, RoundOption
from convene.domain.tally import count
from convene.exports import rctab, recount
from tests.integration.published_schemas import (
    SCHEMA_DIR,
    UNIVERSAL_TABULATOR,
    UNIVERSAL_TABULATOR_FILE,
    UNIVERSAL_TABULATOR_SHA256,
    _remove,
    check_summary,
    falls_after_election,
    within_universal_tabulator,
)
from tests.integration.test_recount import LABELS, _load, _meeting, _recounts_exactly

README = SCHEMA_DIR / "README.md"
LICENCE = SCHEMA_DIR / "LICENSE-rcvformats.txt"
LICENCE_SHA256 = "56cdb0437246b1482d7cff83aea62ba2c5e7da325a3d7f77d20e1f79c9baf72c"

_TAIL = (
    " — Ñandú, Łódź, Ærøskøbing, Şişli, Čačak, Ĳsselmeer, Đà Nẵng, Ağrı, Göteborg, Óbuda,"
    " Žilina, Ørsted, Ūdēns, Ćuprija, Sœur, Straße, Ÿ, Ğ, Ț, Ő, Ĺ, Ŀ, Ŕ, Ś, Ź, Ż, Ą, Ę, Ł, Ń"
)
#: labels as long as a round takes them, each a different phrase with diacritics throughout
LONG_LABELS = [
    (phrase + _TAIL * 4)[: LABEL_MAX - 1] + "."
    for phrase in (
        "Réparer le chauffage de tous les logements avant l'hiver",
        "Ñandú: une cuisine commune ouverte chaque soir, pour tout le monde",
        "Portes sécurisées dans chaque immeuble, choisies avec les locataires",
        "Un bureau des locataires, avec des permanences régulières",
        "Conseil juridique gratuit pour toute personne menacée d'expulsion",
        "Öffentliche Versammlungen jeden Monat, mit Übersetzung",
    )
]

#: rounds that need ties broken (method, rule, seats, options, ballots, weights, tie-break,
#: which of the tied options each lot drawn in the room chooses)
TIED = {
    "irv-lot": (
        "irv",
        None,
        1,
        5,
        [
            {"ranking": [0, 1]},
            {"ranking": [1, 0]},
            {"ranking": [2, 0]},
            {"ranking": [3, 4]},
            {"ranking": [4, 3]},
        ],
        [1] * 5,
        "lot",
        [],
    ),
    "irv-order": (
        "irv",
        None,
        1,
        4,
        [{"ranking": [0, 2]}, {"ranking": [1]}, {"ranking": [2, 1]}, {"ranking": [3, 0]}] * 2,
        [1, 2, 1, 1, 1, 2, 1, 1],
        "order",
        [],
    ),
    "irv-room": (
        "irv",
        None,
        1,
        3,
        [{"ranking": [0]}, {"ranking": [1]}, {"ranking": [2, 1]}],
        [1] * 3,
        "room",
        [2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1],
    ),
    "stv-scottish-lot": (
        "stv",
        "scottish",
        2,
        5,
        [{"ranking": [0, 1]}, {"ranking": [1, 0]}, {"ranking": [2]}, {"ranking": [3, 4]}] * 2,
        [1] * 8,
        "lot",
        [],
    ),
    "stv-meek-lot": (
        "stv",
        "meek",
        2,
        6,
        [{"ranking": [0, 1, 2]}, {"ranking": [1, 0]}, {"ranking": [2, 3]}, {"ranking": [4, 5]}] * 2
        + [{"ranking": [5, 4, 0]}],
        [1, 1, 1, 1, 2, 1, 1, 1, 1],
        "lot",
        [],
    ),
    "stv-scottish-room": (
        "stv",
        "scottish",
        2,
        4,
        [{"ranking": [0]}, {"ranking": [1]}, {"ranking": [2]}, {"ranking": [3]}],
        [1] * 4,
        "room",
        [1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2],
    ),
}


#: counts whose votes fall after an election (published_schemas.falls_after_election): two
#: surpluses passed on one a round, and a Meek keep value lowered again when the quota falls;
#: the summary lists the option again as elected in the round where its votes move
FALLING = {
    "stv-scottish-two-surpluses": (
        "stv",
        "scottish",
        3,
        4,
        [{"ranking": [0, 2]}] * 6
        + [{"ranking": [1, 3]}] * 5
        + [{"ranking": [2]}, {"ranking": [3]}],
        [1] * 13,
        "lot",
        [],
    ),
    "stv-meek-quota-falls": (
        "stv",
        "meek",
        3,
        5,
        [{"ranking": [0, 4, 3]}] * 4 + [{"ranking": [0]}] * 3 + [{"ranking": [1, 2]}],
        [4, 4, 4, 4, 1, 1, 1, 1],
        "lot",
        [],
    ),
}


def test_the_vendored_schema_is_the_one_rcvformats_publishes_with_its_licence():
    vendored = UNIVERSAL_TABULATOR_FILE.read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == UNIVERSAL_TABULATOR_SHA256
    # byte for byte the file of the pinned rcvformats (requirements-dev.txt)
    shipped = resources.files("rcvformats") / "jsonschemas" / "universaltabulator.schema.json"
    assert shipped.read_bytes() == vendored
    licence = LICENCE.read_bytes()
    assert hashlib.sha256(licence).hexdigest() == LICENCE_SHA256
    assert licence.startswith(b"MIT License\n\nCopyright (c) 2021 Armin Samii\n")
    # the README records where they come from, and which fields the check removes
    readme = README.read_text(encoding="utf-8")
    for recorded in ("rcvformats 0.0.46", UNIVERSAL_TABULATOR_SHA256, LICENCE_SHA256):
        assert recorded in readme
    for path in rctab.BEYOND_UNIVERSAL_TABULATOR_SCHEMA:
        assert f"`{'.'.join(path).replace('.*', '[]')}`" in readme
    UNIVERSAL_TABULATOR.check_schema(UNIVERSAL_TABULATOR.schema)


def _summary(services, case, labels=LONG_LABELS):
    _, round_id = _meeting(services, case, labels)
    round_, ballots = _load(services, round_id)
    return round_, ballots, recount.round_files(round_, ballots)["summary"]


@pytest.mark.parametrize("name", sorted(TIED))
def test_a_tied_round_with_long_labels_validates_and_reads_in_rcvformats(services, tmp_path, name):
    round_, ballots, text = _summary(services, TIED[name])
    stored = round_.result
    assert stored["tie_breaks"], "the case must need a tie broken"
    assert all(len(label) == LABEL_MAX for label in stored["labels"].values())
    assert set(json.loads(text)["results"][0]["tally"]) == set(stored["labels"].values())
    check_summary(text, stored, tmp_path)
    _recounts_exactly(round_, ballots, tmp_path)  # and every other export, as always


@pytest.mark.parametrize("name", sorted(FALLING))
def test_votes_that_fall_after_an_election_are_listed_where_they_move(services, tmp_path, name):
    round_, ballots, text = _summary(services, FALLING[name], LABELS)
    stored = round_.result
    falls = falls_after_election(stored)
    assert falls, "the case must pass on votes after an election"
    summary = json.loads(text)
    for number, label in falls:
        # the round whose move makes the votes fall lists the option (elected before) again
        written = summary["results"][number - 1]["tallyResults"]
        assert {"elected": label} in [{"elected": e.get("elected")} for e in written]
        assert label not in {
            stored["labels"][str(c)] for c in stored["rounds"][number - 1]["elected"]
        }
    if name == "stv-scottish-two-surpluses":
        # the second surplus: its own transfers, in the round where they move, adding up to
        # what the next round's tallies gained
        [(number, label)] = falls
        [entry] = [
            e for e in summary["results"][number - 1]["tallyResults"] if e.get("elected") == label
        ]
        assert entry["transfers"]
        _adds_up(summary, number)
    # the published schema takes it, and rcvformats reads the meeting's count from it
    check_summary(text, stored, tmp_path)
    _recounts_exactly(round_, ballots, tmp_path)


def _adds_up(summary: dict, number: int) -> None:
    """What round ``number`` lists as moved, summed over the options it lists, is what each
    option still in the count gained in the next round's tally (and what exhausted)."""
    this, after = summary["results"][number - 1], summary["results"][number]
    into: dict[str, Fraction] = {}
    for entry in this["tallyResults"]:
        for to, votes in entry["transfers"].items():
            into[to] = into.get(to, Fraction(0)) + Fraction(votes)
    gained = {
        name: Fraction(votes) - Fraction(this["tally"][name])
        for name, votes in after["tally"].items()
        if Fraction(votes) > Fraction(this["tally"][name])
    }
    exhausted = Fraction(after["inactiveBallots"]["exhaustedChoices"]) - Fraction(
        this["inactiveBallots"]["exhaustedChoices"]
    )
    if exhausted:
        gained["exhausted"] = exhausted
    assert {k: v for k, v in into.items() if v} == gained, f"round {number}"


def _counted(method: str, ballots: dict, labels: list[str], **rules) -> Round:
    """A closed round with options ``labels`` (ids 11, 12...), counted from ``ballots``
    (rankings of label indexes → weight) by the engine with ``rules``."""
    options = [RoundOption(label=label, position=i, id=11 + i) for i, label in enumerate(labels)]
    round_ = Round(
        convening_id=1,
        title="Which campaign comes first?",
        method=Method(method),
        created_at=datetime(2026, 12, 4, 18, 0, tzinfo=UTC),
        options=options,
        seats=rules.pop("seats", 1),
        closed_at=datetime(2026, 12, 4, 19, 0, tzinfo=UTC),
        id=1,
    )
    result = count(
        method,
        {tuple(str(11 + i) for i in ranking): w for ranking, w in ballots.items()},
        [str(o.id) for o in options],
        seats=round_.seats,
        **rules,
    )
    round_.result = round_.result_json(result)
    return round_


def test_options_leaving_in_one_round_each_get_their_own_transfers(tmp_path):
    # batch elimination: c, d and e (4 votes together, fewer than b's 8) are out at once;
    # c's 2 go to b, d's 1 to b, e's 1 to a
    labels = ["Alba", "Bruno", "Carme", "Dídac", "Eulàlia"]
    ballots = {(0,): 9, (1,): 8, (2, 1): 2, (3, 1): 1, (4, 0): 1}
    round_ = _counted("irv", ballots, labels, batch_elimination=True)
    assert round_.result["rounds"][0]["eliminated"] == ["14", "15", "13"]
    summary = rctab.summary_data(round_)
    first = summary["results"][0]["tallyResults"]
    assert first == [
        {"eliminated": "Dídac", "transfers": {"Bruno": "1"}},
        {"eliminated": "Eulàlia", "transfers": {"Alba": "1"}},
        {"eliminated": "Carme", "transfers": {"Bruno": "2"}},
    ]
    _adds_up(summary, 1)
    check_summary(rctab.rctab_summary(round_), round_.result, tmp_path)
    # Scottish STV, an election and an elimination in one round: Alba reaches the quota
    # exactly (no surplus), Eulàlia is excluded in the same round; Alba passes on nothing
    ballots = {(0,): 3, (1, 2): 2, (2, 1): 2, (3, 1): 2, (4, 3): 1}
    round_ = _counted("stv", ballots, labels, rule="scottish", seats=2)
    both = [r for r in round_.result["rounds"] if r["elected"] and r["eliminated"]]
    assert both, "the case must elect and exclude in one round"
    summary = rctab.summary_data(round_)
    for r in both:
        entries = summary["results"][r["number"] - 1]["tallyResults"]
        by_name = {e.get("elected", e.get("eliminated")): e["transfers"] for e in entries}
        for c in r["elected"]:
            assert by_name[round_.result["labels"][c]] == {}
        _adds_up(summary, r["number"])
    check_summary(rctab.rctab_summary(round_), round_.result, tmp_path)


def test_only_the_listed_fields_are_removed_and_the_schema_refuses_any_other(services):
    _, _, text = _summary(services, TIED["stv-scottish-lot"])
    summary = json.loads(text)
    within = within_universal_tabulator(summary)
    UNIVERSAL_TABULATOR.validate(within)
    # each listed field is one the published schema refuses
    for path in rctab.BEYOND_UNIVERSAL_TABULATOR_SCHEMA:
        alone = within_universal_tabulator(summary)
        outer, inner = summary, alone
        for key in path[:-1]:
            outer, inner = (outer[0], inner[0]) if key == "*" else (outer[key], inner[key])
        inner[path[-1]] = outer[path[-1]]
        with pytest.raises(ValidationError):
            UNIVERSAL_TABULATOR.validate(alone)
    # a field the list does not name stays in, and fails: jsonFormatVersion, which RCTab
    # 1.4 writes and Convene does not
    for where in (summary, summary["config"], summary["results"][0]):
        where["jsonFormatVersion"] = "1"
        with pytest.raises(ValidationError):
            UNIVERSAL_TABULATOR.validate(within_universal_tabulator(summary))
        del where["jsonFormatVersion"]
    # and a listed field the summary no longer has fails the check too (the list stays true)
    for path in rctab.BEYOND_UNIVERSAL_TABULATOR_SCHEMA:
        without = json.loads(text)
        _remove(without, path)
        with pytest.raises(AssertionError):
            within_universal_tabulator(without)


def test_rcvformats_sees_a_count_that_is_not_the_meetings(services, tmp_path):
    """The reader check can fail: a tally changed by one vote, or a transfer that does not
    add up, is caught."""
    round_, _, text = _summary(services, TIED["irv-lot"])
    stored = round_.result
    summary = json.loads(text)
    first = summary["results"][0]["tally"]
    name = next(iter(first))
    first[name] = str(int(first[name]) + 1)
    with pytest.raises(AssertionError):
        check_summary(json.dumps(summary), stored, tmp_path)
    # the meeting's transfers, shifted by one vote to another option, are not what the
    # tallies show
    moved = json.loads(json.dumps(stored))
    number, r = next(
        (number, r)
        for number, r in enumerate(moved["rounds"][:-1], 1)
        if len(r["elected"]) + len(r["eliminated"]) == 1
        and any(t["to"] is not None for t in r["transfers"])
    )
    t = next(t for t in r["transfers"] if t["to"] is not None)
    t["votes"]["exact"] = str(int(t["votes"]["exact"]) + 1)
    with pytest.raises(AssertionError, match=rf"^round {number}\b"):
        check_summary(text, moved, tmp_path)
