"""Certificates: public verification by ID, the PDF for those entitled to it, and the lifecycle.

`GET /certificates/{id}` needs no account. The ID is read as typed (case, spaces, hyphens, O/0,
I/L/1); a mistyped one is a 404 that says the check character does not match, a well-formed one
never issued a 404 that says so. Suspend, reinstate and withdraw are for certifiers (not admins:
a status change is a certification decision, taken by the people who take them), with a reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from pydantic import Field

from certify.api.deps import (
    CertificateId,
    CertificateIdPath,
    CurrentCertifier,
    DatabaseDep,
    IssuanceDep,
    OptionalUser,
    app_state,
    pdf_download,
)
from certify.api.problems import documented
from certify.api.public_answers import answer_for, answer_response
from certify.core.certificate_id import CertificateIdError
from certify.core.lifecycle import Action
from certify.services.certificates import Issuance, certificate_pdf, change_status
from certify.services.errors import NotFound
from certify.services.mark import MAX_WIDTH, MIN_WIDTH, Mark, mark_of, mark_png, mark_svg
from certify.services.models import Input, Reason
from certify.services.principal import Principal
from certify.services.verification import VerificationResult, verify_certificate
from certify.store.database import Database

router = APIRouter(prefix="/certificates", tags=["certificates"])


class StatusChangeCreate(Input):
    reason: Reason = Field(description="why: published in the status history")


def _verify(db: Database, certificate_id: str, issuance: Issuance) -> VerificationResult:
    try:
        return verify_certificate(db=db, certificate_id=certificate_id, keys=issuance.keys, now=datetime.now(UTC))
    except CertificateIdError as error:
        raise NotFound(error.text) from None


def _json(result: VerificationResult) -> Response:
    return Response(result.model_dump_json(), media_type="application/json", headers={"Cache-Control": "no-cache"})


@router.get(
    "/{certificate_id}",
    response_model=VerificationResult,
    responses={304: {"description": "`If-None-Match` names the current answer's ETag"}, **documented(404, 422, 429)},
    summary="Verify a certificate by its ID: status, what it says, its signed record and the checks",
    description="The answer carries an `ETag` and `Cache-Control: no-cache`: a cache may keep it but "
    "must ask again each time; `If-None-Match` with the ETag answers 304 while nothing it says changed.",
)
async def get_certificate(
    request: Request,
    certificate_id: CertificateIdPath,
    if_none_match: Annotated[str | None, Header(max_length=4096)] = None,
) -> Response:
    try:
        answer = await answer_for(app_state(request), certificate_id)
    except CertificateIdError as error:
        raise NotFound(error.text) from None
    return answer_response(answer, if_none_match)


@router.get(
    "/{certificate_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the issued PDF"}, **documented(404, 422)},
    summary="The issued PDF: for the holder's artisans, certifiers and admins (404 to anyone else)",
)
def get_certificate_pdf(db: DatabaseDep, viewer: OptionalUser, certificate_id: CertificateId) -> Response:
    return pdf_download(certificate_pdf(database=db, viewer=viewer, certificate_id=certificate_id), certificate_id)


def _mark(db: Database, certificate_id: str, issuance: Issuance) -> Mark:
    now = datetime.now(UTC)
    result = _verify(db, certificate_id, issuance)
    return mark_of(result, verify_url=issuance.verify_url(result.certificate_id), now=now)


MARK_HEADERS = {"Cache-Control": "no-cache"}  # made from the current status: never kept stale


@router.get(
    "/{certificate_id}/mark.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "the badge"}, **documented(404, 409, 422)},
    summary="The certification mark of a valid certificate as an SVG badge, with a QR code to its verify page",
)
def get_mark_svg(db: DatabaseDep, issuance: IssuanceDep, certificate_id: CertificateId) -> Response:
    return Response(mark_svg(_mark(db, certificate_id, issuance)), media_type="image/svg+xml", headers=MARK_HEADERS)


@router.get(
    "/{certificate_id}/mark.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "the badge"}, **documented(404, 409, 422)},
    summary="The certification mark as a PNG badge: 300 px wide for a listing, up to 1200 for a hang-tag",
)
def get_mark_png(
    db: DatabaseDep,
    issuance: IssuanceDep,
    certificate_id: CertificateId,
    width: Annotated[int, Query(ge=MIN_WIDTH, le=MAX_WIDTH)] = MIN_WIDTH,
) -> Response:
    png = mark_png(_mark(db, certificate_id, issuance), width=width)
    return Response(png, media_type="image/png", headers=MARK_HEADERS)


def _change(
    db: Database,
    issuance: Issuance,
    certifier: Principal,
    certificate_id: str,
    action: Action,
    body: StatusChangeCreate,
) -> Response:
    change_status(database=db, actor=certifier, certificate_id=certificate_id, action=action, reason=body.reason)
    return _json(_verify(db, certificate_id, issuance))


LIFECYCLE = documented(401, 403, 404, 409, 422)


@router.post(
    "/{certificate_id}/suspend",
    response_model=VerificationResult,
    responses=LIFECYCLE,
    summary="Suspend a valid certificate, with a reason (certifiers)",
)
def suspend(
    db: DatabaseDep,
    issuance: IssuanceDep,
    certifier: CurrentCertifier,
    certificate_id: CertificateId,
    body: StatusChangeCreate,
) -> Response:
    return _change(db, issuance, certifier, certificate_id, "suspend", body)


@router.post(
    "/{certificate_id}/reinstate",
    response_model=VerificationResult,
    responses=LIFECYCLE,
    summary="Reinstate a suspended certificate, with a reason (certifiers)",
)
def reinstate(
    db: DatabaseDep,
    issuance: IssuanceDep,
    certifier: CurrentCertifier,
    certificate_id: CertificateId,
    body: StatusChangeCreate,
) -> Response:
    return _change(db, issuance, certifier, certificate_id, "reinstate", body)


@router.post(
    "/{certificate_id}/withdraw",
    response_model=VerificationResult,
    responses=LIFECYCLE,
    summary="Withdraw a valid or suspended certificate for good, with a reason (certifiers)",
)
def withdraw(
    db: DatabaseDep,
    issuance: IssuanceDep,
    certifier: CurrentCertifier,
    certificate_id: CertificateId,
    body: StatusChangeCreate,
) -> Response:
    return _change(db, issuance, certifier, certificate_id, "withdraw", body)
