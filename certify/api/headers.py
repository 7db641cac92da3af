"""Headers every answer carries (`certify.app` has `RequestLog` add them, in the pass that adds
the request id): `X-Content-Type-Options: nosniff` (JSON, PDFs and pages alike),
and `Strict-Transport-Security` when the request came over https (directly, or through a proxy of
`CERTIFY_TRUSTED_PROXIES` that says so in `X-Forwarded-Proto`)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Scope

from certify.observability import Header

HSTS = b"max-age=31536000; includeSubDomains"
_OVER_HTTP: tuple[Header, ...] = ((b"x-content-type-options", b"nosniff"),)
_OVER_HTTPS: tuple[Header, ...] = (*_OVER_HTTP, (b"strict-transport-security", HSTS))


def security_headers(scope: Scope) -> Sequence[Header]:
    """The headers an answer to `scope` carries unless it has its own (built once)."""
    return _OVER_HTTPS if scope.get("scheme") == "https" else _OVER_HTTP
