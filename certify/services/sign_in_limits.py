"""Failed sign-ins, limited per login and per client address across every server process.

Each failure is a row in the database, so processes and machines behind one balancer share one
count: five failures a minute per login and twenty per address, then `retry_after` says how long
to wait (the sign-in page answers 429 with `Retry-After`). A successful sign-in clears its
login's failures; rows older than the window are deleted as new failures come in.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlmodel import col, delete, select

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


def retry_after(*, database: Database, login: str, address: str, now: datetime | None = None) -> int:
    """Whole seconds until this login from this address may try again; 0 when it may now."""
    at = now or datetime.now(UTC)
    wait = 0.0
    with database.read() as session:
        for key, limit in _keys(login, address).items():
            recent = (select(SignInFailure.at).where(SignInFailure.key == key, col(SignInFailure.at) > at - WINDOW)
                      .order_by(col(SignInFailure.at).desc()).limit(limit))
            times = list(session.exec(recent))
            if len(times) >= limit:  # the oldest of the last `limit` failures must leave the window
                wait = max(wait, (min(times) + WINDOW - at).total_seconds())
    return max(1, math.ceil(wait)) if wait > 0 else 0


def failed(*, database: Database, login: str, address: str, now: datetime | None = None) -> None:
    at = now or datetime.now(UTC)
    with database.write() as session:
        session.exec(delete(SignInFailure).where(col(SignInFailure.at) <= at - WINDOW))
        session.add_all(SignInFailure(key=key, at=at) for key in _keys(login, address))


def succeeded(*, database: Database, login: str) -> None:
    with database.write() as session:
        session.exec(delete(SignInFailure).where(col(SignInFailure.key) == _login(login)))
