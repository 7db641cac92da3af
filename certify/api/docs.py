"""`/docs`: Swagger UI for the API, its script pinned to one version and fenced by a CSP.

The page loads Swagger UI from jsDelivr at an exact version (never "latest"), and its answer
carries a Content-Security-Policy that allows that one origin for scripts and styles, the page's
own inline script by its hash, nothing framed and no framing (`frame-ancestors 'none'`).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14"
router = APIRouter(include_in_schema=False)


@cache
def _page(openapi_url: str, title: str) -> tuple[bytes, str]:
    page = get_swagger_ui_html(openapi_url=openapi_url, title=title,
                               swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
                               swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
                               swagger_favicon_url="data:,").body
    inline = re.findall(rb"<script>(.*?)</script>", bytes(page), re.DOTALL)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in inline)
    policy = (f"default-src 'none'; script-src {SWAGGER_UI}/ {hashes}; style-src {SWAGGER_UI}/; "
              "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'none'")
    return bytes(page), policy


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    page, policy = _page(request.app.openapi_url or "/openapi.json", f"{request.app.title} API")
    return HTMLResponse(page, headers={"Content-Security-Policy": policy, "X-Frame-Options": "DENY",
                                       "Referrer-Policy": "no-referrer"})
