"""A convening's roster: the delegates, alternates and observers chapters sent (issue 17).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("delegation", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("vote_weight", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_entries"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_roster_entries_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("convening_id", "external_id", name="uq_roster_entries_external_id"),
    )
    op.create_index("ix_roster_entries_convening", "roster_entries", ["convening_id"])


def downgrade() -> None:
    op.drop_index("ix_roster_entries_convening", table_name="roster_entries")
    op.drop_table("roster_entries")
