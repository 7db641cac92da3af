"""Public pages for buyers: verify a certificate by ID or by its PDF, and the directory."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from certify.core.certificate_id import CertificateIdError, parse
from certify.services.errors import NotFound
from certify.web import queries, verifying
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_PDF_BYTES = 10 * 1024 * 1024
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


@router.get("/directory")
def directory(visit: VisitDep, craft: str = "", province: str = "", name: str = "") -> Response:
    entries = queries.directory(database=visit.database, craft=craft, province=province, name=name)
    crafts, provinces = queries.directory_choices(database=visit.database)
    return visit.page("directory.html", entries=entries, crafts=crafts, provinces=provinces,
                      craft=craft, province=province, name=name,
                      query_string=visit.request.url.query)


@router.get("/directory.json")
def directory_json(visit: VisitDep, craft: str = "", province: str = "", name: str = "") -> Response:
    entries = queries.directory(database=visit.database, craft=craft, province=province, name=name)
    return JSONResponse({"holders": [_entry_json(entry, visit) for entry in entries]},
                        headers={"Access-Control-Allow-Origin": "*"})


@router.get("/directory.csv")
def directory_csv(visit: VisitDep, craft: str = "", province: str = "", name: str = "") -> Response:
    entries = queries.directory(database=visit.database, craft=craft, province=province, name=name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["holder", "province", "region", "crafts", "certificate_id", "serial", "product",
                     "standard", "grade", "valid_from", "valid_until", "verify_url"])
    for entry in entries:
        for cert in entry.certificates:
            writer.writerow([_cell(entry.name), _cell(entry.province), _cell(entry.region or ""),
                             " ".join(entry.crafts), cert.certificate_id or "", cert.serial,
                             _cell(cert.product), cert.standard, cert.grade, cert.valid_from.isoformat(),
                             cert.valid_until.isoformat(), _verify_url(visit, cert.certificate_id)])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="certify-directory.csv"',
        "Access-Control-Allow-Origin": "*"})


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _verify_url(visit: VisitDep, certificate_id: str | None) -> str:
    if not certificate_id:
        return ""
    base = visit.request.app.state.settings.public_url.rstrip("/")
    return f"{base}/verify/{certificate_id}"


def _entry_json(entry: queries.DirectoryEntry, visit: VisitDep) -> dict[str, Any]:
    return {
        "name": entry.name, "province": entry.province, "region": entry.region,
        "crafts": entry.crafts,
        "certificates": [{
            "certificate_id": c.certificate_id, "serial": c.serial, "product": c.product,
            "standard": c.standard, "grade": c.grade, "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(), "verify_url": _verify_url(visit, c.certificate_id),
        } for c in entry.certificates],
    }
