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
from collections.abc import Hashable, Sequence
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

    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            add(EQUAL, a[i1:i2])
        else:
            add(DELETE, a[i1:i2])
            add(INSERT, b[j1:j2])
    return tuple(_regroup(ops))


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple]:
    """Exactly ``SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``, in about
    linear time when ``a`` and ``b`` differ in one place (an amendment's passage).

    SequenceMatcher first takes the longest block the sequences have in common, then works
    on each side of it; over two 2,000-character texts that costs 10-40 ms, every time
    (whitespace tokens occur hundreds of times). When the common start ``P`` and end ``S``
    are longer than any other block the sequences share, it takes them first, whichever
    the order, and then aligns only what lies between: this checks that condition (with a
    windows looked for by ``str.find``, see :func:`_shares_other_block`) and runs SequenceMatcher on
    the middle alone; when only one of them is taken first, on the rest after it; when
    neither, on everything. The result is the same in every case; the property tests in
    tests/unit/test_demands.py compare it with SequenceMatcher's on random edits.
    """
    n, m = len(a), len(b)
    p = 0
    while p < n and p < m and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and s < m - p and a[n - 1 - s] == b[m - 1 - s]:
        s += 1
    if p == n and p == m:
        return [("equal", 0, n, 0, m)] if n else []
    # Each distinct token as one character, so that windows are compared by str.find, in C.
    ids: dict = {}
    x = "".join([chr(ids.setdefault(t, len(ids))) for t in a])
    y = "".join([chr(ids.setdefault(t, len(ids))) for t in b])
    # SequenceMatcher takes P first when P is at least as long as S and every other shared
    # block (ties go to the earliest in a: P); S first when it is longer than P and every
    # other block (a tie with another block goes to that block, earlier in a).
    p_first = p > 0 and p >= s and not _shares_other_block(x, y, p, s, p + 1)
    s_first = s > 0 and s > p and not _shares_other_block(x, y, p, s, s)
    # ... and then the other one, on the side that is left
    then_s = p_first and (s == 0 or not _shares_other_block(x, y, p, s, s))
    then_p = s_first and (p == 0 or not _shares_other_block(x, y, p, s, p + 1))
    if then_s or then_p:
        blocks = [(0, 0, p), *_blocks(a, b, p, n - s, p, m - s), (n - s, m - s, s)]
    elif p_first:
        blocks = [(0, 0, p), *_blocks(a, b, p, n, p, m)]
    elif s_first:
        blocks = [*_blocks(a, b, 0, n - s, 0, m - s), (n - s, m - s, s)]
    else:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return _to_opcodes([block for block in blocks if block[2]], n, m)


def _blocks(a, b, alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int, int]]:
    """SequenceMatcher's matching blocks of ``a[alo:ahi]`` and ``b[blo:bhi]``, placed."""
    matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    return [(i + alo, j + blo, k) for i, j, k in matcher.get_matching_blocks() if k]


def _to_opcodes(blocks: list[tuple[int, int, int]], n: int, m: int) -> list[tuple]:
    """SequenceMatcher.get_opcodes from matching blocks (adjacent ones merged, as it does)."""
    merged: list[list[int]] = []
    for i, j, k in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1][2] += k
        else:
            merged.append([i, j, k])
    merged.append([n, m, 0])
    result: list[tuple] = []
    i = j = 0
    for ai, bj, size in merged:
        tag = ""
        if i < ai and j < bj:
            tag = "replace"
        elif i < ai:
            tag = "delete"
        elif j < bj:
            tag = "insert"
        if tag:
            result.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            result.append(("equal", ai, i, bj, j))
    return result


def _shares_other_block(x: str, y: str, p: int, s: int, width: int) -> bool:
    """Whether ``x`` and ``y`` (one character per token) share a run of ``width`` other than
    inside their common start (``p`` long, at the same place) or their common end (``s``
    long). Each window of ``x`` is looked for in ``y`` by ``str.find`` (C): about twice as
    fast as a rolling hash in Python over both, and exact."""
    n, m = len(x), len(y)
    if width > n or width > m:
        return False
    if width < 1:
        return True
    shift = n - m
    for i in range(n - width + 1):
        window = x[i : i + width]
        j = y.find(window)
        while j >= 0:
            if not ((i == j and i < p) or (i - j == shift and i >= n - s)):
                return True
            j = y.find(window, j + 1)
    return False


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
