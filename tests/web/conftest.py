"""The pages over a migrated database (SQLite and PostgreSQL) with a small world: every user has a
password."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.services import passwords
from certify.store.database import Database
from tests.api.conftest import World, build_world

PASSWORD = "correct horse battery"


@pytest.fixture
def web_world(database: Database, tmp_path: Path) -> tuple[Database, World, Settings]:
    """The small world over an empty database of each back end, every user with a password."""
    world = build_world(database)
    for key, person in world.people.items():
        passwords.set_password(database=database, user_id=person.id, login=key, password=PASSWORD)
    return database, world, Settings(data_dir=tmp_path, render_workers=0, public_read_rate_per_second=0)


@pytest.fixture
def app(web_world: tuple[Database, World, Settings], rulebook: Rulebook) -> object:
    database, _world, settings = web_world
    return create_app(settings, database=database, rulebook=rulebook)


@pytest.fixture
def browser_client(app: object) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as client:  # type: ignore[arg-type]
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/sign-in").text)
    answer = client.post("/sign-in", data={"login": login, "password": password, "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
