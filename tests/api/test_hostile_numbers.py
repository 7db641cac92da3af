"""Issue 12, finding 2 on the API: numbers in an inspection are bounded before any arithmetic;
past the bound a 422 problem pointing at the field."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from tests.api.conftest import CERTIFIED_FURNITURE, World, inspection_body


@pytest.mark.parametrize(
    ("where", "value", "pointer"),
    [
        (("lot", "size"), 10**30, "#/lot/size"),
        (("defects", "major"), 10**9, "#/defects/major"),
        (("measurements", None), 10**20, "#/measurements/"),
        (("measurements", None), "1e5000", "#/measurements/"),
        (("facts", "package_mass_kg"), "1e999", "#/facts/package_mass_kg"),
    ],
)
def test_numbers_past_their_bounds_in_an_inspection_are_422_naming_the_field(
    client: TestClient, world: World, rulebook: Rulebook, where: tuple[str, str | None], value: object, pointer: str
) -> None:
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    group, key = where
    key = key or next(k for k, v in body["measurements"].items() if not isinstance(v, bool))
    body[group][key] = 0  # a marker replaced below by the raw number, as a JSON text
    text = json.dumps(body).replace(f'"{key}": 0', f'"{key}": {value}', 1)
    answer = client.post(
        "/api/v1/inspections", content=text, headers={**world["inspector"].headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    assert any(e.get("pointer", "").startswith(pointer) for e in answer.json()["errors"]), answer.json()
