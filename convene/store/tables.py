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
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)

from convene.domain.convening import ItemState, Role
from convene.domain.demands import AmendmentStatus, DemandStatus, Stance, VersionKind
from convene.domain.floor import RequestKind, RequestState
from convene.domain.roster import RosterRole
from convene.domain.rounds import Method, RoundState


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
    # Demands: supporters are not named; how many supporters a demand needs for a vote.
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("support_required", Integer, nullable=False, default=1),
    Column("fallback_threshold", String(20), nullable=False, default="3/4"),
    # Minutes: participants may download final minutes; participants may add action items.
    Column("minutes_public", Boolean, nullable=False, default=False),
    Column("participants_add_actions", Boolean, nullable=False, default=False),
    # Only delegates checked in at the desk vote; "present" counts check-ins.
    Column("accredited_voting", Boolean, nullable=False, default=False),
    # The meeting's own language (the projector's and the minutes').
    Column("language", String(10), nullable=False, default="en"),
    # What the facilitator put on the projector (convene/domain/projector.py); NULL: auto.
    Column("projector", String(40), nullable=True),
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
    Column("caucus", String(200), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("joined_at", UTCDateTime(), nullable=False),
    Column("removed_at", UTCDateTime(), nullable=True),
    Column("vote_weight", Integer, nullable=False, default=1),
    Column("carried_by_id", Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    Index("ix_members_convening_role", "convening_id", "role"),
    # Each ballot adds up the weights its voter carries (proxies): look them up by index.
    Index("ix_members_carried_by", "carried_by_id"),
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

demands = Table(
    "demands",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("item_id", Integer, ForeignKey("agenda_items.id", ondelete="SET NULL"), nullable=True),
    Column("author_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", _enum(DemandStatus, 12), nullable=False),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("hidden_reason", String(500), nullable=True),
    Column("position", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("coauthor_ids", JSON, nullable=False),
    Column("merged_into_id", Integer, ForeignKey("demands.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=True),
    # the last consent round that did not pass on it, while it is open again
    # (convene/domain/demands/demand.py)
    Column("consent_block", JSON, nullable=True),
    Index("ix_demands_convening", "convening_id", "position"),
)

amendments = Table(
    "amendments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("demand_id", Integer, ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("passage", Text, nullable=True),
    Column("body", Text, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("status", _enum(AmendmentStatus, 12), nullable=False),
    Column("note", String(300), nullable=False, default=""),
    Column("friendly", Boolean, nullable=False, default=False),
    Column("base_version", Integer, nullable=False),
    Column("old_text", Text, nullable=False),
    Column("new_text", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("decided_by", Integer, nullable=True),
    Column("result_version", Integer, nullable=True),
    Index("ix_amendments_demand", "demand_id", "status"),
)

demand_versions = Table(
    "demand_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("demand_id", Integer, ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("kind", _enum(VersionKind, 12), nullable=False),
    Column("author_id", Integer, nullable=True),
    Column("amendment_id", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("demand_id", "number", name="uq_demand_versions_demand_number"),
)

demand_supports = Table(
    "demand_supports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("demand_id", Integer, ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # One support per member and demand.
    UniqueConstraint("demand_id", "member_id", name="uq_demand_supports_demand_member"),
    Index("ix_demand_supports_member", "member_id"),
)

demand_agreements = Table(
    "demand_agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("demand_id", Integer, ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("stance", _enum(Stance, 10), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # One stance per member and demand.
    UniqueConstraint("demand_id", "member_id", name="uq_demand_agreements_demand_member"),
    Index("ix_demand_agreements_member", "member_id"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column(
        "agenda_item_id", Integer, ForeignKey("agenda_items.id", ondelete="SET NULL"), nullable=True
    ),
    Column("title", String(200), nullable=False),
    Column("method", _enum(Method, 12), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("rule", String(12), nullable=True),
    Column("threshold", String(20), nullable=True),
    Column("quorum", Integer, nullable=True),
    Column("stand_aside_limit", String(20), nullable=True),
    Column("secret", Boolean, nullable=False),
    Column("live_results", Boolean, nullable=False),
    Column("closes_at", UTCDateTime(), nullable=True),
    Column("state", _enum(RoundState, 8), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("opened_at", UTCDateTime(), nullable=True),
    Column("closed_at", UTCDateTime(), nullable=True),
    # When the result became final (the close, or the last lot entered after a pause).
    Column("settled_at", UTCDateTime(), nullable=True),
    Column("present_at_open", Integer, nullable=True),
    Column("present_at_close", Integer, nullable=True),
    Column("seed", String(40), nullable=True),
    Column("result", JSON, nullable=True),
    # Consensus with fallback: the round this one follows, and why.
    Column(
        "follows_round_id", Integer, ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True
    ),
    Column("path", String(20), nullable=True),
    # Secret rounds while open: the salt (and key check) of the round's sealing keys.
    Column("seal", String(60), nullable=True),
    # How ties that looking back cannot break are broken (lot, order, room; NULL: lot), the
    # options chosen by the lots drawn in the room (in draw order), and the tie a paused
    # count waits on.
    Column("tie_break", String(8), nullable=True),
    Column("lots", JSON, nullable=True),
    Column("pending_lot", JSON, nullable=True),
    Index("ix_rounds_convening", "convening_id", "state"),
)

round_options = Table(
    "round_options",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("label", String(200), nullable=False),
    Column("demand_id", Integer, ForeignKey("demands.id", ondelete="SET NULL"), nullable=True),
    Column(
        "amendment_id", Integer, ForeignKey("amendments.id", ondelete="SET NULL"), nullable=True
    ),
    Index("ix_round_options_round", "round_id", "position"),
)

# Who has voted, kept apart from what they voted: no timestamp, no link to a ballot.
round_voters = Table(
    "round_voters",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("weight", Integer, nullable=False),
    # A teller entered this voter's ballot from paper (rounds.paper_ballot): their seat is
    # taken, and no phone ballot replaces it. Marked here, never on the ballot: a secret
    # paper ballot is sealed and opened like any other.
    Column("paper", Boolean, nullable=False, default=False, server_default=false()),
    # The seat this voter voted in (a delegate's roster entry: their own, or the one they
    # held as an alternate; convene/domain/seats.py): a round counts one ballot per seat.
    # NULL: a voter on no roster. On the voter's mark, never on the ballot.
    Column("seat_id", Integer, ForeignKey("roster_entries.id", ondelete="SET NULL"), nullable=True),
    UniqueConstraint("round_id", "seat_id", name="uq_round_voters_round_seat"),
)

# The ballots. Keyed by their random receipt, without a row id (SQLite) or a timestamp, so
# nothing orders them by arrival; `member_id` is set only in named (non-secret) rounds.
ballots = Table(
    "ballots",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("receipt", String(16), primary_key=True),
    Column("content", Text, nullable=False),
    Column("weight", Integer, nullable=False),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    sqlite_with_rowid=False,
)

# Secret ballots while their round is open: sealed (encrypted, padded to one length), keyed
# by a keyed hash of the receipt, written in the transaction that adds the voter to
# `round_voters`. They are opened into `ballots` only k voters at a time, in a random order,
# and at the close (convene/services/sealing.py). `revokes`: the tag of the opened ballot
# this one replaces. No row id, no timestamp.
sealed_ballots = Table(
    "sealed_ballots",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(32), primary_key=True),
    Column("box", LargeBinary, nullable=False),
    Column("revokes", String(32), nullable=True),
    UniqueConstraint("round_id", "revokes", name="uq_sealed_ballots_round_revokes"),
    sqlite_with_rowid=False,
)

# Minutes: what someone committed to do, by when, on which agenda item.
action_items = Table(
    "action_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column(
        "agenda_item_id", Integer, ForeignKey("agenda_items.id", ondelete="SET NULL"), nullable=True
    ),
    Column("what", Text, nullable=False),
    Column("who", String(200), nullable=False),
    Column("due", Date, nullable=True),
    Column("author_id", Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_action_items_convening", "convening_id"),
)

# The people chapters sent (convene/domain/roster.py): imported from a file, updated by a
# re-import (by external id, else by name and delegation), never deleted by one.
roster_entries = Table(
    "roster_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("external_id", String(64), nullable=True),
    Column("name", String(60), nullable=False),
    Column("delegation", String(200), nullable=False, default=""),
    Column("role", _enum(RosterRole, 10), nullable=False),
    Column("vote_weight", Integer, nullable=False, default=1),
    Column("contact", String(200), nullable=False, default=""),
    Column("added_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # The entry's credential (convene/services/sealing.py: Credentials): its personal link's
    # token hashed as members' tokens are, its badge code as an HMAC, both sealed for
    # printing again; the member it became when the link or the code was first used.
    Column("link_hash", String(64), nullable=True, unique=True),
    Column("code_tag", String(32), nullable=True),
    Column("credential", String(200), nullable=True),
    Column("issued_at", UTCDateTime(), nullable=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    # Checked in at the desk (convene/services/checkins.py): since when, by which desk
    # member; NULL: not in the room (never checked in, or checked out).
    Column("checked_in_at", UTCDateTime(), nullable=True),
    Column("checked_in_by", Integer, nullable=True),
    # An alternate seated in a delegate's seat (convene/domain/seats.py): the delegate's
    # entry, since when; one alternate per seat.
    Column("seat_of", Integer, ForeignKey("roster_entries.id", ondelete="SET NULL"), nullable=True),
    Column("seated_at", UTCDateTime(), nullable=True),
    UniqueConstraint("convening_id", "external_id", name="uq_roster_entries_external_id"),
    UniqueConstraint("seat_of", name="uq_roster_entries_seat_of"),
    UniqueConstraint("convening_id", "code_tag", name="uq_roster_entries_code_tag"),
    Index("ix_roster_entries_convening", "convening_id"),
    # every ballot asks whether its voter's entry is checked in (accredited voting)
    Index("ix_roster_entries_member", "member_id"),
)

# The facilitator's notes on an agenda item, written for the minutes.
minutes_notes = Table(
    "minutes_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column(
        "agenda_item_id", Integer, ForeignKey("agenda_items.id", ondelete="CASCADE"), nullable=False
    ),
    Column("text", Text, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("agenda_item_id", name="uq_minutes_notes_agenda_item_id"),
)

# Every finalized version of the minutes, as the rendered JSON document; never changed.
minutes_versions = Table(
    "minutes_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("number", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Column("approved_by_id", Integer, nullable=True),
    Column("approved_by", String(60), nullable=False),
    Column("approved_at", UTCDateTime(), nullable=False),
    Column("last_seq", Integer, nullable=False),
    UniqueConstraint("convening_id", "number", name="uq_minutes_versions_convening_number"),
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

# Issue 18: convenings linked into a tree (convene/domain/feeders.py). A feeder invitation
# is the upstream's secret for chapters to link with: only its SHA-256 is kept.
feeder_invitations = Table(
    "feeder_invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", Integer, nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Index("ix_feeder_invitations_convening", "convening_id"),
)

# A feeder (a chapter's convening) sends its demands to its upstream (the regional one).
# Kept when removed (ended_at, and which side removed it): the record of who fed whom.
# At most one link per feeder is current (ended_at NULL), which the partial index holds.
convening_links = Table(
    "convening_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feeder_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False),
    Column("upstream_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False),
    Column(
        "invitation_id",
        Integer,
        ForeignKey("feeder_invitations.id", ondelete="SET NULL"),
        nullable=True,
    ),
    # The feeder's seat in the upstream convening (a member of role chapter): the author of
    # the demands it forwards; made when it first forwards one, kept across links.
    Column("member_id", Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    Column("linked_at", UTCDateTime(), nullable=False),
    Column("linked_by", Integer, nullable=True),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("ended_by", String(10), nullable=True),
    Index(
        "uq_convening_links_current",
        "feeder_id",
        unique=True,
        sqlite_where=text("ended_at IS NULL"),
        postgresql_where=text("ended_at IS NULL"),
    ),
    Index("ix_convening_links_upstream", "upstream_id", "ended_at"),
)

# A demand forwarded by a feeder (issue 18 item 2; convene/domain/demands/origins.py): the
# regional demand it became, the chapter and its demand's version, the text's SHA-256, the
# chapter's decision, agreement, mandate; ``previous_demand_id``: the regional demand of the
# version forwarded before. One regional demand per chapter demand version and upstream.
demand_origins = Table(
    "demand_origins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "convening_id", Integer, ForeignKey("convenings.id", ondelete="CASCADE"), nullable=False
    ),
    Column("demand_id", Integer, ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
    Column("feeder_id", Integer, ForeignKey("convenings.id", ondelete="SET NULL"), nullable=True),
    Column("feeder_code", String(12), nullable=False),
    Column("feeder_title", String(200), nullable=False),
    Column("source_demand_id", Integer, nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("decision", JSON, nullable=True),
    Column("agreement", JSON, nullable=False),
    Column("mandate", String(40), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("sent_at", UTCDateTime(), nullable=False),
    Column("sent_by", Integer, nullable=True),
    Column(
        "previous_demand_id", Integer, ForeignKey("demands.id", ondelete="SET NULL"), nullable=True
    ),
    UniqueConstraint("demand_id", name="uq_demand_origins_demand_id"),
    UniqueConstraint(
        "convening_id",
        "feeder_id",
        "source_demand_id",
        "source_version",
        name="uq_demand_origins_source",
    ),
)
