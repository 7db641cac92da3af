"""Accepting an inspection: each inspection's lot record for the ISO 2859-1 switching rules in three
small columns of its own (accepted; the Ac of its major plan; accepted one AQL step tighter), so
that the lot history is read as numbers, not as fifty JSON documents parsed per submission. Older
rows keep NULL and are read from their lot decision (or their assessment) as before.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inspections") as batch_op:
        batch_op.add_column(sa.Column("lot_accepted", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("lot_accept_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lot_accepted_tighter", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inspections") as batch_op:
        batch_op.drop_column("lot_accepted_tighter")
        batch_op.drop_column("lot_accept_number")
        batch_op.drop_column("lot_accepted")
