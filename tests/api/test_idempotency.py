"""Retries from the field are safe: an Idempotency-Key replays the first answer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from tests.api.conftest import REFUSED_FURNITURE, World, inspection_body

URL = "/api/v1/inspections"


def test_the_same_key_and_body_replays_the_first_answer_and_creates_nothing(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """A retried submission answers 201 with the very same inspection; one row exists."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    headers = {**world["inspector"].headers, "Idempotency-Key": "visit-2026-03-04-a"}
    first = client.post(URL, json=body, headers=headers)
    second = client.post(URL, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert len(client.get(URL, headers=world["admin"].headers).json()) == 1


def test_the_same_key_with_a_different_body_is_a_409(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Reusing a key for another inspection is refused with 409 and stores nothing new."""
    headers = {**world["inspector"].headers, "Idempotency-Key": "visit-42"}
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    assert client.post(URL, json=body, headers=headers).status_code == 201
    other = inspection_body(world, rulebook, world.products["jepara_furniture"], REFUSED_FURNITURE)
    conflict = client.post(URL, json=other, headers=headers)
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert "Idempotency-Key" in conflict.json()["detail"]
    assert len(client.get(URL, headers=world["admin"].headers).json()) == 1


def test_keys_belong_to_the_user_who_sent_them(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Two inspectors choosing the same key get two inspections, not each other's answer."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    body2 = inspection_body(world, rulebook, world.products["jepara_furniture"], inspector="inspector2")
    first = client.post(URL, json=body, headers={**world["inspector"].headers, "Idempotency-Key": "k1"})
    second = client.post(URL, json=body2, headers={**world["inspector2"].headers, "Idempotency-Key": "k1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_without_a_key_each_submission_is_a_new_inspection(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """No key: two posts of the same lot, each with its own sample drawn, are two inspections (the
    inspector visited twice); the same sampling plan posted again is a 409 naming the first."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    again = {**body, "sampling_plan_id": inspection_body(world, rulebook, body["product_id"])["sampling_plan_id"]}
    ids = {client.post(URL, json=b, headers=world["inspector"].headers).json()["id"] for b in (body, again)}
    assert len(ids) == 2
    twice = client.post(URL, json=body, headers=world["inspector"].headers)
    assert twice.status_code == 409
    assert "already the plan of inspection" in twice.json()["detail"]


def test_two_identical_requests_at_once_create_one_inspection(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Concurrent twins with one key: both answer 201 with the same inspection; one row."""
    for attempt in range(3):
        body = inspection_body(world, rulebook, world.products["jepara_furniture"])
        headers = {**world["inspector"].headers, "Idempotency-Key": f"twin-{attempt}"}
        barrier = Barrier(4, timeout=120)

        def send(
            barrier: Barrier = barrier, headers: dict[str, str] = headers, body: dict[str, Any] = body
        ) -> tuple[int, int]:
            barrier.wait()
            answer = client.post(URL, json=body, headers=headers)
            return answer.status_code, answer.json()["id"]

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: send(), range(4)))
        assert {status for status, _ in results} == {201}
        assert len({inspection for _, inspection in results}) == 1
    assert len(client.get(URL, headers=world["admin"].headers).json()) == 3


def test_a_malformed_key_is_refused_naming_the_header(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """A key longer than 255 characters: 422 naming the Idempotency-Key header."""
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    answer = client.post(URL, json=body, headers={**world["inspector"].headers, "Idempotency-Key": "k" * 256})
    assert answer.status_code == 422
    assert "Idempotency-Key" in {e.get("header") for e in answer.json()["errors"]}
