"""Passwords for the pages: Argon2id hashes (argon2-cffi), checked in constant work per attempt."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from certify.services import events
from certify.services.accounts import principal_of
from certify.services.errors import Invalid, NotFound
from certify.services.principal import Principal
from certify.store.database import Database
from certify.store.tables import Credential, User, now

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the login is unknown, so that a wrong name costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash("certify: no such login")


def set_password(
    *,
    database: Database,
    user_id: int,
    login: str,
    password: str,
    actor_id: int | None = None,
) -> None:
    """Give a user a login name and password for the pages (replacing any earlier ones)."""
    login = _well_formed(login)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    digest = _hasher.hash(password)
    with database.write() as session:
        if session.get(User, user_id) is None:
            raise NotFound(f"no user {user_id}")
        _refuse_if_taken(session, login, user_id)
        row = session.get(Credential, user_id)
        if row is None:
            session.add(Credential(user_id=user_id, login=login, password_hash=digest))
        else:
            row.login, row.password_hash, row.updated_at, row.disabled_at = login, digest, now(), None
            session.add(row)
        events.record(session, actor_id=actor_id, action="password.set", subject_type="user", subject_id=user_id)


def check_new_login(*, database: Database, login: str) -> None:
    """Refuse, before a user is made for it, a login that `set_password` would refuse."""
    with database.read() as session:
        _refuse_if_taken(session, _well_formed(login), None)


def _well_formed(login: str) -> str:
    login = login.strip().lower()
    if not login or len(login) > 100 or any(c.isspace() for c in login):
        raise Invalid("a login is 1-100 characters without spaces")
    return login


def _refuse_if_taken(session: Session, login: str, user_id: int | None) -> None:
    taken = session.exec(select(Credential).where(Credential.login == login)).first()
    if taken is not None and taken.user_id != user_id:
        raise Invalid(f"the login {login!r} is taken")


def disable_password(*, database: Database, user_id: int, actor_id: int | None = None) -> None:
    """Stop a user signing in to the pages (their sessions end at their next request)."""
    with database.write() as session:
        row = session.get(Credential, user_id)
        if row is not None and row.disabled_at is None:
            row.disabled_at = now()
            session.add(row)
        events.record(session, actor_id=actor_id, action="password.disabled", subject_type="user", subject_id=user_id)


def check_password(*, database: Database, login: str, password: str) -> Principal | None:
    """The user with this login and password, or None (unknown login, wrong password, disabled)."""
    with database.read() as session:
        found = session.exec(
            select(Credential, User)
            .join(User, User.id == Credential.user_id)  # type: ignore[arg-type]
            .where(Credential.login == login.strip().lower())
        ).first()
    stored = found[0].password_hash if found else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None or found[0].disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(stored):
        _rehash(database, found[0].user_id, password)
    return principal_of(found[1])


def logins(*, database: Database) -> dict[int, str]:
    """Every login that may sign in, by user id (one query, for the admin page)."""
    with database.read() as session:
        rows = session.exec(select(Credential).where(col(Credential.disabled_at).is_(None)))
        return {row.user_id: row.login for row in rows}


def _rehash(database: Database, user_id: int, password: str) -> None:
    with database.write() as session:
        row = session.get(Credential, user_id)
        if row is not None:
            row.password_hash = _hasher.hash(password)
            session.add(row)
