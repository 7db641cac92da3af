"""The database handle: one engine per process, sessions opened and closed inside a unit of work.

No session outlives the function that needs it (a session held by a request-scoped dependency
starves the pool under load). On SQLite every connection runs `synchronous=FULL` (an acknowledged
write is on disk) and foreign keys on; writes start with `BEGIN IMMEDIATE`, so that two writers
queue on the busy timeout instead of one failing on a stale snapshot. Within one process the
writers queue first on a lock of their own: SQLite's busy handler sleeps ever longer
between tries (up to 100 ms), so threads of one worker polling the file lock would leave it idle
while they sleep. WAL mode is a property of the file, set once by the first migration.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_S = 30


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        pool_size=pool_size,
        max_overflow=0,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_engine(url: str, *, pool_size: int = 40) -> Engine:
    """An engine for `url`: SQLite (file) or PostgreSQL (`postgresql+psycopg://`)."""
    if is_sqlite(url):
        return _sqlite_engine(url, pool_size)
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True)


class Database:
    """Units of work over one engine: `read()` for queries, `write()` for changes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        # SQLite has one writer at a time: this process's writers wait their turn here (see above).
        self._write_turn: AbstractContextManager[object] = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        self._own: Any = None  # SQLite: the DB-API connection `row` keeps for itself
        self._own_turn = threading.Lock()

    @classmethod
    def connect(cls, url: str, *, pool_size: int = 40) -> Database:
        return cls(make_engine(url, pool_size=pool_size))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; rolled back and closed at the end."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed when the block ends without an exception."""
        with self._write_turn, Session(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A bare connection for Core queries (no ORM session, no identity map); rolled back at
        the end. For hot paths that read a few columns: `read()` otherwise."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A bare connection in a write transaction (as `write()`, without a session): committed
        when the block ends without an exception, rolled back otherwise."""
        with self._write_turn, self._writer.begin() as connection:
            yield connection

    def row(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row of one statement in the driver's own SQL, read now, outside any transaction
        (its own snapshot: nothing older than the last commit, whichever process made it). On
        SQLite through a connection kept for these reads (the pool's checkout, rollback and return
        cost as much as the read), or the pool's while another thread is using it."""
        if self.engine.dialect.name == "sqlite" and self._own_turn.acquire(blocking=False):
            try:
                if self._own is None:
                    fairy = self.engine.raw_connection()  # made as the pool makes them (autocommit)
                    fairy.detach()  # the pool opens another in its place
                    self._own = fairy.dbapi_connection
                cursor = self._own.cursor()
                try:
                    found = cursor.execute(sql, parameters).fetchone()
                finally:
                    cursor.close()  # resets the statement: its read snapshot ends here
            finally:
                self._own_turn.release()
        else:
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute(sql, parameters)
                found = cursor.fetchone()
                cursor.close()
            finally:
                connection.close()  # back to the pool, which rolls back
        return None if found is None else tuple(found)

    def dispose(self) -> None:
        with self._own_turn:
            own, self._own = self._own, None
            if own is not None:
                own.close()
        self.engine.dispose()
