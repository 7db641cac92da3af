"""Competence (ISO/IEC 17065 §6.1): which standards an inspector or a certifier is authorised
for, and from when until when. A user with no authorisation in force for a standard on a day
may not inspect against it nor decide on an inspection against it that day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    from certify.store.tables import now

    return now()


class Authorisation(SQLModel, table=True):
    __tablename__ = "authorisations"
    __table_args__ = (Index("ix_authorisations_user_standard", "user_id", "standard_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    standard_id: str = Field(max_length=64)  # the standard's ID, every version of it
    starts_on: date
    ends_on: date | None = None  # None: until further notice
    granted_by: int | None = Field(default=None, foreign_key="users.id")
    granted_at: datetime = Field(default_factory=_now)
