"""Sending one message to a big room without stalling everything else.

A message to every phone of a 2,000-person convening is 2,000 WebSocket writes, about
0.2 s of the one event loop on a small server (bench/live_round.py). Sent in one go, every
ballot that arrives meanwhile waits for all of them. The messages sent on a timer to
everyone (turnout, presence) therefore go out in slices, with a short pause in between,
so a ballot waits for one slice at most and the writes are spread over a second or
so. A background task sends them, so the ticker that asked is not held up, and if a
newer one of the same kind comes while it is still sending, the newer one follows and any
older one still waiting is dropped.

Messages of the event stream keep one send each: they carry sequence numbers, and one
slice overtaking another would look like a gap to the screens that got them.

The same manager serves one process (``Manager``) or several sharing Redis
(``RedisManager``): there each process receives the message from Redis and sends it, in
slices, to the phones connected to it.
"""

from __future__ import annotations

import logging
import threading
import time

import socketio

from convene.monitoring import metrics

log = logging.getLogger(__name__)

#: Ephemeral messages: each replaces the last one of its kind.
PACED_EVENTS = frozenset({"round.turnout", "presence"})
SLICE = 100
#: Pause between slices: at most 2,000 such messages a second leave one process (2,000
#: phones in a second), so neither the server nor the phones get them all at once.
SLICE_PAUSE = 0.05


class PacedFanOut(socketio.Manager):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._latest: dict[tuple, tuple] = {}  # message still to send, by (namespace, room, event)
        self._sending: set[tuple] = set()  # kinds a background task is sending now
        self._queued_at: dict[tuple, float] = {}  # when the oldest unsent message was queued

    def emit(
        self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs
    ):
        room = to or room
        if event not in PACED_EVENTS or callback is not None:
            return super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs
            )
        key = (namespace, room if room is None or isinstance(room, str) else tuple(room), event)
        with self._lock:
            self._latest[key] = (data, room, skip_sid)
            self._queued_at.setdefault(key, time.monotonic())
            if key in self._sending:
                return None  # the task sending the last one sends this one next
            if self._count(namespace, room) <= SLICE:
                del self._latest[key]
                del self._queued_at[key]
                small = True
            else:
                self._sending.add(key)
                small = False
        if small:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid)
        # Not in the caller's task: the ticker goes on with the live count meanwhile.
        self.server.start_background_task(self._send_in_slices, key)
        return None

    def _count(self, namespace, room) -> int:
        return sum(1 for _ in self.get_participants(namespace, room))

    def _send_in_slices(self, key: tuple) -> None:
        namespace, _, event = key
        try:
            while True:
                with self._lock:
                    if key not in self._latest:
                        self._sending.discard(key)
                        return
                    data, room, skip_sid = self._latest.pop(key)
                    queued_at = self._queued_at.pop(key, None)
                sids = [sid for sid, _ in self.get_participants(namespace, room)]
                for start in range(0, len(sids), SLICE):
                    if start:
                        self.server.sleep(SLICE_PAUSE)  # ballots that came in meanwhile go first
                    super().emit(
                        event, data, namespace, room=sids[start : start + SLICE], skip_sid=skip_sid
                    )
                if queued_at is not None and metrics.METRICS.enabled:
                    metrics.METRICS.fanout_lag(event, time.monotonic() - queued_at)
        except Exception:
            # Give the kind up for this round of messages, never for good: the next one
            # starts a new sender.
            log.exception("Could not send %s to every screen", event)
            with self._lock:
                self._sending.discard(key)
                self._latest.pop(key, None)
                self._queued_at.pop(key, None)


class PacedRedisFanOut(socketio.RedisManager, PacedFanOut):
    """Redis relays the message to every process; each sends it to its own phones in slices
    (``RedisManager`` hands the local send to ``Manager.emit``, which is ours here)."""


def client_manager(message_queue: str, channel: str) -> socketio.Manager:
    if message_queue:
        return PacedRedisFanOut(message_queue, channel=channel)
    return PacedFanOut()
