"""Who is connected right now: ephemeral, never in the event log.

Presence is sent as a whole (a count, and for facilitators the member ids), so it needs no
sequence number and a lost message is repaired by the next one.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from typing import Protocol

from convene.store import checkins as store_checkins


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

    def entries(self, convening_id: int) -> dict[str, str]:
        """This process's connections to a convening: sid → "member:role"."""
        with self._lock:
            return {
                sid: f"{member}:{role}"
                for sid, (convening, member, role) in self._by_sid.items()
                if convening == convening_id
            }


def presence_views(connected: dict[int, str]) -> tuple[dict, dict]:
    """(what facilitators see, what everyone else sees) of who is connected."""
    participants = sorted(m for m, role in connected.items() if role == "participant")
    public = {"participants_connected": len(participants)}
    staff = {**public, "connected": sorted(connected)}
    return staff, public


def present(svc, convening_id: int, session=None) -> int:
    """Who is present for a round's quorum, turnout and "present at open/close": with the
    convening's ``accredited_voting`` on, the delegates and alternates checked in at the
    desk (convene/services/checkins.py); else the participants connected right now.
    ``svc``: the Services (their presence and a read transaction unless ``session``)."""
    if session is None:
        with svc.read() as own:
            return present(svc, convening_id, own)
    if store_checkins.accredited(session, convening_id):
        return store_checkins.counts(session, convening_id)["voters"]
    return participants_connected(svc.presence, convening_id)


def participants_connected(presence: Presence, convening_id: int) -> int:
    """Participants connected right now (a round's quorum counts them as present)."""
    return presence_views(presence.connected(convening_id))[1]["participants_connected"]


class RedisPresence:
    """Presence shared by several server processes through Redis.

    Each process keeps one hash per convening (``sid → member:role``) under its own key, and
    a mark of its own that says it is alive, renewed every HEARTBEAT_SECONDS and gone
    ALIVE_SECONDS after the last renewal. Readers count only the hashes of processes whose
    mark is there: when a process dies, its phones stop counting within ALIVE_SECONDS +
    CACHE_SECONDS (7 s), and the other processes tell the screens at their next heartbeat.
    (A hash that expired after all, as when a process stalled longer than TTL_SECONDS or
    Redis was emptied, is written again from this process's own record.)
    """

    ALIVE_SECONDS = 6
    HEARTBEAT_SECONDS = 1
    TTL_SECONDS = 120
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
        self._told: dict[int, dict[int, str]] = {}  # what the last heartbeat saw

    def _key(self, convening_id: int) -> str:
        return f"{self._prefix}:presence:{convening_id}:{self._server}"

    def _alive_key(self, server_id: str) -> str:
        return f"{self._prefix}:presence-alive:{server_id}"

    def connect(self, convening_id: int, member_id: int, role: str, sid: str) -> None:
        self._local.connect(convening_id, member_id, role, sid)
        key = self._key(convening_id)
        pipe = self._redis.pipeline()
        pipe.hset(key, sid, f"{member_id}:{role}")
        pipe.expire(key, self.TTL_SECONDS)
        pipe.set(self._alive_key(self._server), "1", px=self.ALIVE_SECONDS * 1000)
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
        pattern = f"{self._prefix}:presence:{convening_id}:*"
        keys = [_text(key) for key in self._redis.scan_iter(match=pattern, count=100)]
        if not keys:
            return {}
        servers = [key.rsplit(":", 1)[1] for key in keys]
        alive = self._redis.mget([self._alive_key(server) for server in servers])
        pipe = self._redis.pipeline()
        for key, mark in zip(keys, alive, strict=True):
            if mark is not None:
                pipe.hvals(key)
        result: dict[int, str] = {}
        for values in pipe.execute():
            for value in values:
                member, _, role = _text(value).partition(":")
                result[int(member)] = role
        return result

    def heartbeat(self) -> list[int]:
        """Say this process is alive and renew its hashes (call every HEARTBEAT_SECONDS).

        Returns the convenings this process serves whose presence changed since the last
        heartbeat without a connection here changing it (another process died or stalled),
        so that their screens are told."""
        convenings = self._local.convenings()
        pipe = self._redis.pipeline()
        pipe.set(self._alive_key(self._server), "1", px=self.ALIVE_SECONDS * 1000)
        for convening_id in convenings:
            pipe.expire(self._key(convening_id), self.TTL_SECONDS)
        renewed = pipe.execute()[1:]
        for convening_id, ok in zip(convenings, renewed, strict=True):
            if not ok:
                self._write_again(convening_id)
        changed = []
        for convening_id in convenings:
            seen = self.connected(convening_id)
            if self._told.get(convening_id) != seen:
                changed.append(convening_id)
            self._told[convening_id] = seen
        for gone in set(self._told) - set(convenings):
            del self._told[gone]
        return changed

    def _write_again(self, convening_id: int) -> None:
        entries = self._local.entries(convening_id)
        if not entries:
            return
        key = self._key(convening_id)
        pipe = self._redis.pipeline()
        pipe.hset(key, mapping=entries)
        pipe.expire(key, self.TTL_SECONDS)
        pipe.execute()


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value
