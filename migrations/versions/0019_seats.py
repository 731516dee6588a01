"""Alternates (issue 17 item 4): an alternate's roster entry holds a delegate's seat (the
delegate's entry, since when; one alternate per seat), and a round's voter mark says in
which seat they voted (one ballot per seat and round). Never on the ballot.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster_entries") as batch:
        batch.add_column(sa.Column("seat_of", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("seated_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_roster_entries_seat_of_roster_entries",
            "roster_entries",
            ["seat_of"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint("uq_roster_entries_seat_of", ["seat_of"])
    with op.batch_alter_table("round_voters") as batch:
        batch.add_column(sa.Column("seat_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_round_voters_seat_id_roster_entries",
            "roster_entries",
            ["seat_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint("uq_round_voters_round_seat", ["round_id", "seat_id"])


def downgrade() -> None:
    with op.batch_alter_table("round_voters") as batch:
        batch.drop_constraint("uq_round_voters_round_seat", type_="unique")
        batch.drop_constraint("fk_round_voters_seat_id_roster_entries", type_="foreignkey")
        batch.drop_column("seat_id")
    with op.batch_alter_table("roster_entries") as batch:
        batch.drop_constraint("uq_roster_entries_seat_of", type_="unique")
        batch.drop_constraint("fk_roster_entries_seat_of_roster_entries", type_="foreignkey")
        batch.drop_column("seated_at")
        batch.drop_column("seat_of")
