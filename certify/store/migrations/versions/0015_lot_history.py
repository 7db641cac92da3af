"""Accepting an inspection: each inspection's lot decision in a small column of its own (older
rows keep none and are read from their assessment), and indexes for whether a file is already another holder's evidence
(inspection_evidence by sha256, holder_id) and a product's last lots under a standard
(inspections by holder_id, product_id, standard_id, id), each a short range read whatever the history.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inspections") as batch_op:
        batch_op.add_column(sa.Column("lot_decision", sa.JSON(none_as_null=True), nullable=True))
    op.create_index("ix_inspection_evidence_sha256_holder_id", "inspection_evidence", ["sha256", "holder_id"])
    op.create_index("ix_inspections_lot_history", "inspections", ["holder_id", "product_id", "standard_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_inspections_lot_history", table_name="inspections")
    op.drop_index("ix_inspection_evidence_sha256_holder_id", table_name="inspection_evidence")
    with op.batch_alter_table("inspections") as batch_op:
        batch_op.drop_column("lot_decision")
