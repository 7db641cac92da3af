"""The issuer's public keys as published: the Ed25519 record keys and the PDF-signing CA.

`GET /.well-known/jwks.json` is the key ring's JWKS and nothing else: every Ed25519 key ever used,
RFC 8037 OKP JWKs with `valid_from` / `valid_until`, so that every JOSE library loads it (an EC
entry for the CA made joserfc refuse the whole set and PyJWT offer the CA as an ES256 key). The
PDF-signing CA is published apart, at `/.well-known/certify-ca.pem`, with its CRL at
`/.well-known/certify-ca.crl`; `certify verify --keys jwks.json --ca ca.pem` checks offline.
(A JWKS saved from an older release, with the CA as a `use: "x509-ca"` entry, still works there.)
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography import x509

from certify.config import Settings
from certify.documents import ca_pem, pdf_ca
from certify.documents.pdf_ca import CaPolicy
from certify.signing import KeyRing, KeyRingError, load_key_ring
from certify.signing.jwk import from_b64url

CRL_PATH = "/.well-known/certify-ca.crl"


@dataclass
class IssuerKeys:
    """The signing key ring and the folder of the PDF-signing CA (`<key_dir>/pdf-ca`)."""

    ring: KeyRing
    key_dir: Path
    issuer: str
    policy: CaPolicy = field(default_factory=CaPolicy)
    checkpoint_seconds: float = 60.0  # the log signs a tree head at most this often

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
            policy=CaPolicy(
                issuer=settings.issuer,
                crl_url=settings.public_url.rstrip("/") + CRL_PATH,
                ca_years=settings.pdf_ca_years,
                signer_years=settings.pdf_signer_years,
            ),
            checkpoint_seconds=settings.checkpoint_seconds,
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
        return ca_pem(self.key_dir, self.policy)

    def crl(self) -> bytes | None:
        """The CA's CRL (DER), as published at /.well-known/certify-ca.crl."""
        self.ca_pem  # noqa: B018 - the CA (and its first CRL) exist
        return pdf_ca.crl_der(self.key_dir)

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The JWKS to publish: every record key ever used (signing keys only)."""
        return {"keys": [dict(jwk) for jwk in self.ring.jwks()["keys"]]}

    def rotate(self) -> tuple[str, x509.Certificate | None]:
        """A new record key and, where the CA's key is, a new PDF signer; old ones still verify.
        Returns the new key's kid and the new signer certificate (None: the CA is elsewhere)."""
        kid = self.ring.rotate()
        try:
            signer = pdf_ca.rotate_signer(self.key_dir, self.policy)
        except pdf_ca.PdfCaError:
            signer = None
        return kid, signer


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
