"""An outdated amendment's note is stored as an English message id and shown in each
screen's language: every note the domain writes is one of AMENDMENT_NOTES, each has a
Spanish translation (tests/integration/test_languages.py: the live pages carry them)."""

from __future__ import annotations

import ast
import inspect

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


def test_the_services_close_amendments_with_known_notes():
    from convene.services.demands import commands

    tree = ast.parse(inspect.getsource(commands))
    notes = [
        node.args[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", None) == "close_amendments"
        and len(node.args) > 1
    ]
    assert notes, "the services close amendments"
    for note in notes:
        assert isinstance(note, ast.Attribute), ast.dump(note)
        assert getattr(demands, note.attr) in demands.AMENDMENT_NOTES


@pytest.mark.parametrize("note", demands.AMENDMENT_NOTES)
def test_each_note_has_a_spanish_translation(note):
    assert gettext_in("es", note) != note
