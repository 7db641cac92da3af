"""The scheme over time: due actions, the outbox, subscriptions, complaints and appeals; the next
surveillance of a certificate, the certificate a surveillance inspection surveys, users' e-mail.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "due_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_ref", sa.Integer(), nullable=False),
        sa.Column("kind", sqltypes.AutoString(length=32), nullable=False),
        sa.Column("due_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("about", sa.Date(), nullable=False),
        sa.Column("done_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("outcome", sqltypes.AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_ref"],
            ["certificates.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_ref", "kind", "due_at"),
    )
    with op.batch_alter_table("due_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_due_actions_certificate_ref"), ["certificate_ref"], unique=False)
        batch_op.create_index("ix_due_actions_pending", ["done_at", "due_at"], unique=False)

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_ref", sa.Integer(), nullable=False),
        sa.Column("channel", sqltypes.AutoString(length=8), nullable=False),
        sa.Column("target", sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("secret", sqltypes.AutoString(length=128), nullable=True),
        sa.Column("token_hash", sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_ref"],
            ["certificates.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscriptions_certificate_ref"), ["certificate_ref"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_id", sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("certificate_ref", sa.Integer(), nullable=True),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("contact", sqltypes.AutoString(length=254), nullable=True),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sqltypes.AutoString(length=16), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("closed_at", sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["certificate_ref"],
            ["certificates.id"],
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tracking_id"),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_certificate_ref"), ["certificate_ref"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("channel", sqltypes.AutoString(length=8), nullable=False),
        sa.Column("recipient", sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("stream", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("delivered_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("dead_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["delivered_at", "dead_at", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_stream"), ["stream"], unique=False)

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("surveillance_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("surveillances_kept", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("surveys_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_inspections_surveys_id"), ["surveys_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sqltypes.AutoString(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_surveys_id"))
        batch_op.drop_column("surveys_id")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("surveillances_kept")
        batch_op.drop_column("surveillance_due")
    for table in ("outbox", "complaints", "subscriptions", "due_actions"):
        op.drop_table(table)
