"""The RCTab summary checked as a published reader would read it (issue 12).

Against ``universaltabulator.schema.json``, the Universal RCV Tabulator schema published
with rcvformats 0.0.46 and vendored unchanged in convene/exports/schemas/ (its README), and
by rcvformats itself, the library RCVis reads these files with: its schema and sanity
checks, the tallies it reads, and the transfers it works out from the tallies alone. The
schema allows no field it does not name, and names fewer than RCTab writes today, so the
summary is checked with exactly the fields of ``rctab.BEYOND_UNIVERSAL_TABULATOR_SCHEMA``
removed, and no other.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

from jsonschema import Draft7Validator
from rcvformats.conversions.automatic import AutomaticConverter
from rcvformats.conversions.ut_without_transfers import UTWithoutTransfersConverter
from rcvformats.schemas.universaltabulator import SchemaV0

from convene.exports import rctab

SCHEMA_DIR = Path(rctab.__file__).resolve().parent / "schemas"
UNIVERSAL_TABULATOR_FILE = SCHEMA_DIR / "universaltabulator.schema.json"
#: the file as rcvformats 0.0.46 ships it (recorded in convene/exports/schemas/README.md)
UNIVERSAL_TABULATOR_SHA256 = "c2983498cc8e19770088c69a30107d566b62f101c564ab0e1b8037e1cfca57db"
UNIVERSAL_TABULATOR = Draft7Validator(
    json.loads(UNIVERSAL_TABULATOR_FILE.read_text(encoding="utf-8")),
    format_checker=Draft7Validator.FORMAT_CHECKER,
)


def fields(value, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every field of a JSON document as its path of keys (``"*"``: the items of a list)."""
    found: set[tuple[str, ...]] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add((*prefix, key))
            found |= fields(item, (*prefix, key))
    elif isinstance(value, list):
        for item in value:
            found |= fields(item, (*prefix, "*"))
    return found


def _remove(value, path: tuple[str, ...]) -> None:
    head, *rest = path
    if head == "*":
        for item in value:
            _remove(item, tuple(rest))
    elif not rest:
        value.pop(head, None)
    elif head in value:
        _remove(value[head], tuple(rest))


def within_universal_tabulator(summary: dict) -> dict:
    """The summary without the fields the published schema does not name, exactly those
    ``rctab.BEYOND_UNIVERSAL_TABULATOR_SCHEMA`` lists: each of them is there, and no other
    field goes (an unlisted new field stays, and the schema refuses it)."""
    listed = set(rctab.BEYOND_UNIVERSAL_TABULATOR_SCHEMA)
    within = copy.deepcopy(summary)
    for path in listed:
        _remove(within, path)
    gone = fields(summary) - fields(within)
    # the outermost fields removed (a removed object takes its own fields along)
    assert {path for path in gone if path[:-1] not in gone} == listed
    return within


def _exact(tally: dict) -> dict[str, Fraction]:
    return {name: Fraction(str(votes)) for name, votes in tally.items()}


def falls_after_election(stored: dict) -> list[tuple[int, str]]:
    """(round, option) where the option's votes fall from that round to the next though it
    was not elected in that round: a surplus passed on in a later round than its option's
    election (Scottish STV passes on one surplus a round, the largest first) or a Meek keep
    value lowered again. The summary lists such an option again as elected in that round
    (the only place the format has for votes leaving an option that stays in the count:
    convene/exports/schemas/README.md), or rcvformats refuses it."""
    rounds = stored["rounds"]
    found = []
    for number, (this, after) in enumerate(pairwise(rounds), 1):
        elected = {str(c) for c in this["elected"]}
        for option, votes in after["tallies"].items():
            before = this["tallies"].get(option)
            if option in elected or before is None:
                continue
            if Fraction(votes["exact"]) < Fraction(before["exact"]):
                found.append((number, stored["labels"][option]))
    return found


def listed_again(stored: dict) -> list[set[str]]:
    """For each round, the options elected in an earlier round whose votes move in it (as
    the meeting's result says: a transfer from it, or its votes falling in the next round),
    by label: the summary lists them again as elected in that round."""
    labels = stored["labels"]
    falls = falls_after_election(stored)
    again, elected = [], set()
    for number, r in enumerate(stored["rounds"], 1):
        sources = {str(t["from"]) for t in r["transfers"]} & elected
        again.append({labels[c] for c in sources} | {n for at, n in falls if at == number})
        elected |= {str(c) for c in r["elected"]}
    return again


def own_transfers(stored_round: dict, option: str, labels: dict) -> dict[str, Fraction]:
    """What the meeting's round moved from ``option`` (its id as text), by label."""
    own: dict[str, Fraction] = {}
    for t in stored_round["transfers"]:
        if str(t["from"]) == option:
            to = "exhausted" if t["to"] is None else labels[str(t["to"])]
            own[to] = own.get(to, Fraction(0)) + Fraction(t["votes"]["exact"])
    return own


def check_summary(text: str, stored: dict, tmp: Path) -> None:
    """The summary ``text`` of a round whose stored result is ``stored`` gives each option
    listed in a round exactly its own transfers of that round, passes the published schema
    and rcvformats' checks, and rcvformats reads the meeting's count from it."""
    labels = stored["labels"]
    ids = {label: key for key, label in labels.items()}
    summary = json.loads(text)
    for r, written in zip(stored["rounds"], summary["results"], strict=True):
        for entry in written["tallyResults"]:
            option = ids[entry.get("elected", entry.get("eliminated"))]
            assert _exact(entry["transfers"]) == own_transfers(r, option, labels), (
                f"round {r['number']}: {labels[option]}"
            )
    within = within_universal_tabulator(summary)
    UNIVERSAL_TABULATOR.validate(within)
    schema = SchemaV0()
    assert schema.validate(within), schema.last_error()

    path = tmp / "summary-universal-tabulator.json"
    path.write_text(json.dumps(within, ensure_ascii=False), encoding="utf-8")
    read = AutomaticConverter().convert_to_ut(str(path))
    rounds = stored["rounds"]
    assert [_exact(r["tally"]) for r in read["results"]] == [
        {labels[k]: Fraction(v["exact"]) for k, v in r["tallies"].items()} for r in rounds
    ]

    def outcome(tally_results: list) -> tuple[set, set]:
        return (
            {t["elected"] for t in tally_results if "elected" in t},
            {t["eliminated"] for t in tally_results if "eliminated" in t},
        )

    assert [outcome(r["tallyResults"]) for r in read["results"]] == [
        (
            {labels[str(c)] for c in r["elected"]} | again,
            {labels[str(c)] for c in r["eliminated"]},
        )
        for r, again in zip(rounds, listed_again(stored), strict=True)
    ]

    # rcvformats works out the transfers from one round's tally to the next (in floating
    # point, without a tolerance: so only where every tally is a whole number); where one
    # option is elected or eliminated, they are the votes the meeting moved to each option,
    # and the summary's own transfers
    if any(v.denominator != 1 for r in read["results"] for v in _exact(r["tally"]).values()):
        return
    derived = UTWithoutTransfersConverter(allow_guessing=False).convert_to_ut_and_validate(
        str(path)
    )
    rows = zip(rounds, read["results"], derived["results"], strict=True)
    for number, (ours, written, theirs) in enumerate(rows, 1):
        if len(theirs["tallyResults"]) != 1:
            continue
        summarised = {
            name: Fraction(votes)
            for name, votes in written["tallyResults"][0]["transfers"].items()
            if name != "exhausted" and Fraction(votes)
        }
        moved = {
            labels[str(t["to"])]: Fraction(t["votes"]["exact"])
            for t in ours["transfers"]
            if t["to"] is not None and Fraction(t["votes"]["exact"])
        }
        worked_out = {
            name: Fraction(votes)
            for name, votes in theirs["tallyResults"][0].get("transfers", {}).items()
            if votes
        }
        assert worked_out == moved == summarised, f"round {number}"
