"""Holders (workshops) and their products. An artisan sees only their own holder."""

from __future__ import annotations

from sqlmodel import Session, col, select

from certify.core.text import Text
from certify.services import events
from certify.services.errors import NotFound
from certify.services.models import HolderCreate, HolderPublic, ProductCreate, ProductPublic
from certify.services.principal import Principal
from certify.store.database import Database
from certify.store.tables import Holder, Product


def create_holder(*, database: Database, actor: Principal, holder: HolderCreate) -> HolderPublic:
    with database.write() as session:
        row = Holder(**holder.model_dump())
        session.add(row)
        session.flush()
        assert row.id is not None
        events.record(session, actor_id=actor.id, action="holder.created", subject_type="holder", subject_id=row.id)
        return holder_public(row)


def list_holders(*, database: Database, viewer: Principal) -> list[HolderPublic]:
    query = select(Holder).order_by(col(Holder.id))
    if viewer.role == "artisan":
        query = query.where(Holder.id == viewer.holder_id)
    with database.read() as session:
        return [holder_public(row) for row in session.exec(query)]


def get_holder(*, database: Database, viewer: Principal, holder_id: int) -> HolderPublic:
    with database.read() as session:
        return holder_public(visible_holder(session, viewer, holder_id))


def create_product(*, database: Database, actor: Principal, holder_id: int, product: ProductCreate) -> ProductPublic:
    with database.write() as session:
        visible_holder(session, actor, holder_id)
        row = Product(holder_id=holder_id, **product.model_dump())
        session.add(row)
        session.flush()
        assert row.id is not None
        events.record(
            session,
            actor_id=actor.id,
            action="product.created",
            subject_type="product",
            subject_id=row.id,
            detail={"holder_id": holder_id},
        )
        return product_public(row)


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
