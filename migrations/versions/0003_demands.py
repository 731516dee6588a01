"""Demands, their versions, amendments, support and agreement; demand settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE"):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(
            sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("support_required", sa.Integer(), nullable=False, server_default="1")
        )
    # Defaults were only for the rows that already exist; the application sets every value.
    with op.batch_alter_table("convenings") as batch:
        batch.alter_column("anonymous", server_default=None)
        batch.alter_column("support_required", server_default=None)

    op.create_table(
        "demands",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("hidden_reason", sa.String(500), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("coauthor_ids", sa.JSON(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_demands"),
        _fk("demands", "convening_id", "convenings"),
        _fk("demands", "item_id", "agenda_items", "SET NULL"),
        _fk("demands", "author_id", "members"),
        _fk("demands", "merged_into_id", "demands", "SET NULL"),
    )
    op.create_index("ix_demands_convening", "demands", ["convening_id", "position"])

    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("passage", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.Column("friendly", sa.Boolean(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("new_text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("result_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_amendments"),
        _fk("amendments", "convening_id", "convenings"),
        _fk("amendments", "demand_id", "demands"),
        _fk("amendments", "author_id", "members"),
    )
    op.create_index("ix_amendments_demand", "amendments", ["demand_id", "status"])

    op.create_table(
        "demand_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_demand_versions"),
        _fk("demand_versions", "demand_id", "demands"),
        sa.UniqueConstraint("demand_id", "number", name="uq_demand_versions_demand_number"),
    )

    op.create_table(
        "demand_supports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_demand_supports"),
        _fk("demand_supports", "demand_id", "demands"),
        _fk("demand_supports", "member_id", "members"),
        sa.UniqueConstraint("demand_id", "member_id", name="uq_demand_supports_demand_member"),
    )
    op.create_index("ix_demand_supports_member", "demand_supports", ["member_id"])

    op.create_table(
        "demand_agreements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_demand_agreements"),
        _fk("demand_agreements", "demand_id", "demands"),
        _fk("demand_agreements", "member_id", "members"),
        sa.UniqueConstraint("demand_id", "member_id", name="uq_demand_agreements_demand_member"),
    )
    op.create_index("ix_demand_agreements_member", "demand_agreements", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_demand_agreements_member", table_name="demand_agreements")
    op.drop_table("demand_agreements")
    op.drop_index("ix_demand_supports_member", table_name="demand_supports")
    op.drop_table("demand_supports")
    op.drop_table("demand_versions")
    op.drop_index("ix_amendments_demand", table_name="amendments")
    op.drop_table("amendments")
    op.drop_index("ix_demands_convening", table_name="demands")
    op.drop_table("demands")
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("support_required")
        batch.drop_column("anonymous")
