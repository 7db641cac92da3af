"""Holders (workshops) and their products. Admins and inspectors register them; an artisan sees
only their own holder, and any other answers 404."""

from __future__ import annotations

from fastapi import APIRouter, status

from certify.api.deps import CurrentUser, DatabaseDep, HolderEditor, StandardsDep
from certify.api.ids import HolderId, ProductId
from certify.api.problems import documented
from certify.services import holders
from certify.services.models import HolderCreate, HolderPublic, ProductCreate, ProductPublic

router = APIRouter(tags=["holders"])


@router.post(
    "/holders",
    status_code=status.HTTP_201_CREATED,
    responses=documented(401, 403, 413, 422),
    summary="Register a holder",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "GetHolder": {
                        "operationId": "get_holder_api_v1_holders__holder_id__get",
                        "parameters": {"holder_id": "$response.body#/id"},
                    },
                    "CreateProduct": {
                        "operationId": "create_product_api_v1_holders__holder_id__products_post",
                        "parameters": {"holder_id": "$response.body#/id"},
                    },
                }
            }
        }
    },
)
def create_holder(db: DatabaseDep, user: HolderEditor, holder: HolderCreate) -> HolderPublic:
    return holders.create_holder(database=db, actor=user, holder=holder)


@router.get("/holders", responses=documented(401), summary="Holders you may see")
def list_holders(db: DatabaseDep, user: CurrentUser) -> list[HolderPublic]:
    return holders.list_holders(database=db, viewer=user)


@router.get("/holders/{holder_id}", responses=documented(401, 404, 422), summary="One holder")
def get_holder(db: DatabaseDep, user: CurrentUser, holder_id: HolderId) -> HolderPublic:
    return holders.get_holder(database=db, viewer=user, holder_id=holder_id)


@router.put("/holders/{holder_id}", responses=documented(401, 403, 404, 413, 422), summary="Restate a holder")
def update_holder(db: DatabaseDep, user: HolderEditor, holder_id: HolderId, holder: HolderCreate) -> HolderPublic:
    return holders.update_holder(database=db, actor=user, holder_id=holder_id, holder=holder)


@router.post(
    "/holders/{holder_id}/products",
    status_code=status.HTTP_201_CREATED,
    responses=documented(401, 403, 404, 413, 422),
    summary="Register a product",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "GetProduct": {
                        "operationId": "get_product_api_v1_products__product_id__get",
                        "parameters": {"product_id": "$response.body#/id"},
                    },
                    "SubmitInspection": {
                        "operationId": "submit_inspection_api_v1_inspections_post",
                        "requestBody": {"product_id": "$response.body#/id"},
                    },
                }
            }
        }
    },
)
def create_product(
    db: DatabaseDep, standards: StandardsDep, user: HolderEditor, holder_id: HolderId, product: ProductCreate
) -> ProductPublic:
    return holders.create_product(database=db, actor=user, holder_id=holder_id, product=product, standards=standards)


@router.get("/holders/{holder_id}/products", responses=documented(401, 404, 422), summary="A holder's products")
def list_products(db: DatabaseDep, user: CurrentUser, holder_id: HolderId) -> list[ProductPublic]:
    return holders.list_products(database=db, viewer=user, holder_id=holder_id)


@router.get("/products/{product_id}", responses=documented(401, 404, 422), summary="One product")
def get_product(db: DatabaseDep, user: CurrentUser, product_id: ProductId) -> ProductPublic:
    return holders.get_product(database=db, viewer=user, product_id=product_id)
