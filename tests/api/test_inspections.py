"""Submitting inspections: validated, scored, stored with the assessment; conflicts refused."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.api import inspections as api_inspections
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.switching import next_inspection
from certify.rulebook import Rulebook
from certify.services import conflicts, inspections
from certify.services.lot_history import lot_record
from certify.store.database import Database
from certify.store.tables import Inspection as Inspected
from tests.api.conftest import CERTIFIED_FURNITURE, REFUSED_FURNITURE, World, inspection_body

URL = "/api/v1/inspections"


def test_an_inspection_is_scored_and_stored_with_its_assessment(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """201 with the inspection, its pinned standard and the engine's assessment; readable after."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 201, answer.json()
    created = answer.json()
    assert created["certified"] is True and created["grade"] == "utama"
    assert created["holder_id"] == world.holders["jepara"]
    assert created["standard"]["id"] == "wood" and created["standard"]["version"] == "2026.1"
    assert created["assessment"]["standard"]["content_hash"] == created["standard"]["content_hash"]
    assert created["measurements"] == body["measurements"]
    assert created["decision"] is None
    again = client.get(f"{URL}/{created['id']}", headers=world["inspector"].headers)
    assert again.status_code == 200 and again.json() == created


def test_the_assessment_answered_is_the_engines_own_explanation_unchanged(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Clients get the assessment exactly as the engine explains it (keys, order and types), read back alike."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], REFUSED_FURNITURE)
    created = client.post(URL, json=body, headers=world["inspector"].headers).json()
    expected = score(  # dated the day it was submitted, the first lot of its product: normal inspection
        rulebook.get("wood"),
        Inspection.model_validate(
            {
                **{key: body[key] for key in ("facts", "lot", "measurements", "defects") if key in body},
                "inspected_on": created["assessment"]["inspected_on"],
            }
        ),
        switching=next_inspection([]),
    ).to_dict()
    assert list(created["assessment"]) == list(expected)
    assert created["assessment"] == expected
    assert list(created["assessment"]["lot"]["defects"][0]) == list(expected["lot"]["defects"][0])
    again = client.get(f"{URL}/{created['id']}", headers=world["inspector"].headers).json()
    assert again["assessment"] == expected


def test_the_assessment_is_stored_as_json_dumps_writes_the_engines_document(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """The stored text is, to the byte, `json.dumps` of the assessment answered (written once, faster)."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], REFUSED_FURNITURE)
    created = client.post(URL, json=body, headers=world["inspector"].headers).json()
    with database.read() as session:
        query = text("SELECT CAST(assessment AS TEXT) FROM inspections WHERE id = :id").bindparams(id=created["id"])
        stored = session.exec(query).scalar_one()  # type: ignore[call-overload]
    assert stored == json.dumps(created["assessment"])


def test_the_lot_record_is_stored_in_columns_as_the_switching_rules_read_it(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """Each inspection keeps its lot's record (accepted, Ac, accepted one step tighter) as numbers,
    the same the lot history would make of its lot decision, so the next submission parses no JSON."""
    for example in (REFUSED_FURNITURE, CERTIFIED_FURNITURE):
        body = inspection_body(world, rulebook, world.products["jepara_furniture"], example)
        created = client.post(URL, json=body, headers=world["inspector"].headers).json()
        with database.read() as session:
            row = session.get_one(Inspected, created["id"])
        assert row.lot_decision == created["assessment"]["lot"]
        expected = lot_record(created["assessment"]["lot"])
        assert (row.lot_accepted, row.lot_accept_number, row.lot_accepted_tighter) == (
            expected.accepted,
            expected.accept_number,
            expected.accepted_one_step_tighter,
        )


def test_a_worker_scores_and_stores_at_most_two_submissions_at_once(
    client: TestClient, world: World, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight submissions sent together run two at a time (the others wait their turn), and each is answered."""
    bodies = [
        inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE, evidence=False)
        for _ in range(8)
    ]
    running, most = 0, 0
    lock = threading.Lock()
    submit = inspections.submit_inspection

    def counted(**arguments: Any) -> inspections.Submission:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        try:
            return submit(**arguments)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(inspections, "submit_inspection", counted)
    with ThreadPoolExecutor(len(bodies)) as pool:
        answers = list(pool.map(lambda body: client.post(URL, json=body, headers=world["inspector"].headers), bodies))
    assert [answer.status_code for answer in answers] == [201] * len(bodies)
    assert most == api_inspections.SUBMITTING_AT_ONCE == 2


def test_the_openapi_schema_of_an_inspection_types_its_assessment(client: TestClient) -> None:
    """GET /api/v1/inspections/{id} documents the assessment's rows, categories and lot, not a free dict."""
    schema = client.get("/openapi.json").json()
    answer = schema["paths"]["/api/v1/inspections/{inspection_id}"]["get"]["responses"]["200"]
    inspection = resolve(schema, answer["content"]["application/json"]["schema"])
    assessment = resolve(schema, inspection["properties"]["assessment"])
    assert {"certified", "grade", "total", "categories", "lot", "reasons", "criteria"} <= set(assessment["properties"])
    row = resolve(schema, assessment["properties"]["criteria"]["items"])
    assert set(row["properties"]["status"]["enum"]) == {"passed", "failed", "not_applicable", "not_assessed"}
    category = resolve(schema, assessment["properties"]["categories"]["items"])
    assert {"type": "null"} in category["properties"]["score"]["anyOf"]
    lot = resolve(schema, assessment["properties"]["lot"])
    assert "class" in resolve(schema, lot["properties"]["defects"]["items"])["properties"]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or the component its $ref names."""
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_an_uncertified_assessment_is_still_stored_with_its_reasons(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """A lot that fails the standard is recorded (201), not certified, with reasons."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], REFUSED_FURNITURE)
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 201
    assert answer.json()["certified"] is False
    assert answer.json()["assessment"]["reasons"]


def test_a_missing_measurement_is_refused_naming_the_criterion(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """422 problem+json naming the criterion whose measurement is missing; nothing stored."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    criterion = next(iter(body["measurements"]))
    del body["measurements"][criterion]
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert criterion in {e.get("criterion") for e in answer.json()["errors"]}
    assert client.get(URL, headers=world["admin"].headers).json() == []


def test_an_unknown_field_is_refused_naming_it(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Input models forbid unknown fields: 422 with a pointer to the field."""
    body = {**inspection_body(world, rulebook, world.products["jepara_furniture"]), "certified": True}
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/certified" in {e.get("pointer") for e in answer.json()["errors"]}


def test_a_wrongly_typed_lot_is_refused_naming_the_field(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """A lot size that is not a positive whole number: 422 pointing at #/lot/size."""
    body = {**inspection_body(world, rulebook, world.products["jepara_furniture"]), "lot": {"size": 0}}
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/lot/size" in {e.get("pointer") for e in answer.json()["errors"]}


def test_an_unknown_standard_is_refused_naming_the_field(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """A standard that is not installed: 422 pointing at #/standard."""
    body = {**inspection_body(world, rulebook, world.products["jepara_furniture"]), "standard": "wood@2099.1"}
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/standard" in {e.get("pointer") for e in answer.json()["errors"]}


def test_a_product_that_does_not_exist_answers_404(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """An inspection of a product nobody registered: 404 naming product_id."""
    answer = client.post(URL, json=inspection_body(world, rulebook, 99999), headers=world["inspector"].headers)
    assert answer.status_code == 404
    assert "#/product_id" in {e.get("pointer") for e in answer.json()["errors"]}


def test_facts_that_contradict_the_product_are_refused(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """A furniture example submitted for a toy: 422 at #/facts/product_category."""
    body = inspection_body(world, rulebook, world.products["jepara_toy"], CERTIFIED_FURNITURE)
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/facts/product_category" in {e.get("pointer") for e in answer.json()["errors"]}


def test_a_product_outside_the_standard_is_refused(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Wood furniture cannot be inspected to the woven standard: 422 at #/product_id."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], 0, standard="woven")
    answer = client.post(URL, json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/product_id" in {e.get("pointer") for e in answer.json()["errors"]}


def test_an_inspector_with_a_conflict_of_interest_is_refused_saying_why(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A declared family tie with the holder: 403 naming the conflict; another inspector may."""
    conflicts.declare_conflict(
        database=database, user_id=world["inspector"].id, holder_id=world.holders["jepara"], reason="family"
    )
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    refused = client.post(URL, json=body, headers=world["inspector"].headers)
    assert refused.status_code == 403
    assert "conflict of interest" in refused.json()["detail"] and "family" in refused.json()["detail"]
    body2 = inspection_body(world, rulebook, world.products["jepara_furniture"], inspector="inspector2")
    assert client.post(URL, json=body2, headers=world["inspector2"].headers).status_code == 201
    other_holder = inspection_body(world, rulebook, world.products["bali_furniture"])
    assert client.post(URL, json=other_holder, headers=world["inspector"].headers).status_code == 201


def test_a_conflict_whose_period_has_ended_no_longer_refuses(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A consultancy that ended last year does not block an inspection today."""
    from datetime import date

    conflicts.declare_conflict(
        database=database,
        user_id=world["inspector"].id,
        holder_id=world.holders["jepara"],
        reason="consultancy",
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 12, 31),
    )
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    assert client.post(URL, json=body, headers=world["inspector"].headers).status_code == 201


def test_reads_are_scoped_to_what_each_role_may_see(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Inspectors see their own, artisans their holder's, certifiers and admins everything."""
    mine = client.post(
        URL,
        json=inspection_body(world, rulebook, world.products["jepara_furniture"]),
        headers=world["inspector"].headers,
    ).json()["id"]
    theirs = client.post(
        URL,
        json=inspection_body(world, rulebook, world.products["bali_furniture"], inspector="inspector2"),
        headers=world["inspector2"].headers,
    ).json()["id"]

    def listed(who: str) -> set[int]:
        return {i["id"] for i in client.get(URL, headers=world[who].headers).json()}

    assert listed("inspector") == {mine}
    assert listed("inspector2") == {theirs}
    assert listed("artisan") == {mine}
    assert listed("artisan2") == {theirs}
    assert listed("certifier") == listed("admin") == {mine, theirs}


def test_an_inspection_is_read_on_sqlite_without_a_trip_to_a_worker_thread(
    client: TestClient, database: Database, world: World, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone polling its inspection while others submit does not queue for the GIL behind
    their threads: on SQLite the read is made on the event loop; on PostgreSQL (a network
    round trip, which must not hold the loop) in a worker thread. The answer is the same."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    created = client.post(URL, json=body, headers=world["inspector"].headers).json()
    trips: list[object] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(function)
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    again = client.get(f"{URL}/{created['id']}", headers=world["inspector"].headers)
    assert again.status_code == 200 and again.json() == created
    assert len(trips) == (0 if database.dialect == "sqlite" else 1)
