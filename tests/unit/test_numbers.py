"""Counts and fractions in the reader's language (convene/numbers.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from convene.numbers import formatter


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        (7, "7", "7"),
        (1234, "1,234", "1.234"),
        (1_500_000, "1,500,000", "1.500.000"),
        (Fraction(12345, 10), "1,234.5", "1.234,5"),
        (Fraction(239613639, 100000), "2,396.13639", "2.396,13639"),
        (Fraction(7, 3), "2.33333", "2,33333"),  # five decimals, as the explanations round
        ({"exact": "2396.13639"}, "2,396.13639", "2.396,13639"),  # as a result stores it
        ("7/3", "2.33333", "2,33333"),
        ("1234", "1,234", "1.234"),
        (2.5, "2.5", "2,5"),
        (-1234, "-1,234", "-1.234"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_english_and_spanish_numbers(value, english, spanish):
    assert formatter("en")(value) == english
    assert formatter("es")(value) == spanish
    assert formatter("es-MX")(value) == spanish


def test_what_is_not_a_number_is_written_as_is():
    assert formatter("es")("—") == "—"
    assert formatter("es")("1/0") == "1/0"
