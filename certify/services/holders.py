"""Holders (workshops) and their products. An artisan sees only their own holder."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from certify.core.errors import Problem
from certify.core.text import Text
from certify.services import events
from certify.services.errors import Invalid, NotFound
from certify.services.models import HolderCreate, HolderPublic, ProductCreate, ProductPublic
from certify.services.principal import Principal
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.tables import Holder, Product


def create_holder(*, database: Database, actor: Principal | None, holder: HolderCreate) -> HolderPublic:
    with database.write() as session:
        return holder_public(add_holder(session, actor_id=actor_id(actor), fields=holder.model_dump()))


def add_holder(session: Session, *, actor_id: int | None, fields: dict[str, Any], **detail: object) -> Holder:
    """A new holder in the caller's transaction, with its audit event (`detail` says why)."""
    row = Holder(**fields)
    session.add(row)
    session.flush()
    assert row.id is not None
    events.record(
        session,
        actor_id=actor_id,
        action="holder.created",
        subject_type="holder",
        subject_id=row.id,
        detail=detail or None,
    )
    return row


def update_holder(*, database: Database, actor: Principal | None, holder_id: int, holder: HolderCreate) -> HolderPublic:
    """The holder's name, places, crafts and contact as the form or the API restates them."""
    with database.write() as session:
        row = visible_holder(session, actor or COMMAND_LINE, holder_id)
        for name, value in holder.model_dump().items():
            setattr(row, name, value)
        session.add(row)
        events.record(
            session, actor_id=actor_id(actor), action="holder.updated", subject_type="holder", subject_id=holder_id
        )
        session.flush()
        return holder_public(row)


def categories(standards: Standards) -> dict[str, list[str]]:
    """The product categories of the installed standards, by standard ID (every version's,
    in the order the standards declare them)."""
    found: dict[str, list[str]] = {}
    for standard in standards.standards():
        known = found.setdefault(standard.id, [])
        known.extend(c for c in standard.product_categories if c not in known)
    return found


def check_category(standards: Standards, category: str) -> None:
    """422 naming `category` when no installed standard covers it."""
    covered = {c for known in categories(standards).values() for c in known}
    if category not in covered:
        message = Text(
            en=f"no installed standard covers the product category {category!r}: choose one of the standards' categories",
            id=f"tidak ada standar terpasang yang mencakup kategori produk {category!r}: pilih salah satu kategori standar",
        )
        raise Invalid(message, [Problem(message.en, ("category",))])


def list_holders(*, database: Database, viewer: Principal) -> list[HolderPublic]:
    query = select(Holder).order_by(col(Holder.id))
    if viewer.role == "artisan":
        query = query.where(Holder.id == viewer.holder_id)
    with database.read() as session:
        return [holder_public(row) for row in session.exec(query)]


def get_holder(*, database: Database, viewer: Principal, holder_id: int) -> HolderPublic:
    with database.read() as session:
        return holder_public(visible_holder(session, viewer, holder_id))


def create_product(
    *,
    database: Database,
    actor: Principal | None,
    holder_id: int,
    product: ProductCreate,
    standards: Standards | None = None,
) -> ProductPublic:
    """The product, registered for the holder; with `standards`, only in a category one covers."""
    if standards is not None:
        check_category(standards, product.category)
    with database.write() as session:
        visible_holder(session, actor or COMMAND_LINE, holder_id)
        return product_public(
            add_product(session, actor_id=actor_id(actor), holder_id=holder_id, fields=product.model_dump())
        )


def add_product(
    session: Session, *, actor_id: int | None, holder_id: int, fields: dict[str, Any], **detail: object
) -> Product:
    """A new product of the holder in the caller's transaction, with its audit event."""
    row = Product(holder_id=holder_id, **fields)
    session.add(row)
    session.flush()
    assert row.id is not None
    events.record(
        session,
        actor_id=actor_id,
        action="product.created",
        subject_type="product",
        subject_id=row.id,
        detail={"holder_id": holder_id, **detail},
    )
    return row


def list_products(*, database: Database, viewer: Principal, holder_id: int) -> list[ProductPublic]:
    with database.read() as session:
        visible_holder(session, viewer, holder_id)
        rows = session.exec(select(Product).where(Product.holder_id == holder_id).order_by(col(Product.id)))
        return [product_public(row) for row in rows]


def get_product(*, database: Database, viewer: Principal, product_id: int) -> ProductPublic:
    with database.read() as session:
        row = session.get(Product, product_id)
        if row is None or not may_see_holder(viewer, row.holder_id):
            raise NotFound(Text(en=f"no product {product_id}", id=f"tidak ada produk {product_id}"))
        return product_public(row)


COMMAND_LINE = Principal(id=0, name="certify", role="admin", holder_id=None)
"""Who acts when a command (`certify holders add`) registers: sees every holder, recorded as no user."""


def actor_id(actor: Principal | None) -> int | None:
    return actor.id if actor is not None else None


def may_see_holder(viewer: Principal, holder_id: int) -> bool:
    return viewer.role != "artisan" or viewer.holder_id == holder_id


def visible_holder(session: Session, viewer: Principal, holder_id: int) -> Holder:
    """The holder, if it exists and the viewer may see it; else 404 (the same either way)."""
    row = session.get(Holder, holder_id)
    if row is None or not may_see_holder(viewer, holder_id):
        raise NotFound(Text(en=f"no holder {holder_id}", id=f"tidak ada pemegang {holder_id}"))
    return row


def holder_public(row: Holder) -> HolderPublic:
    return HolderPublic.model_validate(row, from_attributes=True)


def product_public(row: Product) -> ProductPublic:
    return ProductPublic.model_validate(row, from_attributes=True)
