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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m convene db")
    parser.add_argument("action", choices=["upgrade"], help="apply every pending migration")
    args = parser.parse_args(argv)
    from convene.config import load_config
    from convene.store.database import make_engine

    settings = load_config()
    engine = make_engine(settings["DATABASE_URL"])
    if args.action == "upgrade":
        upgrade(engine)
        print(f"Database is up to date: {engine.url.render_as_string(hide_password=True)}")
    engine.dispose()
    return 0
