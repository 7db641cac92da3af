"""Public pages for buyers: verify a certificate by ID or by its PDF (the directory: `listing`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.types import Message, Scope, Send

from certify.api.deps import app_state
from certify.core.certificate_id import CertificateIdError, parse
from certify.core.errors import CertifyError
from certify.core.standard import Grade
from certify.services import contacts
from certify.services.errors import NotFound
from certify.web import verifying
from certify.web.i18n import N_
from certify.web.routing import SECURITY_HEADERS, PageRoute, error_page, translated
from certify.web.visit import VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STATUS_WORDS = {
    "valid": N_("Valid"),
    "suspended": N_("Suspended"),
    "withdrawn": N_("Withdrawn"),
    "expired": N_("Expired"),
    "superseded": N_("Superseded"),
}
# The reasons the service itself writes into a certificate's public history (a certifier's own
# reason is shown as written).
REASON_WORDS = {
    "surveillance overdue": N_("surveillance overdue"),
    "validity ended": N_("validity ended"),
    "surveillance kept": N_("surveillance kept"),
    "surveillance: suspended": N_("surveillance: suspended"),
    "surveillance: withdrawn": N_("surveillance: withdrawn"),
    "complaint upheld": N_("complaint upheld"),
    "appeal upheld": N_("appeal upheld"),
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
        return visit.page("verify.html", status=404, typed=id, problem=getattr(wrong.text, visit.language))
    return visit.redirect(f"/verify/{canonical}")


@router.get("/verify/{certificate_id}")
def verify_certificate(visit: VisitDep, certificate_id: str) -> Response:
    try:
        result = verifying.by_id(visit=visit, certificate_id=certificate_id, now=datetime.now(UTC))
    except CertificateIdError as wrong:
        return visit.page("verify.html", status=404, typed=certificate_id, problem=getattr(wrong.text, visit.language))
    except NotFound:
        return visit.page(
            "verify.html",
            status=404,
            typed=certificate_id,
            problem=visit.gettext(
                N_("No certificate with this ID was ever issued by this registry. Check the ID on the certificate.")
            ),
        )
    return visit.page(
        "certificate.html",
        c=result,
        status_word=STATUS_WORDS,
        check_words=CHECK_WORDS,
        check_names=CHECK_NAMES,
        photo=verifying.published_photo(visit=visit, record=result["record"]),
        reason_word=REASON_WORDS,
        time_stamped=app_state(visit.request).settings.tsa_url is not None,
        grade_band=grade_band(visit, result),
        contact=contacts.contact_of(database=visit.database, certificate_id=result["certificate_id"]),
    )


def grade_band(visit: VisitDep, result: dict[str, Any]) -> Grade | None:
    """The grade's band of total scores in the certificate's standard, if that standard is installed."""
    try:
        standard = visit.standards.get(f"{result['standard']['id']}@{result['standard']['version']}")
    except (CertifyError, KeyError, LookupError):
        return None
    return next((g for g in standard.grades if g.id == result["grade"]["id"]), None)


@router.get("/mark-rules")
def mark_rules(visit: VisitDep) -> Response:
    """The published rules for using the certification mark (ISO/IEC 17065 §4.1.3)."""
    return visit.page("mark_rules.html")


@router.post("/verify/pdf")
async def verify_pdf(
    visit: VisitDep,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    limit = app_state(visit.request).settings.verify_max_bytes
    content = await file.read(limit + 1)
    answer = await verifying.by_pdf(visit=visit, content=content, max_bytes=limit, now=datetime.now(UTC))
    return visit.page("verify_pdf.html", answer=answer, filename=file.filename or "", status_word=STATUS_WORDS)


async def too_large(scope: Scope, send: Send) -> None:
    """The verify page's answer to a file past the upload limit (before it is read): a 413 page
    in the visitor's language, not the API's JSON."""
    request = Request(scope)
    megabytes = app_state(request).settings.verify_max_bytes // (1024 * 1024)
    message = translated(request, N_("The file is larger than a certificate PDF can be (%(mb)s MB).")) % {
        "mb": megabytes
    }
    response = error_page(request, 413, message, headers=SECURITY_HEADERS)

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


def too_many(request: Request, wait: int) -> Response:
    """The verify pages' answer past the public rate limit: a 429 page with `Retry-After`."""
    message = translated(
        request, N_("Too many verifications from this address. Please try again in %(seconds)s seconds.")
    ) % {"seconds": wait}
    return error_page(request, 429, message, headers={"Retry-After": str(wait), **SECURITY_HEADERS})


def too_many_reads(request: Request, wait: int) -> Response:
    """The directory's answer past the limit on public reads: a 429 page with `Retry-After`."""
    message = translated(
        request, N_("Too many requests from this address. Please try again in %(seconds)s seconds.")
    ) % {"seconds": wait}
    return error_page(request, 429, message, headers={"Retry-After": str(wait), **SECURITY_HEADERS})


def busy(request: Request, wait: int) -> Response:
    """The verify pages' answer past the cap on verifications at once: a 503 page with `Retry-After`."""
    message = translated(request, N_("Too many verifications are being made right now. Please try again in a moment."))
    return error_page(request, 503, message, headers={"Retry-After": str(wait), **SECURITY_HEADERS})
