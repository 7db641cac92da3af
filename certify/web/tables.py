"""The web's own tables: sign-in names with Argon2 password hashes, and browser sessions.

Kept apart from the API's bearer tokens: a session is a random token in an HttpOnly cookie; only
its SHA-256 is stored, with the CSRF token that every form of that session must carry.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlmodel import Field, SQLModel

from certify.services.principal import Principal, Role
from certify.store.tables import User, now


class Credential(SQLModel, table=True):
    """How a user signs in to the pages: a login name and an Argon2id hash of their password."""

    __tablename__ = "web_credentials"

    user_id: int = Field(foreign_key="users.id", primary_key=True,
                         sa_column_kwargs={"autoincrement": False})
    login: str = Field(max_length=100, unique=True)
    password_hash: str = Field(max_length=255)
    updated_at: datetime = Field(default_factory=now)
    disabled_at: datetime | None = None


class WebSession(SQLModel, table=True):
    """A signed-in browser. Ended sessions stay, with the time they ended."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime
    ended_at: datetime | None = None


def principal_of(user: User) -> Principal:
    assert user.id is not None
    return Principal(id=user.id, name=user.name, role=cast(Role, user.role), holder_id=user.holder_id)
