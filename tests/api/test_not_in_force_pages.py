"""A suspended or withdrawn certificate's PDF is never shown as valid, and the certificate page
says what anchors its time of issue (no time-stamp authority configured here)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from tests.api.conftest import World
from tests.api.test_certificates import issue
from tests.api.test_lifecycle import act


def upload(client: TestClient, pdf: bytes) -> str:
    form = client.get("/verify", headers={"Accept-Language": "en"}).text
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found is not None
    answer = client.post(
        "/verify/pdf",
        data={"csrf": found.group(1)},
        files={"file": ("c.pdf", pdf, "application/pdf")},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def test_the_pdf_of_a_suspended_or_withdrawn_certificate_is_not_shown_valid(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    pdf = client.get(f"/api/v1/certificates/{certificate_id}/pdf", headers=world["admin"].headers).content
    assert "status-valid" in upload(client, pdf)
    for action in ("suspend", "withdraw"):
        assert act(client, world, certificate_id, action).status_code == 200
        page = upload(client, pdf)
        assert "Authentic, but not valid" in page and "status-valid" not in page and "✔" not in page


def test_the_certificate_page_names_the_log_as_the_time_anchor(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    page = client.get(f"/verify/{certificate_id}", headers={"Accept-Language": "en"}).text
    assert "no time-stamp authority is used" in page and "signed tree head that covers it" in page
    indonesian = client.get(f"/verify/{certificate_id}", headers={"Accept-Language": "id"}).text
    assert "tidak ada otoritas cap waktu yang dipakai" in indonesian
