"""A demand keeps the consent round that blocked it (and the blocks' reasons) while the
room works on it again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("demands") as batch:
        batch.add_column(sa.Column("consent_block", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("demands") as batch:
        batch.drop_column("consent_block")
