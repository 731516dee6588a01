"""The fast path of textdiff.opcodes gives exactly what SequenceMatcher gives (issue 14)."""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from convene.domain.textdiff import opcodes, tokens
from convene.htmldiff import diff_html

# A small alphabet, so that ties between equally long blocks (SequenceMatcher's order of
# choice) come up often.
_TOKENS = st.lists(st.sampled_from(["a", "b", "c", " ", "  ", "\n"]), max_size=40)
_BODY = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "projector_content.json").read_text()
)["demand"]["body"]


def _slow(a, b):
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


@settings(max_examples=3000, deadline=None)
@given(_TOKENS, _TOKENS)
def test_any_two_sequences(a, b):
    assert opcodes(a, b) == _slow(a, b)


@settings(max_examples=3000, deadline=None)
@given(_TOKENS, st.data())
def test_one_edit_in_one_place(a, data):
    start = data.draw(st.integers(0, len(a)))
    end = data.draw(st.integers(start, len(a)))
    middle = data.draw(_TOKENS)
    b = a[:start] + middle + a[end:]
    assert opcodes(a, b) == _slow(a, b)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_an_edit_of_the_real_demand(data):
    words = tokens(_BODY)
    start = data.draw(st.integers(0, len(words)))
    end = data.draw(st.integers(start, min(len(words), start + 30)))
    middle = data.draw(st.lists(st.sampled_from(words[:60]), max_size=20))
    new = words[:start] + middle + words[end:]
    assert opcodes(words, new) == _slow(words, new)
    again = data.draw(st.integers(0, len(new)))
    newer = [*new[:again], "changed", *new[again + 1 :]]
    assert opcodes(new, newer) == _slow(new, newer)


def test_html_diff_unchanged_for_a_passage():
    old = f"<p>{_BODY}</p>"
    new = old.replace("line by line.", "line by line, together.")
    assert "<ins>" in diff_html(old, new)
