"""Public pages for buyers: verify a certificate by ID or by its PDF, and the directory."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from certify.core.certificate_id import CertificateIdError, parse
from certify.services import directory
from certify.services.errors import NotFound
from certify.web import verifying
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_PDF_BYTES = 10 * 1024 * 1024
CHOICES_FOR_S = 60.0
MAX_PAGE = 100_000  # beyond any real directory; bounds the offset the database is asked for
STATUS_WORDS = {
    "valid": N_("Valid"), "suspended": N_("Suspended"), "withdrawn": N_("Withdrawn"),
    "expired": N_("Expired"), "superseded": N_("Superseded"),
}
CHECK_WORDS = {"valid": N_("passed"), "invalid": N_("FAILED"), "unknown": N_("could not be checked")}
CHECK_NAMES = {
    "signature": N_("Issuer's signature on the record"),
    "key_valid_at_issuance": N_("Signing key valid on the day of issue"),
    "status": N_("Current status"),
    "log_inclusion": N_("Recorded in the public log"),
}


@router.get("/verify")
def verify_form(visit: VisitDep, id: str = "") -> Response:
    if not id.strip():
        return visit.page("verify.html", typed="", problem=None)
    try:
        canonical = str(parse(id))
    except CertificateIdError as wrong:
        return visit.page("verify.html", status=404, typed=id,
                          problem=getattr(wrong.text, visit.language))
    return visit.redirect(f"/verify/{canonical}")


@router.get("/verify/{certificate_id}")
def verify_certificate(visit: VisitDep, certificate_id: str) -> Response:
    try:
        result = verifying.by_id(visit=visit, certificate_id=certificate_id, now=datetime.now(UTC))
    except CertificateIdError as wrong:
        return visit.page("verify.html", status=404, typed=certificate_id,
                          problem=getattr(wrong.text, visit.language))
    except NotFound:
        return visit.page("verify.html", status=404, typed=certificate_id, problem=visit.gettext(
            N_("No certificate with this ID was ever issued by this registry. Check the ID on the certificate.")))
    return visit.page("certificate.html", c=result, status_word=STATUS_WORDS, check_words=CHECK_WORDS,
                      check_names=CHECK_NAMES)


@router.post("/verify/pdf")
async def verify_pdf(
    visit: VisitDep, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    content = await file.read(MAX_PDF_BYTES + 1)
    answer = await verifying.by_pdf(visit=visit, content=content, max_bytes=MAX_PDF_BYTES, now=datetime.now(UTC))
    return visit.page("verify_pdf.html", answer=answer, filename=file.filename or "",
                      status_word=STATUS_WORDS)


def _directory_page(
    visit: VisitDep, craft: str = "", province: str = "", name: str = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=directory.MAX_PER_PAGE)] = directory.PER_PAGE,
) -> directory.DirectoryPage:
    return directory.search(database=visit.database, craft=craft, province=province, name=name,
                            page=page, per_page=per_page)


DirectoryPageDep = Annotated[directory.DirectoryPage, Depends(_directory_page)]


@router.get("/directory")
def directory_page(visit: VisitDep, found: DirectoryPageDep) -> Response:
    crafts, provinces = _choices(visit)
    asked = visit.request.query_params
    return visit.page("directory.html", found=found, crafts=crafts, provinces=provinces,
                      craft=asked.get("craft", ""), province=asked.get("province", ""),
                      name=asked.get("name", ""), query_string=visit.request.url.query,
                      previous_url=_page_url(visit, "/directory", found.page - 1) if found.page > 1 else None,
                      next_url=_next_url(visit, "/directory", found))


@router.get("/directory.json")
def directory_json(visit: VisitDep, found: DirectoryPageDep) -> Response:
    next_url = _next_url(visit, "/directory.json", found)
    return JSONResponse({
        "holders": [_entry_json(entry, visit) for entry in found.entries],
        "page": found.page, "per_page": found.per_page, "next": next_url,
    }, headers=_open_data_headers(next_url))


@router.get("/directory.csv")
def directory_csv(visit: VisitDep, found: DirectoryPageDep) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["holder", "province", "region", "crafts", "certificate_id", "serial", "product",
                     "standard", "grade", "valid_from", "valid_until", "verify_url"])
    for entry in found.entries:
        for cert in entry.certificates:
            writer.writerow([_cell(entry.name), _cell(entry.province), _cell(entry.region or ""),
                             " ".join(entry.crafts), cert.certificate_id or "", cert.serial,
                             _cell(cert.product), cert.standard, cert.grade, cert.valid_from.isoformat(),
                             cert.valid_until.isoformat(), _verify_url(visit, cert.certificate_id)])
    next_url = _next_url(visit, "/directory.csv", found)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="certify-directory.csv"',
        **_open_data_headers(next_url)})


def _choices(visit: VisitDep) -> tuple[list[str], list[str]]:
    """The search form's crafts and provinces, read at most once a minute by each process (the
    results below the form are always read afresh)."""
    state = visit.request.app.state
    cached: tuple[float, tuple[list[str], list[str]]] | None = getattr(state, "directory_choices", None)
    if cached is None or cached[0] < time.monotonic():
        cached = (time.monotonic() + CHOICES_FOR_S, directory.choices(database=visit.database))
        state.directory_choices = cached
    return cached[1]


def _page_url(visit: VisitDep, path: str, page: int) -> str:
    """`path` with the request's query and `page` set to `page`."""
    asked = {key: value for key, value in visit.request.query_params.items() if key != "page"}
    return f"{path}?{urlencode({**asked, 'page': page})}"


def _next_url(visit: VisitDep, path: str, found: directory.DirectoryPage) -> str | None:
    return _page_url(visit, path, found.page + 1) if found.has_next else None


def _open_data_headers(next_url: str | None) -> dict[str, str]:
    """Anyone may read the open data from a browser; the next page is also a Link header."""
    headers = {"Access-Control-Allow-Origin": "*"}
    if next_url is not None:
        headers["Link"] = f'<{next_url}>; rel="next"'
    return headers


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _verify_url(visit: VisitDep, certificate_id: str | None) -> str:
    if not certificate_id:
        return ""
    base = visit.request.app.state.settings.public_url.rstrip("/")
    return f"{base}/verify/{certificate_id}"


def _entry_json(entry: directory.DirectoryEntry, visit: VisitDep) -> dict[str, Any]:
    return {
        "name": entry.name, "province": entry.province, "region": entry.region,
        "crafts": entry.crafts,
        "certificates": [{
            "certificate_id": c.certificate_id, "serial": c.serial, "product": c.product,
            "standard": c.standard, "grade": c.grade, "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(), "verify_url": _verify_url(visit, c.certificate_id),
        } for c in entry.certificates],
    }
