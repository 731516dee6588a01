"""The Alembic history creates exactly the schema the code declares, and can go down again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from convene.store.migrate import alembic_config
from convene.store.tables import metadata


def test_migrations_match_the_declared_schema(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_downgrade_to_base_and_back(engine):
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert {"convenings", "members", "agenda_items", "events"} <= set(
        inspect(engine).get_table_names()
    )


def test_the_caucus_widening_keeps_every_member_and_what_refers_to_them(services, engine):
    """0021 replaces members.caucus in place: on SQLite a table copy would drop the members
    table, and with foreign keys on that deletes the demands, ballots and events that refer
    to them. Down again, a caucus over 60 characters is none, as it was before."""
    from alembic import command
    from sqlalchemy import func, select

    from convene.services import convenings, demands
    from convene.store import tables

    long_name = "Federación de Asociaciones Vecinales de la Comarca " * 3
    created = convenings.create_convening(services, title="Regional convening")
    for name, caucus in [("Ana", "Norte"), ("Ben", long_name.strip())]:
        joined = convenings.join(services, code=created.code, name=name, caucus=caucus)
        # a demand goes with its author (ondelete CASCADE)
        demands.propose(services, services.authenticate(joined.token), title=name, body="Rent")

    def state():
        with engine.connect() as connection:
            caucuses = connection.execute(
                select(tables.members.c.name, tables.members.c.caucus).order_by(tables.members.c.id)
            ).all()
            demand_count = connection.execute(
                select(func.count()).select_from(tables.demands)
            ).scalar()
        return caucuses, demand_count

    before = state()
    assert before[0][-1] == ("Ben", long_name.strip())
    assert before[1] == 2
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0020")
    down = state()
    assert down == ([*before[0][:-1], ("Ben", None)], before[1])
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert state() == down
