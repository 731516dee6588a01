"""The convening's own language (convenings.language): the projector and the minutes use it.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(sa.Column("language", sa.String(10), nullable=False, server_default="en"))
    with op.batch_alter_table("convenings") as batch:
        batch.alter_column("language", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("language")
