"""`certify db upgrade` and `certify users add` against a fresh data directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from certify.cli import main
from certify.config import settings
from certify.services import accounts
from certify.store.database import Database


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CERTIFY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CERTIFY_DATABASE_URL", raising=False)
    settings.cache_clear()
    yield tmp_path / "data"
    settings.cache_clear()


def test_users_add_prints_a_token_once_that_signs_in(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`db upgrade` creates the SQLite file in the data dir; `users add --json` prints id and token."""
    assert main(["db", "upgrade"]) == 0
    assert (data_dir / "certify.db").exists()
    capsys.readouterr()
    assert main(["users", "add", "--role", "inspector", "--name", "Ayu Lestari", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    database = Database.connect(f"sqlite:///{data_dir / 'certify.db'}", pool_size=1)
    user = accounts.authenticate(database=database, token=printed["token"])
    database.dispose()
    assert user is not None and user.id == printed["id"] and user.role == "inspector"


def test_an_artisan_without_a_holder_is_refused_in_one_line(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 1 with one line saying an artisan belongs to a holder."""
    assert main(["db", "upgrade"]) == 0
    assert main(["users", "add", "--role", "artisan", "--name", "Ibu Sri"]) == 1
    assert "belongs to a holder" in capsys.readouterr().err


def test_serve_with_an_unusable_key_secret_stops_before_serving_in_one_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong CERTIFY_SIGNING_KEYS ends `certify serve` with exit 1 and a line naming it."""
    monkeypatch.setenv("CERTIFY_SIGNING_KEYS", "not a secret")
    monkeypatch.setenv("CERTIFY_ISSUER_NAME", "Lembaga Sertifikasi Uji")
    settings.cache_clear()
    assert main(["serve", "--port", "1"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("certify serve: the signing keys: CERTIFY_SIGNING_KEYS is not a key ring")
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1
