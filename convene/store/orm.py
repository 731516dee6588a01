"""Imperative mapping: the domain's plain classes are persisted without knowing it."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from convene.domain.convening import AgendaItem, Convening, Member
from convene.domain.demands import Agreement, Amendment, Demand, DemandVersion, Support
from convene.domain.floor import FloorRequest
from convene.domain.rounds import Round, RoundOption
from convene.store import tables

mapper_registry = registry(metadata=tables.metadata)
_mapped = False


def start_mappers() -> None:
    """Map the domain classes once per process (idempotent)."""
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(Member, tables.members)
    mapper_registry.map_imperatively(AgendaItem, tables.agenda_items)
    mapper_registry.map_imperatively(FloorRequest, tables.floor_requests)
    mapper_registry.map_imperatively(Demand, tables.demands)
    mapper_registry.map_imperatively(DemandVersion, tables.demand_versions)
    mapper_registry.map_imperatively(Amendment, tables.amendments)
    mapper_registry.map_imperatively(Support, tables.demand_supports)
    mapper_registry.map_imperatively(Agreement, tables.demand_agreements)
    mapper_registry.map_imperatively(RoundOption, tables.round_options)
    mapper_registry.map_imperatively(
        Round,
        tables.rounds,
        properties={
            "options": relationship(
                RoundOption,
                order_by=tables.round_options.c.position,
                cascade="all, delete-orphan",
            )
        },
    )
    mapper_registry.map_imperatively(
        Convening,
        tables.convenings,
        # The sequence counter belongs to the event log, which bumps it with one atomic UPDATE.
        exclude_properties=["last_seq"],
        properties={
            "agenda": relationship(
                AgendaItem,
                order_by=tables.agenda_items.c.position,
                cascade="all, delete-orphan",
            )
        },
    )
    _mapped = True
