"""The product categories the installed standards cover, named in the published OpenAPI schema
(`ProductCreate.category` and `ApplicationProductCreate.category` as an enum): a client, or a
fuzzer, knows them without asking, and the API refuses any other with a 422 naming it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from certify.services.standards import Standards

SCHEMAS = ("ProductCreate", "ApplicationProductCreate")


def document(app: FastAPI, standards: Standards) -> None:
    """Make `app`'s OpenAPI schema list the categories of `standards` where a category is asked."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        known = sorted({c for standard in standards.standards() for c in standard.product_categories})
        for name in SCHEMAS:
            asked = schema.get("components", {}).get("schemas", {}).get(name, {}).get("properties", {})
            if "category" in asked:
                asked["category"]["enum"] = known
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
