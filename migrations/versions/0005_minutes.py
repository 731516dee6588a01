"""Minutes: action items, the facilitator's notes per agenda item, finalized versions;
the convening settings minutes_public and participants_add_actions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(
            sa.Column("minutes_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column(
                "participants_add_actions", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("convenings") as batch:
        batch.alter_column("minutes_public", server_default=None)
        batch.alter_column("participants_add_actions", server_default=None)
    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_action_items"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_action_items_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name="fk_action_items_agenda_item_id_agenda_items",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["members.id"],
            name="fk_action_items_author_id_members",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_action_items_convening", "action_items", ["convening_id"])
    op.create_table(
        "minutes_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_minutes_notes"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_minutes_notes_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name="fk_minutes_notes_agenda_item_id_agenda_items",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("agenda_item_id", name="uq_minutes_notes_agenda_item_id"),
    )
    op.create_table(
        "minutes_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("convening_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.String(60), nullable=False),
        sa.Column("approved_at", TS, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_minutes_versions"),
        sa.ForeignKeyConstraint(
            ["convening_id"],
            ["convenings.id"],
            name="fk_minutes_versions_convening_id_convenings",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("convening_id", "number", name="uq_minutes_versions_convening_number"),
    )


def downgrade() -> None:
    op.drop_table("minutes_versions")
    op.drop_table("minutes_notes")
    op.drop_index("ix_action_items_convening", table_name="action_items")
    op.drop_table("action_items")
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("participants_add_actions")
        batch.drop_column("minutes_public")
