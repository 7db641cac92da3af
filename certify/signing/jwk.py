"""Ed25519 keys as RFC 8037 OKP JWKs, their RFC 7638 thumbprints, and their validity dates.

A published key: `{"kty": "OKP", "crv": "Ed25519", "x": …, "kid": …, "use": "sig",
"alg": "EdDSA", "valid_from": …, "valid_until": …}`. `kid` is the key's RFC 7638 thumbprint.
`valid_from` / `valid_until` are RFC 3339 UTC instants (`2026-03-01T08:00:00Z`), the key signs in
`[valid_from, valid_until)`; the active key has no `valid_until`. They are our own members (JWK
readers ignore members they do not know, RFC 7517 §4), named so that nobody mistakes them for
the JWT claims `nbf` / `exp`, which speak of a token, not of a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Final

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

Jwk = dict[str, str]
_B64URL: Final = re.compile(r"[A-Za-z0-9_-]*")


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    """Decode base64url without padding; raises ValueError on anything else."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url without padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError("not base64url without padding") from error


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def thumbprint(jwk: Mapping[str, object]) -> str:
    """RFC 7638 thumbprint of an OKP key: SHA-256 of `{"crv","kty","x"}` canonical, base64url."""
    required: dict[str, str] = {}
    for name in ("crv", "kty", "x"):
        value = jwk.get(name)
        if not isinstance(value, str):
            raise ValueError(f"the JWK has no {name}")
        required[name] = value
    return b64url(hashlib.sha256(rfc8785.dumps(required)).digest())


def public_jwk(key: Ed25519PublicKey, *, valid_from: datetime, valid_until: datetime | None = None) -> Jwk:
    """The published form of a key, with its kid and validity."""
    jwk: Jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw_public(key))}
    jwk |= {"kid": thumbprint(jwk), "use": "sig", "alg": "EdDSA"}
    jwk["valid_from"] = rfc3339(valid_from)
    if valid_until is not None:
        jwk["valid_until"] = rfc3339(valid_until)
    return jwk


def private_jwk(key: Ed25519PrivateKey, *, valid_from: datetime) -> Jwk:
    """The stored form of an active key: its public JWK plus the private `d`."""
    return public_jwk(key.public_key(), valid_from=valid_from) | {"d": b64url(key.private_bytes_raw())}


def public_key(jwk: Mapping[str, object]) -> Ed25519PublicKey:
    """The Ed25519 key of an OKP JWK; raises ValueError if the JWK is not one."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("not an OKP Ed25519 key")
    x = jwk.get("x")
    raw = from_b64url(x) if isinstance(x, str) else b""
    if len(raw) != 32:
        raise ValueError("x is not a 32-byte Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key(jwk: Mapping[str, object]) -> Ed25519PrivateKey:
    """The Ed25519 private key of an OKP JWK with `d`, checked against its `x`."""
    d = jwk.get("d")
    raw = from_b64url(d) if isinstance(d, str) else b""
    if len(raw) != 32:
        raise ValueError("d is not a 32-byte Ed25519 private key")
    key = Ed25519PrivateKey.from_private_bytes(raw)
    if raw_public(key.public_key()) != raw_public(public_key(jwk)):
        raise ValueError("d does not belong to x")
    return key


def rfc3339(when: datetime) -> str:
    """`2026-03-01T08:00:00Z` (microseconds kept when there are any)."""
    return _aware(when).astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_rfc3339(text: str) -> datetime:
    """The instant of an RFC 3339 timestamp with an offset; raises ValueError otherwise."""
    return _aware(datetime.fromisoformat(text))


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{when.isoformat()} has no time zone; use aware UTC datetimes")
    return when
