"""Issue 12, finding 2: numbers and JSON typed into pages are read with a bounded length and range
before any arithmetic; a bad one is a 422 page naming the field, never a frozen worker or a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import World
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_work_pages import inspection_form

HUGE = ["1e300000", "1e999999999", "1e5000", "9" * 40, "²"]


@pytest.mark.parametrize("typed", HUGE)
def test_a_huge_exponent_in_the_facts_step_is_a_422_naming_the_fact_at_once(
    browser_client: TestClient, web_world: tuple[Database, World, object], typed: str
) -> None:
    """`1e999999999` as a fact once froze the worker (a GET: a link was enough): now a 422 page
    naming the fact, read without arithmetic."""
    _, world, _ = web_world
    sign_in(browser_client, "inspector")
    answer = browser_client.get(
        "/inspect/criteria",
        params={
            "product": world.products["jepara_furniture"],
            "standard": "wood",
            "f.package_mass_kg": typed,
            "f.market": "domestic",
        },
    )
    assert answer.status_code == 422
    assert "package_mass_kg" in answer.text
    assert browser_client.get("/healthz").status_code == 200


@pytest.mark.parametrize("typed", HUGE)
def test_a_huge_number_in_a_measurement_or_the_lot_is_a_422_naming_the_field(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook, typed: str
) -> None:
    """A measurement, the lot size and a defect count past any sensible number: 422 pages that
    name the criterion or the field (a defect count once read as 0 when unreadable)."""
    _, world, _ = web_world
    form = inspection_form(browser_client, world, rulebook, "numbers")
    criterion = next(name for name in form if name.startswith("m.") and form[name] not in ("yes", "no"))
    for field, expected in ((criterion, criterion[2:]), ("lot_size", "lot_size"), ("defects_major", "defects_major")):
        answer = browser_client.post("/inspect/submit", data={**form, field: typed}, follow_redirects=False)
        assert answer.status_code == 422, (field, answer.text)
        assert expected in answer.text


@pytest.mark.parametrize(
    "facts_json", ["[]", "[" * 100_000 + "]" * 100_000, '{"market": {"deep": 1}}', '{"market": 1e999}', "x" * 20_000]
)
def test_facts_json_that_is_not_an_object_of_facts_is_a_422(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook, facts_json: str
) -> None:
    """The hidden facts field, tampered with: a list, deep nesting, an object inside, an infinite
    number, too long: a 422 page naming facts_json, never a 500."""
    _, world, _ = web_world
    form = inspection_form(browser_client, world, rulebook, "facts")
    answer = browser_client.post("/inspect/submit", data={**form, "facts_json": facts_json}, follow_redirects=False)
    assert answer.status_code == 422, answer.text
    assert "facts_json" in answer.text


@pytest.mark.parametrize("holder_id", ["²", "١", "1e3", " 1 0"])
def test_a_holder_id_that_is_not_ascii_digits_is_refused_422(browser_client: TestClient, holder_id: str) -> None:
    """`holder_id=²` (a digit to str.isdigit, not to int) once answered 500: now a 422 page."""
    sign_in(browser_client, "admin")
    token = csrf_of(browser_client.get("/admin").text)
    answer = browser_client.post(
        "/admin/users",
        data={
            "role": "artisan",
            "name": "Wayan",
            "login": "wayan",
            "password": "correct horse battery",
            "holder_id": holder_id,
            "csrf": token,
        },
    )
    assert answer.status_code == 422, answer.text
