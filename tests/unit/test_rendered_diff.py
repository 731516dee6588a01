"""Amendments on what people read: the diff of the rendered texts, and passages chosen or
typed as they are displayed (without the Markdown around their words)."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.domain.convening import Actor, Role
from convene.domain.demands import Demand, locate_passage, propose_amendment
from convene.domain.errors import InvalidInput
from convene.rendering import render_diff, render_markdown

NOW = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
ANA = Actor(2, 1, Role.PARTICIPANT, "Ana")
BEN = Actor(3, 1, Role.PARTICIPANT, "Ben")
BODY = (
    "Cancel **all** student debt within *one year* of taking office.\n\n"
    "- for everyone in the región\n"
    "- with refunds for those who paid"
)


BLOCKS = {"p", "li", "ul", "ol", "br", "h1", "h2", "blockquote", "pre"}


class _Text(HTMLParser):
    """The text a reader sees, with or without the deleted (or inserted) words."""

    def __init__(self, skip: str) -> None:
        super().__init__()
        self.skip, self.depth, self.parts = skip, 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == self.skip
        self.parts.append(" " if tag in BLOCKS else "")

    def handle_endtag(self, tag):
        self.depth -= tag == self.skip
        self.parts.append(" " if tag in BLOCKS else "")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def seen(fragment: str, skip: str) -> str:
    reader = _Text(skip)
    reader.feed(fragment)
    return " ".join("".join(reader.parts).split())


def test_bold_shows_as_bold_and_lists_as_lists():
    new = BODY.replace("*one year*", "*six months*") + "\n- and no new debt"
    change = render_diff(BODY, new)
    assert "**" not in change
    assert "- " not in change
    assert "<strong>all</strong>" in change
    assert "<em><del>one year</del><ins>six months</ins></em>" in change
    assert change.count("<li>") == 3
    assert "<li><ins>and no new debt</ins></li>" in change


def test_a_word_made_bold_is_a_change_and_unchanged_text_is_not():
    assert render_diff("Free transit", "Free **transit**") == (
        "<p>Free <del>transit</del><strong><ins>transit</ins></strong></p>"
    )
    assert "<ins>" not in render_diff(BODY, BODY)
    assert "<del>" not in render_diff(BODY, BODY)


def test_the_diff_is_sanitized_after_diffing():
    change = render_diff("Say <script>alert(1)</script> hi", "Say [x](javascript:alert(1)) hi")
    assert "<script" not in change
    assert "href" not in change
    assert "&lt;script&gt;" in change  # raw HTML in Markdown is shown as text


markdownish = st.lists(
    st.sampled_from(
        ["rent", "fondo", "**bold**", "*em*", "\n\nsí", "\n- paz", "año", " ", ".", ",", "<b>", "&"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(markdownish, markdownish)
def test_the_diff_reads_as_the_old_text_without_insertions_and_the_new_without_deletions(old, new):
    change = render_diff(old, new)
    # shown in the new text's structure: a paragraph break that went is not shown
    assert seen(change, "ins").replace(" ", "") == seen(render_markdown(old), "").replace(" ", "")
    assert seen(change, "del") == seen(render_markdown(new), "")


@pytest.mark.parametrize(
    ("passage", "source"),
    [
        ("all student debt", "**all** student debt"),
        ("Cancel all student", "Cancel **all** student"),
        ("one year", "one year"),  # inside the italics: they stay
        ("within one year of", "within *one year* of"),
        ("región\nwith refunds", "región\n- with refunds"),
        ("región with refunds", "región\n- with refunds"),
        ("**all** student", "**all** student"),
    ],
)
def test_a_passage_as_displayed_is_found_in_the_source(passage, source):
    assert [BODY[a:b] for a, b in locate_passage(BODY, passage)] == [source]


def demand() -> Demand:
    made = Demand.propose(convening_id=1, actor=ANA, title="Debt", body=BODY, position=0, now=NOW)
    made.id = 1
    return made


def test_an_amendment_of_a_displayed_passage_replaces_its_source():
    amendment = propose_amendment(
        demand(),
        BEN,
        passage="all student debt",
        body="all student and medical debt",
        rationale="",
        now=NOW,
    )
    assert amendment.passage == "**all** student debt"
    assert amendment.new_text.startswith("Cancel all student and medical debt within *one year*")


def test_a_displayed_passage_that_splits_bold_words_is_refused_with_a_clear_reason():
    d = demand()
    d.body = "Free **transit for** students"
    with pytest.raises(InvalidInput) as error:
        propose_amendment(d, BEN, passage="for students", body="for all", rationale="", now=NOW)
    assert "bold or italic" in str(error.value)
    with pytest.raises(InvalidInput) as error:
        propose_amendment(d, BEN, passage="for pupils", body="for all", rationale="", now=NOW)
    assert "does not occur" in str(error.value)
