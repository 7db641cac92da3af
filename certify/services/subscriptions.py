"""Subscriptions to a certificate's status: by webhook (answered with a signing secret; Standard
Webhooks) or by e-mail, confirmed by a link sent to the address (double opt-in). Every status
change, surveillance result and supersession of the certificate is then delivered through the
outbox (`certify.services.outbox`, `certify.services.delivery`)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlmodel import select

from certify.config import Settings
from certify.core.errors import Problem
from certify.core.text import Text
from certify.services import outbox
from certify.services.errors import Invalid, NotFound
from certify.services.lookup import certificate_typed
from certify.services.models import Input
from certify.services.targets import TargetRefused, check_url
from certify.store.database import Database
from certify.store.tables import Subscription

EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$"


class SubscriptionCreate(Input):
    certificate_id: str = Field(min_length=1, max_length=64)
    url: str | None = Field(default=None, max_length=2048, description="a webhook: https URL receiving signed POSTs")
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL, description="e-mail, confirmed by a link")


class SubscriptionPublic(BaseModel):
    id: int
    channel: str
    secret: str | None = Field(
        description="webhooks: the Standard Webhooks secret (whsec_…) to check signatures; shown once"
    )
    confirmed: bool


def subscribe(
    *, database: Database, settings: Settings, body: SubscriptionCreate, now: datetime | None = None
) -> SubscriptionPublic:
    at = now or datetime.now(UTC)
    if (body.url is None) == (body.email is None):
        raise Invalid("name either url (a webhook) or email", [Problem("name either url or email", ())])
    if body.url is not None:
        try:
            # literal addresses and localhost now; names are resolved and checked at each delivery
            check_url(
                body.url,
                allow_http=settings.webhook_allow_http,
                allow_private=settings.webhook_allow_private,
                resolve=False,
            )
        except TargetRefused as refused:
            raise Invalid(refused.text, [Problem(refused.text.en, ("url",))]) from None
    with database.write() as session:
        certificate = certificate_typed(session, body.certificate_id)
        if body.url is not None:
            secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
            row = Subscription(
                certificate_ref=certificate.id or 0,
                channel="webhook",
                target=body.url,
                secret=secret,
                created_at=at,
                confirmed_at=at,
            )
            session.add(row)
            session.flush()
            return SubscriptionPublic(id=row.id or 0, channel="webhook", secret=secret, confirmed=True)
        assert body.email is not None
        token = secrets.token_urlsafe(24)
        row = Subscription(
            certificate_ref=certificate.id or 0,
            channel="email",
            target=body.email,
            token_hash=_hash(token),
            created_at=at,
        )
        session.add(row)
        session.flush()
        link = f"{settings.public_url.rstrip('/')}/api/v1/subscriptions/confirm/{token}"
        text = Text(
            en=f"Follow this link to receive the status of certificate {certificate.certificate_id}: {link}\n"
            "If you did not ask for it, ignore this message.",
            id=f"Buka tautan ini untuk menerima status sertifikat {certificate.certificate_id}: {link}\n"
            "Jika Anda tidak memintanya, abaikan pesan ini.",
        )
        outbox.enqueue(
            session,
            kind="subscription.confirm",
            channel="email",
            recipient=body.email,
            payload={
                "subject": "Konfirmasi langganan / Confirm your subscription",
                "text": f"{text.id}\n\n{text.en}\n",
            },
            at=at,
        )
        return SubscriptionPublic(id=row.id or 0, channel="email", secret=None, confirmed=False)


def confirm(*, database: Database, token: str, now: datetime | None = None) -> SubscriptionPublic:
    with database.write() as session:
        row = session.exec(select(Subscription).where(Subscription.token_hash == _hash(token))).first()
        if row is None:
            raise NotFound(Text(en="this confirmation link is unknown", id="tautan konfirmasi ini tidak dikenal"))
        if row.confirmed_at is None:
            row.confirmed_at = now or datetime.now(UTC)
            session.add(row)
        return SubscriptionPublic(id=row.id or 0, channel=row.channel, secret=None, confirmed=True)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
