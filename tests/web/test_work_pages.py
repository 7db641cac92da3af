"""Inspector, certifier, artisan and buyer pages end to end, on one small world."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.rulebook import Rulebook
from certify.services import accounts, inspections
from certify.services.models import InspectionCreate
from certify.store.database import Database
from tests.api.conftest import CERTIFIED_FURNITURE, REFUSED_FURNITURE, World, inspection_body
from tests.web.conftest import csrf_of, sign_in


def submit(
    database: Database, rulebook: Rulebook, world: World, example: int, product: str = "jepara_furniture"
) -> int:
    body = InspectionCreate.model_validate(inspection_body(world, rulebook, world.products[product], example))
    done = inspections.submit_inspection(
        database=database, standards=rulebook, inspector=world["inspector"].user, body=body
    )
    return int(done.inspection["id"])


def issue_through_the_page(client: TestClient, inspection_id: int) -> str:
    sign_in(client, "certifier")
    page = client.get(f"/inspections/{inspection_id}")
    answer = client.post(
        f"/inspections/{inspection_id}/decision",
        data={"decision": "issue", "note": "ok", "confirmed": "yes", "csrf": csrf_of(page.text)},
    )
    found = re.search(r'href="/verify/(IDC-[0-9A-Z-]+)"', answer.text)
    assert answer.status_code == 200 and found, answer.text
    return found.group(1)


@pytest.fixture
def issued(browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook) -> str:
    database, world, _ = web_world
    return issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE))


def test_a_certifier_issues_from_the_queue_and_a_buyer_sees_it_valid(browser_client: TestClient, issued: str) -> None:
    """The issued certificate's public page says valid, in large letters, with its checks."""
    page = TestClient(browser_client.app).get(f"/verify/{issued}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'class="status status-valid"' in page.text and "genuine and valid today" in page.text
    assert "Mebel Ukir Jepara Jaya" in page.text


def test_a_suspended_certificate_says_suspended(browser_client: TestClient, issued: str) -> None:
    """A certifier suspends with a reason; the public page shows it at once, with the reason."""
    token = csrf_of(browser_client.get("/certificates").text)
    answer = browser_client.post(
        f"/certificates/{issued}/suspend", data={"reason": "complaint under review", "confirmed": "yes", "csrf": token}
    )
    assert answer.status_code == 200
    page = TestClient(browser_client.app).get(f"/verify/{issued}", headers={"Accept-Language": "en"})
    assert "status-suspended" in page.text and "complaint under review" in page.text


def test_a_mistyped_id_is_answered_as_a_typo(browser_client: TestClient, issued: str) -> None:
    """Swapping two characters of a real ID is caught by the check character and said so."""
    chars = list(issued)
    # two neighbouring characters of the random part that differ (random IDs may repeat one)
    i = next(i for i in range(9, len(chars) - 1) if "-" not in chars[i : i + 2] and chars[i] != chars[i + 1])
    chars[i], chars[i + 1] = chars[i + 1], chars[i]
    typed = "".join(chars)
    page = browser_client.get("/verify", params={"id": typed.lower()}, headers={"Accept-Language": "en"})
    assert page.status_code == 404 and "probably a typo" in page.text


def test_a_typed_id_is_normalised_to_its_page(browser_client: TestClient, issued: str) -> None:
    """Lower case and spaces lead to the certificate's page."""
    answer = browser_client.get("/verify", params={"id": issued.lower().replace("-", " ")}, follow_redirects=False)
    assert answer.headers["location"] == f"/verify/{issued}"


def test_the_artisan_downloads_their_certificate(browser_client: TestClient, issued: str) -> None:
    """The holder's artisan gets the PDF; the other workshop's artisan gets 404."""
    mine, other = TestClient(browser_client.app), TestClient(browser_client.app)
    sign_in(mine, "artisan")
    sign_in(other, "artisan2")
    assert f"/certificates/{issued}.pdf" in mine.get("/my").text
    pdf = mine.get(f"/certificates/{issued}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert other.get(f"/certificates/{issued}.pdf").status_code == 404


def test_the_directory_lists_holders_with_valid_certificates_and_filters_alike(
    browser_client: TestClient, issued: str
) -> None:
    """Page, CSV and JSON list the same holders for the same filters; others are left out."""
    for query, listed in (
        ({}, True),
        ({"province": "jawa tengah"}, True),
        ({"province": "Bali"}, False),
        ({"craft": "wood", "name": "jepara"}, True),
        ({"craft": "batik"}, False),
    ):
        page = browser_client.get("/directory", params=query)
        data = browser_client.get("/directory.json", params=query).json()
        rows = list(csv.DictReader(io.StringIO(browser_client.get("/directory.csv", params=query).text)))
        assert (issued in page.text) is listed
        assert ([h["name"] for h in data["holders"]] == ["Mebel Ukir Jepara Jaya"]) is listed
        assert ([r["certificate_id"] for r in rows] == [issued]) is listed
    assert "Ukir Kayu Mas" not in browser_client.get("/directory").text


def test_a_suspended_certificate_past_its_validity_is_listed_expired_with_nothing_to_reinstate(
    browser_client: TestClient, web_world: tuple[Database, World, object], issued: str
) -> None:
    """The certifier's list says what verification says: expired, and offers no reinstatement."""
    token = csrf_of(browser_client.get("/certificates").text)
    browser_client.post(
        f"/certificates/{issued}/suspend", data={"reason": "complaint", "confirmed": "yes", "csrf": token}
    )
    with web_world[0].engine.begin() as connection:
        connection.execute(text("UPDATE certificates SET valid_until = :d"), {"d": date.today() - timedelta(days=1)})
    listing = browser_client.get("/certificates").text
    assert "badge-expired" in listing and "badge-suspended" not in listing
    assert f"/certificates/{issued}/reinstate" not in listing


def test_a_refusal_is_told_in_the_language_of_the_page(browser_client: TestClient, issued: str) -> None:
    """Suspending a withdrawn certificate: 409, saying why in Indonesian, or English when asked."""
    token = csrf_of(browser_client.get("/certificates").text)
    withdrawn = browser_client.post(
        f"/certificates/{issued}/withdraw", data={"reason": "fraud", "confirmed": "yes", "csrf": token}
    )
    assert withdrawn.status_code == 200
    for language, why in (
        ("id", "telah dicabut; pencabutan bersifat final"),
        ("en", "has been withdrawn; withdrawal is final"),
    ):
        refused = browser_client.post(
            f"/certificates/{issued}/suspend",
            data={"reason": "again", "confirmed": "yes", "csrf": token},
            headers={"Accept-Language": language},
        )
        assert refused.status_code == 409 and f"{issued} {why}" in refused.text


def test_directory_pages_link_to_each_other_and_refuse_nonsense(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook, issued: str
) -> None:
    """One holder a page: the JSON and CSV name the next page (a Link header too), the page links
    back; a page number or size out of range answers 422 naming it (problem+json for the data)."""
    database, world, _ = web_world
    issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE, "bali_furniture"))
    buyer = TestClient(browser_client.app)
    first = buyer.get("/directory.json", params={"craft": "wood", "per_page": 1})
    assert [h["name"] for h in first.json()["holders"]] == ["Mebel Ukir Jepara Jaya"]
    assert first.json()["next"] == "/directory.json?craft=wood&per_page=1&page=2"
    assert first.headers["link"] == '</directory.json?craft=wood&per_page=1&page=2>; rel="next"'
    second = buyer.get(first.json()["next"]).json()
    assert [h["name"] for h in second["holders"]] == ["Ukir Kayu Mas"] and second["next"] is None
    assert 'rel="next"' in buyer.get("/directory.csv", params={"per_page": 1}).headers["link"]
    page = buyer.get("/directory", params={"per_page": 1, "page": 2}).text
    assert 'href="/directory?per_page=1&amp;page=1" rel="prev"' in page and 'rel="next"' not in page
    for bad in ({"page": 0}, {"page": "two"}, {"page": 100_001}, {"per_page": 501}):
        refused = buyer.get("/directory", params=bad, headers={"Accept-Language": "en"})
        assert refused.status_code == 422 and next(iter(bad)) in refused.text
        for open_data in ("/directory.json", "/directory.csv"):
            problem = buyer.get(open_data, params=bad)
            assert problem.status_code == 422 and problem.headers["content-type"] == "application/problem+json"
            assert problem.json()["errors"][0]["parameter"] == next(iter(bad))


def test_the_artisan_learns_what_to_fix_first(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """A refused assessment lists failed criteria first, knockouts before the rest, in Indonesian."""
    database, world, _ = web_world
    inspection_id = submit(database, rulebook, world, REFUSED_FURNITURE)
    sign_in(browser_client, "artisan")
    page = browser_client.get(f"/inspections/{inspection_id}", headers={"Accept-Language": "id"})
    assert page.status_code == 200
    fix = page.text.split("Yang perlu diperbaiki lebih dulu")[1].split("Yang lolos")[0]
    assert "MAT-03" in fix and "badge-failed" in fix
    other = TestClient(browser_client.app)
    sign_in(other, "artisan2")
    assert other.get(f"/inspections/{inspection_id}").status_code == 404


def test_the_inspection_form_hides_criteria_that_do_not_apply(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """Furniture without food contact does not ask the food-contact criteria; toys ask the toy ones."""
    _, world, _ = web_world
    sign_in(browser_client, "inspector")
    wood = rulebook.get("wood")
    toy_only = [c.id for c in wood.criteria if c.applies_when is not None and "toy" in str(c.applies_when)]
    assert toy_only
    facts = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)["facts"]
    params = [("product", world.products["jepara_furniture"]), ("standard", wood.ref)]
    params += [
        (f"f.{k}", "yes" if v is True else "no" if v is False else str(v))
        for k, value in facts.items()
        if k != "product_category"
        for v in (value if isinstance(value, list) else [value])
    ]
    page = browser_client.get("/inspect/criteria", params=params)
    assert page.status_code == 200
    assert all(f'name="m.{c}"' not in page.text for c in toy_only)
    assert 'name="m.MAT-01"' in page.text


def inspection_form(client: TestClient, world: World, rulebook: Rulebook, key: str) -> dict[str, str]:
    """The inspection form as an inspector (signed in here) submits it: a certified furniture lot."""
    sign_in(client, "inspector")
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    form = {
        "csrf": csrf_of(client.get("/inspect").text),
        "idempotency_key": key,
        "product_id": str(body["product_id"]),
        "standard": body["standard"],
        "facts_json": json.dumps(body["facts"]),
        "lot_size": str(body["lot"]["size"]),
        "lot_code": body["lot"]["code"],
        "sampling_plan_id": str(body["sampling_plan_id"]),
    }
    form |= {f"defects_{k}": str(v) for k, v in body["defects"].items()}
    return form | {
        f"m.{k}": ("yes" if v is True else "no" if v is False else str(v)) for k, v in body["measurements"].items()
    }


def test_a_double_submission_creates_one_inspection(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """The form's idempotency key makes a second post of the same form answer the first inspection."""
    _, world, _ = web_world
    form = inspection_form(browser_client, world, rulebook, "form-1")
    first = browser_client.post("/inspect/submit", data=form, follow_redirects=False)
    second = browser_client.post("/inspect/submit", data=form, follow_redirects=False)
    assert first.status_code == 303, first.text
    assert first.headers["location"] == second.headers["location"]
    assert len(inspections.list_inspections(database=web_world[0], viewer=world["inspector"].user)) == 1


def test_a_form_missing_a_measurement_says_which_in_the_inspectors_language(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """MAT-01 left empty: 422, the form again, the problem beside MAT-01 in plain Indonesian (no
    path into the JSON, said once), a link to it at the top; nothing stored."""
    _, world, _ = web_world
    form = inspection_form(browser_client, world, rulebook, "form-2")
    del form["m.MAT-01"]
    answer = browser_client.post("/inspect/submit", data=form, headers={"Accept-Language": "id"})
    assert answer.status_code == 422
    assert '<p class="error" id="e-MAT-01">berlaku untuk produk ini dan belum diukur</p>' in answer.text
    assert 'aria-describedby="e-MAT-01"' in answer.text and '<a href="#MAT-01">MAT-01 · ' in answer.text
    assert "measurements." not in answer.text and answer.text.count("belum diukur") == 1
    assert inspections.list_inspections(database=web_world[0], viewer=world["inspector"].user) == []


def test_the_sample_size_follows_the_lot_size(browser_client: TestClient) -> None:
    """500 pieces at level II: code letter H, 50 pieces to inspect (ISO 2859-1)."""
    sign_in(browser_client, "inspector")
    plan = browser_client.get("/inspect/sample.json", params={"standard": "wood", "lot": 500}).json()
    assert plan["critical"]["sample_size"] == 50


def test_an_admin_adds_a_user_who_can_sign_in(browser_client: TestClient) -> None:
    """A user added on the admin page signs in with the password given there."""
    sign_in(browser_client, "admin")
    token = csrf_of(browser_client.get("/admin").text)
    answer = browser_client.post(
        "/admin/users",
        data={"role": "inspector", "name": "Wayan", "login": "wayan", "password": "a long password", "csrf": token},
    )
    assert answer.status_code == 200
    newcomer = TestClient(browser_client.app)
    sign_in(newcomer, "wayan", "a long password")
    assert newcomer.get("/inspect").status_code == 200


@pytest.mark.parametrize("login", ["inspector", "two words"])
def test_a_user_whose_login_is_refused_is_not_made(
    browser_client: TestClient, web_world: tuple[Database, World, object], login: str
) -> None:
    """A login taken or with a space: 422, and no user without a login is left behind."""
    database, world, _ = web_world
    sign_in(browser_client, "admin")
    token = csrf_of(browser_client.get("/admin").text)
    answer = browser_client.post(
        "/admin/users",
        data={"role": "inspector", "name": "Wayan", "login": login, "password": "a long password", "csrf": token},
    )
    assert answer.status_code == 422
    assert len(accounts.list_users(database=database)) == len(world.people)


BIG = "99999999999999999999"  # beyond any id a database column holds


@pytest.mark.parametrize(
    ("login", "method", "path", "form", "status"),
    [
        ("inspector", "GET", f"/inspect?holder={BIG}", None, 422),
        ("inspector", "GET", f"/inspect/new?product={BIG}&standard=wood", None, 422),
        ("inspector", "GET", f"/inspections/{BIG}", None, 422),
        ("inspector", "POST", "/inspect/submit", {"product_id": BIG, "standard": "wood"}, 422),
        ("certifier", "POST", f"/inspections/{BIG}/decision", {"decision": "issue"}, 422),
        ("certifier", "POST", "/certificates/IDC%00/suspend", {"reason": "complaint"}, 404),
        ("certifier", "GET", "/certificates/IDC-2026-%22x.pdf", None, 404),
        ("admin", "POST", f"/admin/users/{BIG}/revoke", {}, 422),
        ("admin", "POST", "/admin/conflicts", {"user_id": BIG, "holder_id": "1", "reason": "family"}, 422),
        (
            "admin",
            "POST",
            "/admin/users",
            {
                "role": "artisan",
                "name": "Wayan",
                "login": "wayan",
                "password": "correct horse battery",
                "holder_id": BIG,
            },
            422,
        ),
    ],
)
def test_ids_out_of_range_and_unreadable_certificate_ids_are_refused_not_failed(
    browser_client: TestClient, login: str, method: str, path: str, form: dict[str, str] | None, status: int
) -> None:
    """Numbers no database holds and IDs no certificate has are a 422 or a 404 page, never a 500."""
    sign_in(browser_client, login)
    token = csrf_of(browser_client.get({"admin": "/admin", "certifier": "/queue"}.get(login, "/inspect")).text)
    answer = (
        browser_client.get(path) if method == "GET" else browser_client.post(path, data={**(form or {}), "csrf": token})
    )
    assert answer.status_code == status, answer.text
