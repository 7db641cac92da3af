"""Every error is RFC 9457 problem+json that says what is wrong."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from certify.services import accounts
from certify.store.database import Database
from certify.store.tables import Holder
from tests.api.conftest import MAX_BODY, World

PROBLEM = "application/problem+json"


def test_no_token_is_a_401_that_asks_for_a_bearer_token(client: TestClient) -> None:
    """401 problem+json with a WWW-Authenticate: Bearer challenge."""
    answer = client.get("/api/v1/holders")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"] == "Bearer"
    assert set(answer.json()) >= {"type", "title", "status", "detail", "instance"}
    assert answer.json()["instance"] == "/api/v1/holders"


def test_a_revoked_token_no_longer_signs_in(client: TestClient, world: World, database: Database) -> None:
    """After revocation the same token answers 401; a new token works."""
    assert client.get("/api/v1/me", headers=world["inspector"].headers).status_code == 200
    assert accounts.revoke_tokens(database=database, user_id=world["inspector"].id) == 1
    answer = client.get("/api/v1/me", headers=world["inspector"].headers)
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]
    token = accounts.issue_token(database=database, user_id=world["inspector"].id)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == "Ayu Lestari"


def test_tokens_are_stored_only_as_hashes(world: World, database: Database) -> None:
    """No column of api_tokens holds the token itself."""
    from sqlmodel import select

    from certify.store.tables import ApiToken

    with database.read() as session:
        stored = {row.token_hash for row in session.exec(select(ApiToken))}
    assert world["admin"].token not in stored
    assert accounts.token_hash(world["admin"].token) in stored


def test_a_body_over_the_limit_is_a_413(client: TestClient, world: World) -> None:
    """A request body larger than the configured limit is refused before it is parsed."""
    big = {"name": "x" * (MAX_BODY + 1), "province": "Bali", "crafts": ["wood"]}
    answer = client.post("/api/v1/holders", json=big, headers=world["admin"].headers)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["status"] == 413


def test_a_chunked_body_over_the_limit_is_a_413(client: TestClient, world: World) -> None:
    """Without a Content-Length the body is counted as it arrives."""

    def chunks() -> object:
        for _ in range(MAX_BODY // 1024 + 2):
            yield b"x" * 1024

    answer = client.post(
        "/api/v1/holders",
        content=chunks(),  # type: ignore[arg-type]
        headers={**world["admin"].headers, "content-type": "application/json"},
    )
    assert answer.status_code == 413


def test_malformed_json_is_a_422_naming_where(client: TestClient, world: World) -> None:
    """Broken JSON: 422 problem+json, not a 500."""
    answer = client.post(
        "/api/v1/holders", content=b'{"name": ', headers={**world["admin"].headers, "content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM


def test_a_body_that_is_not_utf8_is_a_422_saying_so(client: TestClient, world: World, database: Database) -> None:
    """Bytes that are not UTF-8 sent as JSON: invalid input, named, and nothing stored."""
    answer = client.post(
        "/api/v1/holders",
        content=b"\x1a\xff\xfe{",
        headers={**world["admin"].headers, "Content-Type": "application/json"},
    )
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["detail"] == "the request body cannot be read: it is not UTF-8 text"
    with database.read() as session:
        assert len(session.exec(select(Holder)).all()) == len(world.holders)


def test_a_missing_field_is_named(client: TestClient, world: World) -> None:
    """A holder without a province: 422 with a pointer to #/province."""
    answer = client.post(
        "/api/v1/holders", json={"name": "Batik Ibu Sri", "crafts": ["batik"]}, headers=world["admin"].headers
    )
    assert answer.status_code == 422
    assert [e["pointer"] for e in answer.json()["errors"]] == ["#/province"]


def test_an_unknown_route_is_a_problem_json_404(client: TestClient) -> None:
    """Even routes that do not exist answer problem+json."""
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404 and answer.headers["content-type"] == PROBLEM


def test_a_path_id_out_of_range_is_a_422_naming_the_parameter(client: TestClient, world: World) -> None:
    """An id that cannot exist (0 or beyond 32 bits): 422 naming the path parameter."""
    for bad in ("0", str(2**31), "abc"):
        answer = client.get(f"/api/v1/holders/{bad}", headers=world["admin"].headers)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["parameter"] == "holder_id"


def test_control_characters_in_names_are_refused(client: TestClient, world: World) -> None:
    """A NUL in a holder's name is a 422, never a database error."""
    answer = client.post(
        "/api/v1/holders",
        json={"name": "a\u0000b", "province": "Bali", "crafts": ["wood"]},
        headers=world["admin"].headers,
    )
    assert answer.status_code == 422
