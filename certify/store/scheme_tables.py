"""The tables of the scheme over time: due actions, the outbox, subscriptions, complaints.

`due_actions` is the queue of work that falls due (one row per certificate, kind and instant,
unique); a row is claimed with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (by the single
writer on SQLite) and marked done in the transaction that applies its effect.

`outbox` holds deliveries written in the same transaction as the change they announce: generic
(a kind, a JSON payload, a channel and a recipient), delivered in order per `stream`, retried with
backoff, dead-lettered after a bounded number of tries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    from certify.store.tables import now

    return now()


class DueAction(SQLModel, table=True):
    __tablename__ = "due_actions"
    __table_args__ = (
        UniqueConstraint("certificate_ref", "kind", "due_at"),
        Index("ix_due_actions_pending", "done_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    certificate_ref: int = Field(foreign_key="certificates.id", index=True)
    kind: str = Field(max_length=32)  # surveillance_reminder | surveillance_overdue | expiry_reminder | expiry
    due_at: datetime
    about: date  # the day the surveillance or the expiry falls on
    done_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=32)  # applied | moot


class Outbox(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "delivered_at", "dead_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=64, unique=True)  # webhook-id / Message-ID: receivers dedupe on it
    kind: str = Field(max_length=64)  # the event, e.g. certificate.suspended, reminder.surveillance
    channel: str = Field(max_length=8)  # webhook | email
    recipient: str = Field(max_length=2048)  # the URL or the address
    stream: str = Field(max_length=64, index=True)  # deliveries of one stream go in order
    subscription_id: int | None = Field(default=None, foreign_key="subscriptions.id")
    payload: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(default_factory=_now)
    next_attempt_at: datetime
    attempts: int = 0
    lease_until: datetime | None = None
    delivered_at: datetime | None = None
    dead_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_type=Text)


class Subscription(SQLModel, table=True):
    """A buyer's or marketplace's subscription to a certificate's status."""

    __tablename__ = "subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    certificate_ref: int = Field(foreign_key="certificates.id", index=True)
    channel: str = Field(max_length=8)  # webhook | email
    target: str = Field(max_length=2048)
    secret: str | None = Field(default=None, max_length=128)  # webhooks: the signing secret
    token_hash: str | None = Field(default=None, max_length=64, unique=True)  # e-mail: confirmation link
    created_at: datetime = Field(default_factory=_now)
    confirmed_at: datetime | None = None  # webhooks: at once; e-mail: when the link is followed


class Complaint(SQLModel, table=True):
    """A complaint (anyone) or an appeal (a holder's artisan), handled by an uninvolved certifier."""

    __tablename__ = "complaints"

    id: int | None = Field(default=None, primary_key=True)
    tracking_id: str = Field(max_length=32, unique=True)
    kind: str = Field(max_length=16)  # complaint | appeal
    certificate_ref: int | None = Field(default=None, foreign_key="certificates.id", index=True)
    inspection_id: int | None = Field(default=None, foreign_key="inspections.id")
    message: str = Field(sa_type=Text)
    contact: str | None = Field(default=None, max_length=254)
    filed_by: int | None = Field(default=None, foreign_key="users.id")
    filed_at: datetime = Field(default_factory=_now)
    due_on: date
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    outcome: str | None = Field(default=None, max_length=16)  # upheld | dismissed
    answer: str | None = Field(default=None, sa_type=Text)
    closed_at: datetime | None = None
