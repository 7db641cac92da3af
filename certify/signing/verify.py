"""Offline checks with nothing but a JWKS: a signature, and a key's validity at an instant.

The JWKS may come from anyone (a file a buyer downloaded), so nothing here raises on a malformed
one: a key that cannot be read, or whose `kid` is not its thumbprint, is not found.

Results are pure functions of their inputs, so the key checks and the Ed25519 verifications are
memoised (bounded): an Ed25519 verification costs ~0.2 ms here, a repeated one ~1 µs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from certify.signing.canonical import UnsignablePayload, canonical_json
from certify.signing.jwk import from_b64url, parse_rfc3339, public_key, thumbprint


def find_key(kid: str, jwks: Mapping[str, object]) -> Mapping[str, object] | None:
    """The Ed25519 signing key `kid` of `jwks`, if it is there and `kid` is its thumbprint."""
    keys = jwks.get("keys")
    if not isinstance(keys, list) or not isinstance(kid, str):
        return None
    for jwk in keys:
        if not isinstance(jwk, Mapping) or jwk.get("kid") != kid:
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", "EdDSA") != "EdDSA":
            continue
        kty, crv, x = jwk.get("kty"), jwk.get("crv"), jwk.get("x")
        strings = isinstance(kty, str) and isinstance(crv, str) and isinstance(x, str)
        if strings and _published_key(kid, str(kty), str(crv), str(x)) is not None:
            return jwk
    return None


def verify(payload: Mapping[str, object], signature: str, kid: str, jwks: Mapping[str, object]) -> bool:
    """Whether `signature` (base64url) is key `kid`'s Ed25519 signature of the canonical payload.

    False, never an exception, for an unknown key, a malformed signature, or a payload that could
    not have been signed (a float in it).
    """
    jwk = find_key(kid, jwks)
    if jwk is None or not isinstance(signature, str):  # a signature from untrusted JSON
        return False
    try:
        message = canonical_json(payload)
    except UnsignablePayload:
        return False
    return _signature_holds(str(jwk["x"]), signature, message)


def key_valid_at(kid: str, when: datetime, jwks: Mapping[str, object]) -> bool:
    """Whether key `kid` of `jwks` was the one to sign with at `when` (aware datetime).

    Valid in `[valid_from, valid_until)`; a key without `valid_from` is never valid (it cannot
    prove when it began), a key without `valid_until` is still active.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{when.isoformat()} has no time zone; use aware UTC datetimes")
    jwk = find_key(kid, jwks)
    if jwk is None:
        return False
    start, end = jwk.get("valid_from"), jwk.get("valid_until")
    try:
        if not isinstance(start, str) or when < parse_rfc3339(start):
            return False
        return end is None or (isinstance(end, str) and when < parse_rfc3339(end))
    except ValueError:
        return False


@lru_cache(maxsize=256)
def _published_key(kid: str, kty: str, crv: str, x: str) -> Ed25519PublicKey | None:
    """The key of these JWK members, if they are an Ed25519 key whose thumbprint is `kid`."""
    jwk = {"kty": kty, "crv": crv, "x": x}
    try:
        key = public_key(jwk)
    except ValueError:
        return None
    return key if thumbprint(jwk) == kid else None


@lru_cache(maxsize=4096)
def _signature_holds(x: str, signature: str, message: bytes) -> bool:
    key = public_key({"kty": "OKP", "crv": "Ed25519", "x": x})
    try:
        key.verify(from_b64url(signature), message)
    except (ValueError, InvalidSignature):
        return False
    return True
