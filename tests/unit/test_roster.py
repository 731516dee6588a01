"""Reading a roster file and matching it with the roster kept, without a database."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convene.domain import roster
from convene.domain.convening import CAUCUS_MAX, Convening
from convene.domain.errors import InvalidInput
from convene.domain.roster import (
    ROSTER_MAX_BYTES,
    ROSTER_MAX_ERRORS,
    ROSTER_MAX_ROWS,
    Action,
    RosterEntry,
    RosterInvalid,
    RosterRole,
    parse_csv,
    parse_rows,
    plan_import,
)

FIXTURE = Path(__file__).parents[1] / "data" / "roster_300.csv"
HEADER = "name,delegation,role,vote_weight,external_id,contact\n"


def problems(text_or_rows) -> list[tuple[int, str | None]]:
    parse = parse_csv if isinstance(text_or_rows, str) else parse_rows
    with pytest.raises(RosterInvalid) as raised:
        parse(text_or_rows)
    return [(p.line, p.field) for p in raised.value.problems]


def test_a_csv_roster_is_read_with_defaults():
    rows = parse_csv(
        HEADER + "Ana Peña,Local 12,delegate,3,A-1,ana@example.org\n"
        "Bo,Local 12,,,,\n"
        "Cy,,observer,,,\n"
    )
    assert [(r.line, r.name, r.delegation, r.role, r.vote_weight, r.external_id) for r in rows] == [
        (2, "Ana Peña", "Local 12", RosterRole.DELEGATE, 3, "A-1"),
        (3, "Bo", "Local 12", RosterRole.DELEGATE, 1, None),
        (4, "Cy", "", RosterRole.OBSERVER, 1, None),
    ]
    assert rows[0].contact == "ana@example.org"


def test_columns_may_come_in_any_order_case_and_separator():
    rows = parse_csv("Delegation;NAME;Vote weight\nLocal 1;Ana;2\n")
    assert (rows[0].name, rows[0].delegation, rows[0].vote_weight) == ("Ana", "Local 1", 2)
    rows = parse_csv("name\tdelegation\nAna\tLocal 1\n")
    assert rows[0].delegation == "Local 1"


def test_names_are_cleaned_like_every_other_name():
    decomposed = unicodedata.normalize("NFD", "José Núñez")
    rows = parse_csv(HEADER + f"  {decomposed}  ,Local\u200b 1,,,,\nPa\u200bt,Local 1,,,,\n")
    assert rows[0].name == "José Núñez" == unicodedata.normalize("NFC", rows[0].name)
    assert rows[0].delegation == "Local 1"
    assert rows[1].name == "Pat"


def test_a_byte_order_mark_and_windows_line_ends_are_fine():
    text = roster.decode(("\ufeff" + HEADER + "Ana,Local 1,,,,\r\nBo,Local 2,,,,\r\n").encode())
    assert [(r.line, r.name) for r in parse_csv(text)] == [(2, "Ana"), (3, "Bo")]


def test_every_problem_is_reported_with_its_line_and_field():
    text = HEADER + (
        ",Local 1,delegate,1,,\n"  # 2: empty name
        "Ana,Local 1,chair,1,,\n"  # 3: unknown role
        "Bo,Local 1,delegate,0,,\n"  # 4: weight not positive
        "Cy,Local 1,delegate,1.5,,\n"  # 5: weight not whole
        "Di,Local 1,delegate,x,,\n"  # 6
        "Ed,,delegate,1,,\n"  # 7: a delegate needs a delegation
        "Fay,Local 1,,,E-1,\n"  # 8
        "Gus,Local 2,,,E-1,\n"  # 9: duplicate external id
        f"{'N' * 61},Local 1,,,,\n"  # 10: name too long
        "Hal,Local 1,,,,\n"
        "hal,local 1,,,,\n"  # 12: same name and delegation, no external id
    )
    assert problems(text) == [
        (2, "name"),
        (3, "role"),
        (4, "vote_weight"),
        (5, "vote_weight"),
        (6, "vote_weight"),
        (7, "delegation"),
        (9, "external_id"),
        (10, "name"),
        (12, "name"),
    ]


def test_line_numbers_count_lines_of_the_file_not_records():
    text = HEADER + '"Ana","Local 1\nsecond line",,,,\n\nBo,Local 1,chair,,,\n'
    assert problems(text) == [(5, "role")]


def test_the_header_is_checked_first():
    assert problems("nom,delegation\nAna,Local 1\n") == [(1, "nom"), (1, "name")]
    assert problems("name,name\nAna,Ana\n") == [(1, "name")]
    assert problems("") == [(1, None)]
    assert problems("\n\n") == [(1, None)]


def test_a_line_with_more_fields_than_the_header_is_refused():
    assert problems("name,delegation\nAna,Local 1,extra\n") == [(2, None)]


def test_a_file_that_is_not_utf8_names_its_line():
    data = (HEADER + "Ana,Local 1,,,,\nJos\xe9,Local 1,,,,\n").encode("latin-1")
    with pytest.raises(RosterInvalid) as raised:
        roster.decode(data)
    assert [(p.line, p.field) for p in raised.value.problems] == [(3, None)]


def test_sizes_are_bounded():
    with pytest.raises(RosterInvalid):
        roster.decode(b"x" * (ROSTER_MAX_BYTES + 1))
    with pytest.raises(RosterInvalid):
        parse_csv(HEADER + "a" * ROSTER_MAX_BYTES)
    many = "name,delegation\n" + "".join(f"P{i},L\n" for i in range(100_000))
    assert problems(many) == [(ROSTER_MAX_ROWS + 2, None)]
    assert problems([{"name": f"P{i}", "delegation": "L"} for i in range(ROSTER_MAX_ROWS + 1)]) == [
        (ROSTER_MAX_ROWS + 1, None)
    ]
    exactly = "name,delegation\n" + "".join(f"P{i},L\n" for i in range(ROSTER_MAX_ROWS))
    assert len(parse_csv(exactly)) == ROSTER_MAX_ROWS


def test_the_list_of_problems_is_bounded_but_the_count_is_not():
    text = HEADER + "".join(f"P{i},L,chair,,,\n" for i in range(1000))
    with pytest.raises(RosterInvalid) as raised:
        parse_csv(text)
    assert len(raised.value.problems) == ROSTER_MAX_ERRORS
    assert raised.value.count == 1000


def test_json_rows_are_checked_cell_by_cell():
    rows = parse_rows([{"name": "Ana", "delegation": "L1", "vote_weight": 2, "external_id": 17}])
    assert (rows[0].vote_weight, rows[0].external_id) == (2, "17")
    assert problems(
        [
            {"name": 5, "delegation": "L1"},
            {"name": "Bo", "delegation": "L1", "vote_weight": True},
            {"name": "Cy", "delegation": "L1", "vote_weight": 2.0},
            "Di",
            {"name": "Ed", "delegation": "L1", "colour": "red"},
            {"name": "Fay", "delegation": "L1", "role": ["delegate"]},
        ]
    ) == [
        (1, "name"),
        (2, "vote_weight"),
        (3, "vote_weight"),
        (4, None),
        (5, "colour"),
        (6, "role"),
    ]
    with pytest.raises(InvalidInput):
        parse_rows({"rows": []})


def test_the_300_person_fixture_reads_whole():
    rows = parse_csv(roster.decode(FIXTURE.read_bytes()))
    assert len(rows) == 300
    assert all(unicodedata.is_normalized("NFC", r.name) for r in rows)
    assert "Pat Lefèvre" in {r.name for r in rows}
    assert max(len(r.delegation) for r in rows) > 120
    assert {r.role for r in rows} == set(RosterRole)


def kept(*entries: tuple) -> list[RosterEntry]:
    return [
        RosterEntry(name=n, delegation=d, role=RosterRole.DELEGATE, external_id=x, id=i)
        for i, (n, d, x) in enumerate(entries, start=1)
    ]


def test_a_reimport_matches_by_external_id_then_by_name():
    roster_kept = kept(("Ana", "L1", "A-1"), ("Bo", "L1", None), ("Cy", "L2", "C-1"))
    rows = parse_csv(
        HEADER + "Ana María,L1,,,A-1,\n"  # renamed: updated by its external id
        "bo,l1,,,B-1,\n"  # adopts its external id: updated
        "Di,L3,,,,\n"  # new
    )
    plan = plan_import(roster_kept, rows)
    assert [(r.name, a, e.id if e else None) for r, a, e in plan.steps] == [
        ("Ana María", Action.UPDATED, 1),
        ("bo", Action.UPDATED, 2),
        ("Di", Action.ADDED, None),
    ]
    assert [e.id for e in plan.not_in_file] == [3]
    assert plan.summary() == {"added": 1, "updated": 2, "unchanged": 0, "not_in_file": 1}


def test_an_external_id_is_not_matched_by_name_to_another_id():
    plan = plan_import(kept(("Ana", "L1", "A-1")), parse_csv(HEADER + "Ana,L1,,,A-2,\n"))
    assert [a for _, a, _ in plan.steps] == [Action.ADDED]
    assert len(plan.not_in_file) == 1


def person_rows():
    name = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
    )
    return st.lists(
        st.fixed_dictionaries(
            {
                "name": name,
                "delegation": name,
                "role": st.sampled_from(["delegate", "alternate", "observer", ""]),
                "vote_weight": st.integers(1, 10_000),
                "external_id": st.text("ABC123-", min_size=1, max_size=8),
            }
        ),
        max_size=30,
        unique_by=lambda r: r["external_id"],
    )


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=roster.COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@given(person_rows())
def test_a_roster_reads_the_same_as_csv_and_json_and_reimports_unchanged(rows):
    fields = set()
    try:
        from_json = parse_rows(rows)
    except RosterInvalid as error:
        fields = {p.field for p in error.problems}
    if fields:
        # names made only of invisible characters are refused the same way by both
        with pytest.raises(RosterInvalid) as again:
            parse_csv(to_csv(rows))
        assert {p.field for p in again.value.problems} == fields
        return
    from_csv = parse_csv(to_csv(rows))
    assert [r.external_id for r in from_json] == [r.external_id for r in from_csv]
    assert [r.name for r in from_json] == [r.name for r in from_csv]
    entries = [roster.new_entry(r) for r in from_json]
    again = plan_import(entries, from_csv)
    assert again.summary() == {
        "added": 0,
        "updated": 0,
        "unchanged": len(rows),
        "not_in_file": 0,
    }


def test_every_delegation_is_a_caucus_whole():
    """A delegation of any length the roster takes is its members' caucus, never cut or left
    out (a chapter with a long name counts in the demands' figures too)."""

    longest = parse_csv(HEADER + f"Ana,{'Á' * roster.DELEGATION_MAX},delegate,,,\n")[0]
    assert roster.caucus_of(longest.delegation) == "Á" * CAUCUS_MAX
    assert roster.caucus_of("") is None
    # the same length is accepted when someone joins with it, or a facilitator sets it
    now = datetime(2026, 12, 6, tzinfo=UTC)
    convening = Convening.create(code="ACDEFG", title="Assembly", now=now)
    member = convening.admit(name="Ana", token_hash="h", now=now, caucus="Á" * CAUCUS_MAX)
    assert member.caucus == "Á" * CAUCUS_MAX
