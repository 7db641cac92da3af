"""The transactional outbox: what is to be delivered, written in the transaction of the change it
announces, so that a change and its announcements commit together or not at all.

Generic: a row is an event kind, a JSON payload, a channel (`webhook`, `email`) and a recipient;
`stream` orders deliveries (one stream per subscription, or per recipient address): the next of a
stream goes only once the one before it is delivered or dead. `certify.services.delivery` sends.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from certify.signing.jwk import rfc3339
from certify.store.tables import Certificate, Outbox, Subscription


def message_id() -> str:
    """A unique message id (webhook-id; the e-mail's Message-ID): receivers deduplicate on it."""
    return f"msg_{uuid.uuid4().hex}"


def enqueue(
    session: Session,
    *,
    kind: str,
    channel: str,
    recipient: str,
    payload: dict[str, Any],
    at: datetime,
    stream: str | None = None,
    subscription_id: int | None = None,
) -> None:
    """One delivery, in the caller's transaction (generic: any event, any recipient)."""
    session.add(
        Outbox(
            message_id=message_id(),
            kind=kind,
            channel=channel,
            recipient=recipient,
            stream=stream or f"{channel}:{recipient}"[:64],
            subscription_id=subscription_id,
            payload=payload,
            created_at=at,
            next_attempt_at=at,
        )
    )


def certificate_event(
    session: Session,
    *,
    certificate: Certificate,
    event: str,
    status: str,
    at: datetime,
    reason: str | None,
    successor: str | None,
) -> None:
    """A certificate's status change, surveillance result or supersession, to every confirmed
    subscriber of that certificate: one outbox row each, in one statement's worth of rows."""
    assert certificate.id is not None
    payload = {
        "type": f"certificate.{event}",
        "timestamp": rfc3339(at),
        "data": {
            "certificate_id": certificate.certificate_id,
            "event": event,
            "status": status,
            "reason": reason,
            "successor": successor,
        },
    }
    subscribers = session.exec(
        select(Subscription.id, Subscription.channel, Subscription.target).where(
            Subscription.certificate_ref == certificate.id, col(Subscription.confirmed_at).is_not(None)
        )
    ).all()
    rows = [
        {
            "message_id": message_id(),
            "kind": payload["type"],
            "channel": channel,
            "recipient": target,
            "stream": f"subscription:{subscription_id}",
            "subscription_id": subscription_id,
            "payload": payload,
            "created_at": at,
            "next_attempt_at": at,
            "attempts": 0,
        }
        for subscription_id, channel, target in subscribers
    ]
    if rows:
        session.execute(insert(Outbox), rows)
