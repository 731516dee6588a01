"""Who is connected right now: ephemeral, never in the event log.

Presence is sent as a whole (a count, and for facilitators the member ids), so it needs no
sequence number and a lost message is repaired by the next one.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from typing import Protocol


class Presence(Protocol):
    def connect(self, convening_id: int, member_id: int, role: str, sid: str) -> None: ...

    def disconnect(self, sid: str) -> int | None:
        """Forget a connection; returns its convening id, if it was known."""

    def connected(self, convening_id: int) -> dict[int, str]:
        """Member id → role for everyone with at least one open connection."""


class LocalPresence:
    """Presence for one server process (the default; a Redis version serves several)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, tuple[int, int, str]] = {}
        self._counts: dict[int, Counter] = defaultdict(Counter)
        self._roles: dict[int, str] = {}

    def connect(self, convening_id: int, member_id: int, role: str, sid: str) -> None:
        with self._lock:
            self._by_sid[sid] = (convening_id, member_id, role)
            self._counts[convening_id][member_id] += 1
            self._roles[member_id] = role

    def disconnect(self, sid: str) -> int | None:
        with self._lock:
            entry = self._by_sid.pop(sid, None)
            if entry is None:
                return None
            convening_id, member_id, _ = entry
            counts = self._counts[convening_id]
            counts[member_id] -= 1
            if counts[member_id] <= 0:
                del counts[member_id]
            return convening_id

    def connected(self, convening_id: int) -> dict[int, str]:
        with self._lock:
            return {m: self._roles[m] for m in self._counts.get(convening_id, {})}

    def convenings(self) -> list[int]:
        """Convenings with at least one connection to this process."""
        with self._lock:
            return [c for c, counts in self._counts.items() if counts]


def presence_views(connected: dict[int, str]) -> tuple[dict, dict]:
    """(what facilitators see, what everyone else sees) of who is connected."""
    participants = sorted(m for m, role in connected.items() if role == "participant")
    public = {"participants_connected": len(participants)}
    staff = {**public, "connected": sorted(connected)}
    return staff, public


class RedisPresence:
    """Presence shared by several server processes through Redis.

    Each process keeps one hash per convening (``sid → member:role``) under its own key,
    with a time-to-live that :meth:`heartbeat` renews. If a process dies, its connections
    disappear from the count when the key expires, instead of staying "connected" forever.
    """

    TTL_SECONDS = 45
    HEARTBEAT_SECONDS = 15
    CACHE_SECONDS = 1.0

    def __init__(
        self, redis_client, server_id: str, prefix: str = "convene", clock=time.monotonic
    ) -> None:
        self._redis = redis_client
        self._clock = clock
        self._server = server_id
        self._prefix = prefix
        self._local = LocalPresence()
        self._cache: dict[int, tuple[float, dict[int, str]]] = {}

    def _key(self, convening_id: int) -> str:
        return f"{self._prefix}:presence:{convening_id}:{self._server}"

    def connect(self, convening_id: int, member_id: int, role: str, sid: str) -> None:
        self._local.connect(convening_id, member_id, role, sid)
        key = self._key(convening_id)
        pipe = self._redis.pipeline()
        pipe.hset(key, sid, f"{member_id}:{role}")
        pipe.expire(key, self.TTL_SECONDS)
        pipe.execute()

    def disconnect(self, sid: str) -> int | None:
        convening_id = self._local.disconnect(sid)
        if convening_id is not None:
            self._redis.hdel(self._key(convening_id), sid)
        return convening_id

    def connected(self, convening_id: int) -> dict[int, str]:
        """Read from Redis at most once a second per convening: it is every process's
        entries (thousands), asked for by every snapshot and live count; presence goes out
        at most once a second anyway (a snapshot per connect re-reading them all made a
        crowd connecting cost N² reads)."""
        now = self._clock()
        cached = self._cache.get(convening_id)
        if cached is not None and now - cached[0] < self.CACHE_SECONDS:
            return cached[1]
        result = self._read(convening_id)
        self._cache[convening_id] = (now, result)
        return result

    def _read(self, convening_id: int) -> dict[int, str]:
        result: dict[int, str] = {}
        pattern = f"{self._prefix}:presence:{convening_id}:*"
        for key in self._redis.scan_iter(match=pattern, count=100):
            for value in self._redis.hvals(key):
                member, _, role = (value.decode() if isinstance(value, bytes) else value).partition(
                    ":"
                )
                result[int(member)] = role
        return result

    def heartbeat(self) -> None:
        """Renew this process's keys (call every HEARTBEAT_SECONDS)."""
        pipe = self._redis.pipeline()
        for convening_id in self._local.convenings():
            pipe.expire(self._key(convening_id), self.TTL_SECONDS)
        pipe.execute()
