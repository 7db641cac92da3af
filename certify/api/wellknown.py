"""The issuer's public keys: `/.well-known/jwks.json` (the record-signing keys only), the DID
document `/.well-known/did.json` (the same keys as Multikeys), and the PDF-signing CA
`/.well-known/certify-ca.pem` with its CRL `/.well-known/certify-ca.crl`."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from certify.api.deps import app_state
from certify.api.problems import documented
from certify.core.text import Text
from certify.services.credentials import did
from certify.services.errors import NotFound
from certify.services.keys import IssuerKeys

router = APIRouter(prefix="/.well-known", tags=["keys"])


def _keys(request: Request) -> IssuerKeys:
    return app_state(request).keys


@router.get(
    "/jwks.json",
    responses={200: {"content": {"application/json": {}}}},
    summary="Every record-signing key ever used (RFC 8037 OKP, with validity dates); nothing else",
)
def jwks(request: Request) -> Response:
    body = json.dumps(_keys(request).jwks(), separators=(",", ":"))
    return Response(body, media_type="application/json", headers={"Cache-Control": "max-age=300"})


@router.get(
    "/certify-ca.pem",
    responses={200: {"content": {"application/x-pem-file": {}}}},
    summary="The CA certificate the PDFs' own signatures chain to",
)
def ca_certificate(request: Request) -> Response:
    return Response(
        _keys(request).ca_pem, media_type="application/x-pem-file", headers={"Cache-Control": "max-age=86400"}
    )


@router.get(
    "/did.json",
    responses={200: {"content": {"application/did+json": {}}}},
    summary="The service's did:web document: every record-signing key ever used, as a Multikey",
)
def did_document(request: Request) -> Response:
    body = json.dumps(did(app_state(request).credential_issuer), separators=(",", ":"))
    return Response(body, media_type="application/did+json", headers={"Cache-Control": "max-age=300"})


@router.get(
    "/certify-ca.crl",
    responses={200: {"content": {"application/pkix-crl": {}}}, **documented(404)},
    summary="The PDF-signing CA's certificate revocation list (DER), named by every signer certificate",
)
def ca_crl(request: Request) -> Response:
    crl = _keys(request).crl()
    if crl is None:
        raise NotFound(
            Text(
                en="this server has no CRL: the PDF CA's key is on another machine",
                id="server ini tidak memiliki CRL: kunci CA PDF ada di mesin lain",
            )
        )
    return Response(crl, media_type="application/pkix-crl", headers={"Cache-Control": "max-age=3600"})
