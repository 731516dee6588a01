"""A passage of a Markdown body: cleaned as typed or selected, and found in the source as
written or as people read it on the rendered text (the Markdown marks around its words
left out).
"""

from __future__ import annotations

import re
import unicodedata

from convene.domain.errors import N_, InvalidInput, TooLarge

_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_fragment(value: object, field: str, max_length: int) -> str:
    """A piece of a body (a passage or its replacement): cleaned like a block, not trimmed,
    so a selection keeps the spaces that separate it from its neighbours."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(field)s must be text."), field=field)
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED.sub("", text)
    if len(text) > max_length:
        raise TooLarge(
            N_("%(field)s is too long (at most %(max)d characters)."), field=field, max=max_length
        )
    return text


# A passage as people read it (chosen on the rendered text, or typed as displayed) lacks the
# Markdown around its words: emphasis markers between them, list or heading markers after a
# line break. These match the source with and without them.
_MARKS = r"[*_~`]*"
_BREAK = r"(?:[ \t]*\n[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+)*)"


def _displayed_pattern(passage: str) -> re.Pattern:
    parts = []
    for piece in re.findall(r"\s+|\S", passage.strip()):
        if piece.isspace():
            parts.append(_MARKS + r"(?:" + _BREAK + r"|[ \t]+)+" + _MARKS)
        else:
            parts.append(re.escape(piece))
            parts.append(_MARKS)
    if parts and parts[-1] == _MARKS:
        parts.pop()
    return re.compile("".join(parts))


_LIST_MARK = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MARK_RUN = re.compile(r"\*+|_+|~+|`+")


def _balanced(text: str) -> bool:
    """Every emphasis marker run in ``text`` has its partner in it (list markers aside)."""
    runs = _MARK_RUN.findall(_LIST_MARK.sub("", text))
    for mark in "*_~`":
        mine = [len(run) for run in runs if run[0] == mark]
        if len(mine) % 2 or sum(mine) % 2:
            return False
    return True


def _with_markers(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span widened over adjacent emphasis markers until its markers pair up, or None."""
    left = start
    while left > 0 and text[left - 1] in "*_~`":
        left -= 1
    right = end
    while right < len(text) and text[right] in "*_~`":
        right += 1
    for s in range(start, left - 1, -1):
        for e in range(end, right + 1):
            if _balanced(text[s:e]):
                return s, e
    return None


def locate_passage(text: str, passage: str) -> list[tuple[int, int]]:
    """Where ``passage`` is in the Markdown ``text``: as written in the source, or else as
    people read it on the rendered text (see :data:`_MARKS`), widened over the emphasis
    markers around it so that a replacement leaves no marker unpaired. One span per
    occurrence; a displayed match that would split an emphasis gives no span (see
    :func:`splits_emphasis`)."""
    if passage in text:
        spans, start = [], 0
        while (found := text.find(passage, start)) >= 0:
            spans.append((found, found + len(passage)))
            start = found + 1
        return spans
    if not passage.strip():
        return []
    spans = []
    for match in _displayed_pattern(passage).finditer(text):
        span = _with_markers(text, match.start(), match.end())
        if span is not None:
            spans.append(span)
    return spans


def splits_emphasis(text: str, passage: str) -> bool:
    """The passage is in the displayed text, but starts or ends inside bold or italic words."""
    if not passage.strip():
        return False
    return _displayed_pattern(passage).search(text) is not None


def occurrences(text: str, passage: str) -> int:
    """How many times ``passage`` occurs in ``text``, overlapping occurrences included."""
    count, start = 0, 0
    while passage:
        found = text.find(passage, start)
        if found < 0:
            break
        count += 1
        start = found + 1
    return count
