"""`certify holders add|list` and `certify products add`: workshops and products from a script."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from certify.cli import main
from certify.config import settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CERTIFY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CERTIFY_DATABASE_URL", raising=False)
    settings.cache_clear()
    assert main(["db", "upgrade"]) == 0
    yield tmp_path / "data"
    settings.cache_clear()


def test_a_workshop_and_its_product_are_registered(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    holder_args = ["holders", "add", "--name", "Batik Ibu Sri", "--province", "Jawa Tengah", "--craft", "batik"]
    assert main([*holder_args, "--address", "Jl. Laweyan 3", "--contact", "+62 812 3456 7890", "--json"]) == 0
    holder = json.loads(capsys.readouterr().out)
    assert holder["address"] == "Jl. Laweyan 3" and holder["crafts"] == ["batik"]
    product_args = ["products", "add", "--holder", str(holder["id"]), "--name", "Kain tulis"]
    assert main([*product_args, "--category", "batik_tulis"]) == 0
    assert capsys.readouterr().out.startswith("product ")
    assert main(["holders", "list"]) == 0
    assert "Batik Ibu Sri\tJawa Tengah\tbatik\t+62 812 3456 7890" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["products", "add", "--holder", "1", "--name", "Sarung", "--category", "sarung_typo"], "'sarung_typo'"),
        (["products", "add", "--holder", "99", "--name", "Kain", "--category", "batik_tulis"], "no holder 99"),
        (["holders", "add", "--name", "X", "--province", "Bali", "--craft", "Batik"], "--craft 'Batik'"),
    ],
)
def test_a_bad_registration_is_one_line_naming_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["holders", "add", "--name", "Tenun", "--province", "Bali", "--craft", "weaving"]) == 0
    capsys.readouterr()
    assert main(args) == 1
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1
