"""The store's guarantees on both back ends: durable SQLite settings, migrations, an append-only
event record, and serial numbers that stay unique and gap-free under concurrent issuers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from pathlib import Path
from threading import Barrier

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, col, select

from certify.services import events
from certify.store import migrate, serials
from certify.store.database import Database
from certify.store.tables import Event, SerialCounter
from tests.conftest import fresh_postgres_database


def test_sqlite_runs_in_wal_mode_with_full_synchronous_writes(tmp_path: Path) -> None:
    """WAL is set by the migration; every connection writes with synchronous=FULL (2)."""
    url = f"sqlite:///{tmp_path / 'certify.db'}"
    migrate.upgrade(url)
    database = Database.connect(url, pool_size=2)
    with database.read() as session:
        assert session.exec(text("PRAGMA journal_mode")).scalar_one() == "wal"  # type: ignore[call-overload]
        assert session.exec(text("PRAGMA synchronous")).scalar_one() == 2  # type: ignore[call-overload]
        assert session.exec(text("PRAGMA foreign_keys")).scalar_one() == 1  # type: ignore[call-overload]
    database.dispose()


def test_upgrading_twice_is_harmless_and_reaches_the_head(tmp_path: Path) -> None:
    """`certify db upgrade` can run at every start: the second run changes nothing."""
    url = f"sqlite:///{tmp_path / 'sub' / 'certify.db'}"
    assert migrate.current(url) is None
    migrate.upgrade(url)
    migrate.upgrade(url)
    assert migrate.current(url) == migrate.head()


def test_on_sqlite_a_certificates_pdf_is_its_last_column_and_upgrading_keeps_every_value(tmp_path: Path) -> None:
    """Migration 0017 rebuilds `certificates` with `pdf` last (reading `pdf_sha256` or `history`
    no longer walks the PDF's overflow pages): a certificate stored before reads back the same."""
    path = tmp_path / "certify.db"
    migrate.upgrade(f"sqlite:///{path}", "0016")
    pdf = bytes(range(256)) * 800  # larger than a page: stored in overflow pages
    values = {
        "id": 7, "serial": "2026-000007", "year": 2026, "number": 7, "inspection_id": 3, "decision_id": 4,
        "holder_id": 1, "product_id": 2, "standard_id": "wood", "standard_version": "2026.1",
        "content_hash": "ab" * 32, "grade": "utama", "total": "91.5", "issued_at": "2026-12-06 10:00:00",
        "valid_from": "2026-12-06", "valid_until": "2029-12-05", "status": "valid",
        "certificate_id": "CFY-TEST", "record": '{"v":1}', "signature": "sig", "key_id": "k1", "pdf": pdf,
        "pdf_sha256": "cd" * 32, "superseded_by_id": None, "history": '[{"status":"valid"}]', "surveillance_due": "2027-12-06",
        "surveillances_kept": 1,
    }  # fmt: skip
    with sqlite3.connect(path) as connection:  # foreign keys off: the row alone
        columns = ", ".join(values)
        connection.execute(
            f"INSERT INTO certificates ({columns}) VALUES ({', '.join('?' * len(values))})", [*values.values()]
        )
    migrate.upgrade(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as connection:
        connection.row_factory = sqlite3.Row
        assert [row["name"] for row in connection.execute("PRAGMA table_info(certificates)")][-1] == "pdf"
        assert dict(connection.execute("SELECT * FROM certificates").fetchone()) == values
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_servers_starting_together_migrate_one_after_another(backend: str, tmp_path: Path) -> None:
    """Four processes upgrading one empty database at once all succeed, and it is at the head."""
    with ExitStack() as stack:
        url = (
            f"sqlite:///{tmp_path / 'certify.db'}"
            if backend == "sqlite"
            else stack.enter_context(fresh_postgres_database(migrated=False))
        )
        code = f"from certify.store import migrate; migrate.upgrade({url!r})"
        starts = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [process.communicate()[1] for process in starts]
        assert [process.returncode for process in starts] == [0] * 4, errors
        assert migrate.current(url) == migrate.head()


def test_the_migrated_schema_is_the_one_the_tables_describe(database: Database) -> None:
    """Alembic's autogenerate finds nothing to add, drop or change (both back ends)."""
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_the_event_record_refuses_updates_and_deletes(database: Database) -> None:
    """A trigger in the database stops any UPDATE or DELETE on events, whoever sends it."""
    with database.write() as session:
        events.record(session, actor_id=None, action="test.appended", subject_type="test", subject_id=1)
    for statement in ("UPDATE events SET action = 'forged'", "DELETE FROM events"):
        with pytest.raises(DBAPIError, match="append-only"), database.write() as session:
            session.exec(text(statement))  # type: ignore[call-overload]
    with database.read() as session:
        assert [e.action for e in session.exec(select(Event))] == ["test.appended"]


def test_serials_are_unique_and_gap_free_under_concurrent_issuers(database: Database) -> None:
    """Sixteen threads each take a number in their own transaction: exactly 1..16."""
    barrier = Barrier(8, timeout=120)

    def take(_: int) -> int:
        barrier.wait() if _ < 8 else None
        with database.write() as session:
            return serials.next_number(session, 2031)

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(take, range(16)))
    assert sorted(numbers) == list(range(1, 17))


def test_a_rolled_back_issuance_gives_its_number_back(database: Database) -> None:
    """A transaction that fails after taking a number leaves no gap."""
    with database.write() as session:
        assert serials.next_number(session, 2032) == 1
    with pytest.raises(RuntimeError), database.write() as session:
        assert serials.next_number(session, 2032) == 2
        raise RuntimeError("rendering failed")
    with database.write() as session:
        assert serials.next_number(session, 2032) == 2
    with database.read() as session:
        counter = session.exec(select(SerialCounter).where(col(SerialCounter.year) == 2032)).one()
        assert counter.last == 2


def test_serials_restart_each_year(database: Database) -> None:
    """Each year has its own counter."""
    with database.write() as session:
        assert [serials.next_number(session, y) for y in (2033, 2033, 2034)] == [1, 2, 1]
    assert serials.serial(2033, 7) == "2033-000007"


def _counters(database: Database, *rows: tuple[int, int]) -> None:
    with database.writing() as connection:
        for year, last in rows:
            connection.execute(text("INSERT INTO serial_counters (year, last) VALUES (:y, :l)"), {"y": year, "l": last})


def _last(database: Database) -> int:
    """The first of several rows: a read that stops before the statement ends."""
    placeholder = "?" if database.dialect == "sqlite" else "%s"
    row = database.row(f"SELECT last FROM serial_counters WHERE year >= {placeholder} ORDER BY year", (2040,))
    assert row is not None
    return int(row[0])


def test_a_row_read_sees_what_another_server_committed_after_the_previous_read(
    database: Database, database_url: str
) -> None:
    """A certificate suspended by another server is seen on the next read: a row read keeps no
    snapshot, even where it keeps its connection and stopped reading before the statement's end."""
    _counters(database, (2040, 1), (2041, 1))
    assert _last(database) == 1
    other = Database.connect(database_url, pool_size=1)  # another server's
    try:
        with other.writing() as connection:
            connection.execute(text("UPDATE serial_counters SET last = 2 WHERE year = 2040"))
        assert _last(database) == 2
    finally:
        other.dispose()


def test_row_reads_from_threads_at_once_each_get_their_row(database: Database) -> None:
    """Eight threads reading together (one through the kept connection, the rest through the
    pool) each read the row as it is."""
    _counters(database, (2040, 7))
    barrier = Barrier(8, timeout=120)

    def read(_: int) -> list[int]:
        barrier.wait()
        return [_last(database) for _ in range(50)]

    with ThreadPoolExecutor(8) as pool:
        assert {last for reads in pool.map(read, range(8)) for last in reads} == {7}


def test_row_reads_go_on_after_the_database_is_disposed(database: Database) -> None:
    """`dispose` closes the kept connection too; the next read opens what it needs."""
    _counters(database, (2040, 3))
    assert _last(database) == 3
    database.dispose()
    assert _last(database) == 3
