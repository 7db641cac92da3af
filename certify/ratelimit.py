"""Rate limits on public verification: a token bucket per client address, in this process's memory.

Each address may make `burst` requests at once and `per_second` a second after that; beyond that
`GET /api/v1/certificates/{id}` and `POST /api/v1/verify` answer 429 problem+json, and the pages
`/verify` and `/verify/{id}` a 429 page, both with `Retry-After`. Several server processes each keep
their own buckets: the limit per process holds. The client address is the one uvicorn gives (behind
a proxy, run it with `--proxy-headers --forwarded-allow-ips` so that it is the buyer's).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Refusal = Callable[[Request, int], Response]
"""The 429 answer to a request and the seconds it must wait: the API's problem+json, or a page."""

MAX_ADDRESSES = 100_000  # bounded memory under a flood of addresses


class TokenBucket:
    """`burst` tokens per key, refilled at `per_second`; a request takes one."""

    def __init__(self, *, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.per_second, self.burst, self.clock = per_second, float(burst), clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)

    def take(self, key: str) -> int:
        """Take a token for `key`: 0 when it may go ahead, else whole seconds until it may."""
        moment = self.clock()
        tokens, then = self._buckets.get(key, (self.burst, moment))
        tokens = min(self.burst, tokens + (moment - then) * self.per_second)
        if tokens >= 1.0:
            if len(self._buckets) >= MAX_ADDRESSES and key not in self._buckets:
                self._buckets.clear()
            self._buckets[key] = (tokens - 1.0, moment)
            return 0
        self._buckets[key] = (tokens, moment)
        return max(1, math.ceil((1.0 - tokens) / self.per_second))


def is_public_verification(method: str, path: str, *, api_prefix: str) -> bool:
    """Whether a request is one of the limited public verification routes."""
    if path == "/verify" or path.startswith("/verify/"):
        return True
    if path == f"{api_prefix}/verify":
        return method == "POST"
    certificates = f"{api_prefix}/certificates/"
    if method in ("GET", "HEAD") and path.startswith(certificates):
        return "/" not in path[len(certificates):].rstrip("/")
    return False


class PublicRateLimit:
    """Pure ASGI middleware: a token bucket per client address on public verification routes."""

    def __init__(self, app: ASGIApp, *, per_second: float, burst: int, api_prefix: str,
                 api_refusal: Refusal, page_refusal: Refusal,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.api_prefix = app, api_prefix
        self.api_refusal, self.page_refusal = api_refusal, page_refusal
        self.bucket = TokenBucket(per_second=per_second, burst=burst, clock=clock) \
            if per_second > 0 and burst > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.bucket is None or scope["type"] != "http"
                or not is_public_verification(scope["method"], scope["path"], api_prefix=self.api_prefix)):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.bucket.take(client[0] if client else "unknown")
        if not wait:
            await self.app(scope, receive, send)
            return
        refuse = self.api_refusal if scope["path"].startswith(self.api_prefix) else self.page_refusal
        await refuse(Request(scope, receive), wait)(scope, receive, send)
