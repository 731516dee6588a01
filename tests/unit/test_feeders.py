"""Linked convenings' rules (convene/domain/feeders.py): one upstream, no self-link, no
circle, the invitation as sent."""

from __future__ import annotations

import pytest

from convene.domain import feeders as rules
from convene.domain.errors import Conflict, InvalidInput


def _upstreams(links: dict[int, int]):
    return links.get


def test_a_first_link_is_allowed_and_the_same_one_again_changes_nothing():
    assert rules.check_link(1, 9, None, _upstreams({})) is True
    assert rules.check_link(1, 9, 9, _upstreams({1: 9})) is False


def test_a_convening_cannot_feed_itself():
    with pytest.raises(InvalidInput) as raised:
        rules.check_link(4, 4, None, _upstreams({}))
    assert raised.value.field == "code"


def test_one_upstream_at_a_time():
    with pytest.raises(Conflict, match="already sends its demands to another"):
        rules.check_link(1, 8, 9, _upstreams({1: 9}))


@pytest.mark.parametrize(
    ("links", "feeder", "upstream"),
    [
        ({2: 1}, 1, 2),  # 2 feeds 1: 1 cannot feed 2
        ({2: 3, 3: 1}, 1, 2),  # 2 → 3 → 1
        ({i: i + 1 for i in range(2, 60)} | {60: 1}, 1, 2),  # a long way round
    ],
)
def test_no_circle_however_long(links, feeder, upstream):
    with pytest.raises(Conflict, match="circle"):
        rules.check_link(feeder, upstream, None, _upstreams(links))


def test_a_tree_is_fine_and_the_chain_is_read_nearest_first():
    links = {2: 1, 3: 1, 4: 2}
    assert rules.chain_above(4, _upstreams(links)) == [2, 1]
    assert rules.check_link(5, 4, None, _upstreams(links)) is True
    assert rules.check_link(1, 7, None, _upstreams(links)) is True


def test_a_chain_deeper_than_the_limit_is_refused():
    links = {i: i + 1 for i in range(1, rules.DEPTH_MAX + 5)}
    with pytest.raises(Conflict, match="levels deep"):
        rules.chain_above(1, _upstreams(links))


def test_a_circle_in_the_store_does_not_loop():
    assert rules.chain_above(1, _upstreams({1: 2, 2: 3, 3: 2})) == [2, 3]


@pytest.mark.parametrize("value", [None, 7, ["x"], "", "   ", "x" * 201])
def test_an_invitation_is_text_of_an_invitation_s_length(value):
    with pytest.raises(InvalidInput) as raised:
        rules.parse_invitation(value)
    assert raised.value.field == "invitation"


def test_an_invitation_is_taken_without_surrounding_spaces():
    assert rules.parse_invitation("  abc-DEF_123 \n") == "abc-DEF_123"
