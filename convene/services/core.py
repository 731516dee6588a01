"""The application service: transactions, the event log, and publishing after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, sessionmaker

from convene.domain.convening import Actor, Convening, Member, Role, hash_token
from convene.domain.errors import N_, InvalidInput, NotAuthenticated, NotFound
from convene.domain.events import DomainEvent
from convene.domain.floor import SignalLimiter
from convene.domain.ids import is_whole
from convene.domain.rounds import Round
from convene.services.presence import LocalPresence, Presence
from convene.services.ratelimits import RateLimits
from convene.services.sealing import ANONYMITY, Credentials, Sealer
from convene.store import eventlog, tables
from convene.store.database import begin_consistent_read, begin_write, single_read
from convene.store.eventlog import LoggedEvent

TOKEN_MAX = 200
OPEN_ROUNDS_MAX = 1000


class Publisher(Protocol):
    """Sends committed events to the screens of a convening (see convene/realtime)."""

    def publish(self, events: list[LoggedEvent]) -> None: ...

    def presence(self, convening_id: int, staff: dict, public: dict) -> None: ...

    def member_removed(self, member_id: int) -> None: ...

    def member_revoked(self, member_id: int) -> None:
        """The member's link was replaced (a badge reissued): their screens are told so and
        disconnected; the new link or code works."""

    def signal(self, convening_id: int, data: dict) -> None: ...

    def live(self, convening_id: int, name: str, data: dict, *, audience: str) -> None:
        """An ephemeral message (no seq): ``audience`` is staff, public, projector or screens
        (staff and projector)."""


class NullPublisher:
    """For scripts and tests that do not watch the live stream."""

    def publish(self, events: list[LoggedEvent]) -> None:
        pass

    def presence(self, convening_id: int, staff: dict, public: dict) -> None:
        pass

    def member_removed(self, member_id: int) -> None:
        pass

    def member_revoked(self, member_id: int) -> None:
        pass

    def signal(self, convening_id: int, data: dict) -> None:
        pass

    def live(self, convening_id: int, name: str, data: dict, *, audience: str) -> None:
        pass


class Ticker(Protocol):
    """What the commands and the sockets tell the live ticker (convene/services/ticker.py),
    which the services are wired with (convene/bootstrap.py)."""

    def mark(self, convening_id: int, round_id: int) -> None:
        """A round's ballots or state changed: recount and send its turnout soon."""

    def shred_soon(self) -> None:
        """A secret round closed: wipe what the database files keep of its sealed ballots."""

    def mark_presence(self, convening_id: int) -> None:
        """Someone connected or disconnected: send who is connected soon."""

    def stop(self, timeout: float = 5.0) -> None: ...


class NullTicker:
    """For services built without their wiring (convene/bootstrap.py builds the real one)."""

    def mark(self, convening_id: int, round_id: int) -> None:
        pass

    def shred_soon(self) -> None:
        pass

    def mark_presence(self, convening_id: int) -> None:
        pass

    def stop(self, timeout: float = 5.0) -> None:
        pass


class BallotOptions(Protocol):
    """What a round may put on its ballot besides plain labels: a demand or an amendment,
    each checked and named by the demands (convene/services/demands/handlers.py provides it,
    convene/bootstrap.py wires it), so the rounds do not import the demands. Each returns
    ``(id, label)`` or raises the domain error that refuses it."""

    def demand(
        self, uow: UnitOfWork, convening: Convening, demand_id: int, *, again: bool = False
    ) -> tuple[int, str]:
        """A demand that may go to a vote now (``again``: the follow-up of a blocked consent
        round on it), labelled by its title."""

    def amendment(
        self, uow: UnitOfWork, convening: Convening, amendment_id: int
    ) -> tuple[int, str]:
        """A pending amendment that may go to a vote, labelled in the convening's language."""


class NoBallotOptions:
    """For services built without their wiring: only labels go on a ballot."""

    def demand(self, uow, convening, demand_id: int, *, again: bool = False) -> tuple[int, str]:
        raise NotFound(N_("There is no demand %(id)s in this convening."), id=demand_id)

    def amendment(self, uow, convening, amendment_id: int) -> tuple[int, str]:
        raise NotFound(N_("There is no amendment %(id)s in this convening."), id=amendment_id)


def utcnow() -> datetime:
    return datetime.now(UTC)


#: ``handler(uow, convening, actor, event)``: the events it caused (recorded after the
#: command's own, by the same actor; ``actor`` is None when no person acted: a deadline).
Handler = Callable[["UnitOfWork", Convening, "Actor | None", DomainEvent], list[DomainEvent]]


class Handlers:
    """What one aggregate's events make happen to another, by event type, run inside the
    command's transaction.

    A command records its own events (:meth:`UnitOfWork.record`); the handlers registered
    for their types then run in the same transaction, before the commit and before anything
    is published, and the events they return are recorded after them (and handled in turn).
    So "a round decided a demand" is a handler that the demands side registers for
    ``round.closed``, not a call from the rounds into the demands: a new consequence is a
    new handler. A handler that raises rolls the whole command back (nothing is written,
    nothing published). Which handlers run is wired with the services (convene/bootstrap.py).
    """

    def __init__(self) -> None:
        self._by_type: dict[str, list[Handler]] = {}

    def on(self, event_type: str, handler: Handler) -> None:
        self._by_type.setdefault(event_type, []).append(handler)

    def handled(self) -> frozenset[str]:
        """The event types that have a handler."""
        return frozenset(self._by_type)

    def run(
        self, uow: UnitOfWork, convening: Convening, actor: Actor | None, events: list[DomainEvent]
    ) -> list[DomainEvent]:
        """The events that ``events``' handlers caused, in the order of ``events``."""
        caused: list[DomainEvent] = []
        for event in events:
            for handler in self._by_type.get(event.type, ()):
                caused += handler(uow, convening, actor, event)
        return caused


class UnitOfWork:
    """One command's transaction. Rolls back unless :meth:`commit` ran; publishes after commit."""

    def __init__(
        self,
        session: Session,
        publisher: Publisher,
        now: datetime,
        handlers: Handlers | None = None,
    ) -> None:
        self.session = session
        self.now = now
        self._publisher = publisher
        self._handlers = handlers or Handlers()
        self._logged: list[LoggedEvent] = []
        self._after_commit: list[Callable[[], None]] = []

    def convening(self, convening_id: int) -> Convening:
        """The convening, locked for this transaction (PostgreSQL: FOR UPDATE)."""
        convening = self.session.execute(
            select(Convening).where(tables.convenings.c.id == convening_id).with_for_update()
        ).scalar_one_or_none()
        if convening is None:
            raise NotFound(N_("There is no convening with that code."))
        return convening

    def record(self, convening: Convening, actor: Actor | None, events: list[DomainEvent]) -> None:
        """Append ``events`` to the convening's log, then what their handlers cause
        (convene/services/core.py: Handlers), in this transaction."""
        actor_id = actor.member_id if actor else None
        self._logged += eventlog.append(self.session, convening.id, actor_id, events, self.now)
        caused = self._handlers.run(self, convening, actor, events)
        if caused:
            self.record(convening, actor, caused)

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def commit(self) -> list[LoggedEvent]:
        self.session.commit()
        logged, self._logged = self._logged, []
        self._publisher.publish(logged)
        for callback in self._after_commit:
            callback()
        self._after_commit.clear()
        return logged


_TOKEN_HOLDER = (
    select(
        tables.members.c.id,
        tables.members.c.convening_id,
        tables.members.c.role,
        tables.members.c.name,
        tables.members.c.removed_at,
        tables.convenings.c.code,
    )
    .join(tables.convenings, tables.convenings.c.id == tables.members.c.convening_id)
    .where(tables.members.c.token_hash == bindparam("token_hash"))
)


class Services:
    """Everything a command needs: sessions, the publisher, presence, and the clock."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        publisher: Publisher | None = None,
        presence: Presence | None = None,
        clock: Callable[[], datetime] = utcnow,
        languages: tuple[str, ...] = ("en",),
        ballot_secret: str | bytes | None = None,
        ballot_secret_fallbacks: tuple = (),
        limits: RateLimits | None = None,
    ) -> None:
        self.session_factory = session_factory
        #: the interface languages offered (config LANGUAGES): a convening may pick one
        self.languages = tuple(languages)
        # Fair limits on addresses, tokens, connections and people (none unless configured).
        self.limits = limits or RateLimits({})
        self.publisher: Publisher = publisher or NullPublisher()
        self.presence: Presence = presence or LocalPresence()
        self.clock = clock
        # Per process: a signal is a mood, so a flood spread over several processes is
        # harmless; it only needs to stop one phone from drowning the projector.
        self.signal_limiter = SignalLimiter()
        # A person may send a few ballots a second (changing their mind), not a flood.
        self.ballot_limiter = SignalLimiter(rate=2.0, burst=5)
        # Wired by convene/bootstrap.py: the live ticker, the handlers that carry one
        # aggregate's events to another inside each command's transaction, and what the
        # demands let a round put on its ballot.
        self.ticker: Ticker = NullTicker()
        self.handlers = Handlers()
        self.ballot_options: BallotOptions = NoBallotOptions()
        # Secret ballots are sealed with keys from the application's secret (never stored in
        # the database) and opened only k voters at a time (convene/services/sealing.py).
        self.sealer = Sealer(ballot_secret, ballot_secret_fallbacks)
        # Roster credentials (personal links, badge codes) are sealed with keys from the same
        # secret, so the badges can be printed again (convene/services/sealing.py).
        self.credentials = Credentials(ballot_secret, ballot_secret_fallbacks)
        self.anonymity = ANONYMITY
        # Open rounds as last read (round id → Round, detached). Nothing but its state
        # changes once a round is open, so ballots and the live count read only the state
        # and take the rest (method, options, settings) from here.
        self.open_rounds: dict[int, Round] = {}

    def remember_open_round(self, round_: Round) -> None:
        if len(self.open_rounds) >= OPEN_ROUNDS_MAX:  # only open rounds matter: start afresh
            self.open_rounds.clear()
        self.open_rounds[round_.id] = round_

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        with self.session_factory() as session:
            begin_write(session)
            uow = UnitOfWork(session, self.publisher, self.clock(), self.handlers)
            try:
                yield uow
            finally:
                if session.in_transaction():
                    session.rollback()

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the read transaction without expiring what was
        # loaded, so callers may use the objects after the block.
        with self.session_factory() as session:
            begin_consistent_read(session)
            yield session

    # -- who is asking ---------------------------------------------------------------------

    def authenticate(self, token: object, code: str | None = None) -> Actor:
        """The actor holding ``token``; with ``code``, the token must belong to that convening.

        Raises NotAuthenticated for a missing, unknown or removed token, NotFound when the
        token belongs to another convening than ``code``.
        """
        if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
            raise NotAuthenticated(N_("A valid access token is needed."))
        # Every command of every screen asks this: one indexed Core query, no ORM objects.
        with self.session_factory() as session:
            row = (
                single_read(session)
                .execute(_TOKEN_HOLDER, {"token_hash": hash_token(token)})
                .one_or_none()
            )
        if row is None or row.removed_at is not None or row.role == Role.CHAPTER:
            raise NotAuthenticated(N_("This access link is not valid (any more)."))
        if code is not None and row.code != code:
            raise NotFound(N_("There is no convening with that code."))
        return Actor(row.id, row.convening_id, Role(row.role), row.name)

    def code_of(self, actor: Actor) -> str:
        with self.read() as session:
            return session.execute(
                select(tables.convenings.c.code).where(tables.convenings.c.id == actor.convening_id)
            ).scalar_one()


def convening_id_for_code(session: Session, code: str) -> int:
    convening_id = session.execute(
        select(tables.convenings.c.id).where(tables.convenings.c.code == code)
    ).scalar_one_or_none()
    if convening_id is None:
        raise NotFound(N_("There is no convening with that code."))
    return convening_id


def count_participants(session: Session, convening_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(tables.members)
        .where(
            tables.members.c.convening_id == convening_id,
            tables.members.c.role == Role.PARTICIPANT,
            tables.members.c.removed_at.is_(None),
        )
    ).scalar_one()


def active_members(session: Session, convening_id: int) -> list[Member]:
    return list(
        session.execute(
            select(Member)
            .where(
                tables.members.c.convening_id == convening_id,
                tables.members.c.removed_at.is_(None),
            )
            .order_by(tables.members.c.id)
        ).scalars()
    )


def parse_after_page(after: object, limit: object, most: int) -> tuple[int, int]:
    """``(after, limit)`` of a read paged by id: ``after`` a whole number in the id columns'
    range (0: from the start), ``limit`` 1 to ``most``. The commands' schemas check the same
    (convene/services/schemas.py); this holds for a service called directly."""
    if not is_whole(after):
        raise InvalidInput(N_("after must be a whole number, 0 or more."), field="after")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= most:
        raise InvalidInput(
            N_("limit must be a whole number from 1 to %(max)d."), field="limit", max=most
        )
    return after, limit
