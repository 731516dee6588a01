"""Cleaning of free text typed by people: every field from a client is hostile."""

from __future__ import annotations

import functools
import re
import unicodedata

from convene.domain.errors import N_, InvalidInput, TooLarge

# C0/C1 controls except tab and newline, plus bidi overrides that can disguise text.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@functools.cache
def _invisible() -> re.Pattern:
    """A regex class of every control (Cc), format (Cf: zero-width spaces and joiners, bidi
    marks such as U+200E and U+061C, soft hyphens, tags), surrogate (Cs) and private-use (Co)
    character. Format characters live in planes 0, 1 and 14; private use in E000-F8FF and
    planes 15-16, which are added as ranges. What a name or title may not hold: invisible
    characters make "Pa\u200bt" pass for "Pat". Built on first use (about 0.2 s)."""
    ranges: list[tuple[int, int]] = []
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Co"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    ranges += [(0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)]
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


def clean_line(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    """A single line (a name, a title): trimmed, normalised (NFC), inner whitespace collapsed,
    without control, format (zero-width, bidi marks) or private-use characters."""
    text = _as_text(value, field)
    text = " ".join(_invisible().sub("", " ".join(text.split())).split())
    return _check_length(text, field, max_length, required)


def clean_block(value: object, field: str, max_length: int, *, required: bool = False) -> str:
    """Several lines: trimmed, normalised, Windows line ends folded, controls removed."""
    text = _as_text(value, field).replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED.sub("", text).strip()
    return _check_length(text, field, max_length, required)


def _as_text(value: object, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(field)s must be text."), field=field)
    return unicodedata.normalize("NFC", value)


def _check_length(text: str, field: str, max_length: int, required: bool) -> str:
    if required and not text:
        raise InvalidInput(N_("%(field)s must not be empty."), field=field)
    if len(text) > max_length:
        raise TooLarge(
            N_("%(field)s is too long (at most %(max)d characters)."),
            field=field,
            max=max_length,
        )
    return text
