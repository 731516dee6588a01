"""Roster credentials: each entry's personal link (its token's hash), badge code (an HMAC),
both sealed for printing again, and the member it became on first use (issue 17 item 2).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster_entries") as batch:
        batch.add_column(sa.Column("link_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("code_tag", sa.String(32), nullable=True))
        batch.add_column(sa.Column("credential", sa.String(200), nullable=True))
        batch.add_column(sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint("uq_roster_entries_link_hash", ["link_hash"])
        batch.create_unique_constraint(
            "uq_roster_entries_code_tag", ["convening_id", "code_tag"]
        )
        batch.create_foreign_key(
            "fk_roster_entries_member_id_members",
            "members",
            ["member_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("roster_entries") as batch:
        batch.drop_constraint("fk_roster_entries_member_id_members", type_="foreignkey")
        batch.drop_constraint("uq_roster_entries_code_tag", type_="unique")
        batch.drop_constraint("uq_roster_entries_link_hash", type_="unique")
        batch.drop_column("member_id")
        batch.drop_column("issued_at")
        batch.drop_column("credential")
        batch.drop_column("code_tag")
        batch.drop_column("link_hash")
