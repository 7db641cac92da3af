"""Shared fixtures: the bundled standards, and a migrated database on SQLite and on PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432 (user postgres, trust auth; CERTIFY_TEST_POSTGRES_URL
overrides). Each test session creates its own database there and drops it at the end. When no
server answers, the PostgreSQL variants are skipped, saying so, unless CERTIFY_REQUIRE_POSTGRES=1
(as in CI): then they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from certify.rulebook import Rulebook, load_files
from certify.store import migrate
from certify.store.database import Database

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("CERTIFY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("CERTIFY_REQUIRE_POSTGRES") == "1"
# The standards the service tests use: real bundled files, named so that a standard being
# written elsewhere cannot break these tests.
TEST_STANDARDS = ("rules/wood/2026.1.yaml", "rules/woven/2026.1.yaml")
# The log signs a tree head at most once per CERTIFY_CHECKPOINT_SECONDS (60 by default): the
# tests that issue and verify at once run with every read free to sign a due head (the log
# grown), and tests/api/test_checkpoints.py sets the interval it tests. Servers the tests start
# inherit it.
os.environ.setdefault("CERTIFY_CHECKPOINT_SECONDS", "0")

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE (default `dev`): `ci` (what .ci/run sets)
# derandomises, so a CI run is reproducible, and prints the blob that replays a failure. Neither
# has a deadline: no test may depend on timing.
_SUPPRESSED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_SUPPRESSED)
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, print_blob=True, suppress_health_check=_SUPPRESSED
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_files([ROOT / name for name in TEST_STANDARDS])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "certify.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@contextmanager
def fresh_postgres_database(prefix: str = "certify_test", *, migrated: bool = True) -> Iterator[str]:
    """A new PostgreSQL database, migrated unless told not to, dropped on exit; skipped (or
    failed, when CERTIFY_REQUIRE_POSTGRES=1) where no server answers."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        reason = f"PostgreSQL does not answer at {POSTGRES_URL}: {type(error).__name__}"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (CERTIFY_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        if migrated:
            migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database of this test session, dropped at its end."""
    with fresh_postgres_database() as url:
        yield url


def _empty_postgres(database: Database) -> None:
    """Empty every table (the event record too: its append-only trigger is bypassed for tests)."""
    with database.engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        tables = (
            connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
            .scalars()
            .all()
        )
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the database back end a test runs on; every store test runs on both."""
    name: str = request.param
    return name


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        path = tmp_path / "certify.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def database(database_url: str, backend: str) -> Iterator[Database]:
    """An empty, migrated database on the back end of `backend`."""
    db = Database.connect(database_url, pool_size=20)
    if backend == "postgresql":
        _empty_postgres(db)
    yield db
    db.dispose()
