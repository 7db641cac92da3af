"""The public page of one standard version (`/standards/{id}/{version}`): what it checks and how,
its sources, grades and thresholds, sampling and scheme, in the page's language, from its YAML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from certify.core.standard import Category, Criterion, Standard
from certify.services import standards as standard_lookup
from certify.web.routing import PageRoute
from certify.web.visit import VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
StandardIdPath = Annotated[str, Path(max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
VersionPath = Annotated[str, Path(max_length=16, pattern=r"^[0-9]{4}\.[0-9]+$")]


@router.get("/standards/{standard_id}/{version}")
def standard_page(visit: VisitDep, standard_id: StandardIdPath, version: VersionPath) -> Response:
    standard = standard_lookup.find(visit.standards, f"{standard_id}@{version}")
    return visit.page("standard.html", s=standard, sections=sections(standard))


def sections(standard: Standard) -> list[tuple[str, int, list[Criterion]]]:
    """The criteria grouped by their category (materials, finish, …), in the standard's order,
    each with the category's weight."""
    grouped: dict[Category, list[Criterion]] = {}
    for criterion in standard.criteria:
        grouped.setdefault(criterion.category, []).append(criterion)
    return [(name, standard.categories[name].weight, rows) for name, rows in grouped.items()]
