"""Headers every answer carries: `X-Content-Type-Options: nosniff` (JSON, PDFs and pages alike),
and `Strict-Transport-Security` when the request came over https (directly, or through a proxy of
`CERTIFY_TRUSTED_PROXIES` that says so in `X-Forwarded-Proto`)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000; includeSubDomains"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if https and b"strict-transport-security" not in names:
                    headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
