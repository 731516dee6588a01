"""Word-level differences between two texts, as every screen shows an amendment.

A text is split into tokens that are either a run of whitespace or a run of anything else
(a word with its punctuation), so joining the tokens gives the text back exactly. The
standard library's :class:`difflib.SequenceMatcher` compares the token lists; the result is
a list of operations ``{"op": "equal"|"insert"|"delete", "text": ...}`` in reading order:

- the ``equal`` and ``delete`` texts, joined, are the old text;
- the ``equal`` and ``insert`` texts, joined, are the new text.

A replaced passage becomes its deletion followed by its insertion. Adjacent operations of
the same kind are merged, and no operation has an empty text. Whitespace alone between two
changes is folded into them, so "all tenants" → "every tenant" reads as one replacement.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_TOKEN = re.compile(r"\s+|\S+")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[dict]:
    """The operations that turn ``old`` into ``new`` (see the module's docstring).

    Remembered for the last texts compared: every read of an amendment shows its diff, and
    comparing two 5,000-character texts word by word takes SequenceMatcher up to a few
    hundred milliseconds, which a page of demands would pay again for each one."""
    return [dict(op) for op in _word_diff(old, new)]


@lru_cache(maxsize=1024)
def _word_diff(old: str, new: str) -> tuple[dict, ...]:
    a, b = tokens(old), tokens(new)
    ops: list[dict] = []

    def add(op: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if ops and ops[-1]["op"] == op:
            ops[-1]["text"] += text
        else:
            ops.append({"op": op, "text": text})

    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, a[i1:i2])
        else:
            add(DELETE, a[i1:i2])
            add(INSERT, b[j1:j2])
    return tuple(_regroup(ops))


def _regroup(ops: list[dict]) -> list[dict]:
    """Put each run of changes between two equal parts as one deletion then one insertion.

    ``replace`` opcodes next to ``insert``/``delete`` ones can otherwise interleave
    (delete, insert, delete, insert), which reads badly.
    """
    result: list[dict] = []
    pending = {DELETE: "", INSERT: ""}

    def flush() -> None:
        for op in (DELETE, INSERT):
            if pending[op]:
                result.append({"op": op, "text": pending[op]})
                pending[op] = ""

    for index, op in enumerate(ops):
        if op["op"] != EQUAL:
            pending[op["op"]] += op["text"]
        elif op["text"].isspace() and (pending[DELETE] or pending[INSERT]) and index + 1 < len(ops):
            # A lone space between two changes reads better as part of one change.
            pending[DELETE] += op["text"]
            pending[INSERT] += op["text"]
        else:
            flush()
            result.append(op)
    flush()
    return result


def apply_ops(old: str, ops: list[dict]) -> str:
    """Apply ``ops`` to ``old``; raises ValueError when they do not fit ``old``."""
    position = 0
    out: list[str] = []
    for op in ops:
        text = op["text"]
        if op["op"] == INSERT:
            out.append(text)
            continue
        if op["op"] not in (EQUAL, DELETE) or old[position : position + len(text)] != text:
            raise ValueError(f"operation {op!r} does not fit the text at {position}")
        if op["op"] == EQUAL:
            out.append(text)
        position += len(text)
    if position != len(old):
        raise ValueError("the operations do not cover the whole old text")
    return "".join(out)


def changed(ops: list[dict]) -> bool:
    return any(op["op"] != EQUAL for op in ops)
