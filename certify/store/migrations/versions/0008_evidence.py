"""Evidence: sampling plans drawn at random, content-addressed photos and lab reports, who uploaded
and which inspection names them, and the holder's consent to publish photos.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sampling_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("standard_id", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("standard_version", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("lot_size", sa.Integer(), nullable=False),
        sa.Column("code_letter", sqltypes.AutoString(length=2), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("pieces", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["drawn_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sampling_plans_drawn_by", "sampling_plans", ["drawn_by"])
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("media_type", sqltypes.AutoString(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "evidence_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["evidence_files.sha256"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "user_id"),
    )
    op.create_index("ix_evidence_uploads_user_id", "evidence_uploads", ["user_id"])
    op.create_table(
        "inspection_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["evidence_files.sha256"]),
        sa.ForeignKeyConstraint(["holder_id"], ["holders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "sha256"),
    )
    op.create_index("ix_inspection_evidence_inspection_id", "inspection_evidence", ["inspection_id"])
    op.create_index("ix_inspection_evidence_sha256", "inspection_evidence", ["sha256"])
    with op.batch_alter_table("inspections") as batch_op:
        batch_op.add_column(sa.Column("sampling_plan_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("lab_reports", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_foreign_key("fk_inspections_sampling_plan", "sampling_plans", ["sampling_plan_id"], ["id"])
        batch_op.create_unique_constraint("uq_inspections_sampling_plan_id", ["sampling_plan_id"])
    with op.batch_alter_table("holders") as batch_op:
        batch_op.add_column(sa.Column("publish_evidence", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("holders") as batch_op:
        batch_op.drop_column("publish_evidence")
    with op.batch_alter_table("inspections") as batch_op:
        batch_op.drop_constraint("uq_inspections_sampling_plan_id", type_="unique")
        batch_op.drop_constraint("fk_inspections_sampling_plan", type_="foreignkey")
        batch_op.drop_column("lab_reports")
        batch_op.drop_column("evidence")
        batch_op.drop_column("sampling_plan_id")
    op.drop_table("inspection_evidence")
    op.drop_table("evidence_uploads")
    op.drop_table("evidence_files")
    op.drop_table("sampling_plans")
