"""Who is visiting, in which language, with which CSRF token: one dependency every page takes."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from certify.api.deps import DatabaseDep, StandardsDep
from certify.services import sessions
from certify.services.principal import Principal, Role
from certify.services.standards import Standards
from certify.store.database import Database
from certify.web import i18n, render
from certify.web.names import Names

SESSION_COOKIE = "certify_session"
ANONYMOUS_CSRF_COOKIE = "certify_csrf"


class SignInRequired(Exception):
    """The page needs a signed-in user: answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class WrongRole(Exception):
    """Signed in, but the page is for another role: answered 403."""


class CsrfFailed(Exception):
    """A form came without this browser's CSRF token: answered 403."""


@dataclass
class Visit:
    request: Request
    database: Database
    standards: Standards
    language: i18n.Language
    signed_in: sessions.SignedIn | None
    anonymous_csrf: str
    set_cookies: dict[str, str] = field(default_factory=dict)

    @property
    def user(self) -> Principal:
        if self.signed_in is None:
            raise SignInRequired(
                self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else "")
            )
        return self.signed_in.user

    @property
    def csrf_token(self) -> str:
        return self.signed_in.csrf_token if self.signed_in else self.anonymous_csrf

    def gettext(self, message: str) -> str:
        return i18n.translations(self.language).gettext(message)

    def check_csrf(self, submitted: str | None) -> None:
        if not submitted or not hmac.compare_digest(submitted.encode(), self.csrf_token.encode()):
            raise CsrfFailed

    def page(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        html = render.page(
            self.language,
            template,
            {
                "visit": self,
                "user": self.signed_in.user if self.signed_in else None,
                "lang": self.language,
                "csrf_token": self.csrf_token,
                "path": self.request.url.path,
                "query": self.request.url.query,
                "names": Names(self.standards, self.language),
                **context,
            },
        )
        response = HTMLResponse(html, status_code=status)
        self.finish(response)
        return response

    def redirect(self, to: str) -> RedirectResponse:
        response = RedirectResponse(to, status_code=303)
        self.finish(response)
        return response

    def finish(self, response: Response) -> Response:
        secure = self.request.url.scheme == "https"
        for name, value in self.set_cookies.items():
            response.set_cookie(
                name,
                value,
                httponly=True,
                samesite="lax",
                secure=secure,
                max_age=None if name == SESSION_COOKIE else 365 * 86400,
            )
        if ANONYMOUS_CSRF_COOKIE not in self.request.cookies and self.signed_in is None:
            response.set_cookie(
                ANONYMOUS_CSRF_COOKIE, self.anonymous_csrf, httponly=True, samesite="strict", secure=secure
            )
        response.headers["Content-Language"] = self.language
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response


def visit(request: Request, database: DatabaseDep, standards: StandardsDep) -> Visit:
    token = request.cookies.get(SESSION_COOKIE)
    signed_in = sessions.signed_in(database=database, token=token) if token else None
    language = i18n.of_request(request)
    anonymous = request.cookies.get(ANONYMOUS_CSRF_COOKIE) or secrets.token_urlsafe(32)
    return Visit(request, database, standards, language, signed_in, anonymous)


VisitDep = Annotated[Visit, Depends(visit)]


def member(*roles: Role) -> Any:
    """A dependency: the visit of a signed-in user with one of `roles`."""

    def check(current: VisitDep) -> Visit:
        if current.user.role not in roles:
            raise WrongRole
        return current

    return Depends(check)


Artisan = Annotated[Visit, member("artisan")]
Inspector = Annotated[Visit, member("inspector")]
Certifier = Annotated[Visit, member("certifier")]
Admin = Annotated[Visit, member("admin")]
Registrar = Annotated[Visit, member("admin", "inspector")]
"""Who registers and edits workshops and their products."""
Staff = Annotated[Visit, member("artisan", "inspector", "certifier", "admin")]
