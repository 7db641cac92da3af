"""The route class of every page: failures become pages (or a redirect to sign in), never JSON,
an unexpected one too (logged, 500), and every answer carries the security headers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError

from certify.services.errors import ServiceError
from certify.web import i18n, render
from certify.web.i18n import N_
from certify.web.visit import CsrfFailed, SignInRequired, WrongRole

log = logging.getLogger("certify.web")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TITLES = {
    400: N_("This request is not understood"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("This contradicts what is already recorded"),
    413: N_("This file is too large"),
    422: N_("Please check what you entered"),
    429: N_("Too many attempts"),
    503: N_("Busy, please try again"),
}


def error_page(request: Request, status: int, detail: str, *, headers: dict[str, str] | None = None) -> Response:
    language = i18n.of_request(request)
    title = i18n.translations(language).gettext(TITLES.get(status, N_("Something went wrong")))
    html = render.page(
        language,
        "error.html",
        {
            "visit": None,
            "user": None,
            "lang": language,
            "csrf_token": "",
            "path": request.url.path,
            "query": request.url.query,
            "title": title,
            "detail": detail,
            "status": status,
        },
    )
    return HTMLResponse(html, status_code=status, headers=headers)


class PageRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                field = await _field_with_nul(request)
                if field is not None:  # no text a person types holds one; PostgreSQL refuses it
                    response = error_page(
                        request,
                        422,
                        translated(request, N_("This field holds a NUL character, which no text may contain: "))
                        + field,
                    )
                else:
                    response = await handler(request)
            except SignInRequired as needed:
                response = RedirectResponse(f"/sign-in?next={quote(needed.next_path)}", status_code=303)
            except WrongRole:
                response = error_page(request, 403, translated(request, N_("This page is for another role.")))
            except CsrfFailed:
                response = error_page(
                    request,
                    403,
                    translated(
                        request,
                        N_("This form has expired or did not come from this site. Reload the page and try again."),
                    ),
                )
            except RequestValidationError as invalid:
                fields = ", ".join(str(e["loc"][-1]) for e in invalid.errors())
                response = error_page(request, 422, translated(request, N_("Missing or invalid: ")) + fields)
            except ServiceError as refused:
                response = error_page(
                    request,
                    refused.status,
                    getattr(refused.text, i18n.of_request(request)),
                    headers={"Retry-After": "1"} if refused.status == 503 else None,
                )
            except OperationalError as busy:
                log.warning("database busy: %s", busy)
                response = error_page(
                    request,
                    503,
                    translated(request, N_("The database is busy. Try again in a moment.")),
                    headers={"Retry-After": "1"},
                )
            except Exception:  # a page, not a traceback nor JSON; the request log marks it an error
                log.exception("unexpected error on %s %s", request.method, request.url.path)
                response = error_page(
                    request,
                    500,
                    translated(
                        request, N_("Something went wrong on our side; it has been logged. Please try again later.")
                    ),
                )
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return page_handler


async def _field_with_nul(request: Request) -> str | None:
    """The name of the first query parameter or form field whose text holds a NUL character."""
    fields: list[tuple[str, Any]] = list(request.query_params.multi_items())
    if request.method == "POST" and request.headers.get("content-type", "").startswith(FORM_TYPES):
        fields += (await request.form()).multi_items()  # read once: the route reads it again from the cache
    return next((name for name, value in fields if isinstance(value, str) and "\x00" in value), None)


def translated(request: Request, message: str) -> str:
    """`message` (an N_ msgid) in the language of `request`."""
    return i18n.translations(i18n.of_request(request)).gettext(message)
