"""API tokens expire: 90 days by default, `--days N` otherwise; an expired token is refused, saying so."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import col, select, update

from certify.api import deps
from certify.cli import main
from certify.cli import users as users_command
from certify.services import accounts
from certify.services.errors import Invalid
from certify.store import migrate
from certify.store.database import Database
from certify.store.row_reads import RowReads
from certify.store.tables import ApiToken

from .conftest import World


def _expiry(database: Database, token: str) -> datetime:
    with database.read() as session:
        found = session.exec(select(ApiToken.expires_at).where(ApiToken.token_hash == accounts.token_hash(token))).one()
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _expire(database: Database, token: str) -> None:
    with database.write() as session:
        session.exec(
            update(ApiToken)
            .where(col(ApiToken.token_hash) == accounts.token_hash(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )


def test_a_new_token_lives_ninety_days_unless_asked_otherwise(database: Database, world: World) -> None:
    """The first token of a user and a reissued one with `days` carry their expiry."""
    ninety = _expiry(database, world["inspector"].token) - datetime.now(UTC)
    assert timedelta(days=89, hours=23) < ninety <= timedelta(days=90)
    week = accounts.issue_token(database=database, user_id=world["inspector"].id, days=7)
    assert timedelta(days=6, hours=23) < _expiry(database, week) - datetime.now(UTC) <= timedelta(days=7)


def test_an_expired_token_is_refused_with_401_saying_it_expired(
    client: TestClient,
    database: Database,
    world: World,
) -> None:
    """Past its expiry a token no longer signs in; the answer says why, and a new token works."""
    inspector = world["inspector"]
    assert client.get("/api/v1/me", headers=inspector.headers).status_code == 200
    _expire(database, inspector.token)
    refused = client.get("/api/v1/me", headers=inspector.headers)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "expired" in refused.json()["detail"]
    fresh = accounts.issue_token(database=database, user_id=inspector.id)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_an_unknown_or_revoked_token_is_not_called_expired(
    client: TestClient,
    database: Database,
    world: World,
) -> None:
    """Only a known, unrevoked token is told that it expired."""
    artisan = world["artisan"]
    _expire(database, artisan.token)
    accounts.revoke_tokens(database=database, user_id=artisan.id)
    for headers in (artisan.headers, {"Authorization": "Bearer cfy_nothing"}):
        refused = client.get("/api/v1/me", headers=headers)
        assert refused.status_code == 401
        assert "expired" not in refused.json()["detail"]


@pytest.mark.parametrize("days", [0, -1, accounts.MAX_TOKEN_DAYS + 1])
def test_a_token_lifetime_outside_one_day_to_ten_years_is_refused(
    database: Database,
    world: World,
    days: int,
) -> None:
    """No token that never works, and none that effectively never expires."""
    with pytest.raises(Invalid, match="days"):
        accounts.issue_token(database=database, user_id=world["admin"].id, days=days)
    with pytest.raises(Invalid, match="days"):
        accounts.create_user(database=database, role="admin", name="Another", days=days)


def test_the_users_commands_take_days(
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`certify users add --days N` and `certify users token ID --days N` set the expiry."""
    monkeypatch.setattr(users_command, "_database", lambda: database)
    assert main(["users", "add", "--role", "admin", "--name", "Ops", "--days", "3", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert main(["users", "token", str(added["id"]), "--days", "30"]) == 0
    reissued = capsys.readouterr().out.strip()
    now = datetime.now(UTC)
    assert timedelta(days=2, hours=23) < _expiry(database, added["token"]) - now <= timedelta(days=3)
    assert timedelta(days=29, hours=23) < _expiry(database, reissued) - now <= timedelta(days=30)


def test_tokens_issued_before_the_migration_get_ninety_days(tmp_path: Path) -> None:
    """Upgrading a database from 0004 keeps its tokens working, now with an expiry 90 days out."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO users (name, role, created_at) VALUES ('Old', 'admin', :t)"), {"t": datetime.now(UTC)}
        )
        connection.execute(
            text("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (1, :h, :t)"),
            {"h": accounts.token_hash("cfy_old"), "t": datetime.now(UTC)},
        )
    engine.dispose()
    migrate.upgrade(url)
    database = Database.connect(url, pool_size=1)
    try:
        assert accounts.authenticate(database=database, token="cfy_old") is not None
        left = _expiry(database, "cfy_old") - datetime.now(UTC)
        assert timedelta(days=89, hours=23) < left <= timedelta(days=90)
    finally:
        database.dispose()


def test_who_sends_a_token_is_read_on_the_event_loop_and_a_revocation_is_seen_at_once(
    database: Database, world: World, app_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token's check takes no trip to a worker thread (SQLite from the loop; PostgreSQL
    through the app's `RowReads`), says why a token fails in the same read, and sees a
    revocation or an expiry at the very next request: nothing is cached."""

    def no_thread(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a trip to a worker thread")

    state = app_for(database).state.certify
    inspector = world["inspector"]
    expiring = accounts.issue_token(database=database, user_id=world["certifier"].id)

    async def ask() -> list[accounts.Bearer]:
        if database.dialect == "postgresql":
            state.row_reads = RowReads(database.engine.url.render_as_string(hide_password=False))
        try:
            with monkeypatch.context() as patched:
                patched.setattr(anyio.to_thread, "run_sync", no_thread)
                live = await deps.bearer_of(state, inspector.token)
                expiring_live = await deps.bearer_of(state, expiring)
                unknown = await deps.bearer_of(state, "cfy_unknown")
                accounts.revoke_tokens(database=database, user_id=inspector.id)
                _expire(database, expiring)
                return [
                    live,
                    expiring_live,
                    unknown,
                    *[await deps.bearer_of(state, t) for t in (inspector.token, expiring)],
                ]
        finally:
            if state.row_reads is not None:
                await state.row_reads.close()

    live, expiring_live, unknown, revoked, expired = asyncio.run(ask())
    assert live == inspector.user and expiring_live == world["certifier"].user
    assert unknown is None and revoked is None and expired == "expired"
