"""Decision rounds: rounds, options, voters apart from ballots; vote weights and proxies.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(
            sa.Column("fallback_threshold", sa.String(20), nullable=False, server_default="3/4")
        )
    with op.batch_alter_table("convenings") as batch:
        batch.alter_column("fallback_threshold", server_default=None)
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("vote_weight", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("carried_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_members_carried_by_id_members",
            "members",
            ["carried_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("members") as batch:
        batch.alter_column("vote_weight", server_default=None)
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("method", sa.String(12), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(12), nullable=True),
        sa.Column("threshold", sa.String(20), nullable=True),
        sa.Column("quorum", sa.Integer(), nullable=True),
        sa.Column("stand_aside_limit", sa.String(20), nullable=True),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("live_results", sa.Boolean(), nullable=False),
        sa.Column("closes_at", TS, nullable=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("opened_at", TS, nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("present_at_open", sa.Integer(), nullable=True),
        sa.Column("present_at_close", sa.Integer(), nullable=True),
        sa.Column("seed", sa.String(40), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("follows_round_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_rounds_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name="fk_rounds_agenda_item_id_agenda_items",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["follows_round_id"],
            ["rounds.id"],
            name="fk_rounds_follows_round_id_rounds",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_rounds_convening", "rounds", ["convening_id", "state"])
    op.create_table(
        "round_options",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=True),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_round_options"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_round_options_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["demands.id"],
            name="fk_round_options_demand_id_demands",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendments.id"],
            name="fk_round_options_amendment_id_amendments",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_round_options_round", "round_options", ["round_id", "position"])
    op.create_table(
        "round_voters",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "member_id", name="pk_round_voters"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_round_voters_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_round_voters_member_id_members",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "ballots",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.String(16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("round_id", "receipt", name="pk_ballots"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_ballots_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_ballots_member_id_members", ondelete="SET NULL"
        ),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("ballots")
    op.drop_table("round_voters")
    op.drop_index("ix_round_options_round", table_name="round_options")
    op.drop_table("round_options")
    op.drop_index("ix_rounds_convening", table_name="rounds")
    op.drop_table("rounds")
    with op.batch_alter_table("members") as batch:
        batch.drop_constraint("fk_members_carried_by_id_members", type_="foreignkey")
        batch.drop_column("carried_by_id")
        batch.drop_column("vote_weight")
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("fallback_threshold")
