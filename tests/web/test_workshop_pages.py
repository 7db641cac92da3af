"""The back office's workshop pages: an inspector or an admin registers and edits a workshop and
its products (a category from the installed standards only); an admin records the consent."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from certify.services import holders
from certify.store.database import Database
from tests.api.conftest import World
from tests.web.conftest import csrf_of, sign_in

WORKSHOP = {
    "name": "Batik Ibu Sri",
    "province": "Jawa Tengah",
    "region": "Surakarta",
    "address": "Jl. Laweyan 3",
    "crafts": "Batik, weaving",
    "owner": "Ibu Sri Rahayu",
    "contact": "+62 812 3456 7890",
}


def register(client: TestClient) -> int:
    token = csrf_of(client.get("/workshops/new").text)
    answer = client.post("/workshops", data={**WORKSHOP, "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/workshops/(\d+)\?done=created", answer.headers["location"])
    assert found
    return int(found.group(1))


def test_an_inspector_registers_a_workshop_and_a_product(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """The workshop is stored as typed (crafts as lower-case words); the product in a chosen category."""
    database, world, _ = web_world
    sign_in(browser_client, "inspector")
    holder_id = register(browser_client)
    stored = holders.get_holder(database=database, viewer=world["admin"].user, holder_id=holder_id)
    assert (stored.name, stored.address, stored.crafts) == ("Batik Ibu Sri", "Jl. Laweyan 3", ["batik", "weaving"])
    page = browser_client.get(f"/workshops/{holder_id}")
    assert '<optgroup label="Kain tenun tangan (tenun ikat, songket, lurik)">' in page.text
    assert '<option value="songket">' in page.text
    answer = browser_client.post(
        f"/workshops/{holder_id}/products",
        data={"name": "Songket Palembang", "category": "songket", "csrf": csrf_of(page.text)},
    )
    assert answer.status_code == 200 and "Songket Palembang" in answer.text
    products = holders.list_products(database=database, viewer=world["admin"].user, holder_id=holder_id)
    assert [(p.name, p.category) for p in products] == [("Songket Palembang", "songket")]
    assert "Batik Ibu Sri" in browser_client.get("/workshops").text


def test_a_category_no_standard_covers_is_refused_on_the_page(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """A category posted around the select is refused in the page's language, naming it; nothing stored."""
    database, world, _ = web_world
    sign_in(browser_client, "admin")
    holder_id = world.holders["bali"]
    token = csrf_of(browser_client.get(f"/workshops/{holder_id}").text)
    before = holders.list_products(database=database, viewer=world["admin"].user, holder_id=holder_id)
    browser_client.cookies.set("lang", "id")
    answer = browser_client.post(
        f"/workshops/{holder_id}/products", data={"name": "Sarung", "category": "sarung_typo", "csrf": token}
    )
    assert answer.status_code == 422
    assert "tidak ada standar terpasang yang mencakup kategori produk 'sarung_typo'" in html.unescape(answer.text)
    assert holders.list_products(database=database, viewer=world["admin"].user, holder_id=holder_id) == before


def test_a_workshop_form_with_a_missing_name_comes_back_with_what_was_typed(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """The problem is named in plain words beside the form, and nothing typed is lost."""
    sign_in(browser_client, "inspector")
    token = csrf_of(browser_client.get("/workshops/new").text)
    browser_client.cookies.set("lang", "en")
    answer = browser_client.post("/workshops", data={**WORKSHOP, "name": " ", "crafts": "batik!", "csrf": token})
    assert answer.status_code == 422
    assert "Name: required" in answer.text
    assert "Crafts: use lower-case words such as batik or weaving" in answer.text
    assert 'value="Jl. Laweyan 3"' in answer.text


def test_a_workshop_is_edited_and_only_an_admin_records_consent(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """An inspector edits the address; the consent button is the admin's, and it is stored."""
    database, world, _ = web_world
    holder_id = world.holders["bali"]
    sign_in(browser_client, "inspector")
    page = browser_client.get(f"/workshops/{holder_id}")
    assert f'action="/workshops/{holder_id}/consent"' not in page.text
    edited = browser_client.post(
        f"/workshops/{holder_id}", data={**WORKSHOP, "address": "Jl. Raya Mas 12", "csrf": csrf_of(page.text)}
    )
    assert edited.status_code == 200 and 'value="Jl. Raya Mas 12"' in edited.text
    sign_in(browser_client, "admin")
    page = browser_client.get(f"/workshops/{holder_id}")
    browser_client.post(f"/workshops/{holder_id}/consent", data={"publish": "yes", "csrf": csrf_of(page.text)})
    assert holders.get_holder(database=database, viewer=world["admin"].user, holder_id=holder_id).publish_evidence


def test_certifiers_and_artisans_do_not_register_workshops(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    for who in ("certifier", "artisan"):
        sign_in(browser_client, who)
        assert browser_client.get("/workshops/new").status_code == 403
