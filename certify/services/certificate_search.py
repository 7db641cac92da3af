"""The certifier's certificate list: search by ID, workshop or product, filter by status today and
by standard, one page at a time (newest first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import col

from certify.services.calendar import today as current_day
from certify.services.directory import ListedCertificate, listed, listed_query
from certify.store.database import Database
from certify.store.tables import Certificate, Holder, Product

PER_PAGE = 20
STATUSES = ("valid", "suspended", "withdrawn", "expired", "superseded")


@dataclass(frozen=True, slots=True)
class CertificatePage:
    certificates: list[ListedCertificate]
    page: int
    has_next: bool


def find_certificates(
    *,
    database: Database,
    text: str = "",
    status: str = "",
    standard: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
) -> CertificatePage:
    """One page of certificates whose ID, workshop or product holds `text` (any case), in
    `status` today (`STATUSES`; empty: any) and to `standard` (an ID; empty: any)."""
    day = today or current_day()
    query = listed_query()
    words = text.strip().lower()
    if words:
        query = query.where(
            or_(
                func.lower(func.coalesce(Certificate.certificate_id, "")).contains(words, autoescape=True),
                func.lower(Certificate.serial).contains(words, autoescape=True),
                func.lower(Holder.name).contains(words, autoescape=True),
                func.lower(Product.name).contains(words, autoescape=True),
            )
        )
    if status:
        query = query.where(_status_today(status, day))
    if standard:
        query = query.where(col(Certificate.standard_id) == standard)
    query = query.order_by(col(Certificate.id).desc()).offset((page - 1) * per_page).limit(per_page + 1)
    with database.read() as session:
        rows = [listed(row) for row in session.exec(query)]
    return CertificatePage(rows[:per_page], page, len(rows) > per_page)


def _status_today(status: str, day: date) -> Any:
    """The condition of a certificate's status today (`certify.core.lifecycle.current_status`): a
    valid or suspended one past its last day has expired."""
    if status in ("valid", "suspended"):
        return and_(col(Certificate.status) == status, col(Certificate.valid_until) >= day)
    if status == "expired":
        return or_(
            col(Certificate.status) == "expired",
            and_(col(Certificate.status).in_(("valid", "suspended")), col(Certificate.valid_until) < day),
        )
    return col(Certificate.status) == status


def one(*, database: Database, certificate_id: str) -> ListedCertificate | None:
    """The certificate with this ID, as lists show it; None when there is none."""
    query = listed_query().where(col(Certificate.certificate_id) == certificate_id)
    with database.read() as session:
        row = session.exec(query).first()
        return listed(row) if row is not None else None
