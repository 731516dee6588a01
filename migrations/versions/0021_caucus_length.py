"""Delegations as caucuses (issue 17 item 6): a member's caucus holds 200 characters, as a
roster's delegation does, so a chapter with a long name keeps its caucus.

SQLite does not enforce a VARCHAR's length, but it keeps the declared type; the column is
replaced in place (added, copied, the old one dropped, renamed) rather than by a batch
table copy, which would drop the members table that every other table refers to (with
foreign keys on, dropping it deletes what refers to it).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _set_length(length: int, before: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE members ADD COLUMN caucus_new VARCHAR({length})")
        op.execute("UPDATE members SET caucus_new = caucus")
        op.execute("ALTER TABLE members DROP COLUMN caucus")
        op.execute("ALTER TABLE members RENAME COLUMN caucus_new TO caucus")
    else:
        op.alter_column(
            "members",
            "caucus",
            type_=sa.String(length),
            existing_type=sa.String(before),
            existing_nullable=True,
        )


def upgrade() -> None:
    _set_length(200, 60)


def downgrade() -> None:
    # as before: a delegation over 60 characters was no caucus
    op.execute("UPDATE members SET caucus = NULL WHERE length(caucus) > 60")
    _set_length(60, 200)
