"""Issue 12, finding 5: names longer than a certificate prints once made every decision answer
503 "decide again" forever. Now they are refused at input (422 naming the field), and a name
stored before the limit makes the decision a 422 that says why, logged (both back ends)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_certificates import issue
from tests.api.test_decisions import decide, submit
from tests.api.test_lifecycle import act


@pytest.mark.parametrize(
    ("path", "body", "pointer"),
    [
        ("/api/v1/holders", {"name": "N" * 121, "province": "Bali", "crafts": ["wood"]}, "#/name"),
        ("/api/v1/holders", {"name": "Ukir", "province": "P" * 59, "crafts": ["wood"]}, "#/province"),
        ("/api/v1/holders", {"name": "Ukir", "province": "Bali", "region": "R" * 59, "crafts": ["wood"]}, "#/region"),
    ],
)
def test_a_holder_name_or_place_longer_than_a_certificate_prints_is_a_422(
    client: TestClient, world: World, path: str, body: dict[str, object], pointer: str
) -> None:
    answer = client.post(path, json=body, headers=world["admin"].headers)
    assert answer.status_code == 422, answer.text
    assert [e["pointer"] for e in answer.json()["errors"]] == [pointer]


def test_a_product_name_longer_than_a_certificate_prints_is_a_422(client: TestClient, world: World) -> None:
    holder = world.holders["jepara"]
    answer = client.post(
        f"/api/v1/holders/{holder}/products",
        json={"name": "P" * 121, "category": "furniture"},
        headers=world["inspector"].headers,
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == "#/name"
    exactly = client.post(
        f"/api/v1/holders/{holder}/products",
        json={"name": "P" * 120, "category": "furniture"},
        headers=world["inspector"].headers,
    )
    assert exactly.status_code == 201, exactly.text


def test_a_name_stored_too_long_makes_the_decision_a_422_saying_why_not_decide_again(
    client: TestClient, world: World, rulebook: Rulebook, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A holder saved before the limit with a 150-character name: the decision is refused with the
    field named (retrying would fail again), the cause is logged, nothing is issued."""
    inspection_id = submit(client, world, rulebook)
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE holders SET name = :n WHERE id = :id"), {"n": "N" * 150, "id": world.holders["jepara"]}
        )
    with caplog.at_level(logging.WARNING, logger="certify.services.certificates"):
        answer = decide(client, world, inspection_id)
    assert answer.status_code == 422, answer.text
    assert "holder_name longer than a certificate prints" in answer.json()["detail"]
    assert "decide again" not in answer.json()["detail"].split(";")[0]
    assert any("cannot print" in record.getMessage() for record in caplog.records)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM certificates")).scalar_one() == 0


def test_a_status_reason_longer_than_the_page_shows_is_a_422(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    answer = act(client, world, certificate_id, "suspend", reason="r" * 501)
    assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == "#/reason"
    assert act(client, world, certificate_id, "suspend", reason="r" * 500).status_code == 200


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: printed, "Mangkuk" would read "kukgnaM"


def test_a_product_name_with_a_bidi_override_is_a_422_naming_it(client: TestClient, world: World) -> None:
    answer = client.post(
        f"/api/v1/holders/{world.holders['jepara']}/products",
        json={"name": f"Mangkuk {RLO}kayu", "category": "furniture"},
        headers=world["inspector"].headers,
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["pointer"] == "#/name" and "U+202E RIGHT-TO-LEFT OVERRIDE" in error["detail"]


@pytest.mark.parametrize("character", ["\u202e", "\u2066", "\u200b", "\ufeff"])
def test_holder_names_and_places_with_invisible_formatting_are_422(
    client: TestClient, world: World, character: str
) -> None:
    for body, pointer in (
        ({"name": f"Ukir{character}", "province": "Bali", "crafts": ["wood"]}, "#/name"),
        ({"name": "Ukir", "province": f"Ba{character}li", "crafts": ["wood"]}, "#/province"),
    ):
        answer = client.post("/api/v1/holders", json=body, headers=world["admin"].headers)
        assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == pointer


def test_a_status_reason_with_a_bidi_override_is_a_422(client: TestClient, world: World, rulebook: Rulebook) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    answer = act(client, world, certificate_id, "suspend", reason=f"recall {RLO}under review")
    assert answer.status_code == 422 and "U+202E" in answer.json()["errors"][0]["detail"]
    assert act(client, world, certificate_id, "suspend", reason="recall under review").status_code == 200


def test_a_name_stored_with_a_bidi_override_makes_the_decision_a_422_not_a_reversed_pdf(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A holder saved before the check: no certificate prints its name in another order."""
    inspection_id = submit(client, world, rulebook)
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE holders SET name = :n WHERE id = :id"),
            {"n": f"Ukir {RLO}Jepara", "id": world.holders["jepara"]},
        )
    answer = decide(client, world, inspection_id)
    assert answer.status_code == 422, answer.text
    assert "holder_name holds invisible formatting characters" in answer.json()["detail"]
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM certificates")).scalar_one() == 0
