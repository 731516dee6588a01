"""Presence in Redis when thousands of phones come and go at once."""

from __future__ import annotations

import threading

import pytest

from convene.app import REDIS_CONNECTIONS, _presence, _redis
from convene.services.presence import RedisPresence
from tests.support import REDIS_URL, need, redis_available

pytestmark = pytest.mark.redis


def test_presence_waits_for_a_free_redis_connection_instead_of_failing(redis_channel):
    need(redis_available(REDIS_URL), f"Redis is not reachable at {REDIS_URL}")
    config = {"SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "SOCKETIO_CHANNEL": redis_channel}
    client = _redis(config)
    presence = _presence(config, client)
    assert isinstance(presence, RedisPresence)
    pool = client.connection_pool
    busy = [pool.get_connection() for _ in range(REDIS_CONNECTIONS)]  # every phone at once
    errors: list[BaseException] = []

    def join() -> None:
        try:
            presence.connect(7, 42, "participant", "sid-1")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    waiting = threading.Thread(target=join)
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive(), "it waits while every connection is taken"
    pool.release(busy.pop())
    waiting.join(10)
    assert not waiting.is_alive()
    assert errors == []
    for connection in busy:
        pool.release(connection)
    try:
        assert presence.connected(7) == {42: "participant"}
    finally:
        client.delete(*client.keys(f"{config['SOCKETIO_CHANNEL']}:*") or ["-"])


def test_presence_is_read_from_redis_at_most_once_a_second(redis_channel):
    need(redis_available(REDIS_URL), f"Redis is not reachable at {REDIS_URL}")
    prefix = redis_channel
    client = _redis({"SOCKETIO_MESSAGE_QUEUE": REDIS_URL})
    now = [100.0]
    here = RedisPresence(client, "one", prefix, clock=lambda: now[0])
    there = RedisPresence(client, "two", prefix, clock=lambda: now[0])
    try:
        here.connect(7, 1, "participant", "a")
        there.connect(7, 2, "participant", "b")
        assert here.connected(7) == {1: "participant", 2: "participant"}
        there.disconnect("b")
        here.connect(7, 3, "facilitator", "c")
        now[0] += 0.9
        assert here.connected(7) == {1: "participant", 2: "participant"}, "read 0.9 s ago"
        now[0] += 0.1
        assert here.connected(7) == {1: "participant", 3: "facilitator"}
    finally:
        client.delete(*client.keys(f"{prefix}:*") or ["-"])


def test_a_process_that_stops_renewing_its_mark_stops_counting(redis_channel):
    """A process that died (its mark expired) no longer counts; the others' heartbeat says
    which convenings changed, and a stalled process that comes back counts again."""
    need(redis_available(REDIS_URL), f"Redis is not reachable at {REDIS_URL}")
    prefix = redis_channel
    client = _redis({"SOCKETIO_MESSAGE_QUEUE": REDIS_URL})
    now = [100.0]
    here = RedisPresence(client, "here", prefix, clock=lambda: now[0])
    there = RedisPresence(client, "there", prefix, clock=lambda: now[0])
    try:
        here.connect(7, 1, "facilitator", "a")
        for member in range(2, 152):
            there.connect(7, member, "participant", f"s{member}")
        assert len(here.connected(7)) == 151
        assert here.heartbeat() == [7], "first beat: what the screens were last told"
        mark = f"{prefix}:presence-alive:there"
        assert 0 < client.pttl(mark) <= RedisPresence.ALIVE_SECONDS * 1000
        client.delete(mark)  # what Redis does ALIVE_SECONDS after "there" last renewed it
        now[0] += RedisPresence.CACHE_SECONDS
        assert here.heartbeat() == [7], "the screens of convening 7 are told"
        assert here.connected(7) == {1: "facilitator"}
        assert here.heartbeat() == [], "nothing changed since"
        there.heartbeat()  # it was only stalled: back in the count, nothing forgotten
        now[0] += RedisPresence.CACHE_SECONDS
        assert len(here.connected(7)) == 151
    finally:
        client.delete(*client.keys(f"{prefix}:*") or ["-"])


def test_a_hash_that_expired_is_written_again_by_its_process(redis_channel):
    need(redis_available(REDIS_URL), f"Redis is not reachable at {REDIS_URL}")
    prefix = redis_channel
    client = _redis({"SOCKETIO_MESSAGE_QUEUE": REDIS_URL})
    now = [100.0]
    here = RedisPresence(client, "here", prefix, clock=lambda: now[0])
    try:
        here.connect(7, 1, "participant", "a")
        here.connect(7, 2, "participant", "b")
        here.disconnect("b")
        client.delete(f"{prefix}:presence:7:here")  # a stall past TTL_SECONDS, or a flush
        here.heartbeat()
        now[0] += RedisPresence.CACHE_SECONDS
        assert here.connected(7) == {1: "participant"}
    finally:
        client.delete(*client.keys(f"{prefix}:*") or ["-"])
