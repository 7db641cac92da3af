"""Signatures on certificate records: Ed25519 over RFC 8785 canonical JSON.

- `canonical_json(payload)`: the bytes signed; floats are refused (`UnsignablePayload`).
- `KeyRing`: the issuer's keys (`keyring`): `sign(payload) -> (signature, kid)`, `signing()`,
  `rotate()`, `jwks()`, `export_secret()`; `load_key_ring(key_dir=…, secret=…)`.
- `verify(payload, signature, kid, jwks)` and `key_valid_at(kid, when, jwks)`: offline, with
  nothing but a published JWKS (`verify`).
- Keys are RFC 8037 OKP JWKs; kid = RFC 7638 thumbprint; validity in `valid_from` /
  `valid_until` (`jwk`).
"""

from certify.signing.canonical import UnsignablePayload, canonical_json
from certify.signing.jwk import public_jwk, thumbprint
from certify.signing.keyfiles import KeyRingError
from certify.signing.keyring import KeyRing, Signer, load_key_ring
from certify.signing.verify import find_key, key_valid_at, verify

__all__ = [
    "KeyRing",
    "KeyRingError",
    "Signer",
    "UnsignablePayload",
    "canonical_json",
    "find_key",
    "key_valid_at",
    "load_key_ring",
    "public_jwk",
    "thumbprint",
    "verify",
]
