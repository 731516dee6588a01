"""Issue 12: the RCTab summary validates against the published Universal RCV Tabulator
schema (vendored from rcvformats 0.0.46 with its licence) and reads in rcvformats, for IRV
and STV rounds with ties, long labels with diacritics, and every tie-break mode. (Every
summary of tests/integration/test_recount.py and test_room_lot.py is checked the same
way: published_schemas.check_summary.)"""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest
from jsonschema import ValidationError

from convene.domain.rounds import LABEL_MAX
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


#: counts whose votes fall after an election, which the Universal Tabulator format cannot
#: hold (published_schemas.falls_after_election): two surpluses passed on one a round, and
#: a Meek keep value lowered again when the quota falls
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
def test_rcvformats_refuses_a_count_whose_votes_fall_after_an_election(services, tmp_path, name):
    round_, ballots, text = _summary(services, FALLING[name], LABELS)
    assert falls_after_election(round_.result), "the case must pass on votes after an election"
    # the published schema takes the summary; rcvformats refuses it, for exactly that
    check_summary(text, round_.result, tmp_path)
    _recounts_exactly(round_, ballots, tmp_path)


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
