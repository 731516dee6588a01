"""The garbage-collection policy for live votes (convene/realtime/collector.py)."""

from __future__ import annotations

import gc

from convene.realtime.collector import VoteTimeCollector


class FakeGC:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def freeze(self) -> None:
        self.calls.append("freeze")

    def unfreeze(self) -> None:
        self.calls.append("unfreeze")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_vote_freezes_once_and_a_quiet_spell_gives_everything_back():
    fake, clock = FakeGC(), Clock()
    collector = VoteTimeCollector(quiet_seconds=30, clock=clock, collector=fake)
    collector.tick()
    assert fake.calls == [], "no vote, nothing to do"
    collector.voting()
    clock.now = 10
    collector.voting()  # still the same vote
    clock.now = 39
    collector.tick()
    assert fake.calls == ["freeze"], "29 s after the last ballot: still voting"
    assert collector.frozen
    clock.now = 40
    collector.tick()
    assert fake.calls == ["freeze", "unfreeze"]
    assert not collector.frozen
    collector.tick()
    collector.voting()
    assert fake.calls == ["freeze", "unfreeze", "freeze"], "the next vote freezes again"


def test_frozen_objects_are_left_out_of_collections_until_the_vote_is_quiet():
    clock = Clock()
    collector = VoteTimeCollector(quiet_seconds=5, clock=clock)
    before = gc.get_freeze_count()
    try:
        collector.voting()
        assert gc.get_freeze_count() > before
        clock.now = 5
        collector.tick()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
