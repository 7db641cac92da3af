"""Dates are the issuer's calendar days (CERTIFY_TIMEZONE, default Asia/Jakarta): a decision at
02:08 WIB prints that day, on the PDF and on the page, and 12 months end the day before."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.services.certificates import Issuance
from certify.store.database import Database
from tests.api.conftest import build_world
from tests.api.test_certificates import issue

TWO_AM_WIB = datetime(2026, 12, 6, 19, 8, tzinfo=UTC)  # 02:08 on 7 December in Jakarta (UTC+7)


def test_a_decision_at_two_in_the_morning_wib_prints_that_day(
    database: Database, rulebook: Rulebook, tmp_path: Path
) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path), database=database, rulebook=rulebook)) as client:
        state = client.app.state.certify  # type: ignore[attr-defined]
        issuance: Issuance = state.issuance
        state.issuance = dataclasses.replace(issuance, clock=lambda: TWO_AM_WIB)
        world = build_world(database)
        certificate = issue(client, world, rulebook)
        pdf = client.get(f"/api/v1/certificates/{certificate['certificate_id']}/pdf", headers=world["admin"].headers)
        page = client.get(f"/verify/{certificate['certificate_id']}", headers={"Accept-Language": "en"}).text
        record = client.get(f"/api/v1/certificates/{certificate['certificate_id']}").json()["record"]
    assert certificate["valid_from"] == "2026-12-07"
    months = rulebook.get("wood").validity_months
    assert (months, certificate["valid_until"]) == (12, "2027-12-06")  # the day before the anniversary
    (tmp_path / "c.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True)
    # The UTC day of the decision is printed nowhere, but as the inspection's own date (the real
    # day the test's inspection was submitted, when the test runs on 6 December 2026).
    inspected_that_day = record["inspected_on"] == "2026-12-06"
    assert "December 7, 2026" in text.stdout and text.stdout.count("December 6, 2026") == inspected_that_day
    assert "7 Desember 2026" in text.stdout
    assert "Decided on</dt><dd>December 7, 2026</dd>" in page  # decided on, and the history's day
    assert ">December 7, 2026</time>" in page and ">December 6, 2026</time>" not in page
