"""An outdated amendment's note is stored as an English message id and shown in each
screen's language: every note the domain writes is one of AMENDMENT_NOTES, each has a
Spanish translation (tests/integration/test_languages.py: the live pages carry them)."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime

import pytest

from convene.domain import demands
from convene.domain.demands import amendments
from convene.i18n import gettext_in


def test_every_note_the_domain_writes_is_a_known_note():
    tree = ast.parse(inspect.getsource(amendments))
    written = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "note" for t in node.targets)
            and isinstance(node.value, ast.Name)
        ):
            written.add(getattr(amendments, node.value.id))
    assert written, "rebase writes its notes from the named constants"
    assert written <= set(demands.AMENDMENT_NOTES)


def test_closing_amendments_refuses_a_note_the_screens_cannot_translate():
    with pytest.raises(ValueError, match="not an amendment note"):
        demands.close_amendments([], "Some new sentence.", datetime.now(UTC))


@pytest.mark.parametrize("note", demands.AMENDMENT_NOTES)
def test_each_note_has_a_spanish_translation(note):
    assert gettext_in("es", note) != note
