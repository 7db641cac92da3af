"""`/docs` (Swagger UI) and `/redoc`, their scripts and styles served by certify itself from the
`fastapi-offline` package (a pinned dependency): the API's documentation works without reaching
any CDN. Each page carries a Content-Security-Policy allowing scripts from certify and the page's
own inline script by its hash, nothing framed and no framing (`frame-ancestors 'none'`)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs-assets"


def _guarded(page: HTMLResponse) -> tuple[bytes, dict[str, str]]:
    """`page`'s bytes and the headers that fence it: its own inline scripts by hash, styles inline
    (Swagger UI and ReDoc style elements from script), ReDoc's blob worker, no framing."""
    body = bytes(page.body)
    inline = re.findall(rb"<script>(.*?)</script>", body, re.DOTALL)
    hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in inline)
    return body, {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'none'"
        ),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }


def install(app: FastAPI) -> None:
    """Serve the two documentation pages and their assets (the app is made with docs_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url, title = app.openapi_url or "/openapi.json", f"{app.title} API"
    swagger = _guarded(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        )
    )
    redoc = _guarded(
        get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
    )

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger[0], headers=swagger[1])

    @app.get("/redoc", include_in_schema=False)
    async def redoc_page() -> HTMLResponse:
        return HTMLResponse(redoc[0], headers=redoc[1])
