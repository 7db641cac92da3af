"""The token bucket behind the public verification limit."""

from __future__ import annotations

import pytest

from certify.ratelimit import TokenBucket, is_public_verification


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
