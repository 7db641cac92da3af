"""Decisions: four eyes, no conflict of interest, one per inspection, certified only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from certify.core.lifecycle import add_months
from certify.rulebook import Rulebook
from certify.services import conflicts
from certify.store.database import Database
from tests.api.conftest import CERTIFIED_FURNITURE, REFUSED_FURNITURE, World, inspection_body


def submit(
    client: TestClient,
    world: World,
    rulebook: Rulebook,
    example: int = CERTIFIED_FURNITURE,
    inspector: str = "inspector",
    product: str = "jepara_furniture",
) -> int:
    body = inspection_body(world, rulebook, world.products[product], example, inspector=inspector)
    answer = client.post("/api/v1/inspections", json=body, headers=world[inspector].headers)
    assert answer.status_code == 201, answer.json()
    inspection_id: int = answer.json()["id"]
    return inspection_id


def decide(
    client: TestClient, world: World, inspection_id: int, decision: str = "issue", certifier: str = "certifier"
) -> Any:
    return client.post(
        f"/api/v1/inspections/{inspection_id}/decision",
        json={"decision": decision, "note": "reviewed"},
        headers=world[certifier].headers,
    )


def test_issuing_creates_a_certificate_with_a_serial_of_the_year(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """201 with the certificate: serial YEAR-000001, grade, validity from the standard."""
    inspection_id = submit(client, world, rulebook)
    answer = decide(client, world, inspection_id)
    assert answer.status_code == 201, answer.json()
    certificate = answer.json()
    year = date.today().year
    assert certificate["serial"] == f"{year}-000001"
    assert certificate["grade"] == "utama" and certificate["status"] == "valid"
    assert certificate["inspection_id"] == inspection_id
    assert certificate["decision"]["decided_by"] == world["certifier"].id
    months = rulebook.get("wood").validity_months
    valid_from = date.fromisoformat(certificate["valid_from"])
    valid_until = date.fromisoformat(certificate["valid_until"])
    assert valid_until == add_months(valid_from, months) - timedelta(days=1)  # the day before the anniversary
    read = client.get(f"/api/v1/inspections/{inspection_id}", headers=world["admin"].headers).json()
    assert read["certificate"]["serial"] == certificate["serial"]
    assert read["decision"]["decision"] == "issue"


def test_refusing_records_the_decision_without_a_certificate(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """A refusal answers 201 with the decision; the inspection shows it and no certificate."""
    inspection_id = submit(client, world, rulebook, REFUSED_FURNITURE)
    answer = decide(client, world, inspection_id, "refuse")
    assert answer.status_code == 201
    assert answer.json()["decision"] == "refuse"
    read = client.get(f"/api/v1/inspections/{inspection_id}", headers=world["admin"].headers).json()
    assert read["decision"]["decision"] == "refuse" and read["certificate"] is None


def test_an_uncertified_assessment_cannot_be_issued(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Issuing a failed assessment: 409 naming the decision field; nothing recorded."""
    inspection_id = submit(client, world, rulebook, REFUSED_FURNITURE)
    answer = decide(client, world, inspection_id, "issue")
    assert answer.status_code == 409
    assert "#/decision" in {e.get("pointer") for e in answer.json()["errors"]}
    assert decide(client, world, inspection_id, "refuse").status_code == 201


def test_one_decision_per_inspection(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """A second decision, by anyone, is a 409."""
    inspection_id = submit(client, world, rulebook)
    assert decide(client, world, inspection_id).status_code == 201
    second = decide(client, world, inspection_id, "refuse", certifier="certifier2")
    assert second.status_code == 409
    assert "already been decided" in second.json()["detail"]


def test_a_certifier_who_inspected_may_not_decide(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """Four eyes: a certifier cannot decide on an inspection recorded under their own account."""
    from sqlmodel import update

    from certify.store.tables import Inspection

    inspection_id = submit(client, world, rulebook)
    with database.write() as session:  # the certifier is recorded as the inspector
        session.exec(
            update(Inspection)
            .where(Inspection.id == inspection_id)  # type: ignore[arg-type]
            .values(inspector_id=world["certifier"].id)
        )
    refused = decide(client, world, inspection_id)
    assert refused.status_code == 403
    assert "four-eyes" in refused.json()["detail"]
    assert decide(client, world, inspection_id, certifier="certifier2").status_code == 201


def test_a_certifier_with_a_conflict_of_interest_is_refused_saying_why(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A certifier who consulted for the holder: 403 naming the conflict; a colleague decides."""
    conflicts.declare_conflict(
        database=database, user_id=world["certifier"].id, holder_id=world.holders["jepara"], reason="consultancy"
    )
    inspection_id = submit(client, world, rulebook)
    refused = decide(client, world, inspection_id)
    assert refused.status_code == 403
    assert "consultancy" in refused.json()["detail"]
    assert decide(client, world, inspection_id, certifier="certifier2").status_code == 201


def test_serials_count_up_without_gaps_across_refusals_and_failures(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Refusals and refused issues take no number: issued serials are 1, 2, 3."""
    serials = []
    for _ in range(3):
        decide(client, world, submit(client, world, rulebook, REFUSED_FURNITURE), "issue")
        decide(client, world, submit(client, world, rulebook, REFUSED_FURNITURE), "refuse")
        serials.append(decide(client, world, submit(client, world, rulebook)).json()["serial"])
    year = date.today().year
    assert serials == [f"{year}-00000{n}" for n in (1, 2, 3)]
