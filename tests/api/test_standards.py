"""The standards, public and complete."""

from __future__ import annotations

from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from tests.api.conftest import World, inspection_body


def test_anyone_lists_the_installed_standards_without_signing_in(client: TestClient) -> None:
    """GET /standards needs no token and lists every installed version with its content hash."""
    answer = client.get("/api/v1/standards")
    assert answer.status_code == 200
    refs = {(s["id"], s["version"]) for s in answer.json()}
    assert refs == {("wood", "2026.1"), ("woven", "2026.1")}
    assert all(len(s["content_hash"]) >= 32 for s in answer.json())


def test_a_standard_is_served_in_full_with_its_worked_examples(client: TestClient, rulebook: Rulebook) -> None:
    """The latest version and a named version are the same document, examples included."""
    latest = client.get("/api/v1/standards/wood").json()
    pinned = client.get("/api/v1/standards/wood/2026.1").json()
    assert latest == pinned
    assert len(latest["examples"]) == len(rulebook.get("wood").examples)
    assert latest["criteria"][0]["id"] == rulebook.get("wood").criteria[0].id


def test_an_unknown_standard_or_version_answers_404_problem_json(client: TestClient) -> None:
    """Unknown ids and versions are problem+json 404s."""
    for path in ("/api/v1/standards/batik_x", "/api/v1/standards/wood/2099.1"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 404


def test_each_worked_example_is_a_valid_inspection_body_once_a_product_is_added(
    client: TestClient, world: World
) -> None:
    """Every example of the served standard, plus product_id, the lot's code and a sampling plan
    drawn for it, is accepted and scored as expected (an example shows scoring: it names no lot
    code or plan, which a submission must)."""
    standard = client.get("/api/v1/standards/wood").json()
    products = {"furniture": world.products["jepara_furniture"], "toy": world.products["jepara_toy"]}
    headers = world["inspector"].headers
    for example in standard["examples"]:
        category = example["inspection"]["facts"]["product_category"]
        if category not in products:
            continue
        assert example["inspection"]["standard"] == "wood@2026.1"
        body = {**example["inspection"], "product_id": products[category]}
        bare = client.post("/api/v1/inspections", json=body, headers=headers)
        assert bare.status_code == 422
        assert {"#/sampling_plan_id", "#/lot/code"} <= {e.get("pointer") for e in bare.json()["errors"]}
        lot = body["lot"]["size"]
        plan = client.post("/api/v1/sampling-plans", json={"standard": "wood", "lot_size": lot}, headers=headers)
        assert plan.status_code == 201, plan.json()
        body = {**body, "lot": {**body["lot"], "code": "JPR-2026-05"}, "sampling_plan_id": plan.json()["id"]}
        answer = client.post("/api/v1/inspections", json=body, headers=headers)
        assert answer.status_code == 201, answer.json()
        assert answer.json()["certified"] is example["expect"]["certified"]
        assert answer.json()["grade"] == example["expect"]["grade"]


def test_inspection_body_helper_matches_the_served_examples(
    client: TestClient, rulebook: Rulebook, world: World
) -> None:
    """The helper the other tests use builds bodies from the same examples the API serves (adding
    the lot's code to the lot)."""
    served = client.get("/api/v1/standards/wood").json()["examples"][0]["inspection"]
    body = inspection_body(world, rulebook, 7)
    assert {k: body[k] for k in served if k != "lot"} == {k: v for k, v in served.items() if k != "lot"}
    assert {**body["lot"], "code": None} == {**served["lot"], "code": None}
