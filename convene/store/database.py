"""Engines and sessions for SQLite (default, WAL) and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from convene.store.orm import start_mappers


def make_engine(
    url: str, *, sqlite_synchronous: str = "FULL", pool_size: int = 20, echo: bool = False
) -> Engine:
    """Create an engine for ``url``.

    SQLite: WAL journal (readers never block the writer), foreign keys on, and write
    transactions opened with ``BEGIN IMMEDIATE`` so two writers queue instead of failing
    with "database is locked" halfway through. ``sqlite_synchronous`` is FULL by default
    (an acknowledged command survives a power cut); NORMAL survives a process crash only.
    """
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        # One process serves hundreds of phones at once on one event loop: a ballot holds
        # its connection for a few round trips, each as long as the loop takes to come
        # back to it. SQLAlchemy's default (5 + 10 overflow) left ballots queueing for a
        # connection at 2,000 phones per process (bench/live_round.py).
        return create_engine(
            url, echo=echo, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size
        )

    if sqlite_synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(
            f"SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA, not {sqlite_synchronous!r}"
        )
    engine = create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling is not enough).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous.upper()}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows (sealed ballots once opened) are overwritten with zeros, not left in
        # free space.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("convene_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    start_mappers()
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def begin_write(session: Session) -> None:
    """Open the session's transaction as a writer (SQLite: BEGIN IMMEDIATE)."""
    session.connection(execution_options={"convene_write": True})


def single_read(session: Session) -> Connection:
    """A connection for one query that needs no transaction around it (PostgreSQL:
    autocommit, which saves the BEGIN and ROLLBACK round trips)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session.connection()


def begin_consistent_read(session: Session) -> None:
    """Open a transaction that sees one consistent state across several queries."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        session.connection()  # SQLite in WAL: a read transaction is already a snapshot


def insert_or_ignore(table: Table, dialect: str):
    """``INSERT ... ON CONFLICT DO NOTHING`` for ``dialect``; its rowcount says if a row went in."""
    module = {"sqlite": sqlite, "postgresql": postgresql}[dialect]
    # SQLAlchemy keeps an INSERT's rowcount only when asked (psycopg reports -1 otherwise).
    return module.insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)


def shred(engine: Engine) -> bool:
    """After a secret round closed: leave no copy of what was deleted in the database's own
    files. SQLite: checkpoint the write-ahead log and truncate it to nothing (its frames
    hold earlier versions of the pages: who voted with which sealed ballot, in commit
    order); deleted rows are already zeroed (``secure_delete``). PostgreSQL: VACUUM the
    ballot tables so the dead row versions go (the WAL, archived WAL and base backups still
    hold them: see docs/rounds.md). False when it must be tried again (SQLite: a reader
    still uses the log; it never waits for one)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            cursor = raw.cursor()
            try:
                cursor.execute("PRAGMA busy_timeout=0")
                busy, _, _ = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()
        return busy == 0
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM sealed_ballots, ballots")
    return True
