"""The public directory ISO/IEC 17065 asks a certification body to keep: the holders with a
certificate valid today, searchable by craft, province and name, one page at a time.

A holder's `listed_until` is the last day it holds a valid certificate. `refresh` recomputes it
in every transaction that issues a certificate or changes one's status, so a search reads holders
(by the index on `listed_until`) and then only the certificates of the holders on its page.

`ListedCertificate` is a certificate as lists show it (never its PDF or signed record): the
directory's, and the staff pages' lists (`list_certificates`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Text, cast, func, update
from sqlmodel import Session, col, select

from certify.core.lifecycle import current_status
from certify.services.calendar import today as current_day
from certify.store.database import Database
from certify.store.tables import Certificate, Holder, Product

PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass(frozen=True, slots=True)
class ListedCertificate:
    id: int
    certificate_id: str | None
    serial: str
    status: str
    holder_id: int
    holder: str
    product: str
    standard: str
    grade: str
    total: str
    valid_from: date
    valid_until: date
    has_pdf: bool

    @property
    def current_status(self) -> str:
        """The status today (`certify.core.lifecycle`), as verification answers it."""
        return current_status(stored=self.status, valid_until=self.valid_until, today=current_day())


# The columns of a ListedCertificate, in its order (never the PDF or the signed record).
LISTED_COLUMNS = (
    Certificate.id,
    Certificate.certificate_id,
    Certificate.serial,
    Certificate.status,
    Certificate.holder_id,
    Holder.name,
    Product.name,
    Certificate.standard_id,
    Certificate.standard_version,
    Certificate.grade,
    Certificate.total,
    Certificate.valid_from,
    Certificate.valid_until,
    Certificate.pdf_sha256,
)


def listed_query() -> Any:
    """A query of LISTED_COLUMNS: certificates with their holder's and product's names."""
    return (
        select(*LISTED_COLUMNS)  # type: ignore[call-overload]  # (typed overloads stop at 4 columns)
        .join(Holder, col(Holder.id) == col(Certificate.holder_id))
        .join(Product, col(Product.id) == col(Certificate.product_id))
    )


def listed(row: Any) -> ListedCertificate:
    """A ListedCertificate from a row of LISTED_COLUMNS."""
    (
        id_,
        certificate_id,
        serial,
        status,
        holder_id,
        holder,
        product,
        standard,
        version,
        grade,
        total,
        valid_from,
        valid_until,
        pdf_sha256,
    ) = row
    return ListedCertificate(
        id_,
        certificate_id,
        serial,
        status,
        holder_id,
        holder,
        product,
        f"{standard}@{version}",
        grade,
        total,
        valid_from,
        valid_until,
        pdf_sha256 is not None,
    )


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    holder_id: int
    name: str
    province: str
    region: str | None
    crafts: list[str]
    certificates: list[ListedCertificate]
    contact: str | None = None  # the workshop's public contact (phone or e-mail)


@dataclass(frozen=True, slots=True)
class DirectoryPage:
    entries: list[DirectoryEntry]
    page: int
    per_page: int
    has_next: bool


def list_certificates(
    *,
    database: Database,
    holder_id: int | None = None,
    limit: int = 500,
) -> list[ListedCertificate]:
    """Certificates, newest first; only one holder's when `holder_id` is given."""
    query = listed_query().order_by(col(Certificate.id).desc()).limit(limit)
    if holder_id is not None:
        query = query.where(Certificate.holder_id == holder_id)
    with database.read() as session:
        return [listed(row) for row in session.exec(query)]


def refresh(session: Session, holder_id: int | None) -> None:
    """Recompute `listed_until` of one holder (None: of every holder), in the transaction that
    changed its certificates."""
    session.flush()
    last = (
        select(func.max(Certificate.valid_until))
        .where(col(Certificate.holder_id) == col(Holder.id), Certificate.status == "valid")
        .scalar_subquery()
    )
    statement = update(Holder).values(listed_until=last).execution_options(synchronize_session=False)
    if holder_id is not None:
        statement = statement.where(col(Holder.id) == holder_id)
    session.exec(statement)


def search(
    *,
    database: Database,
    craft: str = "",
    province: str = "",
    name: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
) -> DirectoryPage:
    """One page of the holders with a certificate valid today, by name, each with those
    certificates. Empty filters match everything; all three compare without regard to case."""
    day = today or current_day()
    holders = select(Holder).where(col(Holder.listed_until) >= day)
    if province.strip():
        holders = holders.where(func.lower(Holder.province) == province.strip().lower())
    if name.strip():
        holders = holders.where(func.lower(Holder.name).contains(name.strip().lower(), autoescape=True))
    if craft.strip():  # crafts are slugs in a JSON list: a slug between quotes is one whole craft
        quoted = json.dumps(craft.strip().lower())
        holders = holders.where(cast(Holder.crafts, Text).contains(quoted, autoescape=True))
    holders = holders.order_by(col(Holder.name), col(Holder.id)).offset((page - 1) * per_page)
    with database.read() as session:
        found = list(session.exec(holders.limit(per_page + 1)))
        shown = found[:per_page]
        entries = {
            h.id: DirectoryEntry(h.id, h.name, h.province, h.region, list(h.crafts), [], h.contact)
            for h in shown
            if h.id is not None
        }
        if entries:
            rows = session.exec(
                listed_query()
                .where(
                    col(Certificate.holder_id).in_(list(entries)),
                    Certificate.status == "valid",
                    col(Certificate.valid_until) >= day,
                )
                .order_by(col(Certificate.holder_id), col(Certificate.id))
            )
            for row in rows:
                entries[row[4]].certificates.append(listed(row))
    return DirectoryPage(list(entries.values()), page, per_page, len(found) > per_page)


def choices(*, database: Database, today: date | None = None) -> tuple[list[str], list[str]]:
    """The crafts and provinces of the holders listed today, for the search form."""
    listed_today = col(Holder.listed_until) >= (today or current_day())
    with database.read() as session:
        provinces = session.exec(select(Holder.province).where(listed_today).distinct()).all()
        craft_lists = session.exec(select(cast(Holder.crafts, Text)).where(listed_today).distinct()).all()
    crafts = {craft for text in craft_lists for craft in json.loads(text)}
    return sorted(crafts), sorted(provinces)
