"""Public pages for buyers: verify a certificate by ID or by its PDF (the directory: `listing`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from certify.core.certificate_id import CertificateIdError, parse
from certify.services.errors import NotFound
from certify.web import verifying
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
