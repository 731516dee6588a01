"""Forwarded demands (issue 18 item 2): where a regional demand came from.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_origins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("feeder_id", sa.Integer(), nullable=True),
        sa.Column("feeder_code", sa.String(12), nullable=False),
        sa.Column("feeder_title", sa.String(200), nullable=False),
        sa.Column("source_demand_id", sa.Integer(), nullable=False),
        sa.Column("source_version", sa.Integer(), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=True),
        sa.Column("agreement", sa.JSON(), nullable=False),
        sa.Column("mandate", sa.String(40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("previous_demand_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_demand_origins"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_demand_origins_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["demands.id"],
            name="fk_demand_origins_demand_id_demands",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["feeder_id"],
            ["convenings.id"],
            name="fk_demand_origins_feeder_id_convenings",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["previous_demand_id"],
            ["demands.id"],
            name="fk_demand_origins_previous_demand_id_demands",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("demand_id", name="uq_demand_origins_demand_id"),
        sa.UniqueConstraint(
            "convening_id",
            "feeder_id",
            "source_demand_id",
            "source_version",
            name="uq_demand_origins_source",
        ),
    )


def downgrade() -> None:
    op.drop_table("demand_origins")
