"""Who is connected right now: ephemeral, never in the event log.

Presence is sent as a whole (a count, and for facilitators the member ids), so it needs no
sequence number and a lost message is repaired by the next one.
"""

from __future__ import annotations

import threading
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


def presence_views(connected: dict[int, str]) -> tuple[dict, dict]:
    """(what facilitators see, what everyone else sees) of who is connected."""
    participants = sorted(m for m, role in connected.items() if role == "participant")
    public = {"participants_connected": len(participants)}
    staff = {**public, "connected": sorted(connected)}
    return staff, public
