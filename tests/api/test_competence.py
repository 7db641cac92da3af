"""Competence (ISO/IEC 17065 §6.1): inspecting against a standard and deciding on it need an
authorisation for that standard in force that day; authorisations are audit events."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook, bundled
from certify.services import accounts, competence, holders
from certify.services.models import ProductCreate
from certify.store.database import Database
from certify.store.tables import Event
from tests.api.conftest import CERTIFIED_FURNITURE, World, inspection_body
from tests.api.test_decisions import decide, submit


def newcomer(world: World, role: str, name: str) -> tuple[int, dict[str, str]]:
    user, token = accounts.create_user(database=world.database, role=role, name=name)
    return user.id, {"Authorization": f"Bearer {token}"}


def authorise(
    client: TestClient, world: World, user_id: int, standard: str, starts: date | None = None, ends: date | None = None
) -> dict[str, object]:
    body = {"standard": standard, "starts_on": starts and starts.isoformat(), "ends_on": ends and ends.isoformat()}
    answer = client.post(f"/api/v1/users/{user_id}/authorisations", json=body, headers=world["admin"].headers)
    assert answer.status_code == 201, answer.json()
    made: dict[str, object] = answer.json()
    return made


def test_an_inspector_authorised_only_for_woven_may_not_submit_a_wood_inspection(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """403 naming the standard and the day, in both languages; nothing is stored."""
    user_id, headers = newcomer(world, "inspector", "Wayan Sudira")
    authorise(client, world, user_id, "woven")
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    before = client.get("/api/v1/inspections", headers=world["admin"].headers).json()
    answer = client.post("/api/v1/inspections", json=body, headers=headers)
    assert answer.status_code == 403, answer.json()
    problem = answer.json()
    assert "not authorised for the standard 'wood'" in problem["detail"]
    assert date.today().isoformat() in problem["detail"]
    assert client.get("/api/v1/inspections", headers=world["admin"].headers).json() == before


def test_an_authorisation_that_ended_yesterday_is_refused_today(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    inspection_id = submit(client, world, rulebook)
    user_id, headers = newcomer(world, "certifier", "Putu Ardana")
    yesterday = date.today() - timedelta(days=1)
    authorise(client, world, user_id, "wood", starts=yesterday - timedelta(days=30), ends=yesterday)
    refused = client.post(f"/api/v1/inspections/{inspection_id}/decision", json={"decision": "issue"}, headers=headers)
    assert refused.status_code == 403, refused.json()
    assert "not authorised for the standard 'wood'" in refused.json()["detail"]
    authorise(client, world, user_id, "wood")  # renewed from today, until further notice
    issued = client.post(f"/api/v1/inspections/{inspection_id}/decision", json={"decision": "issue"}, headers=headers)
    assert issued.status_code == 201, issued.json()


def test_an_authorisation_that_starts_tomorrow_is_not_yet_in_force(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    inspection_id = submit(client, world, rulebook)
    user_id, headers = newcomer(world, "certifier", "Komang Arta")
    authorise(client, world, user_id, "wood", starts=date.today() + timedelta(days=1))
    answer = client.post(f"/api/v1/inspections/{inspection_id}/decision", json={"decision": "issue"}, headers=headers)
    assert answer.status_code == 403
    assert decide(client, world, inspection_id).status_code == 201  # an authorised certifier may


def test_authorisations_are_listed_and_recorded_as_audit_events(client: TestClient, world: World) -> None:
    user_id, headers = newcomer(world, "inspector", "Ni Luh Sari")
    until = date.today() + timedelta(days=365)
    made = authorise(client, world, user_id, "woven", ends=until)
    assert made["standard"] == "woven" and made["ends_on"] == until.isoformat()
    assert made["granted_by"] == world["admin"].id
    own = client.get(f"/api/v1/users/{user_id}/authorisations", headers=headers)
    assert own.status_code == 200 and [a["id"] for a in own.json()] == [made["id"]]
    with world.database.read() as session:
        granted = session.exec(
            select(Event).where(Event.action == "authorisation.granted", Event.subject_id == user_id)
        ).all()
    assert [(e.actor_id, e.detail["standard"], e.detail["ends_on"]) for e in granted] == [
        (world["admin"].id, "woven", until.isoformat())
    ]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"standard": "pottery"}, "no standard 'pottery'"),
        ({"standard": "wood", "starts_on": "2026-05-02", "ends_on": "2026-05-01"}, "ends (2026-05-01) before"),
    ],
)
def test_a_bad_authorisation_is_refused_naming_the_problem(
    client: TestClient, world: World, body: dict[str, str], named: str
) -> None:
    answer = client.post(
        f"/api/v1/users/{world['inspector'].id}/authorisations", json=body, headers=world["admin"].headers
    )
    assert answer.status_code in (404, 422)
    assert named in answer.json()["detail"]


def test_only_inspectors_and_certifiers_are_authorised(client: TestClient, world: World) -> None:
    answer = client.post(
        f"/api/v1/users/{world['artisan'].id}/authorisations", json={"standard": "wood"}, headers=world["admin"].headers
    )
    assert answer.status_code == 422
    assert "only inspectors and certifiers" in answer.json()["detail"]


def test_an_inspector_without_ceramics_may_not_submit_a_ceramics_inspection(
    database: Database, world: World, tmp_path: Path
) -> None:
    """With the bundled standards: authorised for everything but ceramics, refused for ceramics."""
    book = bundled()
    ceramics = book.get("ceramics")
    app = create_app(Settings(data_dir=tmp_path, public_rate_per_second=0), database=database, rulebook=book)
    product = holders.create_product(
        database=database,
        actor=world["admin"].user,
        holder_id=world.holders["jepara"],
        product=ProductCreate(name="Guci", category=ceramics.product_categories[0]),
    )
    user_id, headers = newcomer(world, "inspector", "Gede Mahendra")
    for standard in sorted({s.id for s in book.standards()} - {"ceramics"}):
        competence.authorise(
            database=database,
            standards=book,
            user_id=user_id,
            body=competence.AuthorisationCreate(standard=standard),
        )
    body = inspection_body(world, book, product.id, standard="ceramics")
    with TestClient(app) as client:
        answer = client.post("/api/v1/inspections", json=body, headers=headers)
        assert answer.status_code == 403, answer.json()
        assert "not authorised for the standard 'ceramics'" in answer.json()["detail"]
        assert client.post("/api/v1/inspections", json=body, headers=world["inspector"].headers).status_code == 201
