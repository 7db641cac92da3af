"""The way in (ISO/IEC 17065 §4.1.2, §7.2, §7.3): a workshop's application, the products it asks
to be certified (each against a standard), the certification agreement it accepted, and the
assignment of an inspector to each product once the application is accepted.

An application is found by staff by its id and by the applicant only by its `token` (unguessable,
in the tracking page's URL). `workshop_key` and `product_key` are the names folded (case, spaces)
so that a second application for the same product of the same workshop is refused while one is
open (`certify.services.applications`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    from certify.store.tables import now

    return now()


class Application(SQLModel, table=True):
    __tablename__ = "applications"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)  # the tracking page's URL: never shown to others
    state: str = Field(default="received", max_length=16, index=True)  # received | accepted | declined
    language: str = Field(max_length=2)  # id | en: what the applicant reads
    workshop_name: str = Field(max_length=200)
    workshop_key: str = Field(max_length=200, index=True)
    owner: str | None = Field(default=None, max_length=200)
    province: str = Field(max_length=100)
    region: str | None = Field(default=None, max_length=100)
    address: str = Field(max_length=500)
    contact_name: str = Field(max_length=200)  # who applied and accepted the agreement
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    markets: list[str] = Field(default_factory=list, sa_type=JSON)
    agreement_version: str = Field(max_length=16)
    received_at: datetime = Field(default_factory=_now)
    reviewed_by: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = None
    decline_reasons: list[str] = Field(default_factory=list, sa_type=JSON)  # codes, shown in the reader's language
    review_note: str | None = Field(default=None, sa_type=Text)
    holder_id: int | None = Field(default=None, foreign_key="holders.id", index=True)


class ApplicationProduct(SQLModel, table=True):
    __tablename__ = "application_products"
    __table_args__ = (Index("ix_application_products_same", "workshop_key", "product_key"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id", index=True)
    name: str = Field(max_length=200)
    category: str = Field(max_length=64)
    standard_id: str = Field(max_length=64)
    workshop_key: str = Field(max_length=200)
    product_key: str = Field(max_length=200)
    product_id: int | None = Field(default=None, foreign_key="products.id")  # made when accepted


class AgreementAcceptance(SQLModel, table=True):
    """Who accepted which version of the certification agreement, when, for which workshop."""

    __tablename__ = "agreement_acceptances"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int | None = Field(default=None, foreign_key="applications.id", index=True)
    holder_id: int | None = Field(default=None, foreign_key="holders.id", index=True)  # set when accepted
    version: str = Field(max_length=16)
    accepted_by: str = Field(max_length=200)  # the person's name, as they typed it
    accepted_at: datetime = Field(default_factory=_now)


class Assignment(SQLModel, table=True):
    """An inspector assigned to inspect a product against a standard by a day."""

    __tablename__ = "assignments"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id", index=True)
    holder_id: int = Field(foreign_key="holders.id", index=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    standard_id: str = Field(max_length=64)
    inspector_id: int = Field(foreign_key="users.id", index=True)
    due_on: date
    assigned_by: int = Field(foreign_key="users.id")
    assigned_at: datetime = Field(default_factory=_now)
