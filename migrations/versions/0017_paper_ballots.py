"""Paper ballots: a voter's mark says when a teller entered their ballot from paper
(issue 17 item 5). On the voter row, never on the ballot (a secret ballot stays unlinkable).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("round_voters") as batch:
        batch.add_column(
            sa.Column("paper", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("round_voters") as batch:
        batch.drop_column("paper")
