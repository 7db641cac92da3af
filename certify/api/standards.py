"""Public: the installed standards, in full, with their worked examples."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from certify.api.deps import StandardsDep
from certify.api.problems import documented
from certify.core.scheme import condition as scheme_condition
from certify.core.standard import Standard
from certify.services.errors import NotFound
from certify.services.standards import find, pinned_hash

router = APIRouter(prefix="/standards", tags=["standards"])

StandardId = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Version = Annotated[str, Path(pattern=r"^[0-9]{4}\.[0-9]+$", max_length=16)]


def _public(standard: Standard) -> dict[str, Any]:
    body = standard.model_dump(mode="json", by_alias=True)
    body["content_hash"] = pinned_hash(standard)
    condition = scheme_condition(standard.scheme)  # what its certificates state; null: no scheme
    body["scheme_condition"] = None if condition is None else condition.model_dump()
    for example in body["examples"]:  # each is a body for POST /inspections once product_id is added
        example["inspection"] = {"standard": standard.ref, **example["inspection"]}
    return body


@router.get("", summary="Every installed standard version")
def list_standards(standards: StandardsDep) -> list[dict[str, Any]]:
    return [_public(s) for s in standards.standards()]


@router.get("/{standard_id}", summary="The latest version of a standard", responses=documented(404, 422))
def get_latest(standards: StandardsDep, standard_id: StandardId) -> dict[str, Any]:
    return _public(find(standards, standard_id))


@router.get("/{standard_id}/{version}", summary="One version of a standard", responses=documented(404, 422))
def get_version(standards: StandardsDep, standard_id: StandardId, version: Version) -> dict[str, Any]:
    standard = find(standards, f"{standard_id}@{version}")
    if standard.version != version:
        raise NotFound(f"no standard {standard_id}@{version} is installed")
    return _public(standard)
