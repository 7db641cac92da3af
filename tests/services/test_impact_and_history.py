"""Revision impact over a real store (batches, certificates, the CLI) and the lot history that sets
the ISO 2859-1 severity of the next lot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from certify.cli import main
from certify.config import settings
from certify.core.inspection import Inspection as Measured
from certify.core.scoring import score
from certify.core.standard import Standard
from certify.rulebook import bundled
from certify.services.impact import impacts
from certify.services.lot_history import switching_for
from certify.store.database import Database
from certify.store.tables import Holder, Inspection, Product, User

BOOK = bundled()  # the installed standards: both versions of batik


def _store(database: Database, standard: Standard, bodies: list[dict[str, Any]]) -> list[int]:
    ids = []
    with database.write() as session:
        holder = Holder(name="Batik Test", owner="Ibu Tes", province="DI Yogyakarta", region="Bantul", crafts=["batik"])
        session.add(holder)
        session.flush()
        product = Product(holder_id=holder.id, name="kain", category="batik_cap")  # type: ignore[arg-type]
        session.add(product)
        session.flush()
        for body in bodies:
            assessment = score(standard, Measured.model_validate(body)).to_dict()
            row = Inspection(
                product_id=product.id,  # type: ignore[arg-type]
                holder_id=holder.id,  # type: ignore[arg-type]
                inspector_id=1,
                standard_id=standard.id,
                standard_version=standard.version,
                content_hash=assessment["standard"]["content_hash"],
                lot=body["lot"],
                facts=body["facts"],
                measurements=body["measurements"],
                defects=body.get("defects", {}),
                assessment=assessment,
                certified=assessment["certified"],
                grade=assessment["grade"]["id"] if assessment["grade"] else None,
                total=assessment["total"],
            )
            session.add(row)
            session.flush()
            ids.append(row.id)  # type: ignore[arg-type]
    return ids


def _inspector(database: Database) -> None:
    with database.write() as session:
        session.add(User(id=1, name="Ayu Lestari", role="inspector"))


@pytest.fixture
def stored_batik(database: Database) -> list[int]:
    """Seven 2026.1 batik inspections: the certified worked examples, repeated."""
    old = BOOK.get("batik@2026.1")
    bodies = [e.inspection for e in old.examples if e.expect.certified] * 3
    _inspector(database)
    return _store(database, old, bodies)


def test_every_inspection_is_rescored_in_batches_and_missing_facts_are_named(
    database: Database, stored_batik: list[int]
) -> None:
    old, new = BOOK.get("batik@2026.1"), BOOK.get("batik@2026.2")
    found = list(impacts(database=database, old=old, new=new, batch=2))
    assert [f.inspection_id for f in found] == stored_batik
    assert {f.impact.outcome for f in found} == {"needs_facts"}
    assert found[0].impact.missing_facts == ("markets", "wearer", "batikmark")
    assert found[0].impact.dropped_facts == ("market",)


def test_stated_facts_let_the_new_tests_bound_the_outcome(database: Database, stored_batik: list[int]) -> None:
    """For the EU, 2026.2 wants formaldehyde, perspiration and pH results 2026.1 never asked."""
    old, new = BOOK.get("batik@2026.1"), BOOK.get("batik@2026.2")
    assumed = {"markets": ["eu"], "wearer": "adult", "batikmark": False}
    found = list(impacts(database=database, old=old, new=new, assumed=assumed))
    assert {f.impact.outcome for f in found} == {"depends_on_new_tests"}
    assert all({"MAT-07", "FIN-15", "FIN-16"} <= set(f.impact.missing_measurements) for f in found)


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("CERTIFY_DATABASE_URL", database_url)
    monkeypatch.setenv("CERTIFY_DATA_DIR", str(tmp_path / "data"))
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_the_cli_prints_a_summary_and_json_lines(
    cli_database: None, stored_batik: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "impact", "batik@2026.1", "batik@2026.2"]) == 0
    out = capsys.readouterr().out
    assert f"{len(stored_batik)} inspection(s): {len(stored_batik)} cannot re-score" in out
    assumed = ["--assume", 'markets=["id"]', "--assume", 'wearer="adult"', "--assume", "batikmark=false"]
    assert main(["rules", "impact", "batik@2026.1", "batik@2026.2", "--json", *assumed]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(stored_batik) + 1 and "summary" in records[-1]
    assert records[0]["before"]["certified"] is True and records[0]["dropped_facts"] == ["market"]


def test_the_cli_refuses_nonsense_in_one_line(cli_database: None, capsys: pytest.CaptureFixture[str]) -> None:
    for args, said in (
        (["batik@2026.1", "wood@2026.2"], "different standards"),
        (["batik", "batik@2026.2"], "name a version"),
        (["batik@2026.1", "batik@2026.2", "--assume", "markets"], "FACT=JSON"),
        (["batik@2026.1", "batik@2026.2", "--assume", "colour=1"], "declares no fact colour"),
        (["batik@2026.1", "batik@2099.1"], "no standard"),
    ):
        assert main(["rules", "impact", *args]) != 0
        assert said in capsys.readouterr().err


def test_two_rejected_lots_in_five_tighten_the_next_one(database: Database) -> None:
    """The lot history is read from the stored assessments of this holder's product."""
    standard = BOOK.get("batik@2026.1")
    good = next(e.inspection for e in standard.examples if e.expect.certified)
    rejected = {**good, "lot": {"size": 500}, "defects": {"critical": 0, "major": 9, "minor": 0}}
    _inspector(database)
    ids = _store(database, standard, [good, rejected, good, rejected])
    with database.read() as session:
        row = session.get(Inspection, ids[-1])
        assert row is not None
        found = switching_for(session, holder_id=row.holder_id, product_id=row.product_id, standard_id="batik")
        other = switching_for(session, holder_id=row.holder_id, product_id=row.product_id + 1, standard_id="batik")
    assert found.severity == "tightened" and "9.3.1" in found.rule.en
    assert other.severity == "normal"


def test_the_lot_record_columns_are_read_and_older_rows_from_their_json(database: Database) -> None:
    """A row with its lot record in columns is read from them (not its JSON); a row without, from its JSON."""
    standard = BOOK.get("batik@2026.1")
    good = next(e.inspection for e in standard.examples if e.expect.certified)
    _inspector(database)
    ids = _store(database, standard, [good, good, good, good])
    with database.write() as session:
        for inspection_id in ids[1::2]:  # every other lot: its columns say rejected, its JSON accepted
            row = session.get_one(Inspection, inspection_id)
            row.lot_accepted, row.lot_accept_number, row.lot_accepted_tighter = False, 0, False
            session.add(row)
    with database.reading() as connection:
        found = switching_for(connection, holder_id=row.holder_id, product_id=row.product_id, standard_id="batik")
    assert found.severity == "tightened" and "9.3.1" in found.rule.en
