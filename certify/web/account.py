"""The start page, signing in and out, the language switch and the static files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response

from certify.resources import bundled_path
from certify.services import passwords, sessions, sign_in_limits
from certify.services.errors import NotFound
from certify.web import i18n
from certify.web.i18n import N_
from certify.web.routing import PageRoute, error_page
from certify.web.visit import SESSION_COOKIE, VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STATIC = bundled_path("templates") / "static"
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
START = {"artisan": "/my", "inspector": "/inspect", "certifier": "/queue", "admin": "/admin"}


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in or switching language (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/")
def start(visit: VisitDep) -> Response:
    return visit.page("home.html")


@router.get("/sign-in")
def sign_in_form(visit: VisitDep, next: str = "") -> Response:
    if visit.signed_in is not None:
        return visit.redirect(safe_next(next) if next else START[visit.signed_in.user.role])
    return visit.page("signin.html", next=safe_next(next) if next else "", login="", problem=None)


@router.post("/sign-in")
def sign_in(
    visit: VisitDep,
    request: Request,
    login: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    address = request.client.host if request.client else "unknown"
    attempt = sign_in_limits.attempt(database=visit.database, login=login, address=address)
    if attempt.wait:
        return error_page(
            request,
            429,
            visit.gettext(N_("Too many failed sign-ins. Wait a minute and try again.")),
            headers={"Retry-After": str(attempt.wait)},
        )
    user = passwords.check_password(database=visit.database, login=login, password=password)
    if user is None:  # the attempt already counts as a failure
        return visit.page(
            "signin.html",
            status=401,
            next=safe_next(next) if next else "",
            login=login,
            problem=visit.gettext(N_("The login or the password is wrong.")),
        )
    sign_in_limits.succeeded(database=visit.database, login=login, attempt=attempt)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        sessions.end_session(database=visit.database, token=old)
    visit.set_cookies[SESSION_COOKIE] = sessions.start_session(database=visit.database, user_id=user.id)
    return visit.redirect(safe_next(next) if next else START[user.role])


@router.post("/sign-out")
def sign_out(visit: VisitDep, request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    visit.check_csrf(csrf)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        sessions.end_session(database=visit.database, token=token)
    response = visit.redirect("/")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{language}")
def switch_language(visit: VisitDep, language: str, next: str = "/") -> Response:
    if language not in i18n.LANGUAGES:
        raise NotFound(f"no language {language!r}")
    visit.set_cookies[i18n.COOKIE] = language
    return visit.redirect(safe_next(next))


@router.get("/static/{name}")
def static(name: str) -> Response:
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
        raise NotFound(f"no file {name!r}")
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"})
