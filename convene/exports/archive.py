"""A whole convening as one JSON file, to move it between installations.

``python -m convene export CODE > file.json`` writes every row that belongs to the convening
(the event log with its seq, members with their token hashes, the agenda, floor requests,
demands with versions, amendments, supports and agreements, rounds with options, voters and
ballots, action items, minutes notes and versions). ``python -m convene import file.json``
reads it into this installation's database in one transaction, with new row ids.

Secret ballots stay secret: voters and ballots are two separate lists with nothing linking
them, and ballots are listed in receipt order (random), never in the order they came in.

Ids inside event payloads and stored minutes documents are the exporting installation's
(they are the record as it was written); every foreign key column is mapped to the new ids,
and so are the option ids inside ballots and stored round results (so a moved round is
shown, exported and re-counted as before: the tie rule does not depend on ids).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import Connection, Date, Engine, Enum, insert, select, update
from sqlalchemy.exc import DBAPIError

from convene.domain.rounds import remap_ballot, remap_result
from convene.store import tables
from convene.store.tables import UTCDateTime

FORMAT = "convene-archive"
VERSION = 1


class ArchiveError(ValueError):
    """A file that is not a Convene archive, is damaged, or cannot be imported; one line."""


# table name → (table, {column: referenced table}) in the order rows are written
REFS: dict[str, dict[str, str]] = {
    "convenings": {},
    "members": {"convening_id": "convenings", "carried_by_id": "members"},
    "agenda_items": {"convening_id": "convenings"},
    "floor_requests": {
        "convening_id": "convenings",
        "item_id": "agenda_items",
        "member_id": "members",
    },
    "demands": {
        "convening_id": "convenings",
        "item_id": "agenda_items",
        "author_id": "members",
        "merged_into_id": "demands",
    },
    "amendments": {
        "convening_id": "convenings",
        "demand_id": "demands",
        "author_id": "members",
        "decided_by": "members",
    },
    "demand_versions": {
        "demand_id": "demands",
        "author_id": "members",
        "amendment_id": "amendments",
    },
    "demand_supports": {"demand_id": "demands", "member_id": "members"},
    "demand_agreements": {"demand_id": "demands", "member_id": "members"},
    # before the rounds: a voter's mark names the seat they voted in
    "roster_entries": {
        "convening_id": "convenings",
        "member_id": "members",
        "checked_in_by": "members",
        "seat_of": "roster_entries",
    },
    "rounds": {
        "convening_id": "convenings",
        "agenda_item_id": "agenda_items",
        "follows_round_id": "rounds",
    },
    "round_options": {"round_id": "rounds", "demand_id": "demands", "amendment_id": "amendments"},
    "round_voters": {"round_id": "rounds", "member_id": "members", "seat_id": "roster_entries"},
    "ballots": {"round_id": "rounds", "member_id": "members"},
    "action_items": {
        "convening_id": "convenings",
        "agenda_item_id": "agenda_items",
        "author_id": "members",
    },
    "minutes_notes": {"convening_id": "convenings", "agenda_item_id": "agenda_items"},
    "minutes_versions": {"convening_id": "convenings", "approved_by_id": "members"},
    "events": {"convening_id": "convenings", "actor_id": "members"},
}
#: Columns that point at a row of the same table: written as NULL, then set once all exist.
SELF_REFS = {
    ("members", "carried_by_id"),
    ("demands", "merged_into_id"),
    ("rounds", "follows_round_id"),
    ("roster_entries", "seat_of"),
}
NOT_ARCHIVED = {"seal"}
#: Columns added since the archive format began: an older archive's rows lack them (NULL).
ADDED_LATER = {
    "rounds": {"tie_break", "lots", "pending_lot", "settled_at"},
    # Roster credentials (migration 0016). An entry's link works after a move (its hash is
    # kept as members' tokens are); its badge code and the sealed pair need the same
    # SECRET_KEY (or it in SECRET_KEY_FALLBACKS) on the new installation, else reissue.
    "roster_entries": {"link_hash", "code_tag", "credential", "issued_at", "member_id"},
    # Paper ballots (migration 0017): an older archive's voters voted by phone.
    "round_voters": {"paper"},
    # Check-in (migration 0018): an older archive's entries are not checked in, its
    # convenings do not need it to vote.
    "convenings": {"accredited_voting"},
}
ADDED_LATER["roster_entries"] = ADDED_LATER["roster_entries"] | {"checked_in_at", "checked_in_by"}
# Alternates (migration 0019): an older archive's alternates hold no seat, its voters voted
# in none.
ADDED_LATER["roster_entries"] = ADDED_LATER["roster_entries"] | {"seat_of", "seated_at"}
ADDED_LATER["round_voters"] = ADDED_LATER["round_voters"] | {"seat_id"}
#: What a column of ADDED_LATER holds in an older archive's rows, when not NULL.
ADDED_LATER_DEFAULTS = {
    "round_voters": {"paper": False},
    "convenings": {"accredited_voting": False},
}
#: Tables added since the archive format began: an older archive has none of their rows.
TABLES_ADDED_LATER = {"roster_entries"}
#: Tables keyed by something else than their own ``id`` column.
NO_ID = {"round_voters", "ballots"}
ORDER = {
    "ballots": ("receipt",),
    "round_voters": ("member_id",),
    "events": ("seq",),
}


def _table(name: str):
    return tables.metadata.tables[name]


def _dump_value(column, value):
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return value.isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    if isinstance(column.type, Enum):
        return value.value if hasattr(value, "value") else value
    return value


def _load_value(column, value):
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, Enum) and column.type.enum_class is not None:
        return column.type.enum_class(value)
    return value


def _rows(connection: Connection, name: str, convening_id: int, ids: dict) -> list[dict]:
    table = _table(name)
    c = table.c
    if name == "convenings":
        where = c.id == convening_id
    elif "convening_id" in table.columns.keys():  # noqa: SIM118 - a ColumnCollection
        where = c.convening_id == convening_id
    elif name in ("demand_versions", "demand_supports", "demand_agreements"):
        where = c.demand_id.in_(ids["demands"] or [-1])
    else:  # round_options, round_voters, ballots
        where = c.round_id.in_(ids["rounds"] or [-1])
    order = [c[k] for k in ORDER.get(name, ("id",))]
    rows = connection.execute(select(table).where(where).order_by(*order)).mappings().all()
    # A secret round's seal (the salt of its sealing keys) never leaves the database; its
    # sealed ballots (table sealed_ballots) are not archived either: open ones only.
    return [
        {k: None if k in NOT_ARCHIVED else _dump_value(c[k], v) for k, v in row.items()}
        for row in rows
    ]


def _digest(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def export_convening(engine: Engine, code: str) -> dict:
    """The archive of convening ``code`` (a JSON-ready dict with a checksum)."""
    with engine.connect() as connection:
        convening_id = connection.execute(
            select(tables.convenings.c.id).where(tables.convenings.c.code == code)
        ).scalar_one_or_none()
        if convening_id is None:
            raise ArchiveError(f"there is no convening with the code {code!r}")
        data: dict[str, list] = {}
        ids: dict[str, list] = {}
        for name in REFS:
            data[name] = _rows(connection, name, convening_id, ids)
            if name not in NO_ID:
                ids[name] = [r["id"] for r in data[name]]
    body = {"format": FORMAT, "version": VERSION, "code": code, "tables": data}
    return {**body, "sha256": _digest(body)}


def check_archive(archive: object) -> dict:
    """The archive's tables, or ArchiveError naming what is wrong with it."""
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise ArchiveError("this is not a Convene archive (no 'format: convene-archive')")
    if archive.get("version") != VERSION:
        raise ArchiveError(f"archive version {archive.get('version')!r} is not supported")
    body = {k: v for k, v in archive.items() if k != "sha256"}
    if archive.get("sha256") != _digest(body):
        raise ArchiveError("the archive is damaged: its checksum does not match its content")
    data = archive.get("tables")
    if not isinstance(data, dict) or not set(REFS) - TABLES_ADDED_LATER <= set(data) <= set(REFS):
        raise ArchiveError("the archive is damaged: its list of tables is not Convene's")
    data = {**{name: [] for name in TABLES_ADDED_LATER}, **data}
    if len(data["convenings"]) != 1:
        raise ArchiveError("the archive must hold exactly one convening")
    return data


def import_convening(engine: Engine, archive: object, *, new_code: str | None = None) -> str:
    """Write the archive into ``engine``'s database in one transaction; returns the code.

    Raises ArchiveError (nothing written) for a damaged or foreign file or a code in use.
    """
    data = check_archive(archive)
    code = new_code or data["convenings"][0]["code"]
    new_ids: dict[str, dict[int, int]] = {name: {} for name in REFS}
    try:
        with engine.begin() as connection:
            taken = connection.execute(
                select(tables.convenings.c.id).where(tables.convenings.c.code == code)
            ).first()
            if taken:
                raise ArchiveError(
                    f"the code {code} is already taken here; import with --new-code CODE"
                )
            hashes = [m.get("token_hash") for m in data["members"] if isinstance(m, dict)]
            links = [
                e.get("link_hash")
                for e in data["roster_entries"]
                if isinstance(e, dict) and e.get("link_hash")
            ]
            used = (
                connection.execute(
                    select(tables.members.c.id).where(tables.members.c.token_hash.in_(hashes))
                ).first()
                or connection.execute(
                    select(tables.roster_entries.c.id).where(
                        tables.roster_entries.c.link_hash.in_(links)
                    )
                ).first()
            )
            if used:
                raise ArchiveError(
                    "its access links are already in use here (was it imported before?)"
                )
            later: list[tuple[str, int, str, int]] = []
            for name, refs in REFS.items():
                table = _table(name)
                for row in data[name]:
                    if isinstance(row, dict) and name in ADDED_LATER:
                        row = {
                            **dict.fromkeys(ADDED_LATER[name]),
                            **ADDED_LATER_DEFAULTS.get(name, {}),
                            **row,
                        }
                    if not isinstance(row, dict) or set(row) != set(table.c.keys()):
                        raise ArchiveError(f"the archive is damaged: a row of {name} is malformed")
                    values = {k: _load_value(table.c[k], v) for k, v in row.items()}
                    for column, target in refs.items():
                        old = values.get(column)
                        if old is None:
                            continue
                        if (name, column) in SELF_REFS:
                            values[column] = None
                            later.append((name, row.get("id"), column, old))
                        elif old in new_ids[target]:
                            values[column] = new_ids[target][old]
                        elif column in ("decided_by", "author_id") and name == "demand_versions":
                            values[column] = new_ids[target].get(old)
                        else:
                            raise ArchiveError(
                                f"the archive is damaged: {name}.{column} points at a missing row"
                            )
                    if name == "convenings":
                        values["code"] = code
                    if name == "demands":
                        values["coauthor_ids"] = [
                            new_ids["members"][m] for m in values["coauthor_ids"]
                        ]
                        if values.get("consent_block"):
                            # rounds come after demands: the block keeps its round's title
                            values["consent_block"] = {
                                **values["consent_block"],
                                "round_id": None,
                            }
                    if name == "events" and values["type"] == "round.followed_up":
                        payload = dict(values["data"])
                        payload["round_id"] = new_ids["rounds"].get(payload.get("round_id"))
                        values["data"] = payload
                    if name == "ballots":
                        # a ballot names options by id: the new ones
                        values["content"] = json.dumps(
                            remap_ballot(json.loads(values["content"]), new_ids["round_options"]),
                            sort_keys=True,
                            separators=(",", ":"),
                        )
                    if name in NO_ID:
                        connection.execute(insert(table).values(**values))
                        continue
                    old_id = values.pop("id")
                    new_id = connection.execute(
                        insert(table).values(**values).returning(table.c.id)
                    ).scalar_one()
                    new_ids[name][old_id] = new_id
            # a stored result names options by id: the new ones (figures unchanged); so do
            # the lots drawn in the room and the tie a paused count waits on
            rounds_table = _table("rounds")
            options = new_ids["round_options"]
            for new_id in new_ids["rounds"].values():
                result, lots, pending = connection.execute(
                    select(
                        rounds_table.c.result, rounds_table.c.lots, rounds_table.c.pending_lot
                    ).where(rounds_table.c.id == new_id)
                ).one()
                changes: dict = {}
                if result:
                    changes["result"] = remap_result(result, options)
                if lots:
                    changes["lots"] = [str(options[int(i)]) for i in lots]
                if pending:
                    changes["pending_lot"] = {
                        **pending,
                        "tied": [options[i] for i in pending["tied"]],
                        "pool": [options[i] for i in pending["pool"]],
                    }
                if changes:
                    connection.execute(
                        update(rounds_table).where(rounds_table.c.id == new_id).values(**changes)
                    )
            for name, old_id, column, old in later:
                table = _table(name)
                connection.execute(
                    update(table)
                    .where(table.c.id == new_ids[name][old_id])
                    .values({column: new_ids[name][old]})
                )
    except ArchiveError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, DBAPIError) as error:
        if isinstance(error, DBAPIError):
            error = error.orig or error
        raise ArchiveError(f"the archive is damaged: {error.__class__.__name__}: {error}") from None
    return code


def main_export(argv: list[str]) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m convene export", description="Write a whole convening as JSON."
    )
    parser.add_argument("code", help="the convening's join code")
    args = parser.parse_args(argv)
    engine = _engine()
    try:
        archive = export_convening(engine, args.code.upper())
    except ArchiveError as error:
        print(f"convene export: error: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    sys.stdout.write(json.dumps(archive, ensure_ascii=False, indent=1) + "\n")
    return 0


def main_import(argv: list[str]) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m convene import", description="Read a convening exported elsewhere."
    )
    parser.add_argument("file", help="the JSON file written by `python -m convene export`")
    parser.add_argument("--new-code", help="import under this join code instead")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as handle:
            archive = json.load(handle)
    except OSError as error:
        print(f"convene import: error: {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except (ValueError, UnicodeDecodeError):
        print(f"convene import: error: {args.file}: not a JSON file", file=sys.stderr)
        return 2
    engine = _engine()
    try:
        code = import_convening(engine, archive, new_code=args.new_code)
    except ArchiveError as error:
        print(f"convene import: error: {args.file}: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Imported convening {code}.")
    return 0


def _engine() -> Engine:
    from convene.config import load_config
    from convene.store.database import make_engine

    return make_engine(load_config()["DATABASE_URL"])
