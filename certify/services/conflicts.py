"""Conflicts of interest: nobody inspects or decides for a holder they consulted for, work for,
or are related to, while their declaration is in force."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from sqlalchemy import Connection, bindparam
from sqlmodel import Session, col, or_, select

from certify.core.text import Text
from certify.services import events
from certify.services.calendar import today
from certify.services.errors import Invalid, NotFound
from certify.store.database import Database
from certify.store.tables import Conflict, Holder, User

Reason = Literal["consultancy", "employment", "family"]
REASONS: tuple[Reason, ...] = get_args(Reason)


def declare_conflict(
    *,
    database: Database,
    user_id: int,
    holder_id: int,
    reason: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    actor_id: int | None = None,
) -> int:
    """Record a declaration; returns its id. `ends_on` None: in force until further notice."""
    if reason not in REASONS:
        raise Invalid(
            Text(
                en=f"reason must be one of {', '.join(REASONS)}, not {reason!r}",
                id=f"alasan harus salah satu dari {', '.join(REASONS)}, bukan {reason!r}",
            )
        )
    starts_on = starts_on or today()
    if ends_on is not None and ends_on < starts_on:
        raise Invalid(Text(en="the period ends before it starts", id="periodenya berakhir sebelum dimulai"))
    with database.write() as session:
        if session.get(User, user_id) is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        if session.get(Holder, holder_id) is None:
            raise NotFound(Text(en=f"no holder {holder_id}", id=f"tidak ada pemegang {holder_id}"))
        row = Conflict(user_id=user_id, holder_id=holder_id, reason=reason, starts_on=starts_on, ends_on=ends_on)
        session.add(row)
        session.flush()
        assert row.id is not None
        events.record(
            session,
            actor_id=actor_id,
            action="conflict.declared",
            subject_type="user",
            subject_id=user_id,
            detail={"holder_id": holder_id, "reason": reason},
        )
        return row.id


_COVERING = (  # a declaration by :user_id about :holder_id whose period covers :day
    col(Conflict.user_id) == bindparam("user_id"),
    col(Conflict.holder_id) == bindparam("holder_id"),
    col(Conflict.starts_on) <= bindparam("day"),
    or_(col(Conflict.ends_on).is_(None), col(Conflict.ends_on) >= bindparam("day")),
)
_IN_FORCE = select(Conflict).where(*_COVERING)  # built once, as the one below
_ANY_IN_FORCE = select(Conflict.id).where(*_COVERING).limit(1)


def conflicted(connection: Connection, *, user_id: int, holder_id: int) -> bool:
    """Whether a declaration by `user_id` about `holder_id` covers today (one indexed Core read,
    asked by every submission; `conflict_in_force` reads the declaration, to say why)."""
    found = connection.execute(_ANY_IN_FORCE, {"user_id": user_id, "holder_id": holder_id, "day": today()})
    return found.first() is not None


def conflict_in_force(session: Session, *, user_id: int, holder_id: int) -> Conflict | None:
    """A declaration by `user_id` about `holder_id` whose period covers today, if any."""
    found = session.execute(_IN_FORCE, {"user_id": user_id, "holder_id": holder_id, "day": today()}).first()
    return None if found is None else found[0]


def why(conflict: Conflict, then: Text) -> Text:
    """The conflict as the reason for a refusal, followed by `then` (what must happen instead)."""
    until = f" until {conflict.ends_on}" if conflict.ends_on else ""
    sampai = f" sampai {conflict.ends_on}" if conflict.ends_on else ""
    return Text(
        en=f"you declared a conflict of interest with this holder ({conflict.reason}, from "
        f"{conflict.starts_on}{until}): {then.en}",
        id=f"Anda menyatakan benturan kepentingan dengan pemegang ini ({conflict.reason}, sejak "
        f"{conflict.starts_on}{sampai}): {then.id}",
    )


def list_conflicts(*, database: Database) -> list[tuple[Conflict, str, str]]:
    """Every declared conflict, newest first, with the user's and the holder's names."""
    query = (
        select(Conflict, User.name, Holder.name)
        .join(User, col(User.id) == col(Conflict.user_id))
        .join(Holder, col(Holder.id) == col(Conflict.holder_id))
        .order_by(col(Conflict.id).desc())
    )
    with database.read() as session:
        return [(row, user, holder) for row, user, holder in session.exec(query)]
