"""What the facilitator put on the projector: a view, or NULL to follow the meeting.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.add_column(sa.Column("projector", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("convenings") as batch:
        batch.drop_column("projector")
