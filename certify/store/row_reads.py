"""Rows read by key on the event loop, for PostgreSQL: a few autocommit psycopg connections per
process, and the keys asked for while every one is busy gathered into the next read.

A read through the engine's pool costs several round trips (the pool's ping, `BEGIN`, the query,
the reset's `ROLLBACK`) and a trip to a worker thread. `RowReads` sends one prepared statement
(`… WHERE key = ANY(%s)`) for every key asked for since a reader was last free: under load, one
round trip answers many requests. A key never joins a read already sent, so every answer was
read after it was asked for, in its own transaction (autocommit): it sees every change committed
before the request arrived, whichever server made it. Opened in the app's lifespan, on its event
loop (an async connection belongs to the loop that opened it), closed at its end.
"""

from __future__ import annotations

import asyncio
from typing import Any, LiteralString

import psycopg
from sqlalchemy import make_url

Row = tuple[Any, ...]


class RowReadFailed(Exception):
    """The server could not be reached or dropped the connection, twice: read another way."""


CONNECTIONS = 4
"""Reads in flight at once, per process: a request waits for a read only when all are busy."""


def conninfo(url: str) -> str:
    """The libpq URI of a SQLAlchemy URL (`postgresql+psycopg://…` → `postgresql://…`)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class RowReads:
    """`row(sql, key)`: the row of `sql` (its first column the key, its one parameter the list of
    keys) whose key is `key`, or None. Up to CONNECTIONS reads in flight; the keys asked for
    while all are busy go together into the next one."""

    def __init__(self, url: str, *, connections: int = CONNECTIONS) -> None:
        self.conninfo = conninfo(url)
        self._size = connections
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._asked: dict[LiteralString, dict[str, list[asyncio.Future[Row | None]]]] = {}
        self._readers: set[asyncio.Task[None]] = set()
        self._starting = False  # a reader that has not yet taken what is asked: it will take this too

    async def row(self, sql: LiteralString, key: str) -> Row | None:
        answer: asyncio.Future[Row | None] = asyncio.get_running_loop().create_future()
        self._asked.setdefault(sql, {}).setdefault(key, []).append(answer)
        if not self._starting and len(self._readers) < self._size:
            self._starting = True
            reader = asyncio.create_task(self._read_all())
            self._readers.add(reader)
            reader.add_done_callback(self._readers.discard)
        return await answer

    async def _read_all(self) -> None:
        """Until nothing is asked: one read for everything asked before it was sent."""
        connection = self._idle.pop() if self._idle else None
        try:
            while self._asked:
                self._starting = False
                sql = next(iter(self._asked))
                asked = self._asked.pop(sql)
                try:
                    rows, connection = await self._rows(connection, sql, list(asked))
                except Exception as error:  # every request of this read learns it
                    connection = None
                    for answers in asked.values():
                        for answer in answers:
                            if not answer.done():
                                answer.set_exception(error)
                    continue
                found = {row[0]: row for row in rows}
                for key, answers in asked.items():
                    for answer in answers:
                        if not answer.done():  # not cancelled (a client gone)
                            answer.set_result(found.get(key))
        finally:
            self._starting = False
            if connection is not None and not connection.closed:
                self._idle.append(connection)

    async def _rows(
        self, connection: psycopg.AsyncConnection[Any] | None, sql: LiteralString, keys: list[str]
    ) -> tuple[list[Row], psycopg.AsyncConnection[Any]]:
        """The rows of `sql` for `keys`, and the connection that read them; a connection the
        server dropped (a restart) is replaced once."""
        for attempt in (1, 2):
            reused = connection is not None
            try:
                if connection is None:
                    connection = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
                cursor = await connection.execute(sql, (keys,), prepare=True)
                return [tuple(row) for row in await cursor.fetchall()], connection
            except psycopg.OperationalError as error:
                if connection is not None:
                    await connection.close()
                connection = None
                if not (reused and attempt == 1):
                    raise RowReadFailed(str(error)) from error
            except BaseException:
                if connection is not None:
                    await connection.close()
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def close(self) -> None:
        await asyncio.gather(*self._readers, return_exceptions=True)
        while self._idle:
            await self._idle.pop().close()
