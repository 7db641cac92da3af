"""The issuer's public keys as published: the Ed25519 record keys and the PDF-signing CA.

`GET /.well-known/jwks.json` is the key ring's JWKS (every Ed25519 key ever used, RFC 8037 OKP
JWKs with `valid_from` / `valid_until`) plus one more entry: the PDF-signing CA as an EC P-256
JWK carrying its certificate in `x5c` (RFC 7517 §4.7), `use: "x509-ca"`. So a buyer who saved
that one file can check a certificate PDF offline completely: the record's signature against
the OKP keys, the PDF's own signature against the CA. Ed25519 checkers skip the EC entry (its
`kty` and `use` are not theirs).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from certify.config import Settings
from certify.documents import ca_pem, pdf_ca
from certify.proofs import CA_USE
from certify.signing import KeyRing, KeyRingError, load_key_ring
from certify.signing.jwk import b64url, from_b64url, rfc3339


@dataclass
class IssuerKeys:
    """The signing key ring and the folder of the PDF-signing CA (`<key_dir>/pdf-ca`)."""

    ring: KeyRing
    key_dir: Path
    issuer: str

    @classmethod
    def from_settings(cls, settings: Settings) -> IssuerKeys:
        """The keys of `settings`, created in the key directory (0600) when there are none.

        With CERTIFY_SIGNING_KEYS the ring comes from the secret, and so does the PDF-signing CA
        (installed into the key directory) when the secret carries one; raises KeyRingError
        when either cannot be used."""
        secret = settings.signing_keys.get_secret_value() if settings.signing_keys else None
        keys = cls(
            ring=load_key_ring(key_dir=settings.keys_dir, secret=secret),
            key_dir=settings.keys_dir,
            issuer=settings.issuer,
        )
        if secret:
            shared_ca = json.loads(from_b64url(secret.strip())).get("pdf_ca")
            if shared_ca is None:
                logging.getLogger(__name__).warning(
                    "CERTIFY_SIGNING_KEYS carries no PDF-signing CA (exported by an older release):"
                    " this machine uses the CA in its own key directory; export the secret again"
                )
            else:
                try:
                    pdf_ca.install(settings.keys_dir, shared_ca)
                except pdf_ca.PdfCaError as error:
                    raise KeyRingError(f"CERTIFY_SIGNING_KEYS: {error}") from error
        keys.ca_pem  # noqa: B018 - create the PDF CA now, not in the middle of the first issuance
        return keys

    def export_secret(self) -> str:
        """The ring and the PDF-signing CA (not its key) as one string for CERTIFY_SIGNING_KEYS."""
        return self.ring.export_secret(pdf_ca=pdf_ca.exported(self.key_dir))

    @cached_property
    def ca_pem(self) -> bytes:
        """The PDF-signing CA certificate (PEM), made on first use naming the issuer."""
        return ca_pem(self.key_dir, self.issuer)

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The JWKS to publish: every record key ever used, and the PDF-signing CA."""
        keys: list[dict[str, Any]] = [dict(jwk) for jwk in self.ring.jwks()["keys"]]
        return {"keys": [*keys, ca_jwk(self.ca_pem)]}


def ca_organisation(settings: Settings) -> str | None:
    """The issuer named by the PDF-signing CA this machine would use (its key directory's, else
    the one CERTIFY_SIGNING_KEYS carries), or None when there is none yet."""
    ca = pdf_ca.existing_ca(settings.keys_dir)
    if ca is None and settings.signing_keys:
        try:
            shared = json.loads(from_b64url(settings.signing_keys.get_secret_value().strip())).get("pdf_ca")
            ca = x509.load_pem_x509_certificate(shared["ca.pem"].encode())
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
    return pdf_ca.organisation(ca) if ca is not None else None


def ca_jwk(pem: bytes) -> dict[str, Any]:
    """The CA certificate `pem` as an EC JWK with its certificate in `x5c`."""
    certificate = x509.load_pem_x509_certificate(pem)
    public = certificate.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise TypeError("the PDF-signing CA is not an EC key")
    numbers = public.public_numbers()
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.y.to_bytes(32, "big")),
        "use": CA_USE,
        "kid": "pdf-ca-" + b64url(certificate.fingerprint(hashes.SHA256()))[:16],
        "x5c": [base64.b64encode(der).decode("ascii")],
        "valid_from": rfc3339(certificate.not_valid_before_utc),
        "valid_until": rfc3339(certificate.not_valid_after_utc),
    }
