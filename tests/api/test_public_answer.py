"""The public answer by ID is served again, not rebuilt, while nothing it says has changed: an
ETag, `Cache-Control: no-cache`, 304 to a matching `If-None-Match`; and never older than the row,
whoever changed it (a certifier, the jobs worker, a date passing, an edit behind the app's back)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.core.certificate_id import CertificateIdError, new_certificate_id
from certify.rulebook import Rulebook
from certify.services import jobs, verification
from certify.services.verification import public_answer
from certify.store.database import Database
from certify.store.row_reads import RowReads
from tests.api.conftest import World
from tests.api.test_certificates import issue, public
from tests.api.test_lifecycle import act


def asked(client: TestClient, certificate_id: str, etag: str) -> object:
    return client.get(f"/api/v1/certificates/{certificate_id}", headers={"If-None-Match": etag})


def test_the_answer_has_an_etag_and_a_matching_if_none_match_is_a_304_without_a_body(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """200 with ETag and no-cache; the same ETag (also weak, also in a list, or `*`) → 304."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    first = public(client, certificate_id)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and etag.endswith('"')
    assert first.headers["cache-control"] == "no-cache"
    again = public(client, certificate_id)
    assert again.headers["etag"] == etag and again.content == first.content
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        unchanged = client.get(f"/api/v1/certificates/{certificate_id}", headers={"If-None-Match": header})
        assert unchanged.status_code == 304, header
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == etag and unchanged.headers["cache-control"] == "no-cache"
    other = client.get(f"/api/v1/certificates/{certificate_id}", headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.json() == first.json()


def test_the_answer_to_an_id_as_typed_is_the_canonical_ones(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Lower case and spaces: the same answer and ETag as the canonical ID."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    typed = certificate_id.lower().replace("-", " ")
    assert public(client, typed).headers["etag"] == public(client, certificate_id).headers["etag"]


def test_suspending_reinstating_and_withdrawing_each_change_the_answer_at_once(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """After each change the former ETag is a 200 with the new status and a new ETag."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    etags = [public(client, certificate_id).headers["etag"]]
    for action, status in (("suspend", "suspended"), ("reinstate", "valid"), ("withdraw", "withdrawn")):
        assert act(client, world, certificate_id, action).status_code == 200
        answer = asked(client, certificate_id, etags[-1])
        assert answer.status_code == 200 and answer.json()["status"] == status  # type: ignore[attr-defined]
        etags.append(answer.headers["etag"])  # type: ignore[attr-defined]
    assert len(set(etags)) == 4


def test_an_automatic_change_by_the_jobs_worker_changes_the_answer(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """The worker records the expiry (no request to the app): the answer says so, with the entry."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    before = public(client, certificate_id)
    assert before.json()["status"] == "valid"
    valid_until = datetime.fromisoformat(before.json()["valid_until"]).replace(tzinfo=UTC)
    assert jobs.run_due(database=database, now=valid_until + timedelta(days=2)).applied >= 1
    after = asked(client, certificate_id, before.headers["etag"])
    assert after.status_code == 200  # type: ignore[attr-defined]
    assert after.json()["status"] == "expired"  # type: ignore[attr-defined]
    reasons = [h["reason"] for h in after.json()["history"]]  # type: ignore[attr-defined]
    assert "validity ended" in reasons  # the worker's entry: today is still within the validity


def test_the_answer_turns_expired_when_the_day_passes_with_nothing_written(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """Asked the day after `valid_until`, the kept answer is not served: it is expired."""
    certificate = issue(client, world, rulebook)
    certificate_id = certificate["certificate_id"]
    keys = client.app.state.certify.keys  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    today = public_answer(db=database, certificate_id=certificate_id, keys=keys, now=now)
    assert public_answer(db=database, certificate_id=certificate_id, keys=keys, now=now) == today
    valid_until = datetime.fromisoformat(json.loads(today.body)["valid_until"]).replace(tzinfo=UTC)
    later = public_answer(db=database, certificate_id=certificate_id, keys=keys, now=valid_until + timedelta(days=2))
    assert json.loads(later.body)["status"] == "expired" and later.etag != today.etag
    assert json.loads(today.body)["status"] == "valid"


def test_an_edit_behind_the_apps_back_is_seen_on_the_next_request(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A record altered in the database after the answer was kept: the signature check fails."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    kept = public(client, certificate_id)
    assert kept.json()["checks"]["signature"] == "valid"
    with database.engine.begin() as connection:
        stored = connection.execute(text("SELECT record FROM certificates")).scalar_one()
        record = stored if isinstance(stored, dict) else json.loads(stored)
        record["grade"]["id"] = "prima"
        connection.execute(text("UPDATE certificates SET record = :r"), {"r": json.dumps(record)})
    answer = asked(client, certificate_id, kept.headers["etag"])
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert answer.json()["checks"]["signature"] == "invalid"  # type: ignore[attr-defined]


def test_unknown_and_mistyped_ids_are_still_problem_documents(client: TestClient) -> None:
    """Not answered from kept answers: 404 saying why, as before."""
    unknown = client.get("/api/v1/certificates/IDC-2026-0000-0000-0")
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/certificates/not-an-id").status_code == 404


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_on_postgresql_the_answer_still_comes_when_the_quick_read_cannot_connect(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The one-row read on the event loop (PostgreSQL's alone) fails, no server being there: the
    same answer, read through the engine's pool instead."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    expected = public(client, certificate_id)
    state = client.app.state.certify  # type: ignore[attr-defined]
    working, state.row_reads = state.row_reads, RowReads("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    client.portal.call(working.close)  # type: ignore[union-attr]
    answer = public(client, certificate_id)
    assert answer.status_code == 200 and answer.json() == expected.json()
    assert answer.headers["etag"] == expected.headers["etag"]


def test_ids_as_typed_are_remembered_boundedly_and_a_malformed_one_is_refused_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The canonical form of what was typed is kept for at most ANSWERS texts; what is not an ID
    is never kept, and says why every time it is asked."""
    monkeypatch.setattr(verification, "ANSWERS", 3)
    monkeypatch.setattr(verification, "_canonical", {})
    typed = [str(new_certificate_id(2026)).lower() for _ in range(5)]
    assert [verification.lookup_id(t) for t in typed] == [t.upper() for t in typed]
    assert list(verification._canonical) == typed[-3:]
    for _ in range(2):
        with pytest.raises(CertificateIdError):
            verification.lookup_id("IDC-2026-7KQ3-9XHD-0")
    assert len(verification._canonical) == 3
