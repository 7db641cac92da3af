"""Certificates as W3C Verifiable Credentials, the service's DID document and its status lists.

A credential is made from the certificate's signed record when asked for, and signed then with
the active key (`eddsa-jcs-2022`): certificates issued before credentials existed have them
too, and a credential signed before a key rotation keeps verifying, since the DID document lists
every key ever used. Its status is not in the credential but in the suspension and revocation
lists, which change with the certificate: a copy handed out earlier turns suspended or revoked
in any verifier without being issued again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlmodel import col, select

from certify.core.lifecycle import expiry_instant
from certify.core.text import Text
from certify.credentials import conformity, integrity, statuslist
from certify.credentials.did import did_document, did_web, verification_method
from certify.credentials.statuslist import Purpose
from certify.services import status_lists
from certify.services.errors import NotFound
from certify.services.keys import IssuerKeys
from certify.signing.jwk import rfc3339
from certify.store.database import Database
from certify.store.tables import Certificate


@dataclass(frozen=True)
class Issuer:
    """Who signs credentials: the keys, the service's public address (hence its `did:web`), its zone."""

    keys: IssuerKeys
    public_url: str
    zone: tzinfo

    @property
    def did(self) -> str:
        return did_web(self.public_url)

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        """`document` with an `eddsa-jcs-2022` proof by the active key, created now."""
        with self.keys.ring.signing() as signer:
            method = verification_method(self.did, signer.kid)
            created = rfc3339(datetime.now(UTC).replace(microsecond=0))
            return integrity.add_proof(document, signer.key, verification_method=method, created=created)


def did(issuer: Issuer) -> dict[str, Any]:
    """The DID document served at `/.well-known/did.json`."""
    return did_document(issuer.did, issuer.keys.ring.jwks())


def certificate_credential(*, database: Database, issuer: Issuer, certificate_id: str) -> dict[str, Any]:
    """The signed credential of certificate `certificate_id` (canonical); 404 when none was issued."""
    with database.read() as session:
        found = session.exec(
            select(col(Certificate.id), col(Certificate.record), col(Certificate.valid_until)).where(
                Certificate.certificate_id == certificate_id
            )
        ).first()
    if found is None or found[1] is None:
        raise NotFound(
            Text(
                en=f"{certificate_id}: no certificate with this ID",
                id=f"{certificate_id}: tidak ada sertifikat dengan ID ini",
            )
        )
    index, record, valid_until = found
    assert index is not None and record is not None
    if isinstance(valid_until, str):
        valid_until = date.fromisoformat(valid_until)
    base = issuer.public_url.rstrip("/")
    unsigned = conformity.unsigned_credential(
        record,
        did=issuer.did,
        public_url=issuer.public_url,
        verify_url=f"{base}/verify/{certificate_id}",
        status_index=index,
        valid_until=rfc3339(expiry_instant(valid_until, issuer.zone)),
    )
    return issuer.sign(unsigned)


def status_list_credential(*, database: Database, issuer: Issuer, purpose: Purpose) -> dict[str, Any]:
    """The signed `BitstringStatusListCredential` of `purpose`, as the database holds it now."""
    with database.read() as session:
        bits, updated = status_lists.current(session, purpose)
    unsigned = conformity.status_list_credential(
        did=issuer.did,
        public_url=issuer.public_url,
        purpose=purpose,
        encoded_list=statuslist.encoded(bits),
        valid_from=rfc3339((updated or datetime.now(UTC)).replace(microsecond=0)),
    )
    return issuer.sign(unsigned)
