"""Registering holders and their products."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import World


def test_a_holder_is_registered_with_its_id_and_read_back(client: TestClient, world: World) -> None:
    """201 with the new holder and its id; GET answers the same object."""
    body = {
        "name": "Tenun Ikat Prailiu",
        "province": "Nusa Tenggara Timur",
        "region": "Sumba Timur",
        "crafts": ["weaving"],
        "owner": "Ibu Rambu Ana",
        "contact": "+62 852 3900 3303",
    }
    created = client.post("/api/v1/holders", json=body, headers=world["inspector"].headers)
    assert created.status_code == 201
    holder = created.json()
    assert {k: holder[k] for k in body} == body and holder["id"] > 0
    read = client.get(f"/api/v1/holders/{holder['id']}", headers=world["certifier"].headers)
    assert read.json() == holder


def test_a_product_is_registered_under_its_holder(client: TestClient, world: World) -> None:
    """201 with the product and its id; it is listed under its holder and readable alone."""
    holder = world.holders["bali"]
    body = {"name": "Topeng Barong", "category": "carving", "description": "kayu pule, 40 cm"}
    created = client.post(f"/api/v1/holders/{holder}/products", json=body, headers=world["admin"].headers)
    assert created.status_code == 201
    product = created.json()
    assert product["holder_id"] == holder and product["name"] == "Topeng Barong"
    listed = client.get(f"/api/v1/holders/{holder}/products", headers=world["admin"].headers).json()
    assert product in listed
    assert client.get(f"/api/v1/products/{product['id']}", headers=world["admin"].headers).json() == product


def test_a_product_of_a_missing_holder_is_a_404(client: TestClient, world: World) -> None:
    """No such holder: 404, and no product is created."""
    answer = client.post(
        "/api/v1/holders/9999/products", json={"name": "Meja", "category": "furniture"}, headers=world["admin"].headers
    )
    assert answer.status_code == 404


def test_a_holder_needs_at_least_one_craft(client: TestClient, world: World) -> None:
    """An empty crafts list is refused, naming #/crafts."""
    answer = client.post(
        "/api/v1/holders", json={"name": "X", "province": "Bali", "crafts": []}, headers=world["admin"].headers
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["pointer"] == "#/crafts"


def test_a_product_in_a_category_no_installed_standard_covers_is_refused(client: TestClient, world: World) -> None:
    """A typo such as `sarung_typo` is refused 422 naming it and #/category; nothing is registered."""
    holder = world.holders["bali"]
    before = client.get(f"/api/v1/holders/{holder}/products", headers=world["admin"].headers).json()
    answer = client.post(
        f"/api/v1/holders/{holder}/products",
        json={"name": "Sarung", "category": "sarung_typo"},
        headers=world["inspector"].headers,
    )
    assert answer.status_code == 422
    assert "sarung_typo" in answer.json()["detail"]
    assert answer.json()["errors"][0]["pointer"] == "#/category"
    assert client.get(f"/api/v1/holders/{holder}/products", headers=world["admin"].headers).json() == before


def test_a_holder_is_restated_with_its_address(client: TestClient, world: World) -> None:
    """PUT restates every field, the address too; the holder reads back as restated."""
    holder = world.holders["bali"]
    body = {
        "name": "Sanggar Ukir Mas",
        "province": "Bali",
        "region": "Gianyar",
        "address": "Jl. Raya Mas 12, Ubud",
        "crafts": ["wood", "carving"],
        "owner": "I Made Sutra",
        "contact": "+62 361 975 000",
    }
    answer = client.put(f"/api/v1/holders/{holder}", json=body, headers=world["inspector"].headers)
    assert answer.status_code == 200, answer.text
    read = client.get(f"/api/v1/holders/{holder}", headers=world["certifier"].headers).json()
    assert {k: read[k] for k in body} == body
