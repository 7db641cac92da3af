"""What an admin changes about a user after creating them: the name, the role (an artisan's
workshop with it), and a new password (which ends the user's open page sessions)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, update

from certify.core.printable import refusal
from certify.core.text import Text
from certify.services import events, passwords
from certify.services.accounts import principal_of
from certify.services.errors import Conflict, Invalid, NotFound
from certify.services.principal import ROLES, Principal
from certify.store.database import Database
from certify.store.tables import Holder, User, WebSession


def get_user(*, database: Database, user_id: int) -> Principal:
    with database.read() as session:
        row = session.get(User, user_id)
        if row is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        return principal_of(row)


def update_user(
    *, database: Database, user_id: int, name: str, role: str, holder_id: int | None, actor: Principal
) -> Principal:
    """The user's name and role as the admin restates them; an admin does not change their own role."""
    if role not in ROLES:
        raise Invalid(
            Text(
                en=f"role must be one of {', '.join(ROLES)}, not {role!r}",
                id=f"peran harus salah satu dari {', '.join(ROLES)}, bukan {role!r}",
            )
        )
    name = name.strip()
    if not name:
        raise Invalid(Text(en="name must not be empty", id="nama tidak boleh kosong"))
    refused = refusal("the name", name)
    if refused is not None:
        raise Invalid(refused)
    if role == "artisan" and holder_id is None:
        raise Invalid(
            Text(en="an artisan belongs to a workshop: choose it", id="perajin termasuk dalam satu bengkel: pilih")
        )
    holder_id = holder_id if role == "artisan" else None
    with database.write() as session:
        row = session.get(User, user_id)
        if row is None:
            raise NotFound(Text(en=f"no user {user_id}", id=f"tidak ada pengguna {user_id}"))
        if user_id == actor.id and role != row.role:
            raise Conflict(
                Text(en="you cannot change your own role", id="Anda tidak dapat mengubah peran Anda sendiri")
            )
        if holder_id is not None and session.get(Holder, holder_id) is None:
            raise NotFound(Text(en=f"no holder {holder_id}", id=f"tidak ada pemegang {holder_id}"))
        before = {"name": row.name, "role": row.role, "holder_id": row.holder_id}
        row.name, row.role, row.holder_id = name, role, holder_id
        session.add(row)
        events.record(
            session,
            actor_id=actor.id,
            action="user.updated",
            subject_type="user",
            subject_id=user_id,
            detail={"before": before, "after": {"name": name, "role": role, "holder_id": holder_id}},
        )
        session.flush()
        return principal_of(row)


def reset_password(*, database: Database, user_id: int, login: str, password: str, actor: Principal) -> int:
    """A new login and password set by an admin; ends the user's open page sessions (someone who
    knew the old password is signed out). Returns how many sessions it ended."""
    passwords.set_password(database=database, user_id=user_id, login=login, password=password, actor_id=actor.id)
    if user_id == actor.id:
        return 0
    with database.write() as session:
        ended = session.exec(
            update(WebSession)
            .where(col(WebSession.user_id) == user_id, col(WebSession.ended_at).is_(None))
            .values(ended_at=datetime.now(UTC))
        )
        return int(ended.rowcount)
