"""Failed sign-ins are counted in the database, per login and per address, for one minute (both
back ends)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from certify.services import sign_in_limits
from certify.store.database import Database
from certify.store.tables import SignInFailure

START = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def fail(
    database: Database, times: int, *, login: str = "ayu", address: str = "203.0.113.7", at: datetime = START
) -> None:
    for _ in range(times):
        sign_in_limits.failed(database=database, login=login, address=address, now=at)


def wait(database: Database, *, login: str = "ayu", address: str = "203.0.113.7", at: datetime = START) -> int:
    return sign_in_limits.retry_after(database=database, login=login, address=address, now=at)


def test_five_failures_of_a_login_hold_it_off_until_the_first_is_a_minute_old(database: Database) -> None:
    """Four failures: go ahead; five: wait; the wait ends a minute after the first of them."""
    fail(database, 4)
    assert wait(database) == 0
    fail(database, 1, at=START + timedelta(seconds=20))
    assert wait(database, at=START + timedelta(seconds=30)) == 30
    assert wait(database, login=" AYU ", address="198.51.100.1", at=START + timedelta(seconds=30)) == 30
    assert wait(database, at=START + timedelta(seconds=60)) == 0


def test_twenty_failures_from_one_address_hold_off_every_login_from_it(database: Database) -> None:
    """Guessing across many logins from one address is limited too; other addresses are not."""
    for number in range(20):
        fail(database, 1, login=f"user{number}")
    assert wait(database, login="someone-new") == 60
    assert wait(database, login="someone-new", address="198.51.100.1") == 0


def test_signing_in_clears_the_failures_of_that_login_only(database: Database) -> None:
    """A successful sign-in starts its login afresh; another login's failures still count."""
    fail(database, 5)
    fail(database, 5, login="made", address="198.51.100.1")
    sign_in_limits.succeeded(database=database, login="Ayu")
    assert wait(database) == 0
    assert wait(database, login="made", address="198.51.100.1") == 60


def test_failures_older_than_a_minute_are_deleted_as_new_ones_come(database: Database) -> None:
    """The table does not grow without bound: a later failure removes the expired rows."""
    fail(database, 5)
    fail(database, 1, login="made", address="198.51.100.1", at=START + timedelta(minutes=2))
    with database.read() as session:
        keys = sorted(row.key for row in session.exec(select(SignInFailure)))
    assert keys == ["address:198.51.100.1", "login:made"]


def test_sixty_concurrent_wrong_passwords_for_one_login_get_at_most_five_checked(database: Database) -> None:
    """Issue 12, finding 3: 60 attempts at once once had 28 passwords checked against a limit of 5.
    `attempt()` counts before the hash, atomically: exactly five go ahead, the rest must wait."""
    barrier = threading.Barrier(60, timeout=120)

    def one(number: int) -> int:
        barrier.wait()
        return sign_in_limits.attempt(database=database, login="ayu", address=f"198.51.100.{number}", now=START).wait

    with ThreadPoolExecutor(max_workers=60) as pool:
        waits = list(pool.map(one, range(60)))
    assert waits.count(0) == sign_in_limits.PER_LOGIN
    assert all(wait > 0 for wait in waits if wait)


def test_a_successful_attempt_no_longer_counts_against_its_address(database: Database) -> None:
    """A sign-in that succeeds removes the rows its attempt added: twenty good sign-ins from one
    address leave it free."""
    for _ in range(20):
        attempt = sign_in_limits.attempt(database=database, login="ayu", address="203.0.113.7", now=START)
        assert attempt.wait == 0
        sign_in_limits.succeeded(database=database, login="ayu", attempt=attempt)
    assert wait(database, login="made") == 0
