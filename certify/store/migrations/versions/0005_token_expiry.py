"""API tokens expire: `expires_at` on every token; tokens issued before get 90 days from now.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sqltypes.UTCDateTime(), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sqltypes.UTCDateTime()))
    op.execute(
        tokens.update().where(tokens.c.expires_at.is_(None)).values(expires_at=datetime.now(UTC) + timedelta(days=90))
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=sqltypes.UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
