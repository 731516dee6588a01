"""Convenings linked into a tree (issue 18 item 1): feeder invitations (hashed) and the
links from a feeder (a chapter's convening) to its upstream (the regional one).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feeder_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feeder_invitations"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_feeder_invitations_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name="uq_feeder_invitations_token_hash"),
    )
    op.create_index("ix_feeder_invitations_convening", "feeder_invitations", ["convening_id"])
    op.create_table(
        "convening_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feeder_id", sa.Integer(), nullable=False),
        sa.Column("upstream_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("linked_at", TS, nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=True),
        sa.Column("ended_at", TS, nullable=True),
        sa.Column("ended_by", sa.String(10), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_convening_links"),
        sa.ForeignKeyConstraint(
            ["feeder_id"],
            ["convenings.id"],
            name="fk_convening_links_feeder_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upstream_id"],
            ["convenings.id"],
            name="fk_convening_links_upstream_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["feeder_invitations.id"],
            name="fk_convening_links_invitation_id_feeder_invitations",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_convening_links_member_id_members",
            ondelete="SET NULL",
        ),
    )
    # a feeder has at most one current link (one upstream at a time)
    op.create_index(
        "uq_convening_links_current",
        "convening_links",
        ["feeder_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_index(
        "ix_convening_links_upstream", "convening_links", ["upstream_id", "ended_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_convening_links_upstream", table_name="convening_links")
    op.drop_index("uq_convening_links_current", table_name="convening_links")
    op.drop_table("convening_links")
    op.drop_index("ix_feeder_invitations_convening", table_name="feeder_invitations")
    op.drop_table("feeder_invitations")
