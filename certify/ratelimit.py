"""Rate limits on public verification: a token bucket per client address, in this process's memory.

Each address may make `burst` requests at once and `per_second` a second after that; beyond that
`GET /api/v1/certificates/{id}` and `POST /api/v1/verify` answer 429 problem+json, and the pages
`/verify` and `/verify/{id}` a 429 page, both with `Retry-After`. Several server processes each keep
their own buckets: the limit per process holds. The client address is the one uvicorn gives: the
connecting address, or behind a proxy named in `CERTIFY_TRUSTED_PROXIES` the buyer's. The other
public reads (log, directory, standards) have buckets of their own (`reads=True`), and
`VerificationGate` caps the verifications one process handles at once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Refusal = Callable[[Request, int], Response]
"""The answer to a request turned away and the seconds it must wait (429 past a rate, 503 past the
gate): the API's problem+json, or a page."""

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
        return "/" not in path[len(certificates) :].rstrip("/")
    return False


def is_public_read(method: str, path: str, *, api_prefix: str) -> bool:
    """Whether a request reads one of the other public routes: the log, the directory, the standards."""
    if method not in ("GET", "HEAD"):
        return False
    return (
        path.startswith((f"{api_prefix}/log", f"{api_prefix}/standards", f"{api_prefix}/credentials", "/directory"))
        or path == f"{api_prefix}/standards"
    )


class PublicRateLimit:
    """Pure ASGI middleware: a token bucket per client address, for the requests `PublicLimits`
    gives it: public verifications, or (`reads=True`) the other public reads (log, directory,
    standards)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_second: float,
        burst: int,
        api_prefix: str,
        api_refusal: Refusal,
        page_refusal: Refusal,
        clock: Callable[[], float] = time.monotonic,
        reads: bool = False,
    ) -> None:
        self.app, self.api_prefix, self.reads = app, api_prefix, reads
        self.api_refusal, self.page_refusal = api_refusal, page_refusal
        self.bucket = (
            TokenBucket(per_second=per_second, burst=burst, clock=clock) if per_second > 0 and burst > 0 else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.bucket is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.bucket.take(client[0] if client else "unknown")
        if not wait:
            await self.app(scope, receive, send)
            return
        page = scope["path"] == "/directory" if self.reads else not scope["path"].startswith(self.api_prefix)
        refuse = self.page_refusal if page else self.api_refusal
        await refuse(Request(scope, receive), wait)(scope, receive, send)


class VerificationGate:
    """Pure ASGI middleware: at most `limit` public verifications at once in this process (by ID
    and by upload, whoever asks); beyond it 503 with Retry-After at once, before any body is read,
    so that a flood of uploads waits outside while every other route keeps answering (`PublicLimits`
    gives it the public verifications alone)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        api_prefix: str,
        api_refusal: Refusal,
        page_refusal: Refusal,
    ) -> None:
        self.app, self.limit, self.api_prefix = app, limit, api_prefix
        self.api_refusal, self.page_refusal = api_refusal, page_refusal
        self.running = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limit:
            await self.app(scope, receive, send)
            return
        if self.running >= self.limit:
            refuse = self.api_refusal if scope["path"].startswith(self.api_prefix) else self.page_refusal
            await refuse(Request(scope, receive), 1)(scope, receive, send)
            return
        self.running += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.running -= 1


class PublicLimits:
    """Pure ASGI middleware: each request's kind found once, then only the limits of that kind. A
    public verification goes through `verifications` (built around the app: its rate limit and
    the gate), another public read through `reads` (its rate limit), anything else straight on."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        api_prefix: str,
        verifications: Callable[[ASGIApp], ASGIApp],
        reads: Callable[[ASGIApp], ASGIApp],
    ) -> None:
        self.app, self.api_prefix = app, api_prefix
        self.verifications, self.reads = verifications(app), reads(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            method, path = scope["method"], scope["path"]
            if is_public_verification(method, path, api_prefix=self.api_prefix):
                await self.verifications(scope, receive, send)
                return
            if is_public_read(method, path, api_prefix=self.api_prefix):
                await self.reads(scope, receive, send)
                return
        await self.app(scope, receive, send)
