"""Headers every answer carries: `X-Content-Type-Options: nosniff` (JSON, PDFs and pages alike),
and `Strict-Transport-Security` when the request came over https (directly, or through a proxy of
`CERTIFY_TRUSTED_PROXIES` that says so in `X-Forwarded-Proto`)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certify.observability import Header, with_headers

HSTS = b"max-age=31536000; includeSubDomains"
_OVER_HTTP: tuple[Header, ...] = ((b"x-content-type-options", b"nosniff"),)
_OVER_HTTPS: tuple[Header, ...] = (*_OVER_HTTP, (b"strict-transport-security", HSTS))


def security_headers(scope: Scope) -> Sequence[Header]:
    """The headers an answer to `scope` carries unless it has its own (built once)."""
    return _OVER_HTTPS if scope.get("scheme") == "https" else _OVER_HTTP


class SecurityHeaders:
    """Pure ASGI middleware adding `security_headers` (`certify.app` has `RequestLog` add them, in
    the pass that adds the request id)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_headers(list(message.get("headers", [])), extra)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
