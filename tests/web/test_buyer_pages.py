"""Buyer pages: the verdict first, technical checks folded away, what the grade means, who to
contact, the public page of each standard version; a genuine PDF of a certificate no longer
valid is "authentic, but not valid", never green."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import CERTIFIED_FURNITURE, World
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_work_pages import issue_through_the_page, submit


def test_the_verify_page_says_the_verdict_first_and_folds_the_checks(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    database, world, _ = web_world
    issued = issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE))
    page = html.unescape(
        TestClient(browser_client.app).get(f"/verify/{issued}", headers={"Accept-Language": "en"}).text
    )
    verdict, details = page.index("genuine and valid today"), page.index('<details class="tech"')
    assert verdict < page.index("Holder") < details
    assert page.index("Issuer's signature on the record") > details  # the checks are under details
    assert "This grade is given for a total score from" in page
    assert '<a href="/standards/wood/2026.' in page


def test_a_standard_version_has_a_public_page_in_both_languages(browser_client: TestClient) -> None:
    buyer = TestClient(browser_client.app)
    english = html.unescape(buyer.get("/standards/wood/2026.1", headers={"Accept-Language": "en"}).text)
    indonesian = html.unescape(buyer.get("/standards/wood/2026.1", headers={"Accept-Language": "id"}).text)
    assert "Wood craft" in english and "Materials" in english and "How it is measured" in english
    assert "Kerajinan kayu" in indonesian and "Bahan" in indonesian
    assert buyer.get("/standards/wood/1999.1").status_code == 404
    assert buyer.get("/standards/Wood!/2026.1").status_code == 422


def test_a_genuine_pdf_of_a_suspended_certificate_is_authentic_but_not_valid(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    database, world, _ = web_world
    issued = issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE))
    pdf = browser_client.get(f"/certificates/{issued}.pdf").content
    token = csrf_of(browser_client.get(f"/certificates/{issued}/suspend").text)
    browser_client.post(
        f"/certificates/{issued}/suspend", data={"reason": "complaint", "confirmed": "yes", "csrf": token}
    )
    buyer = TestClient(browser_client.app)
    buyer.cookies.set("lang", "en")
    form = buyer.get("/verify").text
    answer = buyer.post("/verify/pdf", files={"file": ("c.pdf", pdf)}, data={"csrf": csrf_of(form)}).text
    assert "Authentic, but not valid" in answer
    assert "status-valid" not in answer and 'class="status status-suspended"' in answer


def test_the_directory_shows_each_workshops_contact(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    database, world, _ = web_world
    issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE))
    sign_in(browser_client, "admin")
    page = browser_client.get(f"/workshops/{world.holders['jepara']}")
    form = {"name": "Mebel Ukir Jepara Jaya", "province": "Jawa Tengah", "crafts": "wood"}
    browser_client.post(
        f"/workshops/{world.holders['jepara']}", data={**form, "contact": "+62 291 000 111", "csrf": csrf_of(page.text)}
    )
    buyer = TestClient(browser_client.app)
    assert "+62 291 000 111" in buyer.get("/directory").text
    assert buyer.get("/directory.json").json()["holders"][0]["contact"] == "+62 291 000 111"
