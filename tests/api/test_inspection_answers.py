"""An inspection's answer is written with its stored assessment's text in it (not parsed, validated
and written again): what a client parses is exactly what the pydantic round trip gave, on both back
ends, for the submission's answer and for GET /api/v1/inspections/{id}."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from certify.app import create_app
from certify.config import Settings
from certify.core.standard import Standard
from certify.rulebook import bundled
from certify.services import decisions, holders, inspections, sampling
from certify.services.models import (
    AssessmentPublic,
    DecisionCreate,
    InspectionCreate,
    ProductCreate,
    SamplingPlanCreate,
)
from certify.store.database import Database
from certify.store.tables import Inspection
from tests.api.conftest import World, build_world
from tests.strategies import inspections as inspections_of

STANDARDS = bundled()
BUNDLED = STANDARDS.standards()
BY_REF = {standard.ref: standard for standard in BUNDLED}
# Every worked example but those of a day to come (a submission's day is no later than today).
EXAMPLES = [
    (standard, index)
    for standard in BUNDLED
    for index, example in enumerate(standard.examples)
    if date.fromisoformat(example.inspection.get("inspected_on") or "2000-01-01") <= date.today()
]
URL = "/api/v1/inspections"


def exactly(document: Any) -> str:
    """A parsed document as a comparable text: keys in their order, and 1, 1.0 and true told apart."""
    return json.dumps(document, ensure_ascii=False)


class Workshop:
    """The world's first workshop with a product of each category submitted, and the API over it."""

    def __init__(self, world: World, client: TestClient) -> None:
        self.world, self.client, self.products = world, client, dict[str, int]()

    def product(self, category: str) -> int:
        if category not in self.products:
            made = holders.create_product(
                database=self.world.database,
                actor=self.world["admin"].user,
                holder_id=self.world.holders["jepara"],
                product=ProductCreate(name=f"a {category}", category=category),
            )
            self.products[category] = made.id
        return self.products[category]

    def body(self, standard: Standard, inspection: dict[str, Any]) -> dict[str, Any]:
        plan = sampling.draw_plan(
            database=self.world.database,
            standards=STANDARDS,
            inspector=self.world["inspector"].user,
            body=SamplingPlanCreate(standard=standard.ref, lot_size=inspection["lot"]["size"]),
        )
        return {
            **inspection,
            "lot": {**inspection["lot"], "code": f"LOT-{plan.id}"},
            "product_id": self.product(str(inspection["facts"]["product_category"])),
            "standard": standard.ref,
            "sampling_plan_id": plan.id,
        }

    def round_trip(self, inspection_id: int) -> tuple[str, str]:
        """The answers as they were written before: the model's dump encoded by json.dumps (a
        submission), and by pydantic-core (a read)."""
        public = inspections.get_inspection(
            database=self.world.database, viewer=self.world["inspector"].user, inspection_id=inspection_id
        )
        posted = json.dumps(public.model_dump(mode="json"), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return exactly(json.loads(posted)), exactly(json.loads(public.model_dump_json()))

    def check(self, standard: Standard, inspection: dict[str, Any]) -> int:
        """Submit it through the service and through the API, and compare every answer."""
        inspector = self.world["inspector"]
        submitted = inspections.submit_inspection(
            database=self.world.database,
            standards=STANDARDS,
            inspector=inspector.user,
            body=InspectionCreate.model_validate(self.body(standard, inspection)),
        )
        posted = self.client.post(URL, json=self.body(standard, inspection), headers=inspector.headers)
        assert posted.status_code == 201, posted.text
        for answer in (json.loads(submitted.text), posted.json()):
            as_posted, as_read = self.round_trip(answer["id"])
            assert exactly(answer) == as_posted
            read = self.client.get(f"{URL}/{answer['id']}", headers=inspector.headers)
            assert read.status_code == 200
            assert exactly(read.json()) == as_read == as_posted
        return int(submitted.inspection["id"])


@pytest.fixture
def workshop(database: Database, tmp_path: Path) -> Any:
    settings = Settings(data_dir=tmp_path, public_rate_per_second=0, public_read_rate_per_second=0)
    with TestClient(create_app(settings, database=database, rulebook=STANDARDS)) as client:
        yield Workshop(build_world(database), client)


def test_every_worked_example_is_answered_as_the_round_trip_answered_it(workshop: Workshop) -> None:
    """Each bundled standard's worked examples: the submission's answer and the read, with and
    without a decision, parse exactly as the answer of a validated and dumped model did."""
    for standard, index in EXAMPLES:
        inspection_id = workshop.check(standard, standard.examples[index].inspection)
        if index == 0:
            decisions.decide(
                database=workshop.world.database,
                standards=STANDARDS,
                certifier=workshop.world["certifier"].user,
                inspection_id=inspection_id,
                decision=DecisionCreate(decision="refuse", note="a refusal, to read back"),
            )
            read = workshop.client.get(f"{URL}/{inspection_id}", headers=workshop.world["inspector"].headers)
            assert read.json()["decision"]["decision"] == "refuse"
            assert exactly(read.json()) == workshop.round_trip(inspection_id)[1]


@given(
    st.sampled_from(sorted(BY_REF)).flatmap(lambda ref: st.tuples(st.just(ref), inspections_of(BY_REF[ref]))),
    st.dates(date(2020, 1, 1), date.today()),
)
def test_varied_inspections_are_answered_as_the_round_trip_answered_them(
    workshop: Workshop, case: tuple[str, Any], day: date
) -> None:
    """Other measurements, facts, lots, defects and days (the lot history growing: tightened lots,
    switching rules): the same answers as the round trip, to the type of each number."""
    ref, inspection = case
    body = inspection.model_dump(mode="json", exclude_none=True)
    workshop.check(BY_REF[ref], {**body, "inspected_on": day.isoformat()})


def test_an_older_row_is_answered_with_what_the_assessment_gained_since(workshop: Workshop) -> None:
    """A row written before the assessment told its day, the lot's severity and switching rule and
    each plan's limiting quality (and before rows kept their lot decision) reads with the defaults
    AssessmentPublic gives them, as before: its stored text alone would lack them."""
    standard = STANDARDS.get("wood")
    inspection_id = workshop.check(standard, standard.examples[0].inspection)
    database = workshop.world.database
    with database.read() as session:
        stored = dict(session.get_one(Inspection, inspection_id).assessment)
    del stored["inspected_on"]
    lot = stored["lot"] = {
        key: value for key, value in stored["lot"].items() if key not in ("severity", "switching_rule")
    }
    lot["defects"] = [{k: v for k, v in each.items() if k != "limiting_quality"} for each in lot["defects"]]
    with database.write() as session:
        session.execute(
            update(Inspection).where(Inspection.id == inspection_id).values(assessment=stored, lot_decision=None)  # type: ignore[arg-type]
        )
    read = workshop.client.get(f"{URL}/{inspection_id}", headers=workshop.world["inspector"].headers).json()
    assert read["assessment"]["inspected_on"] is None
    assert (read["assessment"]["lot"]["severity"], read["assessment"]["lot"]["switching_rule"]) == ("normal", None)
    assert {each["limiting_quality"] for each in read["assessment"]["lot"]["defects"]} == {None}
    assert exactly(read) == workshop.round_trip(inspection_id)[1]


# What every assessment stored since migration 0015 holds (the rows the answers take as stored,
# `inspections._AS_STORED`): a field AssessmentPublic gains must move that line to the rows that have it.
STORED_SINCE_0015 = {
    "": [
        *("standard", "inspected_on", "certified", "grade", "total", "categories", "knockouts_failed", "lot"),
        *("reasons", "notes", "criteria"),
    ],
    "lot": ["lot_size", "level", "accepted", "severity", "switching_rule", "defects"],
    "lot.defects": [
        *("class", "aql", "code_letter", "plan_letter", "sample_size", "pieces_to_inspect", "inspect_all"),
        *("accept", "reject", "found", "accepted", "limiting_quality"),
    ],
}


def test_the_assessment_answered_is_the_one_stored_since_migration_0015() -> None:
    """AssessmentPublic has exactly the fields the rows written since migration 0015 store."""
    lot = AssessmentPublic.model_fields["lot"].annotation
    defects = lot.model_fields["defects"].annotation.__args__[0]  # type: ignore[union-attr]
    found = {
        "": list(AssessmentPublic.model_fields),
        "lot": list(lot.model_fields),  # type: ignore[union-attr]
        "lot.defects": [field.alias or name for name, field in defects.model_fields.items()],
    }
    assert found == STORED_SINCE_0015
