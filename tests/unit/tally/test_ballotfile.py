"""Ballot file parsing and writing: BLT, CSV and text, and round trips."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from convene.domain.tally.ballotfile import (
    BallotFile,
    BallotFileError,
    detect_format,
    parse,
    parse_blt,
    parse_csv,
    write_blt,
    write_csv,
    write_txt,
)
from tests.unit.tally.helpers import load
from tests.unit.tally.strategies import ranked_profiles

BLT = """4 2
-4
3 1 2 0

1.5 2 0
2 0
0
"Alice" "Bob"
"Chris"
"Don"
"An election"
"""


def test_blt_header_withdrawn_decimal_weights_empty_ballot_and_names():
    bf = parse_blt(BLT)
    assert bf.candidates == ["Alice", "Bob", "Chris", "Don"]
    assert bf.seats == 2
    assert bf.withdrawn == ["Don"]
    assert bf.title == "An election"
    assert bf.ballots == {("Alice", "Bob"): 3, ("Bob",): Fraction(3, 2), (): 2}
    assert detect_format(BLT) == "blt"


def test_names_keep_inner_spaces():
    bf = load("stv_edinburgh_2017_ward01_almond")
    assert "Kevin  LANG" in bf.candidates
    assert bf.total == 14207


def test_csv_header_detection_and_skips():
    text = "rank1,Rank2,rank3\nA,overvote,B\nA,A,\n,,\n"
    bf = parse_csv(text, skip=("OVERVOTE",))
    assert bf.ballots == {("A", "B"): 1, ("A", "A"): 1, (): 1}
    assert bf.candidates == ["A", "B"]
    headerless = parse_csv("A,B\nB\n")
    assert headerless.ballots == {("A", "B"): 1, ("B",): 1}


def test_txt_format():
    bf = parse("4: \n3: a>b\n2: b\n")
    assert bf.format == "txt"
    assert bf.ballots == {(): 4, ("a", "b"): 3, ("b",): 2}


def test_errors_name_the_line():
    with pytest.raises(BallotFileError) as info:
        parse_blt('2 1\n1 1 0\n1 2 x 0\n0\n"a"\n"b"\n')
    assert info.value.line == 3
    assert str(info.value) == "line 3: 'x' is not a candidate number"
    with pytest.raises(BallotFileError, match="unexpected text after the title"):
        parse_blt('1 1\n1 1 0\n0\n"a"\n"t"\n"extra"\n')


@settings(max_examples=60, deadline=None)
@given(ranked_profiles())
def test_round_trips(profile):
    candidates, ballots = profile
    bf = BallotFile(candidates=candidates, ballots=ballots, seats=2, title="T")
    again = parse_blt(write_blt(bf))
    assert again.ballots == ballots
    assert again.candidates == candidates
    assert again.seats == 2
    assert parse(write_csv(bf)).ballots == ballots
    assert parse(write_txt(bf)).ballots == ballots
