"""Read-only questions the staff pages ask that the services do not answer yet: the certifier's
queue, certificate lists, names. (Candidates to move under `certify/services/`.)"""

from __future__ import annotations

from sqlmodel import col, select

from certify.services.directory import ListedCertificate, listed, listed_query
from certify.store.database import Database
from certify.store.tables import Certificate, Conflict, Decision, Holder, Inspection, Product, User


def certificates(
    *, database: Database, holder_id: int | None = None, limit: int = 500,
) -> list[ListedCertificate]:
    """Certificates, newest first; only one holder's when `holder_id` is given."""
    query = listed_query().order_by(col(Certificate.id).desc()).limit(limit)
    if holder_id is not None:
        query = query.where(Certificate.holder_id == holder_id)
    with database.read() as session:
        return [listed(row) for row in session.exec(query)]


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
