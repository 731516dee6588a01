"""Attacks on secret ballots by someone holding the database's files, its log or a backup.

Each attack returns, for every ballot row it can see, the set of voters it could belong to
(None: nothing points to anyone, so any voter of the round). The attacks know nothing of
Convene's mechanism: they follow only what the storage engine leaves behind.

- ``SqliteHistory``: states of the database after each commit, diffed one after the other.
  From copies of the database and its -wal file between commits (a backup every moment),
  or by replaying one copy of the write-ahead log frame by frame (``wal_states``).
- ``postgres_xid_links``: the transaction ids stamped on every row version of every table
  (live and dead: ``pageinspect`` reads the pages as a copy of the files would), and the
  physical order of the rows.

Information flow: a row written by a commit may carry what any voter marked in that commit
supplied, and whatever the rows it deleted or replaced carried.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
from pathlib import Path

from sqlalchemy import text

VOTERS = "round_voters"


def read_tables(path: Path) -> dict[str, set[tuple]]:
    """Every row of every table of a SQLite file (opened on a private copy)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copyfile(path, copy)
        wal = Path(str(path) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
        connection = sqlite3.connect(copy)
        try:
            names = [
                n
                for (n,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {n: set(connection.execute(f'SELECT * FROM "{n}"')) for n in names}  # noqa: S608
        finally:
            connection.close()


class SqliteHistory:
    """Committed states in order; who each row of each table may belong to."""

    def __init__(self) -> None:
        self.states: list[dict[str, set[tuple]]] = []

    def add(self, state: dict[str, set[tuple]]) -> None:
        if not self.states or state != self.states[-1]:
            self.states.append(state)

    def owners(self, voter_member: int = 1) -> dict[tuple[str, tuple], frozenset | None]:
        """(table, row) → the voters it may carry, for the rows of the last state.
        ``voter_member``: index of the member id in a round_voters row."""
        owner: dict[tuple[str, tuple], frozenset | None] = {}
        previous: dict[str, set[tuple]] = {}
        for state in self.states:
            before_voters = previous.get(VOTERS, set())
            marked = {row[voter_member] for row in state.get(VOTERS, set()) - before_voters}
            removed = [
                (name, row)
                for name, rows in previous.items()
                if name != VOTERS
                for row in rows - state.get(name, set())
            ]
            carried: set | None = set(marked)
            for key in removed:
                if owner.get(key) is None and key in owner:
                    carried = None  # it carried anybody's: so may this
                    break
                carried |= owner.get(key) or set()
            for name, rows in state.items():
                if name == VOTERS:
                    continue
                for row in rows - previous.get(name, set()):
                    owner[(name, row)] = None if not carried else frozenset(carried)
            previous = state
        return owner


def wal_states(database: Path, wal: Path) -> list[dict[str, set[tuple]]]:
    """Replay a copy of the write-ahead log frame by frame over a copy of the database
    file: the state after every commit the log still holds."""
    data = wal.read_bytes()
    if len(data) < 32:
        return []
    magic, _, page_size, _, salt1, salt2 = struct.unpack(">IIIIII", data[:24])
    assert magic in (0x377F0682, 0x377F0683), "not a SQLite WAL"
    image = bytearray(database.read_bytes())
    states = []
    offset = 32
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "replayed.db"
        while offset + 24 + page_size <= len(data):
            page, commit, s1, s2 = struct.unpack(">IIII", data[offset : offset + 16])
            if (s1, s2) != (salt1, salt2):
                break  # a frame of an earlier generation of the log
            body = data[offset + 24 : offset + 24 + page_size]
            start = (page - 1) * page_size
            if len(image) < start + page_size:
                image.extend(b"\0" * (start + page_size - len(image)))
            image[start : start + page_size] = body
            offset += 24 + page_size
            if commit:
                del image[commit * page_size :]
                target.write_bytes(bytes(image))
                states.append(read_tables(target))
    return states


def attributions(owner: dict, ballot_rows: dict, voters: set[int]) -> dict:
    """Ballot row → the voters it can be attributed to (any voter when nothing points)."""
    return {
        key: set(voters) if owner.get(key) is None else set(owner[key]) & voters
        for key in ballot_rows
    }


# -- PostgreSQL ------------------------------------------------------------------------------

LOCK_ONLY = 0x0080
XMAX_INVALID = 0x0800
XMAX_MULTI = 0x1000


def postgres_row_versions(connection, table: str) -> list[tuple]:
    """(ctid, xmin, xmax) of every row version in the table's pages, live or dead; xmax 0
    when nothing deleted or replaced it (a lock is not a change)."""
    blocks = connection.execute(
        text("SELECT pg_relation_size(CAST(:t AS regclass)) / current_setting('block_size')::int"),
        {"t": table},
    ).scalar_one()
    versions = []
    for block in range(blocks):
        for lp, xmin, xmax, mask in connection.execute(
            text(
                "SELECT lp, t_xmin, t_xmax, t_infomask "
                "FROM heap_page_items(get_raw_page(:t, :b)) WHERE t_xmin IS NOT NULL"
            ),
            {"t": table, "b": block},
        ):
            changed = xmax and not mask & (LOCK_ONLY | XMAX_INVALID | XMAX_MULTI)
            versions.append(((block, lp), int(xmin), int(xmax) if changed else 0))
    return versions


def postgres_xid_links(connection, tables: list[str]) -> dict[int, frozenset | None]:
    """Transaction id → the voters (member ids) whose data it may carry: those it marked as
    having voted, and those carried by the row versions it deleted or replaced."""
    versions = {t: postgres_row_versions(connection, t) for t in tables}
    live = {
        (int(b), int(lp)): int(member)
        for b, lp, member in connection.execute(
            text(
                "SELECT (ctid::text::point)[0], (ctid::text::point)[1], member_id FROM round_voters"
            )
        )
    }
    marked: dict[int, set[int]] = {}
    for ctid, xmin, _ in versions[VOTERS]:
        if ctid in live:
            marked.setdefault(xmin, set()).add(live[ctid])
    consumed: dict[int, list[int]] = {}  # xid → xmins of the row versions it changed
    for name, rows in versions.items():
        if name == VOTERS:
            continue
        for _, xmin, xmax in rows:
            if xmax:
                consumed.setdefault(xmax, []).append(xmin)
    owners: dict[int, frozenset | None] = {}

    def of(xid: int, seen: frozenset = frozenset()) -> frozenset | None:
        if xid in owners:
            return owners[xid]
        carried: set | None = set(marked.get(xid, ()))
        for source in consumed.get(xid, ()):
            if source in seen or source == xid:
                continue
            found = of(source, seen | {xid})
            if found is None:
                carried = None
                break
            carried |= found
        owners[xid] = None if not carried else frozenset(carried)
        return owners[xid]

    every = {xmin for rows in versions.values() for _, xmin, _ in rows}
    for xid in sorted(every):
        of(xid)
    return owners
