"""Delivering the outbox: webhooks signed per the Standard Webhooks specification (the
`standardwebhooks` library: `webhook-id`, `webhook-timestamp`, `webhook-signature` headers) and
e-mail through SMTP (`CERTIFY_SMTP_*`).

A batch is claimed with a lease in a short transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL),
sent outside any transaction, and its results written in another. Only the oldest undelivered row
of each stream is claimed, so a subscriber gets a certificate's events in order. A failure is
retried after a backoff doubling from `CERTIFY_OUTBOX_BACKOFF_SECONDS`; after
`CERTIFY_OUTBOX_MAX_ATTEMPTS` tries the row is dead-lettered (`dead_at`, `last_error`), listed
for admins. A server killed mid-batch leaves its rows leased: when the lease ends they are sent
again with the same `webhook-id`, so nothing is lost and a receiver can drop the repeat.
"""

from __future__ import annotations

import smtplib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
from sqlalchemy import and_, exists
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from standardwebhooks import Webhook

from certify.config import Settings
from certify.services.targets import TargetRefused, check_url
from certify.signing import canonical_json
from certify.store.database import Database
from certify.store.tables import Outbox, Subscription

LEASE = timedelta(minutes=2)
WEBHOOK_TIMEOUT_S = 10.0
SENDERS = 32


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0


@dataclass(frozen=True)
class Parcel:
    id: int
    message_id: str
    channel: str
    recipient: str
    payload: dict[str, Any]
    secret: str | None


def deliver_due(
    *, database: Database, settings: Settings, now: datetime | None = None, batch: int = 500
) -> DeliveryReport:
    """Deliver every outbox row that can go now; rounds until none is left to try."""
    report = DeliveryReport()
    with httpx.Client(timeout=WEBHOOK_TIMEOUT_S, follow_redirects=False) as client:
        while True:
            at = now or datetime.now(UTC)
            parcels = _claim(database, at, batch)
            if not parcels:
                return report
            with ThreadPoolExecutor(SENDERS) as pool:
                webhooks = [p for p in parcels if p.channel == "webhook"]
                results = dict(
                    zip(
                        (p.id for p in webhooks),
                        pool.map(lambda p: _send_webhook(client, settings, p), webhooks),
                        strict=True,
                    )
                )
            results |= _send_mail(settings, [p for p in parcels if p.channel == "email"])
            _record(database, settings, at, results, report)


def _claim(database: Database, at: datetime, batch: int) -> list[Parcel]:
    earlier = aliased(Outbox)
    blocked = exists().where(
        and_(
            col(earlier.stream) == col(Outbox.stream),
            col(earlier.id) < col(Outbox.id),
            col(earlier.delivered_at).is_(None),
            col(earlier.dead_at).is_(None),
        )
    )
    query = (
        select(Outbox)
        .where(
            col(Outbox.delivered_at).is_(None),
            col(Outbox.dead_at).is_(None),
            col(Outbox.next_attempt_at) <= at,
            (col(Outbox.lease_until).is_(None)) | (col(Outbox.lease_until) <= at),
            ~blocked,
        )
        .order_by(col(Outbox.id))
        .limit(batch)
    )
    if database.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Outbox)
    with database.write() as session:
        rows = list(session.exec(query).all())
        secrets = dict(
            session.exec(
                select(Subscription.id, Subscription.secret).where(
                    col(Subscription.id).in_({r.subscription_id for r in rows if r.subscription_id})
                )
            ).all()
        )
        for row in rows:
            row.lease_until = at + LEASE
            session.add(row)
        return [
            Parcel(r.id or 0, r.message_id, r.channel, r.recipient, r.payload, secrets.get(r.subscription_id or 0))
            for r in rows
        ]


def _send_webhook(client: httpx.Client, settings: Settings, parcel: Parcel) -> str | None:
    """None when delivered (a 2xx answer), else why not."""
    try:
        check_url(
            parcel.recipient, allow_http=settings.webhook_allow_http, allow_private=settings.webhook_allow_private
        )
    except TargetRefused as refused:
        return f"refused: {refused}"
    body = canonical_json(parcel.payload).decode()
    stamp = datetime.now(UTC)  # the receiver checks it against its own clock
    headers = {
        "content-type": "application/json",
        "webhook-id": parcel.message_id,
        "webhook-timestamp": str(int(stamp.timestamp())),
        "webhook-signature": Webhook(parcel.secret or "").sign(parcel.message_id, stamp, body),
    }
    try:
        answer = client.post(parcel.recipient, content=body, headers=headers)
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"[:500]
    return None if 200 <= answer.status_code < 300 else f"answered {answer.status_code}"


def _send_mail(settings: Settings, parcels: list[Parcel]) -> dict[int, str | None]:
    if not parcels:
        return {}
    if not settings.smtp_host:
        return {p.id: "no SMTP server configured (CERTIFY_SMTP_HOST)" for p in parcels}
    results: dict[int, str | None] = {}
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            for parcel in parcels:
                try:
                    smtp.send_message(mail(settings, parcel))
                    results[parcel.id] = None
                except smtplib.SMTPException as error:
                    results[parcel.id] = f"{type(error).__name__}: {error}"[:500]
    except (OSError, smtplib.SMTPException) as error:
        for parcel in parcels:
            results.setdefault(parcel.id, f"{type(error).__name__}: {error}"[:500])
    return results


def mail(settings: Settings, parcel: Parcel) -> EmailMessage:
    """The e-mail of an outbox row: its own subject and text, or a certificate event's."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = parcel.recipient
    message["Message-ID"] = f"<{parcel.message_id}@certify>"
    payload = parcel.payload
    if "subject" in payload:
        message["Subject"] = str(payload["subject"])
        message.set_content(str(payload.get("text", "")))
        return message
    data = payload.get("data", {})
    certificate, status, reason = data.get("certificate_id"), data.get("status"), data.get("reason")
    message["Subject"] = f"{certificate}: {status}"
    message.set_content(
        f"Status sertifikat {certificate}: {status}" + (f" ({reason})" if reason else "") + "\n\n"
        f"Certificate {certificate} status: {status}" + (f" ({reason})" if reason else "") + "\n"
    )
    return message


def _record(
    database: Database, settings: Settings, at: datetime, results: dict[int, str | None], report: DeliveryReport
) -> None:
    with database.write() as session:
        rows = session.exec(select(Outbox).where(col(Outbox.id).in_(list(results)))).all()
        for row in rows:
            error = results[row.id or 0]
            row.attempts += 1
            row.lease_until = None
            if error is None:
                row.delivered_at, row.last_error = at, None
                report.delivered += 1
            else:
                row.last_error = error
                if row.attempts >= settings.outbox_max_attempts:
                    row.dead_at = at
                    report.dead += 1
                else:
                    delay = settings.outbox_backoff_seconds * 2 ** (row.attempts - 1)
                    row.next_attempt_at = at + timedelta(seconds=delay)
                    report.failed += 1
            session.add(row)
