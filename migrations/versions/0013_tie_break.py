"""Rounds choose how ties that looking back cannot break are broken (the seeded lot, the
published order of the options, or a lot drawn in the room, for which the count pauses).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("tie_break", sa.String(8), nullable=True))
        batch.add_column(sa.Column("lots", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("pending_lot", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("pending_lot")
        batch.drop_column("lots")
        batch.drop_column("tie_break")
