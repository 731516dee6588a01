"""Database schema (SQLAlchemy Core). Alembic migrations in migrations/ create exactly this."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

from convene.domain.convening import ItemState, Role
from convene.domain.floor import RequestKind, RequestState


class UTCDateTime(TypeDecorator):
    """Every time in Convene is UTC. SQLite drops the zone on the way in; put it back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("Convene stores aware UTC datetimes only")
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _enum(enum_class, length: int) -> Enum:
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda cls: [member.value for member in cls],
    )


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

convenings = Table(
    "convenings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("place", String(200), nullable=False, default=""),
    Column("starts_on", Date, nullable=True),
    Column("passcode_hash", String(200), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime(), nullable=True),
    # The last sequence number handed out in this convening's event log.
    Column("last_seq", Integer, nullable=False, default=0),
    # Floor rules for every agenda item that does not set its own.
    Column("progressive", String(10), nullable=False, default="off"),
    Column("speaker_limit_seconds", Integer, nullable=True),
    Column("allow_direct_responses", Boolean, nullable=False, default=True),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("role", _enum(Role, 20), nullable=False),
    Column("name", String(60), nullable=False),
    Column("caucus", String(60), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("joined_at", UTCDateTime(), nullable=False),
    Column("removed_at", UTCDateTime(), nullable=True),
    Index("ix_members_convening_role", "convening_id", "role"),
)

agenda_items = Table(
    "agenda_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("timebox_minutes", Integer, nullable=True),
    Column("state", _enum(ItemState, 10), nullable=False),
    Column("started_at", UTCDateTime(), nullable=True),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("queue_open", Boolean, nullable=False, default=True),
    Column("progressive", String(10), nullable=True),
    Column("speaker_limit_seconds", Integer, nullable=True),
    Index("ix_agenda_items_convening", "convening_id", "position"),
)

floor_requests = Table(
    "floor_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("item_id", Integer, ForeignKey("agenda_items.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("kind", _enum(RequestKind, 24), nullable=False),
    Column("state", _enum(RequestState, 12), nullable=False),
    Column("raised_at", UTCDateTime(), nullable=False),
    Column("manual_rank", Integer, nullable=True),
    Column("started_at", UTCDateTime(), nullable=True),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("limit_seconds", Integer, nullable=True),
    Index("ix_floor_requests_item_state", "item_id", "state"),
    Index("ix_floor_requests_convening", "convening_id", "member_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("seq", Integer, nullable=False),
    Column("type", String(60), nullable=False),
    Column("actor_id", Integer, nullable=True),
    Column("data", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("convening_id", "seq", name="uq_events_convening_seq"),
)
