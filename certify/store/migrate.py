"""Alembic, driven from code so that an installed wheel migrates without an alembic.ini."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from certify.store.database import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x63657274  # "cert": the advisory lock key every certify process migrates under


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply every pending migration to the database at `url` (creating a SQLite file's folder).

    Servers starting together on several machines take turns: the first migrates, the others
    then find nothing to do."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with _migrating(url):
        command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Undo migrations down to `revision` ("base": an empty database), under the same lock."""
    with _migrating(url):
        command.downgrade(alembic_config(url), revision)


@contextmanager
def _migrating(url: str) -> Iterator[None]:
    """Hold the database's migration lock: a PostgreSQL advisory lock, or for a SQLite file an
    flock on `<file>.migrating` beside it (the processes that share a file share a machine),
    removed again when released."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path in ("", ":memory:"):
            yield
            return
        with _file_lock(f"{path}.migrating"):
            yield
        return
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
    finally:
        engine.dispose()


@contextmanager
def _file_lock(path: str) -> Iterator[None]:
    """An exclusive flock on a file at `path` that exists only while it is held.

    The holder removes it before unlocking; a process that was waiting on the removed file finds
    that the path no longer names what it locked, and tries again on the new one."""
    while True:
        with open(path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                continue
            if current.st_ino != os.fstat(lock.fileno()).st_ino:
                continue
            try:
                yield
            finally:
                os.unlink(path)
            return


def current(url: str) -> str | None:
    """The revision the database is at, or None for an empty (or absent) database."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    revision = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    assert revision is not None
    return revision
