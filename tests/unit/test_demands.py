"""Demands, amendments, support and agreement: every rule and refusal, without a database;
property tests of the word diff; the Markdown sanitizer against XSS payloads."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convene.domain.convening import Actor, Convening, Role
from convene.domain.demands import (
    Amendment,
    AmendmentStatus,
    Demand,
    DemandStatus,
    DemandVersion,
    VersionKind,
    adopt_amendment,
    agreement_figures,
    can_go_to_vote,
    check_can_accept,
    check_can_decide,
    check_can_support,
    check_can_take_stance,
    check_can_unsupport,
    check_can_withdraw_amendment,
    close_amendments,
    compare,
    conflicts,
    merged_support,
    occurrences,
    parse_outcome,
    parse_stance,
    propose_amendment,
    rebase,
    reorder,
    sort_views,
)
from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from convene.domain.events import public_view
from convene.domain.textdiff import apply_ops, changed, tokens, word_diff
from convene.rendering import ALLOWED_TAGS, render_markdown, sanitize

NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
_ids = itertools.count(100)

FACILITATOR = Actor(1, 1, Role.FACILITATOR, "Fac")
ANA = Actor(2, 1, Role.PARTICIPANT, "Ana")
BEN = Actor(3, 1, Role.PARTICIPANT, "Ben")
PROJECTOR = Actor(4, 1, Role.PROJECTOR, "Projector")
OBSERVER = Actor(5, 1, Role.OBSERVER, "Observer")

BODY = "We demand a rent freeze for all tenants. Repairs within a week."


def demand(body: str = BODY, author: Actor = ANA, **kwargs) -> Demand:
    made = Demand.propose(
        convening_id=1, actor=author, title="Rent", body=body, position=0, now=NOW, **kwargs
    )
    made.id = next(_ids)
    return made


def amend(d: Demand, actor: Actor = BEN, **kwargs) -> Amendment:
    kwargs.setdefault("rationale", "because")
    made = propose_amendment(d, actor, now=NOW, **kwargs)
    made.id = next(_ids)
    return made


# -- proposing and editing -------------------------------------------------------------------


def test_a_proposed_demand_is_a_clean_draft_at_version_1():
    d = Demand.propose(
        convening_id=1,
        actor=ANA,
        title="  Rent\u202e freeze ",
        body="\r\nText\x00 ",
        position=3,
        now=NOW,
    )
    assert (d.title, d.body, d.status, d.version, d.position) == (
        "Rent freeze",
        "Text",
        DemandStatus.DRAFT,
        1,
        3,
    )
    first = d.first_version()
    assert (first.number, first.kind, first.body) == (1, VersionKind.ORIGINAL, "Text")


@pytest.mark.parametrize(
    ("title", "body", "error"),
    [
        ("", "body", InvalidInput),
        ("title", "", InvalidInput),
        ("title", "   ", InvalidInput),
        ("x" * 201, "body", TooLarge),
        ("title", "x" * 5001, TooLarge),
        (42, "body", InvalidInput),
        ("title", ["body"], InvalidInput),
    ],
)
def test_proposals_with_bad_text_are_refused(title, body, error):
    with pytest.raises(error):
        Demand.propose(convening_id=1, actor=ANA, title=title, body=body, position=0, now=NOW)


@pytest.mark.parametrize("actor", [PROJECTOR, OBSERVER])
def test_projectors_and_observers_cannot_propose(actor):
    with pytest.raises(Forbidden):
        demand(author=actor)


def test_the_author_edits_a_draft_and_each_edit_is_a_new_version():
    d = demand()
    version = d.edit(ANA, {"body": "New text"}, NOW, version=1)
    assert (version.number, version.kind, d.version, d.body) == (2, VersionKind.EDIT, 2, "New text")


def test_edits_refused():
    d = demand()
    with pytest.raises(Forbidden):
        d.edit(BEN, {"body": "Mine now"}, NOW)
    with pytest.raises(Conflict):
        d.edit(ANA, {"body": BODY}, NOW)  # changes nothing
    with pytest.raises(Conflict):
        d.edit(ANA, {"body": "x"}, NOW, version=7)  # stale
    with pytest.raises(InvalidInput):
        d.edit(ANA, {"status": "adopted"}, NOW)
    with pytest.raises(InvalidInput):
        d.edit(ANA, {"body": ""}, NOW)
    d.open(FACILITATOR, NOW)
    with pytest.raises(Conflict):  # before the room: amend instead
        d.edit(ANA, {"body": "x"}, NOW)
    assert d.version == 1


def test_a_facilitator_correction_is_a_typo_version_even_when_open():
    d = demand()
    d.open(FACILITATOR, NOW)
    version = d.edit(FACILITATOR, {"title": "Rent!"}, NOW)
    assert (version.kind, d.title, d.version) == (VersionKind.TYPO, "Rent!", 2)


def test_withdraw_only_by_the_author_and_only_a_draft():
    d = demand()
    with pytest.raises(Forbidden):
        d.withdraw(BEN, NOW)
    d.withdraw(ANA, NOW)
    assert d.status is DemandStatus.WITHDRAWN
    with pytest.raises(Conflict):
        d.withdraw(ANA, NOW)
    opened = demand()
    opened.open(FACILITATOR, NOW)
    with pytest.raises(Conflict):
        opened.withdraw(ANA, NOW)


def test_open_hide_unhide_are_for_facilitators():
    d = demand()
    for command in (
        lambda: d.open(ANA, NOW),
        lambda: d.hide(ANA, "spam", NOW),
        lambda: d.unhide(ANA, NOW),
    ):
        with pytest.raises(Forbidden):
            command()
    with pytest.raises(InvalidInput):
        d.hide(FACILITATOR, "", NOW)  # a reason is required
    d.hide(FACILITATOR, "Abusive", NOW)
    assert (d.hidden, d.hidden_reason) == (True, "Abusive")
    with pytest.raises(Conflict):
        d.hide(FACILITATOR, "again", NOW)
    assert not d.visible_to(BEN)
    assert d.visible_to(FACILITATOR)
    with pytest.raises(NotFound):
        d.check_visible(BEN)
    d.unhide(FACILITATOR, NOW)
    assert (d.hidden, d.hidden_reason) == (False, None)
    d.open(FACILITATOR, NOW)
    with pytest.raises(Conflict):
        d.open(FACILITATOR, NOW)


def test_merge_credits_both_authors_and_closes_the_duplicate():
    target, source = demand(author=ANA), demand(author=BEN)
    with pytest.raises(Forbidden):
        source.merge_into(ANA, target, NOW)
    with pytest.raises(InvalidInput):
        target.merge_into(FACILITATOR, target, NOW)
    source.merge_into(FACILITATOR, target, NOW)
    assert source.status is DemandStatus.MERGED
    assert source.merged_into_id == target.id
    assert target.authors == [ANA.member_id, BEN.member_id]
    with pytest.raises(Conflict):  # a merged demand cannot be merged again
        source.merge_into(FACILITATOR, target, NOW)
    # Supporters of both carry over, but authors need no seconding of their own demand.
    assert merged_support({7, BEN.member_id}, {8}, target) == {7, 8}


def test_reorder_lists_every_demand_once():
    a, b = demand(), demand()
    assert reorder([a, b], [b.id, a.id]) == [b.id, a.id]
    assert (a.position, b.position) == (1, 0)
    for bad in ([a.id], [a.id, a.id], [a.id, b.id, 999], "x", [True, a.id]):
        with pytest.raises(InvalidInput):
            reorder([a, b], bad)


# -- support -------------------------------------------------------------------------------


def test_support_rules():
    d = demand()
    check_can_support(d, BEN, already=False)
    with pytest.raises(Conflict):
        check_can_support(d, BEN, already=True)  # twice
    with pytest.raises(Conflict):
        check_can_support(d, ANA, already=False)  # one's own
    with pytest.raises(Forbidden):
        check_can_support(d, PROJECTOR, already=False)
    with pytest.raises(Conflict):
        check_can_unsupport(d, BEN, supported=False)
    check_can_unsupport(d, BEN, supported=True)
    d.status = DemandStatus.ADOPTED
    with pytest.raises(Conflict):
        check_can_support(d, BEN, already=False)


def test_can_go_to_vote_needs_open_visible_and_enough_supporters():
    d = demand()
    assert not can_go_to_vote(d, 5, 1)  # a draft
    d.open(FACILITATOR, NOW)
    assert not can_go_to_vote(d, 1, 2)
    assert can_go_to_vote(d, 2, 2)
    assert can_go_to_vote(d, 0, 0)
    d.hide(FACILITATOR, "spam", NOW)
    assert not can_go_to_vote(d, 2, 2)


LONG_TITLE = "Cancel all student debt within one year of taking office, for everyone in the región"


def test_errors_about_going_to_a_vote_name_the_demand_by_its_title():
    d = demand()
    d.title = LONG_TITLE
    with pytest.raises(Conflict) as draft:
        d.check_for_vote(5, 1)
    d.open(FACILITATOR, NOW)
    with pytest.raises(Conflict) as support:
        d.check_for_vote(1, 3)
    d.check_for_vote(3, 3)
    d.put_to_vote()
    d.decided(False, NOW)
    with pytest.raises(Conflict) as rejected:
        d.check_for_vote(3, 3)
    for error in (draft, support, rejected):
        assert LONG_TITLE in str(error.value)
        assert str(d.id) not in str(error.value)
    assert "rejected" in str(rejected.value)


def test_a_consent_block_puts_the_demand_back_before_the_room():
    d = demand()
    d.open(FACILITATOR, NOW)
    d.put_to_vote()
    assert d.status is DemandStatus.UNDER_VOTE
    d.blocked(7, "Do we agree?", NOW)
    assert d.status is DemandStatus.OPEN
    assert d.core()["consent_block"] == {
        "round_id": 7,
        "round_title": "Do we agree?",
        "reasons": "",
        "path": None,
    }
    # each follow-up works: a vote again (even if support has dropped), or amendments
    d.check_for_vote(0, 3, again=True)
    with pytest.raises(Conflict):
        d.check_for_vote(0, 3)
    made = amend(d, body="We demand a rent freeze for all tenants. Repairs within two days.")
    assert made.status is AmendmentStatus.PENDING
    d.followed_up(7, "amend", "  It leaves out people in social housing.\r\n", NOW)
    assert d.consent_block["reasons"] == "It leaves out people in social housing."
    assert d.consent_block["path"] == "amend"
    assert d.consent_block["round_title"] == "Do we agree?"
    with pytest.raises(TooLarge):
        d.followed_up(7, "amend", "x" * 2001, NOW)
    with pytest.raises(InvalidInput):
        d.followed_up(7, "amend", {"nested": ["reasons"]}, NOW)
    # the next round on it opens: the block is past
    d.put_to_vote()
    assert d.consent_block is None
    assert d.status is DemandStatus.UNDER_VOTE


# -- amendments ----------------------------------------------------------------------------


def test_a_whole_body_amendment_and_its_diff():
    d = demand()
    a = amend(d, body="We demand a rent freeze for every tenant.", version=1)
    assert (a.passage, a.base_version, a.old_text, a.status) == (
        None,
        1,
        BODY,
        AmendmentStatus.PENDING,
    )
    assert a.diff() == [
        {"op": "equal", "text": "We demand a rent freeze for "},
        {"op": "delete", "text": "all tenants. Repairs within a week."},
        {"op": "insert", "text": "every tenant."},
    ]


def test_a_passage_amendment_replaces_only_that_passage():
    d = demand()
    a = amend(d, passage="within a week", body="within three days")
    assert a.new_text == BODY.replace("within a week", "within three days")
    assert [op for op in a.diff() if op["op"] != "equal"] == [
        {"op": "delete", "text": "a week."},  # words keep their punctuation
        {"op": "insert", "text": "three days."},
    ]
    struck = amend(d, passage=" Repairs within a week.", body="")
    assert struck.new_text == "We demand a rent freeze for all tenants."


def test_amendment_refusals():
    d = demand(body="Freeze rents. Freeze rents now.")
    cases = [
        (dict(body="x", version=2), Conflict),  # stale version
        (dict(passage="nowhere", body="x"), InvalidInput),
        (dict(passage="Freeze rents", body="x"), InvalidInput),  # occurs twice
        (dict(passage="   ", body="x"), InvalidInput),
        (dict(body=""), InvalidInput),
        (dict(body="Freeze rents. Freeze rents now."), InvalidInput),  # changes nothing
        (dict(body="x" * 5001), TooLarge),
        (dict(body="x", rationale="y" * 2001), TooLarge),
        (dict(body="x", version="2"), InvalidInput),
    ]
    for kwargs, error in cases:
        with pytest.raises(error):
            amend(d, **kwargs)
    with pytest.raises(Forbidden):
        amend(d, PROJECTOR, body="x")
    for status in (DemandStatus.WITHDRAWN, DemandStatus.ADOPTED, DemandStatus.MERGED):
        d.status = status
        with pytest.raises(Conflict):
            amend(d, body="x")
    hidden = demand()
    hidden.hide(FACILITATOR, "spam", NOW)
    with pytest.raises(NotFound):
        amend(hidden, body="x")


def test_the_stale_version_error_says_which_version_is_current():
    d = demand()
    d.edit(ANA, {"body": "v2"}, NOW)
    d.edit(ANA, {"body": "v3"}, NOW)
    with pytest.raises(Conflict) as refused:
        amend(d, body="x", version=2)
    assert "version 3 now, not 2" in str(refused.value)


def test_conflicts_overlapping_passages_and_whole_bodies():
    d = demand()
    freeze = amend(d, passage="rent freeze", body="rent cut")
    tenants = amend(d, passage="freeze for all", body="freeze for most")
    repairs = amend(d, passage="within a week", body="at once")
    whole = amend(d, body="Something else")
    other_whole = amend(d, body="Something different")
    found = conflicts([freeze, tenants, repairs, whole, other_whole])
    assert found[freeze.id] == [tenants.id, whole.id, other_whole.id]
    assert found[repairs.id] == [whole.id, other_whole.id]
    assert found[whole.id] == [freeze.id, tenants.id, repairs.id, other_whole.id]
    repairs.status = AmendmentStatus.REJECTED
    assert repairs.id not in conflicts([freeze, repairs])
    assert conflicts([freeze, repairs]) == {freeze.id: []}


def test_friendly_acceptance_by_the_author_and_rebasing():
    d = demand()
    d.open(FACILITATOR, NOW)
    first = amend(d, passage="rent freeze", body="rent cut")
    later = amend(d, passage="within a week", body="within three days")
    clash = amend(d, passage="freeze for all", body="freeze for some")
    whole = amend(d, body="Another text")
    with pytest.raises(Forbidden):
        check_can_accept(d, first, BEN)
    check_can_accept(d, first, ANA)
    version = adopt_amendment(d, first, ANA, NOW, friendly=True)
    assert (version.number, version.kind, version.amendment_id) == (
        2,
        VersionKind.AMENDMENT,
        first.id,
    )
    assert (first.status, first.friendly, first.result_version) == (
        AmendmentStatus.ADOPTED,
        True,
        2,
    )
    assert d.body == "We demand a rent cut for all tenants. Repairs within a week."
    moved = rebase(d, [first, later, clash, whole], NOW)
    assert moved == {"rebased": [later.id], "outdated": [clash.id, whole.id]}
    assert (later.base_version, later.old_text) == (2, d.body)
    assert later.new_text == d.body.replace("a week", "three days")
    assert clash.status is AmendmentStatus.OUTDATED
    assert "no longer occurs" in clash.note
    assert "changed" in whole.note
    with pytest.raises(Conflict):  # no longer pending
        check_can_accept(d, clash, ANA)


def test_decisions_and_withdrawals():
    d = demand()
    a = amend(d, body="Other")
    with pytest.raises(Forbidden):
        check_can_decide(d, a, ANA)
    check_can_decide(d, a, FACILITATOR)
    with pytest.raises(Forbidden):
        check_can_withdraw_amendment(d, a, ANA)
    check_can_withdraw_amendment(d, a, BEN)
    assert close_amendments([a], "gone", NOW) == [a.id]
    assert (a.status, a.note) == (AmendmentStatus.OUTDATED, "gone")
    with pytest.raises(Conflict):
        check_can_decide(d, a, FACILITATOR)
    moved_on = demand()
    stale = amend(moved_on, body="Other")
    moved_on.edit(ANA, {"body": "Changed meanwhile"}, NOW)
    with pytest.raises(Conflict):  # an amendment of an older text does not fit
        adopt_amendment(moved_on, stale, FACILITATOR, NOW, friendly=False)


def test_compare_any_two_versions():
    versions = {
        1: DemandVersion(1, 1, "Rent", "a b c", VersionKind.ORIGINAL, NOW),
        2: DemandVersion(1, 2, "Rent!", "a x c", VersionKind.TYPO, NOW),
    }
    result = compare(versions, "1", 2)
    assert result["diff"] == [
        {"op": "equal", "text": "a "},
        {"op": "delete", "text": "b"},
        {"op": "insert", "text": "x"},
        {"op": "equal", "text": " c"},
    ]
    assert result["title"] == [{"op": "delete", "text": "Rent"}, {"op": "insert", "text": "Rent!"}]
    with pytest.raises(NotFound):
        compare(versions, 1, 3)
    with pytest.raises(InvalidInput):
        compare(versions, "one", 2)


def test_occurrences_counts_overlapping_matches():
    assert occurrences("aaa", "aa") == 2
    assert occurrences("abc", "d") == 0
    assert occurrences("abc", "") == 0


# -- agreement -----------------------------------------------------------------------------


def test_agreement_and_bridging_figures():
    figures = agreement_figures(
        [
            ("North", "agree", 8),
            ("North", "disagree", 2),
            ("north", "pass", 3),  # the same caucus, typed differently
            ("South", "agree", 1),
            ("South", "disagree", 3),
            (None, "agree", 2),
            ("East", "pass", 4),  # only passes: does not count
        ]
    )
    assert (figures["agree"], figures["disagree"], figures["pass"], figures["responses"]) == (
        11,
        5,
        7,
        23,
    )
    assert figures["share"] == round(11 / 16, 4)
    assert figures["bridging"] == 0.25  # South: 1 / 4
    assert figures["caucuses_counted"] == 3
    by_name = {c["caucus"]: c for c in figures["caucuses"]}
    assert (by_name["North"]["pass"], by_name["North"]["share"]) == (3, 0.8)
    assert by_name["East"] == {
        "caucus": "East",
        "agree": 0,
        "disagree": 0,
        "pass": 4,
        "share": None,
        "counted": False,
    }
    assert by_name[None]["share"] == 1.0


def test_agreement_without_responses_has_no_figures():
    figures = agreement_figures([])
    assert (figures["share"], figures["bridging"], figures["caucuses"]) == (None, None, [])
    only_passes = agreement_figures([(None, "pass", 3)])
    assert (only_passes["share"], only_passes["bridging"]) == (None, None)


def test_sorting_by_agreement_bridging_and_position():
    def view(i, position, share, bridging):
        return {"id": i, "position": position, "agreement": {"share": share, "bridging": bridging}}

    views = [
        view(1, 0, 0.9, 0.1),
        view(2, 1, 0.6, 0.6),
        view(3, 2, None, None),
        view(4, 3, 0.9, 0.5),
    ]
    assert [v["id"] for v in sort_views(views, "agreement")] == [1, 4, 2, 3]
    assert [v["id"] for v in sort_views(views, "bridging")] == [2, 4, 1, 3]
    assert [v["id"] for v in sort_views(views, None)] == [1, 2, 3, 4]
    with pytest.raises(InvalidInput):
        sort_views(views, "votes")


def test_stance_rules():
    d = demand()
    check_can_take_stance(d, BEN)
    check_can_take_stance(d, ANA)  # authors may say where they stand too
    with pytest.raises(Forbidden):
        check_can_take_stance(d, OBSERVER)
    with pytest.raises(InvalidInput):
        parse_stance("maybe")
    with pytest.raises(InvalidInput):
        parse_outcome("deferred")
    d.status = DemandStatus.REJECTED
    with pytest.raises(Conflict):
        check_can_take_stance(d, BEN)


def test_convening_demand_settings():
    convening = Convening.create(code="ACDEFG", title="x", now=NOW)
    assert (convening.anonymous, convening.support_required) == (False, 1)
    convening.update_settings({"anonymous": True, "support_required": 3})
    assert convening.public()["anonymous"] is True
    assert convening.public()["support_required"] == 3
    for bad in ({"anonymous": "yes"}, {"support_required": -1}, {"support_required": True}):
        with pytest.raises(InvalidInput):
            convening.update_settings(bad)


def test_public_view_drops_hidden_demands_and_their_ids():
    staff = {"demand_id": 5, "hidden": True, "reason": "abuse", "demand": {"title": "x"}}
    assert public_view("demand.hidden", staff) == {"demand_id": 5, "hidden": True}
    assert public_view("amendment.proposed", staff) == {"demand_id": 5, "hidden": True}
    shown = {"demand_id": 5, "hidden": False, "demand": {"title": "x"}}
    assert public_view("demand.updated", shown) == shown
    assert public_view("demands.reordered", {"order": [1, 5, 2], "hidden_ids": [5]}) == {
        "order": [1, 2]
    }
    recounted = {"demands": [{"demand_id": 1, "hidden": False}, {"demand_id": 5, "hidden": True}]}
    assert public_view("demands.recounted", recounted) == {
        "demands": [{"demand_id": 1, "hidden": False}]
    }


# -- the word diff (properties) --------------------------------------------------------------

words = st.lists(
    st.sampled_from(["rent", "freeze", "all", "tenants", "now", "the", ",", "é", "\n", "  "]),
    max_size=30,
).map(" ".join)
texts = st.one_of(words, st.text(max_size=80))


@given(texts, texts)
def test_applying_the_diff_to_the_old_text_gives_the_new_text(old, new):
    ops = word_diff(old, new)
    assert apply_ops(old, ops) == new
    assert "".join(o["text"] for o in ops if o["op"] != "insert") == old
    assert "".join(o["text"] for o in ops if o["op"] != "delete") == new
    assert all(o["text"] for o in ops)
    assert all(a["op"] != b["op"] for a, b in itertools.pairwise(ops))
    assert changed(ops) == (old != new)


@given(texts)
def test_the_diff_of_a_text_with_itself_is_all_equal(text):
    ops = word_diff(text, text)
    assert all(o["op"] == "equal" for o in ops)
    assert "".join(o["text"] for o in ops) == text


@given(texts)
def test_tokens_join_back_to_the_text(text):
    assert "".join(tokens(text)) == text


def test_apply_ops_refuses_ops_of_another_text():
    with pytest.raises(ValueError, match="does not fit"):
        apply_ops("abc", [{"op": "equal", "text": "abd"}])
    with pytest.raises(ValueError, match="whole old text"):
        apply_ops("abc", [{"op": "equal", "text": "ab"}])


# -- Markdown and the sanitizer --------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n\n[ref][x]",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="#" onclick="alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<https://example.org/" onmouseover="alert(1)>',
    '[x](https://example.org/" onmouseover="alert(1))',
]


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_safe(html: str) -> None:
    for tag, attrs in _Elements(html).elements:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attrs) <= {"href", "title", "rel", "start"}, (tag, attrs)
        if "href" in attrs:
            scheme = urlsplit(attrs["href"].strip()).scheme.lower()
            assert scheme in {"http", "https", "mailto", ""}, attrs["href"]
            assert attrs["rel"] == "noopener noreferrer nofollow"
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", XSS)
def test_no_xss_payload_survives_rendering(payload):
    assert_safe(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS)
def test_the_sanitizer_alone_stops_raw_html_payloads(payload):
    # As if Markdown let raw HTML through: the allow-list must still hold.
    assert_safe(sanitize(payload))


def test_links_with_bad_schemes_lose_their_target():
    html = render_markdown("[a](javascript:alert(1)) [b](https://ok.example)")
    hrefs = [attrs.get("href") for tag, attrs in _Elements(html).elements if tag == "a"]
    assert hrefs == ["https://ok.example"]
    raw = sanitize('<a href="javascript:alert(1)">x</a><a href="data:text/html,x">y</a>')
    assert "href" not in raw


def test_normal_markdown_renders():
    html = render_markdown(
        "We *demand* **action**:\n\n- a rent freeze\n- repairs\n\n1. first\n\n"
        '> quoted\n\nSee [the plan](https://example.org/plan "Plan") and `code`.'
    )
    for part in (
        "<em>demand</em>",
        "<strong>action</strong>",
        "<ul>\n<li>a rent freeze</li>",
        "<ol>",
        "<blockquote>",
        "<code>code</code>",
    ):
        assert part in html
    assert (
        '<a href="https://example.org/plan" title="Plan" rel="noopener noreferrer nofollow">'
        "the plan</a>"
    ) in html


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"
