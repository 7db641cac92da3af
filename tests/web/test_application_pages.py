"""The way in on the pages: a workshop applies without an account (Indonesian first), follows its
application on a tracking page, a certifier reviews and assigns, the inspector opens the form from
the assignment, and the artisan's page offers the mark, a link to share and the agreement accepted."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from certify.config import Settings
from certify.rulebook import Rulebook
from certify.services import accounts, passwords
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_decisions import decide, submit
from tests.web.conftest import PASSWORD, csrf_of, sign_in

ENGLISH = {"Accept-Language": "en"}


def form(csrf: str, **changes: Any) -> dict[str, Any]:
    return {
        "csrf": csrf,
        "workshop": "Mebel Jati Rembang",
        "province": "Jawa Tengah",
        "address": "Jl. Pemuda 3, Rembang",
        "contact_name": "Budi Santoso",
        "phone": "+62 813 2500 7788",
        "product_0": "Kursi Teras",
        "kind_0": "wood:furniture",
        "markets": ["id", "other"],
        "agreement_version": "2026.1",
        "accept_agreement": "yes",
        **changes,
    }


def apply(client: TestClient, **changes: Any) -> str:
    """Apply from the page; the tracking page's path."""
    csrf = csrf_of(client.get("/apply").text)
    answer = client.post("/apply", data=form(csrf, **changes), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    location: str = answer.headers["location"]
    return location


def test_a_workshop_applies_in_indonesian_without_an_account_and_follows_it(browser_client: TestClient) -> None:
    page = browser_client.get("/apply")
    assert page.status_code == 200 and 'lang="id"' in page.text
    assert "Ajukan sertifikasi" in page.text and ">Mebel</option>" in page.text  # categories in words
    assert "versi 2026.1" in page.text
    tracking = apply(browser_client)
    assert re.fullmatch(r"/applications/[A-Za-z0-9_-]{32}", tracking)
    shown = browser_client.get(tracking)
    assert "Diterima, sedang diperiksa" in shown.text and "Kursi Teras" in shown.text
    assert "Budi Santoso" not in shown.text and "+62" not in shown.text  # no contact details on it
    assert browser_client.get(tracking[:-2] + "xx").status_code == 404


def test_a_bad_application_says_what_to_fix_in_the_visitors_language(browser_client: TestClient) -> None:
    csrf = csrf_of(browser_client.get("/apply").text)
    answer = browser_client.post("/apply", data=form(csrf, accept_agreement=""))
    assert answer.status_code == 422
    assert "centang bahwa Anda menyetujuinya" in answer.text
    english = browser_client.post("/apply", data=form(csrf, kind_0="wood:vase"), headers=ENGLISH)
    assert english.status_code == 422
    assert "the category &#39;vase&#39; is not covered by the standard &#39;wood&#39;" in english.text
    old = browser_client.post("/apply", data=form(csrf, agreement_version="2025.1"))
    assert old.status_code == 422 and "versi yang berlaku adalah 2026.1" in old.text


def test_a_certifier_accepts_and_the_inspector_opens_the_form_from_the_assignment(
    browser_client: TestClient, web_world: tuple[Database, World, Settings]
) -> None:
    database, world, _settings = web_world
    tracking = apply(browser_client)
    certifier = TestClient(browser_client.app)
    sign_in(certifier, "certifier")
    listed = certifier.get("/review", headers=ENGLISH).text
    found = re.search(r'href="/review/(\d+)"', listed)
    assert found and "Mebel Jati Rembang" in listed
    review = certifier.get(f"/review/{found.group(1)}", headers=ENGLISH)
    assert "covered" in review.text and "Ayu Lestari" in review.text
    due = (date.today() + timedelta(days=10)).isoformat()
    inspector_id = str(world["inspector"].id)
    answer = certifier.post(
        f"/review/{found.group(1)}",
        data={"csrf": csrf_of(review.text), "decision": "accept", "inspector_id": inspector_id, "due_on": due},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    tracked = browser_client.get(tracking, headers=ENGLISH).text
    assert "Accepted" in tracked and "Ayu Lestari" in tracked and due in tracked
    inspector = TestClient(browser_client.app)
    sign_in(inspector, "inspector")
    queue = inspector.get("/assignments", headers=ENGLISH).text
    link = re.search(r'href="(/inspect/new\?product=\d+&amp;standard=wood)"', queue)
    assert link and "Mebel Jati Rembang" in queue and due in queue
    opened = inspector.get(link.group(1).replace("&amp;", "&"), headers=ENGLISH)
    assert opened.status_code == 200 and "Kursi Teras" in opened.text
    sign_in(inspector, "inspector2")
    assert "Nothing is assigned to you." in inspector.get("/assignments", headers=ENGLISH).text
    holder_id = certifier.get(f"/api/v1/applications/{found.group(1)}", headers=world["certifier"].headers).json()[
        "holder_id"
    ]
    artisan, _token = accounts.create_user(database=database, role="artisan", name="Budi", holder_id=holder_id)
    passwords.set_password(database=database, user_id=artisan.id, login="budi", password=PASSWORD)
    sign_in(inspector, "budi")
    mine = inspector.get("/my", headers=ENGLISH).text
    assert "Certification agreement" in mine and "2026.1</a> · accepted by Budi Santoso" in mine


def test_declining_needs_a_reason_and_the_applicant_reads_it_in_their_language(
    browser_client: TestClient, web_world: tuple[Database, World, Settings]
) -> None:
    tracking = apply(browser_client)
    certifier = TestClient(browser_client.app)
    sign_in(certifier, "certifier")
    application_id = re.search(r'href="/review/(\d+)"', certifier.get("/review").text)
    assert application_id
    path = f"/review/{application_id.group(1)}"
    csrf = csrf_of(certifier.get(path).text)
    none = certifier.post(path, data={"csrf": csrf, "decision": "decline"}, headers=ENGLISH)
    assert none.status_code == 422 and "name at least one reason" in none.text
    done = certifier.post(path, data={"csrf": csrf, "decision": "decline", "reasons": ["not_a_producer"]})
    assert done.status_code == 200  # the review page again, after the redirect
    tracked = browser_client.get(tracking).text
    assert "Ditolak" in tracked and "Pemohon tidak membuat produk tersebut" in tracked


def test_the_artisans_page_offers_the_mark_and_a_share_link(
    browser_client: TestClient, web_world: tuple[Database, World, Settings], rulebook: Rulebook
) -> None:
    _database, world, _settings = web_world
    certificate_id = decide(browser_client, world, submit(browser_client, world, rulebook)).json()["certificate_id"]
    sign_in(browser_client, "artisan")
    page = browser_client.get("/my", headers=ENGLISH).text
    assert f'href="/api/v1/certificates/{certificate_id}/mark.png"' in page
    assert f'href="/api/v1/certificates/{certificate_id}/mark.svg"' in page
    assert re.search(rf'class="share" readonly value="http[^"]+/verify/{certificate_id}"', page)
    assert browser_client.get(f"/api/v1/certificates/{certificate_id}/mark.png").status_code == 200
