"""Users and their API tokens. A token is shown once; only its SHA-256 is stored. Every token
expires (`TOKEN_DAYS` days unless asked otherwise); an expired one is refused, saying so."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Literal, LiteralString, cast

import anyio.to_thread
import sqlalchemy as sql
from sqlalchemy import bindparam
from sqlmodel import col, select, update

from certify.core.printable import refusal
from certify.core.text import Text
from certify.services import events
from certify.services.errors import Invalid, NotFound
from certify.services.principal import ROLES, Principal, Role
from certify.store.database import Database
from certify.store.row_reads import RowReadFailed, RowReads
from certify.store.tables import ApiToken, Credential, Holder, User, WebSession

TOKEN_PREFIX = "cfy_"  # noqa: S105  (a visible marker on tokens, not a secret)
TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3660


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _expiry(days: int) -> datetime:
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise Invalid(
            Text(
                en=f"a token lives from 1 to {MAX_TOKEN_DAYS} days, not {days}",
                id=f"token berlaku 1 sampai {MAX_TOKEN_DAYS} hari, bukan {days}",
            )
        )
    return datetime.now(UTC) + timedelta(days=days)


def create_user(
    *,
    database: Database,
    role: str,
    name: str,
    holder_id: int | None = None,
    actor_id: int | None = None,
    days: int = TOKEN_DAYS,
    email: str | None = None,
) -> tuple[Principal, str]:
    """Create a user and a first token valid for `days`; returns the user and the token (shown
    only now). `email`: where reminders before surveillance and expiry reach them."""
    expires_at = _expiry(days)
    if role not in ROLES:
        raise Invalid(
            Text(
                en=f"role must be one of {', '.join(ROLES)}, not {role!r}",
                id=f"peran harus salah satu dari {', '.join(ROLES)}, bukan {role!r}",
            )
        )
    if not name.strip():
        raise Invalid(Text(en="name must not be empty", id="nama tidak boleh kosong"))
    refused = refusal("the name", name)
    if refused is not None:
        raise Invalid(refused)
    if role == "artisan" and holder_id is None:
        raise Invalid(
            Text(
                en="an artisan belongs to a holder: give its id",
                id="perajin termasuk dalam satu pemegang: sebutkan id-nya",
            )
        )
    if role != "artisan" and holder_id is not None:
        raise Invalid(Text(en="only an artisan belongs to a holder", id="hanya perajin yang termasuk dalam pemegang"))
    if email is not None and not re.fullmatch(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}", email):
        raise Invalid(Text(en=f"{email!r} is not an e-mail address", id=f"{email!r} bukan alamat e-mail"))
    token = new_token()
    with database.write() as session:
        if holder_id is not None and session.get(Holder, holder_id) is None:
            raise NotFound(Text(en=f"no holder {holder_id}", id=f"tidak ada pemegang {holder_id}"))
        user = User(name=name.strip(), role=role, holder_id=holder_id, email=email)
        session.add(user)
        session.flush()
        assert user.id is not None
        session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), expires_at=expires_at))
        events.record(
            session,
            actor_id=actor_id,
            action="user.created",
            subject_type="user",
            subject_id=user.id,
            detail={"role": role, "holder_id": holder_id},
        )
        return principal_of(user), token


def issue_token(
    *,
    database: Database,
    user_id: int,
    actor_id: int | None = None,
    days: int = TOKEN_DAYS,
) -> str:
    """A new token for an existing user, valid for `days`; earlier tokens stay valid until revoked
    or expired."""
    expires_at = _expiry(days)
    token = new_token()
    with database.write() as session:
        if session.get(User, user_id) is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        session.add(ApiToken(user_id=user_id, token_hash=token_hash(token), expires_at=expires_at))
        events.record(
            session,
            actor_id=actor_id,
            action="token.issued",
            subject_type="user",
            subject_id=user_id,
            detail={"expires_at": expires_at.isoformat()},
        )
    return token


def revoke_tokens(*, database: Database, user_id: int, actor_id: int | None = None) -> int:
    """Revoke every live token of a user; returns how many were revoked."""
    with database.write() as session:
        if session.get(User, user_id) is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        result = session.exec(
            update(ApiToken)
            .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        count = int(result.rowcount)
        events.record(
            session,
            actor_id=actor_id,
            action="token.revoked",
            subject_type="user",
            subject_id=user_id,
            detail={"tokens": count},
        )
        return count


@dataclass(frozen=True)
class Revocation:
    """What revoking a user ended: live API tokens, open browser sessions, the page password."""

    tokens: int
    sessions: int
    password: bool


def revoke_user(*, database: Database, user_id: int, actor_id: int | None = None) -> Revocation:
    """End everything a user signs in with, at once and in one transaction: every live API token,
    every open browser session and the password of the pages. Every request of every process reads
    these rows (nothing is cached), so the user's next request anywhere is refused."""
    at = datetime.now(UTC)
    with database.write() as session:
        if session.get(User, user_id) is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        tokens = session.exec(
            update(ApiToken)
            .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=at)
        )
        sessions = session.exec(
            update(WebSession)
            .where(col(WebSession.user_id) == user_id, col(WebSession.ended_at).is_(None))
            .values(ended_at=at)
        )
        password = session.exec(
            update(Credential)
            .where(col(Credential.user_id) == user_id, col(Credential.disabled_at).is_(None))
            .values(disabled_at=at)
        )
        revocation = Revocation(
            tokens=int(tokens.rowcount), sessions=int(sessions.rowcount), password=bool(password.rowcount)
        )
        events.record(
            session,
            actor_id=actor_id,
            action="user.revoked",
            subject_type="user",
            subject_id=user_id,
            detail={"tokens": revocation.tokens, "sessions": revocation.sessions, "password": revocation.password},
        )
        return revocation


_OWNER_ROW = (  # built once (SQLAlchemy keeps its compiled form): an unrevoked token's user and expiry
    sql.select(col(User.id), col(User.name), col(User.role), col(User.holder_id), col(ApiToken.expires_at))
    .join(ApiToken, col(ApiToken.user_id) == col(User.id))
    .where(col(ApiToken.token_hash) == bindparam("hash"), col(ApiToken.revoked_at).is_(None))
)
_OWNER_ROW_ON_LOOP: LiteralString = (
    "SELECT t.token_hash, u.id, u.name, u.role, u.holder_id, t.expires_at"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = ANY(%s) AND t.revoked_at IS NULL"
)
"""`_OWNER_ROW` on PostgreSQL for `RowReads`, keyed by the token's hash."""

Bearer = Principal | Literal["expired"] | None
"""Who sends a token: its user while it is live, "expired" when it is known and unrevoked but past
its expiry, None when it is unknown or revoked."""


def _bearer_of(found: Sequence[Any] | None, now: datetime) -> Bearer:
    if found is None:
        return None
    user_id, name, role, holder_id, expires_at = found
    if (expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)) <= now:
        return "expired"
    return Principal(id=user_id, name=name, role=cast(Role, role), holder_id=holder_id)


def bearer(*, database: Database, token: str) -> Bearer:
    """Who sends `token`, read now (nothing is cached: a revocation is seen at once, by every
    process): one prepared statement on a pooled connection, no session, no ORM object."""
    with database.engine.connect() as connection:
        found = connection.execute(_OWNER_ROW, {"hash": token_hash(token)}).first()
    return _bearer_of(found, datetime.now(UTC))


async def bearer_on_loop(*, database: Database, reads: RowReads, token: str) -> Bearer:
    """`bearer` on PostgreSQL, from the event loop: the row read after the request arrived, in a
    transaction of its own (`RowReads`), no trip to a worker thread; through the engine's pool
    in a thread when the server cannot be reached that way."""
    try:
        row = await reads.row(_OWNER_ROW_ON_LOOP, token_hash(token))
    except RowReadFailed:
        return await anyio.to_thread.run_sync(partial(bearer, database=database, token=token))
    return _bearer_of(None if row is None else row[1:], datetime.now(UTC))


def authenticate(*, database: Database, token: str) -> Principal | None:
    """The user a live token (neither revoked nor expired) belongs to, or None."""
    found = bearer(database=database, token=token)
    return found if isinstance(found, Principal) else None


def token_expired(*, database: Database, token: str) -> bool:
    """Whether `token` is a known, unrevoked token past its expiry (to tell its holder why it fails)."""
    return bearer(database=database, token=token) == "expired"


def list_users(*, database: Database) -> list[Principal]:
    with database.read() as session:
        return [principal_of(user) for user in session.exec(select(User).order_by(col(User.id)))]


def principal_of(user: User) -> Principal:
    assert user.id is not None
    return Principal(id=user.id, name=user.name, role=cast(Role, user.role), holder_id=user.holder_id)
