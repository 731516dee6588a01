"""Check-in (issue 17 item 3): a roster entry checked in at the desk (since when, by which
desk member) and the convening setting accredited_voting.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster_entries") as batch:
        batch.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("checked_in_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(
            sa.Column("accredited_voting", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # every ballot asks whether its voter's entry is checked in
    op.create_index("ix_roster_entries_member", "roster_entries", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_roster_entries_member", table_name="roster_entries")
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("accredited_voting")
    with op.batch_alter_table("roster_entries") as batch:
        batch.drop_column("checked_in_by")
        batch.drop_column("checked_in_at")
