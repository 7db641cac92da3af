"""An issued certificate end to end: the PDF a buyer opens holds the ID, holder, grade and a QR
code of the verification URL."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import build_world
from tests.api.test_certificates import issue

PUBLIC_URL = "https://sertifikat.example.id"


@pytest.fixture
def issued(database: Database, rulebook: Rulebook, tmp_path: Path) -> tuple[dict[str, object], bytes]:
    """A certificate issued through the API, with its PDF as downloaded by its holder."""
    world = build_world(database)
    settings = Settings(data_dir=tmp_path, public_url=PUBLIC_URL)
    with TestClient(create_app(settings, database=database, rulebook=rulebook)) as client:
        certificate_id = issue(client, world, rulebook)["certificate_id"]
        body = client.get(f"/api/v1/certificates/{certificate_id}").json()
        pdf = client.get(f"/api/v1/certificates/{certificate_id}/pdf", headers=world["artisan"].headers)
        assert pdf.status_code == 200
    return body, pdf.content


def test_the_issued_pdf_text_holds_the_id_the_holder_and_the_grade(
    issued: tuple[dict[str, object], bytes], tmp_path: Path
) -> None:
    """pdftotext of the stored PDF finds the certificate ID, the workshop and the grade's title."""
    body, pdf = issued
    (tmp_path / "issued.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "issued.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(body["certificate_id"]) in text
    assert "Mebel Ukir Jepara Jaya" in text
    grade = body["grade"]
    assert isinstance(grade, dict)
    assert grade["title"]["id"] in text and grade["title"]["en"] in text


def test_the_issued_pdf_qr_code_holds_the_verification_url(
    issued: tuple[dict[str, object], bytes], tmp_path: Path
) -> None:
    """The page rendered by pdftoppm and read by zbarimg gives PUBLIC_URL/verify/ID."""
    body, pdf = issued
    (tmp_path / "issued.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "issued.pdf"), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert decoded == f"{PUBLIC_URL}/verify/{body['certificate_id']}"
