"""The floor: speaker requests and floor settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(
            sa.Column("progressive", sa.String(10), nullable=False, server_default="off")
        )
        batch.add_column(sa.Column("speaker_limit_seconds", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "allow_direct_responses", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(
            sa.Column("queue_open", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("progressive", sa.String(10), nullable=True))
        batch.add_column(sa.Column("speaker_limit_seconds", sa.Integer(), nullable=True))
    # Defaults were only for the rows that already exist; the application sets every value.
    with op.batch_alter_table("convenings") as batch:
        batch.alter_column("progressive", server_default=None)
        batch.alter_column("allow_direct_responses", server_default=None)
    with op.batch_alter_table("agenda_items") as batch:
        batch.alter_column("queue_open", server_default=None)
    op.create_table(
        "floor_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("raised_at", TS, nullable=False),
        sa.Column("manual_rank", sa.Integer(), nullable=True),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("ended_at", TS, nullable=True),
        sa.Column("limit_seconds", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_floor_requests"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_floor_requests_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name="fk_floor_requests_item_id_agenda_items",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_floor_requests_member_id_members",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_floor_requests_item_state", "floor_requests", ["item_id", "state"])
    op.create_index("ix_floor_requests_convening", "floor_requests", ["convening_id", "member_id"])


def downgrade() -> None:
    op.drop_index("ix_floor_requests_convening", table_name="floor_requests")
    op.drop_index("ix_floor_requests_item_state", table_name="floor_requests")
    op.drop_table("floor_requests")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("speaker_limit_seconds")
        batch.drop_column("progressive")
        batch.drop_column("queue_open")
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("allow_direct_responses")
        batch.drop_column("speaker_limit_seconds")
        batch.drop_column("progressive")
