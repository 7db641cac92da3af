"""Verification by ID on SQLite: the certificates table rebuilt with the PDF as its last column.

SQLite keeps a row's columns in order, and a value too large for its page (a PDF) runs on in a
chain of overflow pages: reading any column after it walks that chain. The public answer reads
`pdf_sha256` and `history`, which came after `pdf`: every verification walked the whole PDF
(about a fifth of a verification's time). With `pdf` last, a verification reads no page of it.
PostgreSQL keeps large values out of line (TOAST): nothing to do there. Nothing else changes:
the same columns, types, constraints and indexes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    columns = [column["name"] for column in sa.inspect(op.get_bind()).get_columns("certificates")]
    if columns[-1] == "pdf":
        return
    order = (*(name for name in columns if name != "pdf"), "pdf")
    with op.batch_alter_table("certificates", recreate="always", partial_reordering=[order]):
        pass


def downgrade() -> None:
    """The order of columns is no part of the schema: nothing to undo."""
