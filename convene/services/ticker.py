"""Everything sent to many screens on a timer rather than per change: coalesced.

- **Presence**: a connection or disconnection only marks its convening; who is connected is
  sent at most once a second. (Sent per connection, N phones joining would cost about N²/2
  messages: 500,000 at 1,000 phones, measured in bench/live_round.py.)
- **Live rounds**: a ballot only marks its round dirty; the round is recounted from the
  stored ballots, grouped by content, at most every 250 ms and the count sent to the
  projector and the facilitators (a secret round's count only when at least k sealed
  ballots were opened together, see convene/services/rounds/ballots.py: open_sealed_batch);
  turnout goes to them at most once a second, and to the phones at most once a second too,
  less often above 1,000 phones (see :func:`phones_turnout_interval`).
- **Deadlines**: rounds whose deadline passed are closed (checked once a second).

One ticker (a background task) per process, see convene/realtime/ticker.py. With several
processes, each marks what its own connections and ballots touched; a short lock per key
(Redis SET NX PX) lets one process publish it per interval, so screens get one stream.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Protocol

from convene.domain.errors import DomainError
from convene.domain.rounds import RoundState
from convene.monitoring import metrics
from convene.services.presence import presence_views

log = logging.getLogger(__name__)

TALLY_INTERVAL = 0.25
MIN_GAP = 0.05
TURNOUT_INTERVAL = 1.0
#: What only facilitators get of a named round's turnout (rounds.turnout): who has not voted.
STAFF_ONLY_TURNOUT = frozenset({"not_voted", "not_voted_count"})
#: Turnout messages to phones, per second, for one convening (all processes together).
PHONES_TURNOUT_PER_SECOND = 1000
PRESENCE_INTERVAL = 1.0
DEADLINE_INTERVAL = 1.0


def phones_turnout_interval(present: int) -> float:
    """Seconds between turnout messages to the phones: once a second up to 1,000 phones,
    then less often, so the fan-out stays at about 1,000 messages a second (each costs the
    event loop ~0.1 ms: 4,000 phones every second would take 40% of a core)."""
    return max(TURNOUT_INTERVAL, present / PHONES_TURNOUT_PER_SECOND)


class PublishLock(Protocol):
    def acquire(self, key: str, seconds: float) -> bool: ...


class LocalLock:
    """One process: it always publishes."""

    def acquire(self, key: str, seconds: float) -> bool:
        return True


class RedisLock:
    """Several processes: the first to take a key for one interval publishes it."""

    def __init__(self, redis_client, prefix: str) -> None:
        self._redis = redis_client
        self._prefix = prefix

    def acquire(self, key: str, seconds: float) -> bool:
        name = f"{self._prefix}:publish-lock:{key}"
        return bool(self._redis.set(name, "1", nx=True, px=int(seconds * 1000)))


class RoundFeed(Protocol):
    """What the ticker reads and does to rounds: convene/services/rounds/, given to it by
    convene/bootstrap.py (so neither the services nor the ticker import the other)."""

    def current_round(self, session, svc, round_id: int): ...

    def turnout(self, session, svc, round_, *, staff: bool) -> dict: ...

    def live_tally(self, session, round_) -> dict | None: ...

    def sealed_waiting(self, session, round_id: int) -> int: ...

    def open_sealed_batch(self, svc, round_id: int) -> dict | None: ...

    def due_for_closing(self, svc, now) -> list[tuple[int, int]]: ...

    def close_round(self, svc, actor, *, round_id: object, convening_id=None) -> dict: ...


class LiveTicker:
    def __init__(
        self, services, lock: PublishLock | None = None, *, rounds: RoundFeed | None = None
    ) -> None:
        self.services = services
        self.lock = lock or LocalLock()
        self.rounds = rounds
        self._dirty: dict[int, int] = {}  # round id → convening id
        # per round: when turnout last went to the screens / the phones, and which still
        # owe the latest
        self._last_turnout: dict[int, dict[str, float]] = {}
        self._turnout_owed: dict[int, set[str]] = {}
        self._owing: dict[int, int] = {}  # round id → convening id, for rounds owing turnout
        self._presence_dirty: set[int] = set()  # convening ids
        self._uncounted_since: dict[int, float] = {}  # round id → its first uncounted ballot
        self._last_presence: dict[int, float] = {}
        self._mutex = threading.Lock()
        self._finished = threading.Event()
        self._last_deadline_check = float("-inf")
        self._shred_owed = False

    def mark(self, convening_id: int, round_id: int) -> None:
        with self._mutex:
            self._dirty[round_id] = convening_id
            self._uncounted_since.setdefault(round_id, time.monotonic())
        if self.collector is not None:
            self.collector.voting()
        self.ensure_running()

    def shred_soon(self) -> None:
        """A secret round closed: wipe what the database's files still hold of its sealed
        ballots (convene/store/database.py: shred), now if nothing is reading, else at a
        later turn."""
        from convene.store.database import shred

        try:
            done = shred(self.services.session_factory.kw["bind"])
        except Exception:
            log.exception("Could not wipe the sealed ballots' traces; trying again")
            done = False
        self._shred_owed = not done
        if not done:
            self.ensure_running()

    def mark_presence(self, convening_id: int) -> None:
        """Someone connected or disconnected: send who is connected at the next turn."""
        with self._mutex:
            self._presence_dirty.add(convening_id)
        self.ensure_running()

    # -- the background loop (started by the realtime layer, on first use) ----------------

    starter = None  # set by convene/realtime/ticker.py: starts `run` as a background task
    collector = None  # set there too: keeps full garbage collections out of live votes
    sleep = staticmethod(time.sleep)
    _running = False
    _stopped = False

    def ensure_running(self) -> None:
        if self.starter is None or self._running or self._stopped:
            return
        with self._mutex:
            if self._running:
                return
            self._running = True
            self._finished.clear()
        self.starter(self.run)

    def run(self) -> None:
        # Turns start every TALLY_INTERVAL, however long the last one took (a busy server's
        # turn can take a few hundred ms, and the count's delay on the projector is about
        # two turns), but never less than MIN_GAP apart.
        next_turn = time.monotonic()
        try:
            while not self._stopped:
                next_turn = max(next_turn + TALLY_INTERVAL, time.monotonic() + MIN_GAP)
                # Never a negative sleep: a thread descheduled for more than MIN_GAP between
                # these two lines (a loaded machine) got one, time.sleep raised, and the
                # ticker died for good: no more presence, live counts or deadlines.
                self.sleep(max(0.0, next_turn - time.monotonic()))
                if self._stopped:
                    break
                try:
                    self.tick()
                except Exception:
                    log.exception("The live-round ticker failed; it goes on")
        finally:
            with self._mutex:  # a loop that ended for any reason starts again on next use
                self._running = False
                self._finished.set()  # with the flag: a restart's clear() comes after this

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop and wait until it has let go of its database connection."""
        self._stopped = True
        if self._running:
            self._finished.wait(timeout)

    def tick(self, now: float | None = None) -> None:
        """Publish what changed since the last tick (and close rounds past their deadline)."""
        round_service = self.rounds
        now = time.monotonic() if now is None else now
        if self.collector is not None:
            self.collector.tick()
        with self._mutex:
            changed, self._dirty = self._dirty, {}
        self._publish_presence(now)
        # Rounds whose ballots changed (recount), and rounds that still owe turnout to phones.
        rounds, self._owing = {**self._owing, **changed}, {}
        again: dict[int, int] = {}
        for round_id, convening_id in rounds.items():
            recount = round_id in changed
            if recount and not self.lock.acquire(f"round:{round_id}", TALLY_INTERVAL):
                again[round_id] = convening_id  # another process counts this interval
                continue
            try:
                if not self._publish(round_service, round_id, convening_id, now, recount):
                    self._owing[round_id] = convening_id
                if recount:
                    self._counted(round_id)
            except Exception:  # one broken round must not stop the others
                log.exception("Could not publish the live count of round %s", round_id)
        if again:
            with self._mutex:
                for round_id, convening_id in again.items():
                    self._dirty.setdefault(round_id, convening_id)
        if now - self._last_deadline_check >= DEADLINE_INTERVAL:
            self._last_deadline_check = now
            self._close_due(round_service)
        if self._shred_owed:
            self.shred_soon()

    def _counted(self, round_id: int) -> None:
        with self._mutex:
            since = self._uncounted_since.pop(round_id, None)
        if since is not None and metrics.METRICS.enabled:
            metrics.METRICS.live_count_lag(time.monotonic() - since)

    def _publish(
        self, round_service, round_id: int, convening_id: int, now: float, recount: bool
    ) -> bool:
        """Send the count (if ``recount``) and the turnout that is due; False while turnout
        is still owed to someone (rate-limited): the round comes back next tick."""
        services = self.services
        tally = open_batch = None
        with services.read() as session:
            round_ = round_service.current_round(session, services, round_id)
            if round_ is None:
                return True
            staff_turnout = round_service.turnout(session, services, round_, staff=True)
            sealed = round_.secret and round_.state is RoundState.OPEN
            if recount and not sealed:
                tally = round_service.live_tally(session, round_)
            elif recount and round_.live_results:
                # A secret round's count moves only when k or more sealed ballots are opened
                # together (see round_service.open_sealed_batch); turnout moves one by one.
                waiting = round_service.sealed_waiting(session, round_id)
                open_batch = waiting >= 2 * services.anonymity
        if open_batch:
            tally = round_service.open_sealed_batch(services, round_id)
        if tally is not None:
            services.publisher.live(convening_id, "round.tally", tally, audience="screens")
        closed = round_.state is RoundState.CLOSED
        public = {k: v for k, v in staff_turnout.items() if k not in STAFF_ONLY_TURNOUT}
        owed = self._turnout_owed.setdefault(round_id, set())
        if recount:
            owed |= {"screens", "phones"}
        if self._turnout_due(round_id, "screens", now, TURNOUT_INTERVAL, closed):
            services.publisher.live(convening_id, "round.turnout", staff_turnout, audience="staff")
            services.publisher.live(convening_id, "round.turnout", public, audience="projector")
        interval = phones_turnout_interval(public["present"])
        if self._turnout_due(round_id, "phones", now, interval, closed):
            services.publisher.live(convening_id, "round.turnout", public, audience="public")
        if owed:
            return False
        del self._turnout_owed[round_id]
        if closed:
            self._last_turnout.pop(round_id, None)
        return True

    def _turnout_due(
        self, round_id: int, audience: str, now: float, interval: float, closed: bool
    ) -> bool:
        """Whether to send the owed turnout to ``audience`` now (and count it as sent): at
        most once per ``interval`` from this process, and from one process of several (a
        lock per audience); the close goes out at once."""
        owed = self._turnout_owed[round_id]
        if audience not in owed:
            return False
        last = self._last_turnout.setdefault(round_id, {})
        if not closed and now - last.get(audience, float("-inf")) < interval:
            return False
        if not closed and not self.lock.acquire(f"turnout:{audience}:{round_id}", interval):
            return False  # another process sent it this interval; ours stays owed
        owed.discard(audience)
        last[audience] = now
        return True

    def _publish_presence(self, now: float) -> None:
        with self._mutex:
            due = {
                c
                for c in self._presence_dirty
                if now - self._last_presence.get(c, float("-inf")) >= PRESENCE_INTERVAL
            }
            self._presence_dirty -= due
        for convening_id in due:
            if not self.lock.acquire(f"presence:{convening_id}", PRESENCE_INTERVAL):
                with self._mutex:  # another process sends it this interval; try again next
                    self._presence_dirty.add(convening_id)
                continue
            self._last_presence[convening_id] = now
            staff, public = presence_views(self.services.presence.connected(convening_id))
            self.services.publisher.presence(convening_id, staff, public)

    def _close_due(self, round_service) -> None:
        services = self.services
        for convening_id, round_id in round_service.due_for_closing(services, services.clock()):
            with contextlib.suppress(DomainError):  # closed by someone else meanwhile
                round_service.close_round(
                    services, None, round_id=round_id, convening_id=convening_id
                )
