"""`certify users authorise USER_ID --standard ID [--from DATE] [--until DATE]`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from certify.cli import main
from certify.config import settings
from certify.services import competence
from certify.store.database import Database


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CERTIFY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CERTIFY_DATABASE_URL", raising=False)
    settings.cache_clear()
    yield tmp_path / "data"
    settings.cache_clear()


def test_authorise_records_each_standard_with_its_period(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["users", "add", "--role", "inspector", "--name", "Ayu Lestari", "--json"]) == 0
    user_id = json.loads(capsys.readouterr().out)["id"]
    argv = ["users", "authorise", str(user_id), "--standard", "ceramics", "--standard", "batik"]
    assert main([*argv, "--from", "2026-01-01", "--until", "2027-12-31"]) == 0
    printed = capsys.readouterr().out
    assert f"user {user_id} is authorised for ceramics from 2026-01-01 until 2027-12-31" in printed
    database = Database.connect(f"sqlite:///{data_dir / 'certify.db'}", pool_size=1)
    try:
        with database.read() as session:
            for standard, day, expected in (
                ("ceramics", date(2026, 6, 1), True),
                ("batik", date(2027, 12, 31), True),
                ("batik", date(2028, 1, 1), False),
                ("wood", date(2026, 6, 1), False),
            ):
                assert competence.authorised(session, user_id=user_id, standard_id=standard, day=day) is expected
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--standard", "pottery"], "no standard 'pottery' is installed"),
        (["--standard", "Wood!"], "'Wood!' is not a standard ID"),
        (["--standard", "wood", "--from", "2026-05-02", "--until", "2026-05-01"], "before it starts"),
    ],
)
def test_a_bad_authorisation_is_one_line_naming_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["users", "add", "--role", "certifier", "--name", "Hendra", "--json"]) == 0
    user_id = json.loads(capsys.readouterr().out)["id"]
    assert main(["users", "authorise", str(user_id), *args]) == 1
    error = capsys.readouterr().err
    assert says in error and "Traceback" not in error and len(error.strip().splitlines()) == 1


def test_an_unknown_user_is_named(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["users", "authorise", "99", "--standard", "wood"]) == 1
    assert "no user 99" in capsys.readouterr().err
