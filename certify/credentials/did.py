"""The service's `did:web` identifier and its DID document, made from the published JWKS.

`did:web` names a host (and port, `%3A`-encoded) whose `/.well-known/did.json` is the document:
`https://certify.example` → `did:web:certify.example`. Every record key ever published is a
`Multikey` verification method (`<did>#<kid>`, kid the RFC 7638 thumbprint) under
`assertionMethod`: retired keys stay, so credentials signed before a rotation still verify.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from certify.credentials.multibase import ed25519_multikey
from certify.signing.jwk import public_key, raw_public

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_web(public_url: str) -> str:
    """The `did:web` identifier of the service reached at `public_url` (its path ignored)."""
    parts = urllib.parse.urlsplit(public_url)
    host = parts.hostname or "localhost"
    if parts.port is not None:
        host += f"%3A{parts.port}"
    return f"did:web:{host}"


def verification_method(did: str, kid: str) -> str:
    return f"{did}#{kid}"


def did_document(did: str, jwks: Mapping[str, object]) -> dict[str, Any]:
    """The DID document: every Ed25519 key of `jwks` as a Multikey, oldest first."""
    methods = []
    for jwk in jwks.get("keys", []):  # type: ignore[attr-defined]
        if not isinstance(jwk, Mapping) or jwk.get("kty") != "OKP":
            continue
        methods.append(
            {
                "id": verification_method(did, str(jwk["kid"])),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": ed25519_multikey(raw_public(public_key(jwk))),
            }
        )
    ids = [method["id"] for method in methods]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    }
