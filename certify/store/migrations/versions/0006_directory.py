"""The public directory reads holders, not certificates: `holders.listed_until` (the last day the
holder has a valid certificate, filled here for existing data), holders indexed by name (the
directory's order), and certificates by holder, status and validity (replacing the index on
holder alone).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("holders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed_until", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_holders_listed_until"), ["listed_until"], unique=False)
        batch_op.create_index("ix_holders_name", ["name", "id"], unique=False)
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index("ix_certificates_holder_status", ["holder_id", "status", "valid_until"], unique=False)
        batch_op.drop_index(batch_op.f("ix_certificates_holder_id"))
    op.execute(
        "UPDATE holders SET listed_until = (SELECT MAX(c.valid_until) FROM certificates c"
        " WHERE c.holder_id = holders.id AND c.status = 'valid')"
    )


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_holder_id"), ["holder_id"], unique=False)
        batch_op.drop_index("ix_certificates_holder_status")
    with op.batch_alter_table("holders", schema=None) as batch_op:
        batch_op.drop_index("ix_holders_name")
        batch_op.drop_index(batch_op.f("ix_holders_listed_until"))
        batch_op.drop_column("listed_until")
