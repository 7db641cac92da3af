"""The token bucket behind the public verification limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from certify.ratelimit import PublicLimits, TokenBucket, is_public_verification


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_goes_through_and_the_next_request_is_told_when_to_come_back() -> None:
    """`burst` requests at once pass; the next waits the time one token takes to refill."""
    clock = Clock()
    bucket = TokenBucket(per_second=0.5, burst=3, clock=clock)
    assert [bucket.take("buyer") for _ in range(3)] == [0, 0, 0]
    assert bucket.take("buyer") == 2


def test_tokens_refill_at_the_sustained_rate_and_never_beyond_the_burst() -> None:
    """After a pause a client may go on at the rate; a long pause gives back only the burst."""
    clock = Clock()
    bucket = TokenBucket(per_second=10, burst=5, clock=clock)
    for _ in range(5):
        bucket.take("buyer")
    clock.now += 0.1
    assert bucket.take("buyer") == 0
    assert bucket.take("buyer") == 1
    clock.now += 3600
    assert [bucket.take("buyer") for _ in range(6)] == [0, 0, 0, 0, 0, 1]


def test_each_address_has_its_own_bucket() -> None:
    """One client using up its burst does not slow another."""
    bucket = TokenBucket(per_second=1, burst=1, clock=Clock())
    assert bucket.take("10.0.0.1") == 0
    assert bucket.take("10.0.0.1") == 1
    assert bucket.take("10.0.0.2") == 0


def test_a_bucket_without_rate_or_burst_is_refused() -> None:
    """A zero rate is "no limit" for the middleware, never a bucket that blocks everyone forever."""
    with pytest.raises(ValueError, match="positive rate"):
        TokenBucket(per_second=0, burst=5)


@pytest.mark.parametrize(
    ("method", "path", "limited"),
    [
        ("GET", "/api/v1/certificates/CFY-2026-000001", True),
        ("GET", "/api/v1/certificates/CFY-2026-000001/pdf", False),
        ("POST", "/api/v1/certificates/CFY-2026-000001/suspend", False),
        ("GET", "/api/v1/certificates", False),
        ("POST", "/api/v1/verify", True),
        ("GET", "/verify", True),
        ("GET", "/verify/CFY-2026-000001", True),
        ("GET", "/verifyx", False),
        ("GET", "/healthz", False),
    ],
)
def test_only_public_verification_routes_are_limited(method: str, path: str, limited: bool) -> None:
    """The limit covers the verification routes, not staff work on certificates."""
    assert is_public_verification(method, path, api_prefix="/api/v1") is limited


def test_the_rate_limit_loads_neither_the_pages_nor_the_api() -> None:
    """The middleware is told its two 429 answers; importing it loads no certify.web or certify.api."""
    from tests.unit.test_core_is_pure import _loaded_after_importing

    loaded = _loaded_after_importing(["certify.ratelimit"])
    assert "certify.ratelimit" in loaded
    assert [name for name in loaded if name.startswith(("certify.web", "certify.api"))] == []


def test_public_limits_send_each_request_to_the_limits_of_its_kind_only() -> None:
    """A public verification goes through the verification chain, another public read through
    the reads chain, every other request (and a lifespan event) straight to the app."""
    reached: list[tuple[str, str]] = []

    def chain(name: str) -> Callable[[Any], Any]:
        def build(inner: Any) -> Any:
            async def limited(scope: dict[str, Any], receive: Any, send: Any) -> None:
                reached.append((name, scope.get("path", "")))
                await inner(scope, receive, send)

            return limited

        return build

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        reached.append(("app", scope.get("path", "")))

    limits = PublicLimits(app, api_prefix="/api/v1", verifications=chain("verify"), reads=chain("reads"))

    async def run() -> None:
        for method, path in (
            ("GET", "/api/v1/certificates/IDC-2026-7KQ3-9XHD-P"),
            ("POST", "/api/v1/verify"),
            ("GET", "/api/v1/log/checkpoint"),
            ("GET", "/api/v1/me"),
            ("POST", "/api/v1/inspections"),
        ):
            await limits({"type": "http", "method": method, "path": path}, None, None)
        await limits({"type": "lifespan"}, None, None)

    asyncio.run(run())
    assert reached == [
        ("verify", "/api/v1/certificates/IDC-2026-7KQ3-9XHD-P"),
        ("app", "/api/v1/certificates/IDC-2026-7KQ3-9XHD-P"),
        ("verify", "/api/v1/verify"),
        ("app", "/api/v1/verify"),
        ("reads", "/api/v1/log/checkpoint"),
        ("app", "/api/v1/log/checkpoint"),
        ("app", "/api/v1/me"),
        ("app", "/api/v1/inspections"),
        ("app", ""),
    ]
