"""Speaker-queue ordering, raising rules, speaking statistics and the signal limiter."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convene.domain.errors import Conflict, InvalidInput
from convene.domain.floor import (
    FloorRequest,
    FloorSettings,
    Progressive,
    RequestKind,
    RequestState,
    SignalLimiter,
    check_can_raise,
    parse_kind,
    parse_signal,
    parse_speaker_limit,
    queue_order,
    speaking_stats,
)

T0 = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
_ids = itertools.count(1)


def hand(
    member: int, kind: str = "speak", minute: int = 0, item: int = 1, **kwargs
) -> FloorRequest:
    return FloorRequest(
        convening_id=1,
        item_id=item,
        member_id=member,
        kind=RequestKind(kind),
        raised_at=T0 + timedelta(minutes=minute),
        id=next(_ids),
        **kwargs,
    )


def order(requests, progressive="off", spoke=(), seconds=None):
    places = queue_order(
        requests, FloorSettings(progressive=Progressive(progressive)), set(spoke), seconds or {}
    )
    return [(p.request.member_id, str(p.reason)) for p in places]


def test_without_rules_the_queue_is_first_come_first_served():
    assert order([hand(3, minute=2), hand(1, minute=0), hand(2, minute=1)]) == [
        (1, "in_order_raised"),
        (2, "in_order_raised"),
        (3, "in_order_raised"),
    ]


def test_points_of_order_and_process_jump_the_line_in_the_order_raised():
    requests = [
        hand(1, minute=0),
        hand(2, "point_of_process", minute=2),
        hand(3, "clarifying_question", minute=1),
        hand(4, "point_of_order", minute=3),
        hand(5, "direct_response", minute=4),
    ]
    assert order(requests) == [
        (2, "point_of_process"),
        (4, "point_of_order"),
        (5, "direct_response"),
        (3, "clarifying_question"),
        (1, "in_order_raised"),
    ]


@pytest.mark.parametrize(
    ("front", "back"),
    [
        ("point_of_order", "direct_response"),
        ("point_of_process", "clarifying_question"),
        ("direct_response", "clarifying_question"),
        ("clarifying_question", "speak"),
        ("point_of_order", "speak"),
    ],
)
def test_every_kind_outranks_the_kinds_after_it_whenever_raised(front, back):
    early_back, late_front = hand(1, back, minute=0), hand(2, front, minute=5)
    assert [m for m, _ in order([early_back, late_front])] == [2, 1]


def test_progressive_stack_puts_first_time_speakers_first():
    requests = [hand(1, minute=0), hand(2, minute=1), hand(3, minute=2)]
    assert order(requests, "item", spoke={1}) == [
        (2, "first_time_speaking"),
        (3, "first_time_speaking"),
        (1, "in_order_raised"),
    ]


def test_convening_wide_progressive_puts_those_who_spoke_less_first():
    requests = [hand(1, minute=0), hand(2, minute=1), hand(3, minute=2), hand(4, minute=3)]
    result = order(requests, "convening", spoke={1, 2, 3}, seconds={1: 300, 2: 60, 3: 300})
    assert result == [
        (4, "first_time_speaking"),
        (2, "spoke_less"),
        (1, "in_order_raised"),
        (3, "in_order_raised"),
    ]


def test_points_of_order_stay_first_under_the_progressive_stack():
    requests = [hand(1, minute=0), hand(2, "point_of_order", minute=5)]
    assert order(requests, "item", spoke={2}) == [(2, "point_of_order"), (1, "first_time_speaking")]


def test_the_facilitators_moves_win_over_the_rules_but_not_over_points_of_order():
    a, b, c = hand(1, minute=0), hand(2, minute=1), hand(3, minute=2)
    b.manual_rank, a.manual_rank = 0, 1
    late = hand(4, minute=3)
    urgent = hand(5, "point_of_order", minute=4)
    assert order([a, b, c, late, urgent], "item", spoke={2}) == [
        (5, "point_of_order"),
        (2, "moved_by_facilitator"),
        (1, "moved_by_facilitator"),
        (3, "first_time_speaking"),
        (4, "first_time_speaking"),
    ]


def test_only_waiting_requests_are_in_the_queue():
    requests = [
        hand(1, state=RequestState.SPEAKING),
        hand(2, state=RequestState.DONE),
        hand(3, state=RequestState.WITHDRAWN),
        hand(4),
    ]
    assert order(requests) == [(4, "in_order_raised")]


requests_strategy = st.lists(
    st.tuples(
        st.integers(1, 12),
        st.sampled_from(list(RequestKind)),
        st.integers(0, 60),
        st.booleans(),
    ),
    max_size=15,
    unique_by=lambda t: t[0],
)


@given(requests_strategy, st.sampled_from(list(Progressive)), st.sets(st.integers(1, 12)))
def test_queue_order_is_a_permutation_that_respects_the_tiers(specs, progressive, spoke):
    requests = [hand(m, str(kind), minute) for m, kind, minute, _ in specs]
    places = queue_order(requests, FloorSettings(progressive=progressive), spoke, {})
    assert sorted(p.request.id for p in places) == sorted(r.id for r in requests)
    tier = {
        RequestKind.POINT_OF_ORDER: 0,
        RequestKind.POINT_OF_PROCESS: 0,
        RequestKind.DIRECT_RESPONSE: 1,
        RequestKind.CLARIFYING_QUESTION: 2,
        RequestKind.SPEAK: 3,
    }
    tiers = [tier[p.request.kind] for p in places]
    assert tiers == sorted(tiers)
    if progressive is not Progressive.OFF:
        speak = [p for p in places if p.request.kind is RequestKind.SPEAK]
        firsts = [p.request.member_id not in spoke for p in speak]
        assert firsts == sorted(firsts, reverse=True), "first-time speakers come first"


@given(requests_strategy)
def test_queue_order_does_not_depend_on_input_order(specs):
    requests = [hand(m, str(kind), minute) for m, kind, minute, _ in specs]
    settings = FloorSettings(progressive=Progressive.ITEM)
    forward = queue_order(requests, settings, {1, 2}, {})
    backward = queue_order(list(reversed(requests)), settings, {1, 2}, {})
    assert [p.request.id for p in forward] == [p.request.id for p in backward]


# -- raising -------------------------------------------------------------------------------------


def test_a_hand_is_raised_once_per_item():
    with pytest.raises(Conflict):
        check_can_raise(RequestKind.SPEAK, 1, [hand(1)], FloorSettings(), True, False)
    with pytest.raises(Conflict):
        check_can_raise(
            RequestKind.POINT_OF_ORDER,
            1,
            [hand(1, state=RequestState.SPEAKING)],
            FloorSettings(),
            True,
            True,
        )
    check_can_raise(
        RequestKind.SPEAK, 1, [hand(1, state=RequestState.DONE)], FloorSettings(), True, False
    )


def test_a_closed_list_still_takes_points_of_order():
    for kind in (RequestKind.SPEAK, RequestKind.CLARIFYING_QUESTION):
        with pytest.raises(Conflict):
            check_can_raise(kind, 1, [], FloorSettings(), False, True)
    check_can_raise(RequestKind.POINT_OF_ORDER, 1, [], FloorSettings(), False, True)
    check_can_raise(RequestKind.POINT_OF_PROCESS, 1, [], FloorSettings(), False, True)


def test_direct_responses_need_permission_and_a_speaker():
    with pytest.raises(Conflict):
        check_can_raise(
            RequestKind.DIRECT_RESPONSE,
            1,
            [],
            FloorSettings(allow_direct_responses=False),
            True,
            True,
        )
    with pytest.raises(Conflict):
        check_can_raise(RequestKind.DIRECT_RESPONSE, 1, [], FloorSettings(), True, False)
    check_can_raise(RequestKind.DIRECT_RESPONSE, 1, [], FloorSettings(), True, True)


@pytest.mark.parametrize("value", ["shout", "", None, 3, "SPEAK"])
def test_unknown_kinds_are_refused(value):
    with pytest.raises(InvalidInput):
        parse_kind(value)


@pytest.mark.parametrize("value", ["wave", None, 1])
def test_unknown_signals_are_refused(value):
    with pytest.raises(InvalidInput):
        parse_signal(value)


@pytest.mark.parametrize("value", [5, 0, -1, 3601, "90", 1.5, True])
def test_speaker_limits_are_whole_seconds_within_bounds(value):
    with pytest.raises(InvalidInput):
        parse_speaker_limit(value)


def test_speaker_limit_accepts_none_and_sensible_values():
    assert parse_speaker_limit(None) is None
    assert parse_speaker_limit(120) == 120


# -- statistics ----------------------------------------------------------------------------------


def speech(member, item, start_minute, seconds, state=RequestState.DONE):
    request = hand(member, item=item, minute=start_minute, state=state)
    request.started_at = T0 + timedelta(minutes=start_minute)
    request.ended_at = request.started_at + timedelta(seconds=seconds)
    return request


def test_speaking_stats_per_item_and_for_the_convening():
    speeches = [
        speech(1, item=1, start_minute=0, seconds=60),
        speech(2, item=1, start_minute=2, seconds=30),
        speech(1, item=1, start_minute=4, seconds=45),
        speech(1, item=2, start_minute=10, seconds=20),
        speech(3, item=2, start_minute=11, seconds=90),
        hand(4, item=2),  # waiting: has not spoken
    ]
    overall, per_item = speaking_stats(speeches)
    assert (overall.speakers, overall.speeches, overall.total_seconds) == (3, 5, 245)
    assert overall.first_time_speakers == 3
    assert overall.per_person == {1: 125, 2: 30, 3: 90}
    assert (per_item[1].speakers, per_item[1].first_time_speakers, per_item[1].total_seconds) == (
        2,
        2,
        135,
    )
    # On item 2, member 1 had spoken before: only member 3 speaks for the first time.
    assert (per_item[2].speakers, per_item[2].first_time_speakers) == (2, 1)
    assert overall.public()["per_person"][0] == {"member_id": 1, "seconds": 125}


# -- signals -------------------------------------------------------------------------------------


def test_signal_limiter_allows_a_burst_then_the_rate():
    limiter = SignalLimiter(rate=2, burst=4)
    allowed = [limiter.allow(1, 0.0) for _ in range(10)]
    assert allowed == [True] * 4 + [False] * 6
    assert limiter.allow(2, 0.0), "one person's flood does not silence another"
    assert limiter.allow(1, 0.5)
    assert not limiter.allow(1, 0.5)
