"""Use cases under concurrency, on both back ends, through the real store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from certify.rulebook import Rulebook
from certify.services import decisions, events, inspections
from certify.services.errors import Conflict
from certify.services.models import DecisionCreate, InspectionCreate
from certify.store.database import Database
from certify.store.tables import Certificate, Decision
from tests.api.conftest import CERTIFIED_FURNITURE, build_world, inspection_body


def test_concurrent_decisions_number_certificates_without_gaps(database: Database, rulebook: Rulebook) -> None:
    """Two certifiers issuing twelve certificates at once get serials 1..12 of the year."""
    world = build_world(database)
    ids = []
    for _ in range(12):
        body = InspectionCreate.model_validate(
            inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
        )
        submitted = inspections.submit_inspection(
            database=database, standards=rulebook, inspector=world["inspector"].user, body=body
        )
        ids.append(submitted.inspection["id"])
    barrier = Barrier(6, timeout=120)

    def issue(index: int) -> str:
        if index < 6:
            barrier.wait()
        certifier = world["certifier" if index % 2 else "certifier2"].user
        outcome = decisions.decide(
            database=database,
            standards=rulebook,
            certifier=certifier,
            inspection_id=ids[index],
            decision=DecisionCreate(decision="issue"),
        )
        return outcome.serial

    with ThreadPoolExecutor(6) as pool:
        serials = list(pool.map(issue, range(12)))
    year = date.today().year
    assert sorted(serials) == [f"{year}-{n:06d}" for n in range(1, 13)]


def test_concurrent_decisions_on_one_inspection_record_exactly_one(database: Database, rulebook: Rulebook) -> None:
    """Racing certifiers: one decision and one certificate; every other answer is a 409."""
    world = build_world(database)
    body = InspectionCreate.model_validate(
        inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    )
    inspection_id = inspections.submit_inspection(
        database=database,
        standards=rulebook,
        inspector=world["inspector"].user,
        body=body,
    ).inspection["id"]
    barrier = Barrier(4, timeout=120)

    def issue(index: int) -> str:
        barrier.wait()
        certifier = world["certifier" if index % 2 else "certifier2"].user
        try:
            decisions.decide(
                database=database,
                standards=rulebook,
                certifier=certifier,
                inspection_id=inspection_id,
                decision=DecisionCreate(decision="issue"),
            )
        except Conflict as refused:
            assert "has already been decided" in refused.detail
            return "conflict"
        return "issued"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(issue, range(4)))
    assert outcomes == ["conflict", "conflict", "conflict", "issued"]
    with database.read() as session:
        assert len(session.exec(select(Decision)).all()) == 1
        assert len(session.exec(select(Certificate)).all()) == 1


def test_a_collision_that_is_not_a_second_decision_is_not_called_one(
    database: Database, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any other integrity failure: nothing recorded, and a 409 that says to send it again."""
    world = build_world(database)
    body = InspectionCreate.model_validate(
        inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    )
    inspection_id = inspections.submit_inspection(
        database=database, standards=rulebook, inspector=world["inspector"].user, body=body
    ).inspection["id"]
    decide = {
        "database": database,
        "standards": rulebook,
        "certifier": world["certifier"].user,
        "inspection_id": inspection_id,
        "decision": DecisionCreate(decision="issue"),
    }

    def collides(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError("INSERT INTO events …", {}, Exception("a unique index"))

    with monkeypatch.context() as patched:
        patched.setattr(events, "record", collides)
        with pytest.raises(Conflict) as refused:
            decisions.decide(**decide)
    assert "collided with another change" in refused.value.detail
    assert "bertabrakan" in refused.value.text.id
    with database.read() as session:
        assert session.exec(select(Decision)).all() == []
    assert decisions.decide(**decide).serial  # type: ignore[union-attr]
