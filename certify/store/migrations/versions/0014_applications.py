"""The way in: applications, the products they name, acceptances of the certification agreement,
and assignments of inspectors.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("state", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("language", sqltypes.AutoString(length=2), nullable=False),
        sa.Column("workshop_name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("workshop_key", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("owner", sqltypes.AutoString(length=200), nullable=True),
        sa.Column("province", sqltypes.AutoString(length=100), nullable=False),
        sa.Column("region", sqltypes.AutoString(length=100), nullable=True),
        sa.Column("address", sqltypes.AutoString(length=500), nullable=False),
        sa.Column("contact_name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqltypes.AutoString(length=254), nullable=True),
        sa.Column("phone", sqltypes.AutoString(length=32), nullable=True),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("agreement_version", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("received_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decline_reasons", sa.JSON(), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["holders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_workshop_key"), ["workshop_key"], unique=False)

    op.create_table(
        "agreement_acceptances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("version", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("accepted_by", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("accepted_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["holders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agreement_acceptances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_acceptances_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_acceptances_holder_id"), ["holder_id"], unique=False)

    op.create_table(
        "application_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("standard_id", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("workshop_key", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("product_key", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("application_products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_products_application_id"), ["application_id"], unique=False)
        batch_op.create_index("ix_application_products_same", ["workshop_key", "product_key"], unique=False)

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["holders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_inspector_id"), ["inspector_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_product_id"), ["product_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_product_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_inspector_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_holder_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_application_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("application_products", schema=None) as batch_op:
        batch_op.drop_index("ix_application_products_same")
        batch_op.drop_index(batch_op.f("ix_application_products_application_id"))

    op.drop_table("application_products")
    with op.batch_alter_table("agreement_acceptances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_acceptances_holder_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_acceptances_application_id"))

    op.drop_table("agreement_acceptances")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_workshop_key"))
        batch_op.drop_index(batch_op.f("ix_applications_state"))
        batch_op.drop_index(batch_op.f("ix_applications_holder_id"))

    op.drop_table("applications")
