"""Every page a person reads in Indonesian, the certificate's Indonesian lines and
`certify score --explain --lang id` show no raw code of a standard's values and none of the
English words listed in `tests/web/untranslated.py`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from certify.cli import main
from certify.documents.templates import certificate_html
from certify.rulebook import Rulebook
from certify.services import certificates
from certify.services.titles import category_title
from certify.store.database import Database
from certify.store.tables import Certificate
from tests.api.conftest import REFUSED_FURNITURE, World
from tests.web.conftest import sign_in
from tests.web.test_work_pages import issue_through_the_page, submit
from tests.web.untranslated import untranslated, value_codes, visible_text

# What people typed (names, lots) and proper names the pages show as they are.
TYPED = ("Mebel Ukir Jepara Jaya", "Ukir Kayu Mas", "furniture of", "toy of", "Admin")


def _indonesian(client: TestClient, path: str) -> str:
    page = client.get(path, headers={"Accept-Language": "id"})
    assert page.status_code == 200, (path, page.status_code, visible_text(page.text))
    return visible_text(page.text)


def _check(where: str, text: str, codes: set[str], problems: list[str] | None = None) -> None:
    found = untranslated(text, codes, allowed=TYPED)
    if problems is None:
        assert found == [], f"{where} shows {found} in Indonesian:\n{text}"
    elif found:
        problems.append(f"{where} shows {found} in Indonesian:\n{text}\n")


@pytest.fixture
def certified(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> tuple[str, int, int]:
    database, world, _ = web_world
    from tests.api.conftest import CERTIFIED_FURNITURE

    issued_from = submit(database, rulebook, world, CERTIFIED_FURNITURE)
    refused = submit(database, rulebook, world, REFUSED_FURNITURE)
    certificate_id = issue_through_the_page(browser_client, issued_from)
    browser_client.cookies.clear()
    return certificate_id, issued_from, refused


def test_every_page_reads_in_indonesian(
    browser_client: TestClient,
    web_world: tuple[Database, World, object],
    rulebook: Rulebook,
    certified: tuple[str, int, int],
) -> None:
    _, world, _ = web_world
    certificate_id, issued_from, refused = certified
    codes = value_codes(rulebook)
    problems: list[str] = []
    buyer = TestClient(browser_client.app)
    # (woven: the published wood 2026.1 keeps "food grade" in its Indonesian guidance; 2026.2 says "mutu pangan")
    for path in ("/", "/verify", f"/verify/{certificate_id}", "/directory", "/standards/woven/2026.1", "/apply"):
        _check(path, _indonesian(buyer, path), codes, problems)
    sign_in(browser_client, "artisan")
    for path in ("/my", f"/inspections/{refused}", f"/inspections/{issued_from}"):
        _check(path, _indonesian(browser_client, path), codes, problems)
    pdf = browser_client.get(f"/certificates/{certificate_id}.pdf")
    assert pdf.status_code == 200
    browser_client.cookies.clear()
    sign_in(browser_client, "inspector")
    product = world.products["jepara_furniture"]
    holder = world.holders["jepara"]
    standard = "wood"
    facts = rulebook.get(standard).examples[0].inspection["facts"]
    query = "&".join(
        f"f.{name}={item}"
        for name, value in facts.items()
        for item in (
            value if isinstance(value, list) else [("yes" if value else "no") if isinstance(value, bool) else value]
        )
    )
    for path in (
        f"/inspect?holder={holder}",
        f"/inspect/new?product={product}&standard={standard}",
        f"/inspect/criteria?product={product}&standard={standard}&{query}",
    ):
        _check(path, _indonesian(browser_client, path), codes, problems)
    browser_client.cookies.clear()
    sign_in(browser_client, "certifier")
    for path in ("/queue", "/certificates", f"/inspections/{refused}", "/review"):
        _check(path, _indonesian(browser_client, path), codes, problems)
    browser_client.cookies.clear()
    sign_in(browser_client, "admin")
    for path in ("/admin", "/workshops", f"/workshops/{holder}"):
        _check(path, _indonesian(browser_client, path), codes, problems)
    assert problems == [], "\n".join(problems)


def test_the_certificate_reads_in_indonesian_on_its_indonesian_lines(
    browser_client: TestClient,
    web_world: tuple[Database, World, object],
    rulebook: Rulebook,
    certified: tuple[str, int, int],
    tmp_path: Path,
) -> None:
    """The PDF's text holds no raw code; its Indonesian half (all but lang="en") no English word."""
    database, _, _ = web_world
    certificate_id, _, _ = certified
    codes = value_codes(rulebook)
    sign_in(browser_client, "artisan")
    pdf = browser_client.get(f"/certificates/{certificate_id}.pdf").content
    (tmp_path / "c.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    raw = [
        code for code in sorted(codes) if re.search(rf"(?<![\w@/.-]){re.escape(code)}(?![\w/-])", text) and "_" in code
    ]
    assert raw == [], f"the PDF shows raw codes {raw}:\n{text}"
    with database.read() as session:
        row = session.exec(select(Certificate).where(Certificate.certificate_id == certificate_id)).one()
    assert row.record is not None and row.signature is not None
    standard = rulebook.get(f"{row.record['standard']['id']}@{row.record['standard']['version']}")
    category = category_title(standard, row.record["product"]["category"])
    view = certificates.certificate_view(row.record, row.signature, category=category)
    html = certificate_html(certificate=view, verify_url="https://example.org/verify/x")
    _check("the certificate's Indonesian lines", visible_text(html), codes)


def test_score_explain_in_indonesian_translates_the_whole_table(
    capsys: pytest.CaptureFixture[str], rulebook: Rulebook, tmp_path: Path
) -> None:
    codes = value_codes(rulebook)
    for example in (0, 2, 4):
        standard = rulebook.get("wood")
        body = standard.examples[example].inspection
        path = tmp_path / f"inspection-{example}.json"
        path.write_text(json.dumps(body), encoding="utf-8")
        assert main(["score", "--standard", standard.ref, str(path), "--explain", "--lang", "id"]) == 0
        out, _ = capsys.readouterr()
        _check(f"certify score --explain --lang id (example {example})", out, codes)
