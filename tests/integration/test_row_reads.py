"""Rows read by key on the event loop (PostgreSQL): requests that arrive together share a read,
each gets its own row, and a read made after a change sees it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from certify.store.database import Database
from certify.store.row_reads import RowReads

pytestmark = pytest.mark.postgres

STATUS = "SELECT certificate_id, status FROM certificates WHERE certificate_id = ANY(%s)"


@pytest.fixture
def statuses(postgres_url: str) -> Iterator[Database]:
    """A table of IDs and statuses of its own (the test's, not the app's), dropped afterwards: the
    database is the worker's, and the schema test compares it with the app's tables."""
    database = Database.connect(postgres_url, pool_size=2)
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS row_reads_test"))
        connection.execute(text("CREATE TABLE row_reads_test (certificate_id TEXT PRIMARY KEY, status TEXT)"))
        connection.execute(
            text("INSERT INTO row_reads_test SELECT 'ID-' || n, 'valid' FROM generate_series(1, 50) AS n")
        )
    yield database
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE row_reads_test"))
    database.dispose()


def test_requests_asked_together_each_get_their_own_row_or_none(postgres_url: str, statuses: Database) -> None:
    """Fifty IDs and an unknown one asked at once: each its own row, the unknown one None."""
    sql = STATUS.replace("certificates", "row_reads_test")

    async def ask() -> list[tuple[object, ...] | None]:
        reads = RowReads(postgres_url)
        try:
            return await asyncio.gather(*(reads.row(sql, f"ID-{n}") for n in range(1, 52)))  # type: ignore[arg-type]
        finally:
            await reads.close()

    rows = asyncio.run(ask())
    assert rows[:50] == [(f"ID-{n}", "valid") for n in range(1, 51)]
    assert rows[50] is None
    statuses.dispose()


def test_reads_never_open_more_connections_than_they_are_given(
    postgres_url: str, statuses: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CERTIFY_PUBLIC_READ_CONNECTIONS: a hundred requests at once, over at most two connections."""
    sql = STATUS.replace("certificates", "row_reads_test")
    opened: list[object] = []
    connect = psycopg.AsyncConnection.connect

    async def counted(*args: Any, **kwargs: Any) -> psycopg.AsyncConnection[Any]:
        opened.append(args)
        return await connect(*args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncConnection, "connect", counted)

    async def ask() -> list[tuple[object, ...] | None]:
        reads = RowReads(postgres_url, connections=2)

        async def one(n: int) -> tuple[object, ...] | None:
            await asyncio.sleep(n % 20 / 2000)  # arriving while earlier reads are in flight
            return await reads.row(sql, f"ID-{n % 50 + 1}")  # type: ignore[arg-type]

        try:
            return await asyncio.gather(*(one(n) for n in range(100)))
        finally:
            await reads.close()

    rows = asyncio.run(ask())
    assert rows == [(f"ID-{n % 50 + 1}", "valid") for n in range(100)]
    assert 1 <= len(opened) <= 2
    statuses.dispose()


def test_a_change_committed_elsewhere_is_seen_by_the_next_read(postgres_url: str, statuses: Database) -> None:
    """Another server suspends a certificate: the next read on the same connection says so."""
    sql = STATUS.replace("certificates", "row_reads_test")

    async def before_and_after() -> tuple[object, object]:
        reads = RowReads(postgres_url)
        try:
            before = await reads.row(sql, "ID-7")  # type: ignore[arg-type]
            with statuses.engine.begin() as connection:
                connection.execute(text("UPDATE row_reads_test SET status = 'suspended' WHERE certificate_id = 'ID-7'"))
            return before, await reads.row(sql, "ID-7")  # type: ignore[arg-type]
        finally:
            await reads.close()

    assert asyncio.run(before_and_after()) == (("ID-7", "valid"), ("ID-7", "suspended"))
    statuses.dispose()
