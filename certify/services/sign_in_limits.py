"""Failed sign-ins, limited per login and per client address across every server process.

Each failure is a row in the database, so processes and machines behind one balancer share one
count: five failures a minute per login and twenty per address, then `retry_after` says how long
to wait (the sign-in page answers 429 with `Retry-After`). The page counts each attempt with
`attempt()` before it checks the password, atomically, so concurrent guesses cannot all slip past
the count; a successful sign-in clears its login's failures and its own attempt; rows older than
the window are deleted as new attempts come in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, delete, select

from certify.store.database import Database
from certify.store.tables import SignInFailure

PER_LOGIN = 5
PER_ADDRESS = 20
WINDOW = timedelta(minutes=1)


def _login(login: str) -> str:
    return f"login:{login.strip().lower()}"


def _keys(login: str, address: str) -> dict[str, int]:
    """Each key the attempt counts against, with its limit."""
    return {_login(login): PER_LOGIN, f"address:{address}": PER_ADDRESS}


def _wait(session: Session, keys: dict[str, int], at: datetime) -> int:
    wait = 0.0
    for key, limit in keys.items():
        recent = (
            select(SignInFailure.at)
            .where(SignInFailure.key == key, col(SignInFailure.at) > at - WINDOW)
            .order_by(col(SignInFailure.at).desc())
            .limit(limit)
        )
        times = list(session.exec(recent))
        if len(times) >= limit:  # the oldest of the last `limit` failures must leave the window
            wait = max(wait, (min(times) + WINDOW - at).total_seconds())
    return max(1, math.ceil(wait)) if wait > 0 else 0


def retry_after(*, database: Database, login: str, address: str, now: datetime | None = None) -> int:
    """Whole seconds until this login from this address may try again; 0 when it may now."""
    with database.read() as session:
        return _wait(session, _keys(login, address), now or datetime.now(UTC))


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt counted before its password is checked: `wait` seconds when refused (not
    counted), else 0 and the rows that count it as a failure until `succeeded` removes them."""

    wait: int
    rows: tuple[int, ...] = ()


def attempt(*, database: Database, login: str, address: str, now: datetime | None = None) -> Attempt:
    """Count this attempt against its login and address, atomically and before the password hash
    is computed: the count and the new rows are one transaction, serialised per key (PostgreSQL:
    an advisory lock per key; SQLite: its single writer), so that any number of concurrent
    attempts, from any process or machine, check at most the limit's number of passwords."""
    at = now or datetime.now(UTC)
    keys = _keys(login, address)
    with database.write() as session:
        if database.dialect == "postgresql":
            for key in sorted(keys):  # one order everywhere: no deadlock
                session.execute(
                    text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"certify-sign-in:{key}"}
                )
        session.exec(delete(SignInFailure).where(col(SignInFailure.at) <= at - WINDOW))
        wait = _wait(session, keys, at)
        if wait:
            return Attempt(wait)
        rows = [SignInFailure(key=key, at=at) for key in keys]
        session.add_all(rows)
        session.flush()
        return Attempt(0, tuple(row.id for row in rows if row.id is not None))


def failed(*, database: Database, login: str, address: str, now: datetime | None = None) -> None:
    at = now or datetime.now(UTC)
    with database.write() as session:
        session.exec(delete(SignInFailure).where(col(SignInFailure.at) <= at - WINDOW))
        session.add_all(SignInFailure(key=key, at=at) for key in _keys(login, address))


def succeeded(*, database: Database, login: str, attempt: Attempt | None = None) -> None:
    """Clear the login's failures (and the rows counting `attempt`, its address's included)."""
    with database.write() as session:
        session.exec(delete(SignInFailure).where(col(SignInFailure.key) == _login(login)))
        if attempt is not None and attempt.rows:
            session.exec(delete(SignInFailure).where(col(SignInFailure.id).in_(attempt.rows)))
