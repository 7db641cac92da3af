"""The mark on the pages: a valid certificate's page offers its badge and the rules for using it;
a certificate no longer valid says plainly that a badge leading to it stands for nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from certify.config import Settings
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_decisions import decide, submit
from tests.web.conftest import csrf_of, sign_in

ENGLISH, INDONESIAN = {"Accept-Language": "en"}, {"Accept-Language": "id"}


@pytest.mark.parametrize(
    ("language", "title", "rule"),
    [
        (ENGLISH, "Rules for using the certification mark", "stop using the mark at once"),
        (INDONESIAN, "Aturan penggunaan tanda sertifikasi", "segera hentikan pemakaian tanda"),
    ],
)
def test_the_rules_for_using_the_mark_are_published(
    browser_client: TestClient, language: dict[str, str], title: str, rule: str
) -> None:
    page = browser_client.get("/mark-rules", headers=language)
    assert page.status_code == 200
    assert title in page.text and rule in page.text


def test_a_valid_certificate_offers_its_mark_and_a_suspended_one_warns_against_it(
    browser_client: TestClient, web_world: tuple[Database, World, Settings], rulebook: Rulebook
) -> None:
    _database, world, _settings = web_world
    answer = decide(browser_client, world, submit(browser_client, world, rulebook))
    certificate_id = answer.json()["certificate_id"]
    valid = browser_client.get(f"/verify/{certificate_id}", headers=ENGLISH).text
    assert f'href="/api/v1/certificates/{certificate_id}/mark.png"' in valid
    assert 'href="/mark-rules"' in valid and "does not stand for a valid certificate" not in valid
    suspended = browser_client.post(
        f"/api/v1/certificates/{certificate_id}/suspend",
        json={"reason": "dye bleeding under review"},
        headers=world["certifier"].headers,
    )
    assert suspended.status_code == 200
    english = browser_client.get(f"/verify/{certificate_id}", headers=ENGLISH).text
    indonesian = browser_client.get(f"/verify/{certificate_id}", headers=INDONESIAN).text
    assert "A certification mark or badge that leads here does not stand for a valid certificate" in english
    assert "Tanda sertifikasi atau lencana yang mengarah ke sini tidak mewakili sertifikat yang berlaku" in indonesian
    assert "/mark.png" not in english


def test_an_admin_authorises_from_the_page_and_a_wrong_date_is_named(
    browser_client: TestClient, web_world: tuple[Database, World, Settings]
) -> None:
    _database, world, _settings = web_world
    sign_in(browser_client, "admin")
    token = csrf_of(browser_client.get("/admin", headers=INDONESIAN).text)
    inspector = world["inspector2"].id
    form = {"user_id": str(inspector), "standard": "woven", "ends_on": "2027-06-30", "csrf": token}
    done = browser_client.post("/admin/authorisations", data=form, follow_redirects=False)
    assert done.status_code == 303
    page = browser_client.get("/admin", headers=INDONESIAN).text
    # the standard by its title, the day written out in the page's language
    assert "Made Wirawan — Kain tenun tangan (tenun ikat, songket, lurik) versi 2026.1" in page
    assert "30 Juni 2027" in page
    listed = browser_client.get(f"/api/v1/users/{inspector}/authorisations", headers=world["admin"].headers).json()
    assert [(a["standard"], a["ends_on"]) for a in listed][-1] == ("woven", "2027-06-30")
    wrong = browser_client.post("/admin/authorisations", data={**form, "ends_on": "30/06/2027"}, headers=ENGLISH)
    assert wrong.status_code == 422 and "The standard or a date is not valid." in wrong.text
