"""Cleaning of free text typed by people: every field from a client is hostile."""

from __future__ import annotations

import re
import unicodedata

from convene.domain.errors import N_, InvalidInput, TooLarge

# C0/C1 controls except tab and newline, plus bidi overrides that can disguise text.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_line(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    """A single line: trimmed, normalised (NFC), inner whitespace collapsed."""
    text = _as_text(value, field)
    text = " ".join(_UNWANTED.sub("", text).split())
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
