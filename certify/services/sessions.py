"""Browser sessions: a random token in an HttpOnly cookie, its SHA-256 and a CSRF token stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select, update

from certify.services.accounts import principal_of
from certify.services.principal import Principal
from certify.store.database import Database
from certify.store.tables import Credential, User, WebSession, now

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: Principal
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(*, database: Database, user_id: int) -> str:
    """A new session for the user; returns the cookie's token (shown only now)."""
    token = secrets.token_urlsafe(32)
    with database.write() as session:
        session.add(
            WebSession(
                token_hash=_digest(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                expires_at=now() + SESSION_LIFETIME,
            )
        )
    return token


def signed_in(*, database: Database, token: str) -> SignedIn | None:
    """Who a session cookie belongs to, if the session is live and the user may still sign in."""
    with database.read() as session:
        found = session.exec(
            select(WebSession, User)
            .join(User, col(User.id) == col(WebSession.user_id))
            .join(Credential, col(Credential.user_id) == col(User.id))
            .where(
                WebSession.token_hash == _digest(token),
                col(WebSession.ended_at).is_(None),
                col(Credential.disabled_at).is_(None),
            )
        ).first()
    if found is None or _aware(found[0].expires_at) <= datetime.now(UTC):
        return None
    return SignedIn(principal_of(found[1]), found[0].csrf_token)


def end_session(*, database: Database, token: str) -> None:
    with database.write() as session:
        session.exec(update(WebSession).where(col(WebSession.token_hash) == _digest(token)).values(ended_at=now()))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
