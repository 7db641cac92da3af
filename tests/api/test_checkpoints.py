"""Checkpoints: the log signs a tree head at most once per interval (and on shutdown), keeps it,
serves the latest and earlier ones by size, and never signs a size a request names. The log and
the status lists are rate-limited like the other public reads."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.core.certificate_id import new_certificate_id
from certify.ledger import verify_consistency
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.test_log import LOG, _issue


def app(database: Database, rulebook: Rulebook, tmp_path: Path, **settings: Any) -> TestClient:
    configured = Settings(data_dir=tmp_path, public_rate_per_second=0, public_read_rate_per_second=0, **settings)
    return TestClient(create_app(configured, database=database, rulebook=rulebook))


@pytest.fixture
def hourly(database: Database, rulebook: Rulebook, tmp_path: Path) -> Iterator[TestClient]:
    with app(database, rulebook, tmp_path, checkpoint_seconds=3600) as client:
        yield client


def test_a_growing_log_gets_a_new_head_only_once_the_interval_has_passed(
    hourly: TestClient, database: Database
) -> None:
    """Within the hour every reader gets the same head, signed once, though leaves were added."""
    _issue(database, str(new_certificate_id(2026)))
    first = hourly.get(f"{LOG}/tree-head").json()
    assert first["size"] == 2
    _issue(database, str(new_certificate_id(2026)))
    assert hourly.get(f"{LOG}/tree-head").json() == first
    assert hourly.get(f"{LOG}/leaves", params={"start": 0}).json()["tree_size"] == 4


def test_earlier_heads_are_served_by_size_and_no_other_size_is_signed(
    database: Database, rulebook: Rulebook, tmp_path: Path
) -> None:
    """With the interval passed (0 s), each read of a grown log keeps a head; each is served
    again by its size, unchanged, and a consistency proof joins them. A size never signed: 404."""
    with app(database, rulebook, tmp_path, checkpoint_seconds=0) as client:
        _issue(database, str(new_certificate_id(2026)))
        early = client.get(f"{LOG}/tree-head").json()
        _issue(database, str(new_certificate_id(2026)), "suspended")
        late = client.get(f"{LOG}/tree-head").json()
        assert (early["size"], late["size"]) == (2, 5)
        assert client.get(f"{LOG}/tree-heads/2").json() == early
        assert client.get(f"{LOG}/tree-heads/5").json() == late
        never = client.get(f"{LOG}/tree-heads/3")
        assert never.status_code == 404 and "nearest signed sizes: 2, 5" in never.json()["detail"]
        assert client.get(f"{LOG}/tree-heads/3").status_code == 404  # still none: asking signs nothing
        beyond = client.get(f"{LOG}/tree-heads/{2**53 - 1}")  # beyond any database integer: a 404, not a 500
        assert beyond.status_code == 404 and "the log has 5 leaves" in beyond.json()["detail"]
        proof = client.get(f"{LOG}/proof/consistency", params={"first": 2, "second": 5}).json()["proof"]
        verify_consistency(
            2,
            5,
            [base64.b64decode(h) for h in proof],
            base64.b64decode(early["root_hash"]),
            base64.b64decode(late["root_hash"]),
        )


def test_a_server_shutting_down_signs_the_head_of_what_it_appended(
    database: Database, rulebook: Rulebook, tmp_path: Path
) -> None:
    """Leaves appended after the last head are under a signed head once the app has stopped."""
    with app(database, rulebook, tmp_path, checkpoint_seconds=3600) as client:
        _issue(database, str(new_certificate_id(2026)))
        assert client.get(f"{LOG}/tree-head").json()["size"] == 2
        _issue(database, str(new_certificate_id(2026)))
        assert client.get(f"{LOG}/tree-heads/4").status_code == 404
    with app(database, rulebook, tmp_path, checkpoint_seconds=3600) as client:
        assert client.get(f"{LOG}/tree-heads/4").status_code == 200
        assert client.get(f"{LOG}/tree-head").json()["size"] == 4


@pytest.mark.parametrize("path", [f"{LOG}/tree-head", f"{LOG}/tree-heads/1", "/api/v1/credentials/status/revocation"])
def test_the_log_and_the_status_lists_are_rate_limited_like_the_other_public_reads(
    database: Database, rulebook: Rulebook, tmp_path: Path, path: str
) -> None:
    """A burst of 3, then 429 with Retry-After."""
    settings = Settings(data_dir=tmp_path, public_read_rate_per_second=0.01, public_read_rate_burst=3)
    with TestClient(create_app(settings, database=database, rulebook=rulebook)) as client:
        for _ in range(3):
            assert client.get(path).status_code != 429
        refused = client.get(path)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
