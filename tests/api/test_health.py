"""Probes a load balancer relies on: /healthz says the process is up, /readyz that the database
answers with the schema this release needs, and a 503 problem when it does not."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.store import migrate
from certify.store.database import Database

PROBLEM = "application/problem+json"


def test_healthz_answers_ok_to_anyone(client: TestClient) -> None:
    """No token needed; the answer is not cached by a proxy."""
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert answer.headers["cache-control"] == "no-store"


def test_readyz_answers_ready_with_the_schema_revision_of_a_migrated_database(client: TestClient) -> None:
    """A migrated database that answers: 200, and the revision it is at."""
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "schema_revision": migrate.head()}


def test_readyz_is_a_503_problem_when_the_database_cannot_be_opened(tmp_path: Path, rulebook: Rulebook) -> None:
    """An unreachable database: 503 problem+json with Retry-After, and /healthz still says ok."""
    unreachable = Database.connect(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'certify.db'}", pool_size=1)
    app = create_app(Settings(data_dir=tmp_path), database=unreachable, rulebook=rulebook)
    with TestClient(app) as client:
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.headers["content-type"] == PROBLEM
        assert answer.headers["retry-after"] == "1"
        assert "does not answer" in answer.json()["detail"]
        assert client.get("/healthz").status_code == 200
    unreachable.dispose()


def test_readyz_is_a_503_until_the_database_is_upgraded(tmp_path: Path, rulebook: Rulebook) -> None:
    """A database at an older schema is not ready, and the problem names the command to run."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0001")
    database = Database.connect(url, pool_size=1)
    app = create_app(Settings(data_dir=tmp_path), database=database, rulebook=rulebook)
    with TestClient(app) as client:
        before = client.get("/readyz")
        assert before.status_code == 503
        assert "0001" in before.json()["detail"] and "certify db upgrade" in before.json()["detail"]
        migrate.upgrade(url)
        assert client.get("/readyz").status_code == 200
    database.dispose()


def test_both_probes_are_in_the_openapi_document_with_the_503(client: TestClient) -> None:
    """The API description lists the probes and the 503 problem of /readyz."""
    paths = client.get("/openapi.json").json()["paths"]
    assert "200" in paths["/healthz"]["get"]["responses"]
    assert {"200", "503"} <= set(paths["/readyz"]["get"]["responses"])


def test_readyz_stays_ready_on_a_schema_newer_than_this_release(tmp_path: Path, rulebook: Rulebook) -> None:
    """A rolling upgrade migrates first: old processes with an unknown (newer) revision stay in."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    migrate.upgrade(url)
    database = Database.connect(url, pool_size=1)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    app = create_app(Settings(data_dir=tmp_path), database=database, rulebook=rulebook)
    with TestClient(app) as client:
        answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.json()["schema_revision"] == "9999_future"
    database.dispose()
