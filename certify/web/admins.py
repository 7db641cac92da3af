"""The admin's page: users and roles, conflicts of interest, authorisations per standard, key rotation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from certify.api.ids import MAX_ID, IdForm, UserId
from certify.services import accounts, competence, conflicts, events, holders, passwords, user_admin
from certify.services.errors import Conflict, Invalid
from certify.signing import KeyRingError
from certify.web import verifying
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import Admin

ROLES = ("inspector", "certifier", "artisan", "admin")

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/admin")
def admin(visit: Admin, done: str = "") -> Response:
    users = accounts.list_users(database=visit.database)
    return visit.page(
        "admin.html",
        users=users,
        logins=passwords.logins(database=visit.database),
        done=done,
        holders=holders.list_holders(database=visit.database, viewer=visit.user),
        conflicts=conflicts.list_conflicts(database=visit.database),
        reasons=conflicts.REASONS,
        authorisations=competence.all_authorisations(database=visit.database),
        standard_ids=sorted({standard.id for standard in visit.standards.standards()}),
        roles=ROLES,
        active_key=verifying.keys(visit).ring.jwks()["keys"][-1].get("kid", ""),
    )


@router.post("/admin/users")
def create_user(
    visit: Admin,
    role: Annotated[str, Form()],
    name: Annotated[str, Form(max_length=200)],
    login: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    holder_id: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    if len(password) < passwords.MIN_PASSWORD_LENGTH:
        raise Invalid(visit.gettext(N_("A password has at least 10 characters.")))
    passwords.check_new_login(database=visit.database, login=login)  # else a user without a login stays
    user, _token = accounts.create_user(
        database=visit.database,
        role=role,
        name=name,
        holder_id=_holder_id(holder_id) if role == "artisan" else None,
        actor_id=visit.user.id,
    )
    passwords.set_password(
        database=visit.database, user_id=user.id, login=login, password=password, actor_id=visit.user.id
    )
    return visit.redirect("/admin?done=user")


def _holder_id(typed: str) -> int | None:
    """The holder an artisan belongs to, as typed on the form; None (refused as missing) when it
    is not an id."""
    typed = typed.strip()
    return (
        int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 19 and 1 <= int(typed) <= MAX_ID else None
    )


@router.get("/admin/users/{user_id}")
def user_page(visit: Admin, user_id: UserId, done: str = "") -> Response:
    person = user_admin.get_user(database=visit.database, user_id=user_id)
    return visit.page(
        "user_edit.html",
        person=person,
        login=passwords.logins(database=visit.database).get(user_id, ""),
        holders=holders.list_holders(database=visit.database, viewer=visit.user),
        roles=ROLES,
        done=done,
    )


@router.post("/admin/users/{user_id}")
def edit_user(
    visit: Admin,
    user_id: UserId,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=16)],
    holder_id: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    user_admin.update_user(
        database=visit.database,
        user_id=user_id,
        name=name,
        role=role,
        holder_id=_holder_id(holder_id) if role == "artisan" else None,
        actor=visit.user,
    )
    return visit.redirect(f"/admin/users/{user_id}?done=saved")


@router.post("/admin/users/{user_id}/password")
def reset_password(
    visit: Admin,
    user_id: UserId,
    login: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    if len(password) < passwords.MIN_PASSWORD_LENGTH:
        raise Invalid(visit.gettext(N_("A password has at least 10 characters.")))
    user_admin.reset_password(
        database=visit.database, user_id=user_id, login=login, password=password, actor=visit.user
    )
    return visit.redirect(f"/admin/users/{user_id}?done=password")


@router.get("/admin/users/{user_id}/revoke")
def confirm_revoke(visit: Admin, user_id: UserId) -> Response:
    """The confirmation step before a user loses every way in."""
    if user_id == visit.user.id:
        raise Conflict(visit.gettext(N_("You cannot revoke your own access.")))
    person = user_admin.get_user(database=visit.database, user_id=user_id)
    return visit.page("admin_confirm.html", what="revoke", person=person, action=f"/admin/users/{user_id}/revoke")


@router.post("/admin/users/{user_id}/revoke")
def revoke_user(
    visit: Admin, user_id: UserId, confirmed: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    visit.check_csrf(csrf)
    if user_id == visit.user.id:
        raise Conflict(visit.gettext(N_("You cannot revoke your own access.")))
    if confirmed != "yes":  # not from the confirmation page: show it, act on nothing
        return confirm_revoke(visit, user_id)
    accounts.revoke_user(database=visit.database, user_id=user_id, actor_id=visit.user.id)
    return visit.redirect("/admin?done=revoked")


@router.post("/admin/conflicts")
def declare_conflict(
    visit: Admin,
    user_id: IdForm,
    holder_id: IdForm,
    reason: Annotated[str, Form()],
    ends_on: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    try:
        until = date.fromisoformat(ends_on) if ends_on else None
    except ValueError:
        raise Invalid(visit.gettext(N_("The end date is not a date."))) from None
    conflicts.declare_conflict(
        database=visit.database,
        user_id=user_id,
        holder_id=holder_id,
        reason=reason,
        ends_on=until,
        actor_id=visit.user.id,
    )
    return visit.redirect("/admin?done=conflict")


@router.post("/admin/authorisations")
def authorise(
    visit: Admin,
    user_id: IdForm,
    standard: Annotated[str, Form(max_length=64)],
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    try:
        start = date.fromisoformat(starts_on) if starts_on else None
        until = date.fromisoformat(ends_on) if ends_on else None
        body = competence.AuthorisationCreate(standard=standard, starts_on=start, ends_on=until)
    except ValueError:  # a date that is not one, or a standard ID that cannot be one
        raise Invalid(visit.gettext(N_("The standard or a date is not valid."))) from None
    competence.authorise(
        database=visit.database, standards=visit.standards, user_id=user_id, body=body, actor_id=visit.user.id
    )
    return visit.redirect("/admin?done=authorisation")


@router.get("/admin/keys/rotate")
def confirm_rotation(visit: Admin) -> Response:
    """The confirmation step before a new signing key replaces the active one."""
    active = verifying.keys(visit).ring.jwks()["keys"][-1].get("kid", "")
    return visit.page("admin_confirm.html", what="rotate", person=None, active_key=active, action="/admin/keys/rotate")


@router.post("/admin/keys/rotate")
def rotate_key(visit: Admin, confirmed: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    visit.check_csrf(csrf)
    if confirmed != "yes":
        return confirm_rotation(visit)
    try:
        kid, _signer = verifying.keys(visit).rotate()
    except KeyRingError as refused:
        raise Conflict(str(refused)) from None
    with visit.database.write() as session:
        events.record(
            session, actor_id=visit.user.id, action="key.rotated", subject_type="key", subject_id=0, detail={"kid": kid}
        )
    return visit.redirect("/admin?done=key")
