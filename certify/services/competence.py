"""Competence (ISO/IEC 17065 §6.1): an admin authorises an inspector or a certifier for a
standard, from a day until a day (or until further notice); inspecting against a standard and
deciding on an inspection against it need an authorisation in force that day. Every
authorisation is an event of the audit trail."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, bindparam
from sqlmodel import Session, col, or_, select

from certify.core.text import Text
from certify.services import events
from certify.services import standards as standard_lookup
from certify.services.calendar import today
from certify.services.errors import Forbidden, Invalid, NotFound
from certify.services.principal import Principal
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.tables import Authorisation, User

COMPETENT_ROLES = ("inspector", "certifier")


class AuthorisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    standard: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$", examples=["ceramics"])
    starts_on: date | None = Field(default=None, description="the first day; today if omitted")
    ends_on: date | None = Field(default=None, description="the last day; until further notice if omitted")


class AuthorisationPublic(BaseModel):
    id: int
    user_id: int
    standard: str
    starts_on: date
    ends_on: date | None
    granted_by: int | None
    granted_at: datetime


def authorise(
    *,
    database: Database,
    standards: Standards,
    user_id: int,
    body: AuthorisationCreate,
    actor_id: int | None = None,
) -> AuthorisationPublic:
    """Authorise `user_id` (an inspector or a certifier) for a standard over a period."""
    standard = standard_lookup.find(standards, body.standard)
    starts_on = body.starts_on or today()
    if body.ends_on is not None and body.ends_on < starts_on:
        raise Invalid(
            Text(
                en=f"the authorisation ends ({body.ends_on}) before it starts ({starts_on})",
                id=f"otorisasi berakhir ({body.ends_on}) sebelum dimulai ({starts_on})",
            )
        )
    with database.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        if user.role not in COMPETENT_ROLES:
            raise Invalid(
                Text(
                    en=f"user {user_id} is {user.role}: only inspectors and certifiers are authorised for standards",
                    id=f"pengguna {user_id} berperan {user.role}: hanya inspektur dan sertifikator yang "
                    "diotorisasi untuk standar",
                )
            )
        row = Authorisation(user_id=user_id, standard_id=standard.id, starts_on=starts_on, ends_on=body.ends_on)
        row.granted_by = actor_id
        session.add(row)
        session.flush()
        assert row.id is not None
        events.record(
            session,
            actor_id=actor_id,
            action="authorisation.granted",
            subject_type="user",
            subject_id=user_id,
            detail={
                "authorisation_id": row.id,
                "standard": standard.id,
                "starts_on": starts_on.isoformat(),
                "ends_on": None if body.ends_on is None else body.ends_on.isoformat(),
            },
        )
        return _public(row)


def authorise_for_every_standard(
    *, database: Database, standards: Standards, user_id: int, actor_id: int | None = None
) -> None:
    """Authorise `user_id` for every standard `standards` holds, from today (the demo, benches)."""
    for standard_id in sorted({standard.id for standard in standards.standards()}):
        body = AuthorisationCreate(standard=standard_id)
        authorise(database=database, standards=standards, user_id=user_id, body=body, actor_id=actor_id)


def list_authorisations(*, database: Database, viewer: Principal, user_id: int) -> list[AuthorisationPublic]:
    """A user's authorisations, oldest first: admins and certifiers read anyone's, a user their own."""
    if not (viewer.sees_everything() or viewer.id == user_id):
        raise Forbidden(
            Text(
                en="only admins, certifiers and the user themselves read a user's authorisations",
                id="hanya admin, sertifikator, dan pengguna itu sendiri yang dapat membaca otorisasinya",
            )
        )
    with database.read() as session:
        if session.get(User, user_id) is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        rows = session.exec(
            select(Authorisation).where(Authorisation.user_id == user_id).order_by(col(Authorisation.id))
        )
        return [_public(row) for row in rows]


def all_authorisations(*, database: Database) -> list[tuple[AuthorisationPublic, str]]:
    """Every authorisation, newest first, with the user's name (the admin's page)."""
    query = select(Authorisation, User.name).join(User, col(User.id) == col(Authorisation.user_id))
    with database.read() as session:
        rows = session.exec(query.order_by(col(Authorisation.id).desc()))
        return [(_public(row), name) for row, name in rows]


_IN_FORCE = select(Authorisation.id).where(  # built once: asked by every submission and decision
    col(Authorisation.user_id) == bindparam("user_id"),
    col(Authorisation.standard_id) == bindparam("standard_id"),
    col(Authorisation.starts_on) <= bindparam("day"),
    or_(col(Authorisation.ends_on).is_(None), col(Authorisation.ends_on) >= bindparam("day")),
)


def authorised(session: Session | Connection, *, user_id: int, standard_id: str, day: date) -> bool:
    """Whether `user_id` holds an authorisation for `standard_id` in force on `day`."""
    found = session.execute(_IN_FORCE, {"user_id": user_id, "standard_id": standard_id, "day": day}).first()
    return found is not None


def check_competent(session: Session | Connection, *, user: Principal, standard_id: str, doing: Text) -> None:
    """Refuse (403, naming the standard and the day) unless `user` is authorised for it today."""
    day = today()
    if not authorised(session, user_id=user.id, standard_id=standard_id, day=day):
        raise Forbidden(
            Text(
                en=f"you are not authorised for the standard {standard_id!r} on {day}: you may not {doing.en} "
                "(an admin authorises inspectors and certifiers per standard)",
                id=f"Anda tidak diotorisasi untuk standar {standard_id!r} pada {day}: Anda tidak boleh {doing.id} "
                "(admin mengotorisasi inspektur dan sertifikator per standar)",
            )
        )


def _public(row: Authorisation) -> AuthorisationPublic:
    assert row.id is not None
    return AuthorisationPublic(
        id=row.id,
        user_id=row.user_id,
        standard=row.standard_id,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        granted_by=row.granted_by,
        granted_at=row.granted_at,
    )
