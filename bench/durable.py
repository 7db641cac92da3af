"""Rows written with the database's own driver and no certify code, with certify's durability:
the yardsticks of `bench/api.py` (the raw insert) and `bench/floor_app.py` (the stack's floor).

SQLite: WAL, `synchronous=FULL`, foreign keys on, a transaction as `BEGIN IMMEDIATE` … `COMMIT`
(as certify writes). PostgreSQL: psycopg with `synchronous_commit` on (the server's default,
checked), `BEGIN` … `COMMIT`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Json
from sqlalchemy import create_engine, text

Row = dict[str, Any]


class Durable:
    """One connection to the database of `url` (a SQLAlchemy URL, as certify is given)."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            self.connection: Any = psycopg.connect(
                url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
            )
            assert self.connection.execute("SHOW synchronous_commit").fetchone()[0] == "on"
            self.mark, self.begin = "%s", "BEGIN"
        else:
            path = url.removeprefix("sqlite:///")
            self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self.connection.execute("PRAGMA synchronous=FULL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            assert self.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            self.mark, self.begin = "?", "BEGIN IMMEDIATE"

    def insert(self, table: str, row: Row) -> int:
        """Insert `row`, return its new id."""
        columns, marks = ", ".join(row), ", ".join(self.mark for _ in row)
        values = tuple(Json(v) if isinstance(v, dict | list) else v for v in row.values())
        found = self.connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", values)
        new_id: int = found.fetchone()[0]
        return new_id

    def rows(self, sql: str, *args: object) -> list[Row]:
        """The rows `sql` (with `?` marks) finds, as dicts without their ids."""
        cursor = self.connection.execute(sql.replace("?", self.mark), args)
        names = [d[0] for d in cursor.description]
        found = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        for row in found:
            del row["id"]
        return found

    def transaction(self, write: Any) -> Any:
        """`write()` in one durable transaction; what it returns."""
        self.connection.execute(self.begin)
        try:
            done = write()
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")
        return done

    def written_for(self, inspection_id: int) -> dict[str, list[Row]]:
        """The rows that accepting `inspection_id` wrote, by table, without their ids."""
        return {
            "inspections": self.rows("SELECT * FROM inspections WHERE id = ?", inspection_id),
            "inspection_evidence": self.rows(
                "SELECT * FROM inspection_evidence WHERE inspection_id = ?", inspection_id
            ),
            "idempotency_keys": self.rows("SELECT * FROM idempotency_keys WHERE inspection_id = ?", inspection_id),
            "events": self.rows(
                "SELECT * FROM events WHERE subject_type = 'inspection' AND subject_id = ?", inspection_id
            ),
        }

    def insert_accepted(self, written: dict[str, list[Row]], *, plan_id: int, key: str) -> int:
        """The rows of `written` again, for a new inspection on `plan_id` with the Idempotency-Key
        `key`, in one durable transaction; the new inspection's id."""

        def write() -> int:
            new_id = self.insert("inspections", {**written["inspections"][0], "sampling_plan_id": plan_id})
            for link in written["inspection_evidence"]:
                self.insert("inspection_evidence", {**link, "inspection_id": new_id})
            for row in written["idempotency_keys"]:
                self.insert("idempotency_keys", {**row, "key": key, "inspection_id": new_id})
            for event in written["events"]:
                self.insert("events", {**event, "subject_id": new_id})
            return new_id

        new_id: int = self.transaction(write)
        return new_id

    def close(self) -> None:
        self.connection.close()


POSTGRES = os.environ.get("CERTIFY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def database_url(data_dir: Path, postgres: bool) -> Iterator[str]:
    """A SQLite file in `data_dir`, or a fresh PostgreSQL database (made on CERTIFY_BENCH_POSTGRES_URL's
    server, default the local one, and dropped at the end)."""
    if not postgres:
        yield f"sqlite:///{data_dir / 'certify.db'}"
        return
    name = f"certify_bench_{os.getpid()}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
