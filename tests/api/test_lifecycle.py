"""The lifecycle: suspend, reinstate, withdraw, supersede and expire, each shown at once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.rulebook import Rulebook
from certify.services import conflicts
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_certificates import issue, public


def act(
    client: TestClient,
    world: World,
    certificate_id: str,
    action: str,
    who: str = "certifier",
    reason: str = "lot recall under review",
) -> Any:
    return client.post(
        f"/api/v1/certificates/{certificate_id}/{action}", json={"reason": reason}, headers=world[who].headers
    )


def expire(database: Database) -> None:
    """Every certificate's validity ended yesterday."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE certificates SET valid_until = :d"), {"d": yesterday})


def test_suspending_shows_at_once_with_its_reason(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """valid → suspended: verification says suspended, the status check invalid, the reason shown."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    answer = act(client, world, certificate_id, "suspend", reason="complaint about dye bleeding")
    assert answer.status_code == 200
    body = public(client, certificate_id).json()
    assert body["status"] == "suspended" and body["checks"]["status"] == "invalid"
    assert [h["status"] for h in body["history"]] == ["valid", "suspended"]
    assert body["history"][-1]["reason"] == "complaint about dye bleeding"


def test_reinstating_a_suspended_certificate_makes_it_valid_again(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """suspended → valid, with both changes in the history."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    assert act(client, world, certificate_id, "suspend").status_code == 200
    answer = act(client, world, certificate_id, "reinstate", reason="complaint resolved")
    assert answer.status_code == 200 and answer.json()["status"] == "valid"
    assert [h["status"] for h in answer.json()["history"]] == ["valid", "suspended", "valid"]


@pytest.mark.parametrize("suspend_first", [False, True])
def test_withdrawing_is_final(client: TestClient, world: World, rulebook: Rulebook, suspend_first: bool) -> None:
    """valid or suspended → withdrawn; then every action is a 409."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    if suspend_first:
        assert act(client, world, certificate_id, "suspend").status_code == 200
    assert act(client, world, certificate_id, "withdraw").json()["status"] == "withdrawn"
    for action in ("suspend", "reinstate", "withdraw"):
        refused = act(client, world, certificate_id, action)
        assert refused.status_code == 409
        assert "withdrawn" in refused.json()["detail"]
    assert public(client, certificate_id).json()["status"] == "withdrawn"


def test_transitions_that_make_no_sense_are_refused(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Reinstating a valid certificate or suspending a suspended one: 409, nothing changes."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    refused = act(client, world, certificate_id, "reinstate")
    assert refused.status_code == 409 and "nothing to reinstate" in refused.json()["detail"]
    assert act(client, world, certificate_id, "suspend").status_code == 200
    assert act(client, world, certificate_id, "suspend").status_code == 409
    assert len(public(client, certificate_id).json()["history"]) == 2


def test_a_new_issue_for_the_same_product_supersedes_the_earlier_certificate(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The old certificate is superseded and names its successor; it can no longer change."""
    first = issue(client, world, rulebook)["certificate_id"]
    second = issue(client, world, rulebook)["certificate_id"]
    old = public(client, first).json()
    assert old["status"] == "superseded" and old["successor"] == second
    assert old["history"][-1]["successor"] == second
    assert public(client, second).json()["status"] == "valid"
    for action in ("suspend", "reinstate", "withdraw"):
        assert act(client, world, first, action).status_code == 409


def test_a_certificate_for_another_product_is_not_superseded(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Issuing for the other workshop's product leaves the first certificate valid."""
    first = issue(client, world, rulebook)["certificate_id"]
    issue(client, world, rulebook, product="bali_furniture")
    assert public(client, first).json()["status"] == "valid"


def test_a_certificate_expires_at_the_end_of_its_validity_with_nobody_acting(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """Past valid_until it reads expired (history says when) and no action applies to it."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    expire(database)
    body = public(client, certificate_id).json()
    assert body["status"] == "expired" and body["checks"]["status"] == "invalid"
    assert body["history"][-1]["status"] == "expired"
    for action in ("suspend", "reinstate", "withdraw"):
        refused = act(client, world, certificate_id, action)
        assert refused.status_code == 409 and "expired" in refused.json()["detail"]


def test_only_certifiers_change_a_status(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Admins, inspectors and artisans: 403; no token: 401; an unknown ID: 404."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    for who in ("admin", "inspector", "artisan"):
        assert act(client, world, certificate_id, "suspend", who=who).status_code == 403
    assert client.post(f"/api/v1/certificates/{certificate_id}/suspend", json={"reason": "x"}).status_code == 401
    assert act(client, world, "IDC-2026-0000-0000-0", "suspend").status_code == 404
    assert public(client, certificate_id).json()["status"] == "valid"


def test_a_change_needs_a_reason(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """An empty or missing reason is a 422 naming the field."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    assert act(client, world, certificate_id, "suspend", reason="").status_code == 422
    missing = client.post(f"/api/v1/certificates/{certificate_id}/suspend", json={}, headers=world["certifier"].headers)
    assert missing.status_code == 422


def test_a_certifier_with_a_conflict_of_interest_may_not_act(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A declared family tie to the holder: 403, and the status stays."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    conflicts.declare_conflict(
        database=database,
        user_id=world["certifier2"].id,
        holder_id=world.holders["jepara"],
        reason="family",
        actor_id=world["admin"].id,
        starts_on=date(2020, 1, 1),
    )
    assert act(client, world, certificate_id, "suspend", who="certifier2").status_code == 403
    assert public(client, certificate_id).json()["status"] == "valid"


def test_every_change_is_an_event_with_who_and_why(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """The event record names the certifier and the reason of each change."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    act(client, world, certificate_id, "suspend", reason="first reason")
    act(client, world, certificate_id, "withdraw", who="certifier2", reason="second reason")
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT action, actor_id, detail FROM events WHERE subject_type = 'certificate' "
                "AND action <> 'certificate.issued' ORDER BY id"
            )
        ).all()
    details = [r[2] if isinstance(r[2], dict) else json.loads(r[2]) for r in rows]
    assert [(r[0], r[1]) for r in rows] == [
        ("certificate.suspended", world["certifier"].id),
        ("certificate.withdrawn", world["certifier2"].id),
    ]
    assert [d["reason"] for d in details] == ["first reason", "second reason"]
