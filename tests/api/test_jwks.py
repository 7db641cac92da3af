"""`/.well-known/jwks.json` holds only signing keys, and mainstream JOSE libraries load it whole:
joserfc, jwcrypto and PyJWT (Python), panva's `jose` (npm). An EC entry for the PDF CA made
joserfc refuse the set and PyJWT offer the CA as an ES256 key; the CA is published apart."""

from __future__ import annotations

from typing import Any

import jwt
from fastapi.testclient import TestClient
from joserfc.jwk import KeySet
from jwcrypto.jwk import JWKSet

from tests.independent import run


def published(client: TestClient) -> dict[str, Any]:
    """The JWKS after one rotation: a retired key and the active one."""
    client.app.state.certify.keys.ring.rotate()  # type: ignore[attr-defined]
    jwks: dict[str, Any] = client.get("/.well-known/jwks.json").json()
    assert len(jwks["keys"]) == 2
    return jwks


def test_joserfc_loads_every_key(client: TestClient) -> None:
    jwks = published(client)
    loaded = KeySet.import_key_set(jwks)
    assert sorted(key.kid for key in loaded.keys) == sorted(k["kid"] for k in jwks["keys"])
    assert {key.key_type for key in loaded.keys} == {"OKP"}


def test_jwcrypto_loads_every_key(client: TestClient) -> None:
    jwks = published(client)
    loaded = JWKSet.from_json(client.get("/.well-known/jwks.json").text)
    assert sorted(key["kid"] for key in loaded["keys"]) == sorted(k["kid"] for k in jwks["keys"])
    assert {key["kty"] for key in loaded["keys"]} == {"OKP"}


def test_pyjwt_offers_only_eddsa_keys(client: TestClient) -> None:
    """Every key PyJWT makes of the set is an EdDSA key; none is a usable ES256 key."""
    jwks = published(client)
    loaded = jwt.PyJWKSet.from_dict(jwks)
    assert sorted(key.key_id for key in loaded.keys) == sorted(k["kid"] for k in jwks["keys"])
    assert {key.algorithm_name for key in loaded.keys} == {"EdDSA"}


def test_npm_jose_loads_every_key_with_its_thumbprint_as_kid(client: TestClient) -> None:
    jwks = published(client)
    answer = run("jwks.mjs", {"jwks": jwks})
    assert answer["keys"] == [
        {"kid": k["kid"], "thumbprint": k["kid"], "type": "Ed25519", "resolved": True} for k in jwks["keys"]
    ]


def test_a_token_signed_by_the_active_key_verifies_with_pyjwt_through_the_set(client: TestClient) -> None:
    """The set is usable, not only loadable: PyJWT finds the key by kid and checks an EdDSA JWS."""
    jwks = published(client)
    ring = client.app.state.certify.keys.ring  # type: ignore[attr-defined]
    with ring.signing() as signer:
        token = jwt.encode(
            {"certificate": "IDC-2026-7KQ3-9XHD-P"}, signer.key, algorithm="EdDSA", headers={"kid": signer.kid}
        )
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
    assert jwt.decode(token, key, algorithms=["EdDSA"]) == {"certificate": "IDC-2026-7KQ3-9XHD-P"}
