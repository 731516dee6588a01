"""`python -m convene db upgrade`: bring the database schema up to date with Alembic."""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def backup_sqlite(engine: Engine, target: Path) -> None:
    """A consistent copy of a SQLite database while the server keeps writing (SQLite's
    online backup: readers and the writer go on; the copy is the state of one moment)."""
    import sqlite3

    source_path = engine.url.database
    if engine.dialect.name != "sqlite" or not source_path:
        raise ValueError("backup copies a SQLite database; for PostgreSQL use pg_dump")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(str(target))
    try:
        with copy:
            source.backup(copy, pages=256)  # in steps: the writer is never held for long
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m convene db")
    parser.add_argument(
        "action",
        choices=["upgrade", "backup"],
        help="upgrade: apply every pending migration; backup FILE: copy a SQLite database "
        "while the server runs",
    )
    parser.add_argument("file", nargs="?", help="backup: where to write the copy")
    args = parser.parse_args(argv)
    from convene.config import load_config
    from convene.store.database import make_engine

    settings = load_config()
    engine = make_engine(settings["DATABASE_URL"])
    try:
        if args.action == "upgrade":
            upgrade(engine)
            print(f"Database is up to date: {engine.url.render_as_string(hide_password=True)}")
        else:
            if not args.file:
                parser.error("backup needs a FILE to write")
            if engine.dialect.name != "sqlite":
                parser.error("backup copies a SQLite database; for PostgreSQL use pg_dump")
            backup_sqlite(engine, Path(args.file))
            print(f"Copied {engine.url.database} to {args.file}")
    finally:
        engine.dispose()
    return 0
