"""Public verification is limited per client address: 429 with Retry-After beyond the burst."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.store.database import Database

UNKNOWN = "/api/v1/certificates/CFY-2026-000001"


@pytest.fixture
def limited(database: Database, tmp_path: Path, rulebook: Rulebook) -> Iterator[TestClient]:
    """A burst of 3 and one request per 100 s after it."""
    settings = Settings(data_dir=tmp_path, public_rate_per_second=0.01, public_rate_burst=3)
    with TestClient(create_app(settings, database=database, rulebook=rulebook)) as client:
        yield client


def test_the_api_answers_429_problem_with_retry_after_beyond_the_burst(limited: TestClient) -> None:
    """Three lookups get their answer (404: no such certificate); the fourth is told to wait."""
    assert [limited.get(UNKNOWN).status_code for _ in range(3)] == [404, 404, 404]
    refused = limited.get(UNKNOWN)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 90 <= int(refused.headers["retry-after"]) <= 100  # one token in 100 s, less what refilled meanwhile
    assert refused.json()["type"] == "urn:certify:problem:rate-limited"
    upload = limited.post("/api/v1/verify", files={"file": ("c.pdf", b"%PDF-1.7", "application/pdf")})
    assert upload.status_code == 429


def test_the_openapi_documents_the_429_and_its_retry_after(limited: TestClient) -> None:
    """API clients learn from the schema that the public lookups may be told to wait, and how long."""
    paths = limited.get("/openapi.json").json()["paths"]
    for answers in (
        paths["/api/v1/certificates/{certificate_id}"]["get"]["responses"],
        paths["/api/v1/verify"]["post"]["responses"],
    ):
        assert answers["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_the_verify_pages_answer_a_429_page(limited: TestClient) -> None:
    """A buyer's browser gets a page, with the pages' security headers, not JSON."""
    for _ in range(3):
        assert limited.get("/verify").status_code == 200
    refused = limited.get("/verify/CFY-2026-000001")
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert 90 <= int(refused.headers["retry-after"]) <= 100  # one token in 100 s, less what refilled meanwhile
    assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
    assert "<html" in refused.text


def test_other_routes_are_not_limited(limited: TestClient) -> None:
    """Health checks and the key set keep answering after the verification burst is spent."""
    for _ in range(4):
        limited.get(UNKNOWN)
    assert [limited.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert limited.get("/.well-known/jwks.json").status_code == 200


@pytest.mark.parametrize("setting", ["public_rate_per_second", "public_rate_burst"])
def test_a_zero_setting_turns_the_limit_off(
    setting: str,
    database: Database,
    tmp_path: Path,
    rulebook: Rulebook,
) -> None:
    """With either setting 0, no request is refused."""
    limits = {"public_rate_per_second": 0.01, "public_rate_burst": 1, setting: 0}
    settings = Settings(data_dir=tmp_path, **limits)  # type: ignore[arg-type]
    with TestClient(create_app(settings, database=database, rulebook=rulebook)) as client:
        assert {client.get(UNKNOWN).status_code for _ in range(10)} == {404}


def test_the_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """CERTIFY_PUBLIC_RATE_PER_SECOND and CERTIFY_PUBLIC_RATE_BURST configure the limit."""
    monkeypatch.setenv("CERTIFY_PUBLIC_RATE_PER_SECOND", "0")
    monkeypatch.setenv("CERTIFY_PUBLIC_RATE_BURST", "7")
    settings = Settings()
    assert (settings.public_rate_per_second, settings.public_rate_burst) == (0, 7)
    assert (
        Settings.model_fields["public_rate_per_second"].default,
        Settings.model_fields["public_rate_burst"].default,
    ) == (10.0, 60)
