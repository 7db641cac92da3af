"""Bitstring Status Lists for the certificates' Verifiable Credentials: a suspension and a
revocation list, filled from the statuses of the certificates issued before; and the log's
checkpoints (signed tree heads, kept and served by size).

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MINIMUM_BYTES = 131_072 // 8
SETS = {"suspension": ("suspended",), "revocation": ("withdrawn", "superseded")}


def upgrade() -> None:
    table = op.create_table(
        "status_lists",
        sa.Column("purpose", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("bits", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("purpose"),
    )
    rows = op.get_bind().execute(sa.text("SELECT id, status FROM certificates")).all()
    lists = []
    for purpose, statuses in SETS.items():
        indexes = [row[0] for row in rows if row[1] in statuses]
        needed = max(indexes, default=0) // 8 + 1
        bits = bytearray(-(-needed // MINIMUM_BYTES) * MINIMUM_BYTES)  # whole 16 KiB blocks
        for index in indexes:
            bits[index // 8] |= 0x80 >> (index % 8)
        lists.append({"purpose": purpose, "bits": bytes(bits), "updated_at": datetime.now(UTC)})
    op.bulk_insert(table, lists)
    op.create_table(
        "tree_heads",
        sa.Column("size", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("root_hash", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("timestamp", sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key_id", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("signature", sqltypes.AutoString(length=128), nullable=False),
        sa.Column("signed_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("size"),
    )
    with op.batch_alter_table("tree_heads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tree_heads_signed_at"), ["signed_at"], unique=False)


def downgrade() -> None:
    op.drop_table("tree_heads")
    op.drop_table("status_lists")
