"""The public directory of certified workshops: the page (`pages`) and the same as open data,
`/directory.json` and `/directory.csv` (`open_data`), with the same filters and pages.

The open data answers like the API: a bad parameter is a 422 problem+json naming it, and any
site may read it (`Access-Control-Allow-Origin: *`); the next page is in `next` and a `Link`
header.
"""

from __future__ import annotations

import csv
import io
import time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from certify.api.deps import DatabaseDep, app_state
from certify.services import directory
from certify.web.routing import PageRoute
from certify.web.visit import VisitDep

pages = APIRouter(route_class=PageRoute, include_in_schema=False)
open_data = APIRouter(include_in_schema=False)
CHOICES_FOR_S = 60.0
MAX_PAGE = 100_000  # beyond any real directory; bounds the offset the database is asked for


Filter = Annotated[str, Query(max_length=200, pattern="^[^\x00]*$")]  # a NUL is no text (PostgreSQL refuses it)


def _directory_page(
    db: DatabaseDep,
    craft: Filter = "",
    province: Filter = "",
    name: Filter = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=directory.MAX_PER_PAGE)] = directory.PER_PAGE,
) -> directory.DirectoryPage:
    return directory.search(database=db, craft=craft, province=province, name=name, page=page, per_page=per_page)


DirectoryPageDep = Annotated[directory.DirectoryPage, Depends(_directory_page)]


@pages.get("/directory")
def directory_page(visit: VisitDep, found: DirectoryPageDep) -> Response:
    crafts, provinces = _choices(visit)
    request = visit.request
    asked = request.query_params
    return visit.page(
        "directory.html",
        found=found,
        crafts=crafts,
        provinces=provinces,
        craft=asked.get("craft", ""),
        province=asked.get("province", ""),
        name=asked.get("name", ""),
        query_string=request.url.query,
        previous_url=_page_url(request, "/directory", found.page - 1) if found.page > 1 else None,
        next_url=_next_url(request, "/directory", found),
    )


@open_data.get("/directory.json")
def directory_json(request: Request, found: DirectoryPageDep) -> Response:
    next_url = _next_url(request, "/directory.json", found)
    return JSONResponse(
        {
            "holders": [_entry_json(entry, request) for entry in found.entries],
            "page": found.page,
            "per_page": found.per_page,
            "next": next_url,
        },
        headers=_open_data_headers(next_url),
    )


@open_data.get("/directory.csv")
def directory_csv(request: Request, found: DirectoryPageDep) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "holder",
            "province",
            "region",
            "crafts",
            "certificate_id",
            "serial",
            "product",
            "standard",
            "grade",
            "valid_from",
            "valid_until",
            "verify_url",
        ]
    )
    for entry in found.entries:
        for cert in entry.certificates:
            writer.writerow(
                [
                    _cell(entry.name),
                    _cell(entry.province),
                    _cell(entry.region or ""),
                    " ".join(entry.crafts),
                    cert.certificate_id or "",
                    cert.serial,
                    _cell(cert.product),
                    cert.standard,
                    cert.grade,
                    cert.valid_from.isoformat(),
                    cert.valid_until.isoformat(),
                    _verify_url(request, cert.certificate_id),
                ]
            )
    next_url = _next_url(request, "/directory.csv", found)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="certify-directory.csv"', **_open_data_headers(next_url)},
    )


def _choices(visit: VisitDep) -> tuple[list[str], list[str]]:
    """The search form's crafts and provinces, read at most once a minute by each process (the
    results below the form are always read afresh)."""
    state = visit.request.app.state
    cached: tuple[float, tuple[list[str], list[str]]] | None = getattr(state, "directory_choices", None)
    if cached is None or cached[0] < time.monotonic():
        cached = (time.monotonic() + CHOICES_FOR_S, directory.choices(database=visit.database))
        state.directory_choices = cached
    return cached[1]


def _page_url(request: Request, path: str, page: int) -> str:
    """`path` with the request's query and `page` set to `page`."""
    asked = {key: value for key, value in request.query_params.items() if key != "page"}
    return f"{path}?{urlencode({**asked, 'page': page})}"


def _next_url(request: Request, path: str, found: directory.DirectoryPage) -> str | None:
    return _page_url(request, path, found.page + 1) if found.has_next else None


def _open_data_headers(next_url: str | None) -> dict[str, str]:
    """Anyone may read the open data from a browser; the next page is also a Link header."""
    headers = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}
    if next_url is not None:
        headers["Link"] = f'<{next_url}>; rel="next"'
    return headers


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _verify_url(request: Request, certificate_id: str | None) -> str:
    if not certificate_id:
        return ""
    base = app_state(request).settings.public_url.rstrip("/")
    return f"{base}/verify/{certificate_id}"


def _entry_json(entry: directory.DirectoryEntry, request: Request) -> dict[str, Any]:
    return {
        "name": entry.name,
        "province": entry.province,
        "region": entry.region,
        "crafts": entry.crafts,
        "contact": entry.contact,
        "certificates": [
            {
                "certificate_id": c.certificate_id,
                "serial": c.serial,
                "product": c.product,
                "standard": c.standard,
                "grade": c.grade,
                "valid_from": c.valid_from.isoformat(),
                "valid_until": c.valid_until.isoformat(),
                "verify_url": _verify_url(request, c.certificate_id),
            }
            for c in entry.certificates
        ],
    }
