"""Counts and fractions written the way a language writes numbers: ``1,234.5`` in English,
``1.234,5`` in Spanish (Babel's CLDR data, the same as the browser's ``Intl``).

The value is first rounded as the explanations of a count always round it
(:func:`convene.domain.tally.result.fmt`: integers whole, hundred-thousandths of Scottish
STV exactly, anything else to five decimals), then written with the language's symbols.
English needs no Babel (``convene tally`` starts without it); every other language loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache

from convene.domain.tally.result import fmt


def exact(value: object) -> int | Fraction | None:
    """An ``int``, a ``Fraction``, a stored ``{"exact": "7/3"}``, or its text ("2396.13639",
    "7/3"); None for nothing."""
    if isinstance(value, Mapping):
        value = value.get("exact")
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Fraction):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    number = Fraction(str(value).replace(",", "").strip())
    return number.numerator if number.denominator == 1 else number


def _code(language: str | None) -> str:
    return (language or "en").replace("-", "_").split("_")[0].lower() or "en"


@cache
def formatter(language: str | None) -> Callable[[object], str]:
    """``number(value)`` for ``language``; a value that is not a number is written as is."""
    code = _code(language)
    if code == "en":
        babel = None
    else:
        from babel.numbers import format_decimal

        babel = format_decimal

    def number(value: object) -> str:
        try:
            value = exact(value)
        except (ValueError, ZeroDivisionError):
            return str(value)
        if value is None:
            return ""
        english = fmt(value)
        if babel is None:
            return english
        return babel(Decimal(english.replace(",", "")), locale=code, decimal_quantization=False)

    return number
