"""A category where nothing applied has no score: "—" on the pages and the certificate, never 0."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.services import competence, holders, inspections, sampling
from certify.services.models import InspectionCreate, ProductCreate, SamplingPlanCreate
from certify.store.database import Database
from tests.api.conftest import World
from tests.strategies import bowls
from tests.web.conftest import csrf_of, sign_in

BOWLS = bowls()
"""Packaging is judged for export only: a bowl sold at home has no packaging score."""


@pytest.fixture
def setting(web_world: tuple[Database, World, Settings], rulebook: Rulebook) -> tuple[TestClient, int]:
    """A client of the app knowing BOWLS, and a domestic bowl's certified inspection."""
    database, world, settings = web_world
    product = holders.create_product(
        database=database,
        actor=world["admin"].user,
        holder_id=world.holders["jepara"],
        product=ProductCreate(name="Mangkuk kayu", category="bowl"),
    )
    standards = Rulebook([*rulebook.standards(), BOWLS])
    plan = sampling.draw_plan(
        database=database,
        standards=standards,
        inspector=world["inspector"].user,
        body=SamplingPlanCreate(standard=BOWLS.ref, lot_size=50),
    )
    body = InspectionCreate.model_validate(
        {
            "product_id": product.id,
            "standard": BOWLS.ref,
            "sampling_plan_id": plan.id,
            "lot": {"size": 50, "code": "MK-50"},
            "facts": {"product_category": "bowl", "market": "domestic"},
            "measurements": {"MAT-01": True, "FIN-01": True},
            "defects": {"critical": 0, "major": 0, "minor": 0},
        }
    )
    for competent in ("inspector", "certifier"):
        competence.authorise(
            database=database,
            standards=standards,
            user_id=world[competent].id,
            body=competence.AuthorisationCreate(standard=BOWLS.id),
        )
    done = inspections.submit_inspection(
        database=database, standards=standards, inspector=world["inspector"].user, body=body
    )
    assert done.inspection["certified"], done.inspection
    return TestClient(create_app(settings, database=database, rulebook=standards)), int(done.inspection["id"])


@pytest.fixture
def client(setting: tuple[TestClient, int]) -> Iterator[TestClient]:
    with setting[0] as client:
        yield client


def score_of(page: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>([^<(]*)", page)
    assert found, f"no {label} on the page"
    return found.group(1).strip()


@pytest.mark.parametrize(("language", "label"), [("id", "Kemasan"), ("en", "Packaging")])
def test_the_assessment_page_shows_a_dash_for_a_category_without_a_score(
    client: TestClient,
    setting: tuple[TestClient, int],
    language: str,
    label: str,
) -> None:
    """The assessment page, in either language, prints "—" for packaging, and the scores of the others."""
    sign_in(client, "certifier")
    page = client.get(f"/inspections/{setting[1]}", headers={"Accept-Language": language}).text
    assert score_of(page, label) == "—"
    assert score_of(page, {"id": "Bahan", "en": "Materials"}[language]) == {"id": "100,0", "en": "100.0"}[language]


@pytest.mark.parametrize(("language", "label"), [("id", "Kemasan"), ("en", "Packaging")])
def test_the_certificate_page_and_pdf_show_a_dash_for_a_category_without_a_score(
    client: TestClient,
    setting: tuple[TestClient, int],
    tmp_path: Path,
    language: str,
    label: str,
) -> None:
    """Issued: the public page prints "—" for packaging in either language; so does the PDF, beside both names."""
    sign_in(client, "certifier")
    inspection_id = setting[1]
    form = client.get(f"/inspections/{inspection_id}")
    issued = client.post(
        f"/inspections/{inspection_id}/decision",
        data={"decision": "issue", "note": "", "confirmed": "yes", "csrf": csrf_of(form.text)},
    )
    certificate_id = re.search(r'href="/verify/(IDC-[0-9A-Z-]+)"', issued.text)
    assert certificate_id, issued.text
    page = client.get(f"/verify/{certificate_id.group(1)}", headers={"Accept-Language": language}).text
    assert re.search(rf"<td>{label}</td><td>—</td>", page), page
    pdf = client.get(f"/certificates/{certificate_id.group(1)}.pdf")
    assert pdf.status_code == 200
    (tmp_path / "c.pdf").write_bytes(pdf.content)
    text_of_pdf = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "c.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    packaging = next(line for line in text_of_pdf.splitlines() if "Kemasan" in line)
    assert re.search(r"Kemasan\s+Packaging\s+—\s*$", packaging), packaging
    assert re.search(r"Bahan\s+Materials\s+100,0\s*$", text_of_pdf, re.M)  # the decimal comma
