"""Secret ballots sealed while their round is open (issue 15).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("seal", sa.String(60), nullable=True))
    op.create_table(
        "sealed_ballots",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(32), nullable=False),
        sa.Column("box", sa.LargeBinary(), nullable=False),
        sa.Column("revokes", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("round_id", "tag", name="pk_sealed_ballots"),
        sa.UniqueConstraint("round_id", "revokes", name="uq_sealed_ballots_round_revokes"),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name="fk_sealed_ballots_round_id_rounds",
            ondelete="CASCADE",
        ),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("sealed_ballots")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("seal")
