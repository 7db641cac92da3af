"""Read-only questions the pages ask that the services do not answer yet: the public directory,
the certifier's queue, certificate lists. (Candidates to move under `certify/services/`.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import col, select

from certify.services.conflicts import today
from certify.store.database import Database
from certify.store.tables import Certificate, Conflict, Decision, Holder, Inspection, Product, User


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
        """The status today: a valid certificate past its validity is expired, with nobody acting."""
        return "expired" if self.status == "valid" and self.valid_until < today() else self.status


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    holder_id: int
    name: str
    province: str
    region: str | None
    crafts: list[str]
    certificates: list[ListedCertificate]


def certificates(
    *, database: Database, holder_id: int | None = None, limit: int = 500,
) -> list[ListedCertificate]:
    """Certificates, newest first; only one holder's when `holder_id` is given."""
    query = (
        select(Certificate, Holder.name, Product.name)
        .join(Holder, col(Holder.id) == col(Certificate.holder_id))
        .join(Product, col(Product.id) == col(Certificate.product_id))
        .order_by(col(Certificate.id).desc()).limit(limit)
    )
    if holder_id is not None:
        query = query.where(Certificate.holder_id == holder_id)
    with database.read() as session:
        return [_listed(row, holder, product) for row, holder, product in session.exec(query)]


def directory(
    *, database: Database, craft: str | None = None, province: str | None = None,
    name: str | None = None,
) -> list[DirectoryEntry]:
    """Holders with at least one certificate valid today, each with those certificates."""
    query = (
        select(Certificate, Holder, Product.name)
        .join(Holder, col(Holder.id) == col(Certificate.holder_id))
        .join(Product, col(Product.id) == col(Certificate.product_id))
        .where(Certificate.status == "valid", col(Certificate.valid_until) >= today())
        .options(defer(Certificate.pdf), defer(Certificate.record))  # type: ignore[arg-type]
        .order_by(col(Holder.name), col(Holder.id), col(Certificate.id))
    )
    # Province and name are filtered by the database; crafts (a JSON list) below.
    if province and province.strip():
        query = query.where(func.lower(Holder.province) == province.strip().lower())
    if name and name.strip():
        query = query.where(func.lower(Holder.name).contains(name.strip().lower(), autoescape=True))
    entries: dict[int, DirectoryEntry] = {}
    with database.read() as session:
        for row, holder, product in session.exec(query):
            assert holder.id is not None
            if craft and craft.strip().lower() not in [c.lower() for c in holder.crafts]:
                continue
            entry = entries.setdefault(holder.id, DirectoryEntry(
                holder.id, holder.name, holder.province, holder.region, list(holder.crafts), []))
            entry.certificates.append(_listed(row, holder.name, product))
    return list(entries.values())


def directory_choices(*, database: Database) -> tuple[list[str], list[str]]:
    """The crafts and provinces of listed holders, for the directory's search form."""
    entries = directory(database=database)
    crafts = sorted({craft for entry in entries for craft in entry.crafts})
    return crafts, sorted({entry.province for entry in entries})


def awaiting_decision(*, database: Database, limit: int = 200) -> list[tuple[Inspection, str, str]]:
    """Inspections without a decision, oldest first, with holder and product names."""
    query = (
        select(Inspection, Holder.name, Product.name)
        .join(Holder, col(Holder.id) == col(Inspection.holder_id))
        .join(Product, col(Product.id) == col(Inspection.product_id))
        .outerjoin(Decision, col(Decision.inspection_id) == col(Inspection.id))
        .where(col(Decision.id).is_(None))
        .order_by(col(Inspection.id)).limit(limit)
    )
    with database.read() as session:
        return [(row, holder, product) for row, holder, product in session.exec(query)]


def names(*, database: Database) -> tuple[dict[int, str], dict[int, str]]:
    """Holder and product names by id (small registries: the pages show names, not numbers)."""
    with database.read() as session:
        holders = {h.id: h.name for h in session.exec(select(Holder)) if h.id is not None}
        products = {p.id: p.name for p in session.exec(select(Product)) if p.id is not None}
    return holders, products


def conflicts(*, database: Database) -> list[tuple[Conflict, str, str]]:
    query = (
        select(Conflict, User.name, Holder.name)
        .join(User, col(User.id) == col(Conflict.user_id))
        .join(Holder, col(Holder.id) == col(Conflict.holder_id))
        .order_by(col(Conflict.id).desc())
    )
    with database.read() as session:
        return [(row, user, holder) for row, user, holder in session.exec(query)]


def _listed(row: Certificate, holder: str, product: str) -> ListedCertificate:
    assert row.id is not None
    return ListedCertificate(
        row.id, row.certificate_id, row.serial, row.status, row.holder_id, holder, product,
        f"{row.standard_id}@{row.standard_version}", row.grade, row.total, row.valid_from,
        row.valid_until, row.pdf_sha256 is not None,
    )
