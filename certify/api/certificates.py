"""Certificates: public verification by ID, the PDF for those entitled to it, and the lifecycle.

`GET /certificates/{id}` needs no account. The ID is read as typed (case, spaces, hyphens, O/0,
I/L/1); a mistyped one is a 404 that says the check character does not match, a well-formed one
never issued a 404 that says so. Suspend, reinstate and withdraw are for certifiers (not admins:
a status change is a certification decision, taken by the people who take them), with a reason.
"""

from __future__ import annotations

from datetime import UTC, datetime

import anyio.to_thread
from fastapi import APIRouter, Request
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
from certify.core.certificate_id import CertificateIdError
from certify.core.lifecycle import Action
from certify.services.certificates import Issuance, certificate_pdf, change_status
from certify.services.errors import NotFound
from certify.services.models import Input, Reason
from certify.services.principal import Principal
from certify.services.verification import VerificationResult, verify_certificate
from certify.store.database import Database, is_sqlite

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
    responses=documented(404, 422, 429),
    summary="Verify a certificate by its ID: status, what it says, its signed record and the checks",
)
async def get_certificate(request: Request, certificate_id: CertificateIdPath) -> Response:
    state = app_state(request)
    db, found = state.database, state.issuance
    if is_sqlite(str(db.engine.url)):  # a local file read: quicker than a trip to a thread
        return _json(_verify(db, certificate_id, found))
    return _json(await anyio.to_thread.run_sync(_verify, db, certificate_id, found))


@router.get(
    "/{certificate_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the issued PDF"}, **documented(404, 422)},
    summary="The issued PDF: for the holder's artisans, certifiers and admins (404 to anyone else)",
)
def get_certificate_pdf(db: DatabaseDep, viewer: OptionalUser, certificate_id: CertificateId) -> Response:
    return pdf_download(certificate_pdf(database=db, viewer=viewer, certificate_id=certificate_id), certificate_id)


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
