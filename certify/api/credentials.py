"""Verifiable Credentials (W3C VC 2.0): a certificate's credential, and the status lists.

`GET /certificates/{id}/credential` (public, rate-limited like verification) answers the
certificate as a credential (`application/vc`) with an `eddsa-jcs-2022` proof by the service's
`did:web`; `GET /credentials/status/{suspension|revocation}` the signed Bitstring Status List
credentials its `credentialStatus` points at (public reads).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from certify.api.deps import CertificateId, app_state
from certify.api.problems import documented
from certify.credentials.conformity import MEDIA_TYPE
from certify.services.credentials import certificate_credential, status_list_credential

router = APIRouter(tags=["credentials"])


def _vc(document: dict[str, Any]) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-cache"})


@router.get(
    "/certificates/{certificate_id}/credential",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {}}, "description": "the credential"}, **documented(404, 422, 429)},
    summary="A certificate as a W3C Verifiable Credential 2.0 (eddsa-jcs-2022, Bitstring Status List)",
)
def get_credential(request: Request, certificate_id: CertificateId) -> Response:
    state = app_state(request)
    return _vc(
        certificate_credential(database=state.database, issuer=state.credential_issuer, certificate_id=certificate_id)
    )


@router.get(
    "/credentials/status/{purpose}",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {}}, "description": "the status list"}, **documented(422, 429)},
    summary="The suspension or the revocation Bitstring Status List, as a signed credential",
)
def get_status_list(request: Request, purpose: Literal["suspension", "revocation"]) -> Response:
    state = app_state(request)
    return _vc(status_list_credential(database=state.database, issuer=state.credential_issuer, purpose=purpose))
