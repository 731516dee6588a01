"""Index the proxies: casting a ballot sums the weights its voter carries.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_members_carried_by", "members", ["carried_by_id"])


def downgrade() -> None:
    op.drop_index("ix_members_carried_by", table_name="members")
