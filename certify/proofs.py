"""The offline checks of what an issuer publishes, pure: nothing but the bytes and a JWKS.

- a certificate's signed record: its Ed25519 signature under a published key, that key being the
  issuer's at the decision (`signed_record_checks`), and the record carried in a PDF
  (`attachment_parts`);
- the public log: a signed tree head (`tree_head_holds`), an inclusion proof (`proof_holds`), a
  consistency proof between two heads (`heads_consistent`), the proof a PDF carries
  (`embedded_inclusion`), and whether a status agrees with the last logged one (`statuses_agree`);
- the PDF-signing CA a JWKS publishes (`ca_pem_from_jwks`).

The `certify verify` and `certify audit` commands, the API and the pages all call these.
Each check answers `Check`: "valid", "invalid", or "unknown" when it cannot be known.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pydantic import BaseModel, Field

from certify.ledger import LedgerError, leaf_hash, verify_consistency, verify_inclusion
from certify.signing import canonical_json, key_valid_at, verify
from certify.signing.jwk import parse_rfc3339

Check = Literal["valid", "invalid", "unknown"]
CA_USE = "x509-ca"
"""The `use` of the JWK that publishes the PDF-signing CA (its certificate in `x5c`)."""


class SignedTreeHead(BaseModel):
    size: int = Field(ge=0, description="leaves in the tree")
    root_hash: str = Field(description="RFC 6962 Merkle tree hash of those leaves, base64")
    timestamp: str = Field(description="when the head was signed, RFC 3339 UTC")
    key_id: str = Field(description="the signing key's kid in /.well-known/jwks.json")
    signature: str = Field(description="Ed25519, base64url, over the RFC 8785 JSON of the other fields")

    def signed_part(self) -> dict[str, Any]:
        return self.model_dump(exclude={"signature"})


class InclusionProof(BaseModel):
    leaf_index: int
    leaf_hash: str = Field(description="SHA-256(0x00 ‖ leaf data), base64")
    proof: list[str] = Field(description="audit path, base64 hashes from the leaf's sibling up")
    event: dict[str, Any] | None = Field(default=None, description="the leaf's data, read as JSON")


# --- the signed record -------------------------------------------------------------------------


def record_sha256(record: Mapping[str, object]) -> str:
    """The hex SHA-256 of a signed record's canonical JSON: what an `issued` leaf holds."""
    return hashlib.sha256(canonical_json(record)).hexdigest()


def attachment_parts(attachment: bytes) -> tuple[dict[str, Any], str, dict[str, Any] | None] | None:
    """(record, signature, log proof) of a PDF's embedded attachment, or None if it is not one."""
    try:
        document = json.loads(attachment)
        record, signature = document["record"], document["signature"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(record, dict) or not isinstance(signature, str):
        return None
    proof = document.get("log")
    return record, signature, proof if isinstance(proof, dict) else None


def signed_record_checks(
    *,
    record: Mapping[str, Any],
    signature: str,
    jwks: Mapping[str, object],
    certificate_id: str | None = None,
    key_id: str | None = None,
) -> tuple[Check, Check]:
    """(signature, key valid at issuance) of a record, offline, with nothing but a JWKS.

    The record must name the certificate and key it is stored with (when given); a record that
    does not say when it was decided cannot prove its key was valid then ("unknown").
    """
    kid = record.get("key_id")
    if not isinstance(kid, str) or (key_id is not None and kid != key_id):
        return "invalid", "unknown"
    if certificate_id is not None and record.get("certificate_id") != certificate_id:
        return "invalid", "unknown"
    if not verify(record, signature, kid, jwks):
        return "invalid", "unknown"
    decided = record.get("decided_at")
    try:
        when = parse_rfc3339(decided) if isinstance(decided, str) else None
    except ValueError:
        when = None
    if when is None:
        return "valid", "unknown"
    return "valid", "valid" if key_valid_at(kid, when, jwks) else "invalid"


# --- the log ---------------------------------------------------------------------------------------


def tree_head_holds(head: SignedTreeHead, jwks: Mapping[str, object]) -> bool:
    """Whether the head's signature is by a key of `jwks` that was in force at its timestamp."""
    try:
        when = parse_rfc3339(head.timestamp)
    except ValueError:
        return False
    return verify(head.signed_part(), head.signature, head.key_id, jwks) and key_valid_at(head.key_id, when, jwks)


def proof_holds(proof: InclusionProof, head: SignedTreeHead, data: bytes | None = None) -> bool:
    """Whether `proof` puts its leaf (with `data`, when given) in the tree `head` signs."""
    try:
        hashed = unb64(proof.leaf_hash)
        if data is not None and leaf_hash(data) != hashed:
            return False
        verify_inclusion(proof.leaf_index, head.size, hashed, [unb64(p) for p in proof.proof], unb64(head.root_hash))
    except (LedgerError, ValueError):
        return False
    return True


def heads_consistent(old: SignedTreeHead, new: SignedTreeHead, proof: list[str]) -> bool:
    """Whether the tree `new` signs extends the one `old` signs, by `proof`."""
    if old.size == 0:
        return True
    try:
        verify_consistency(old.size, new.size, [unb64(p) for p in proof], unb64(old.root_hash), unb64(new.root_hash))
    except (LedgerError, ValueError):
        return False
    return True


def embedded_inclusion(
    embedded: Mapping[str, Any] | None,
    *,
    certificate_id: str,
    record: Mapping[str, object],
    jwks: Mapping[str, object],
) -> Check:
    """The offline check of a PDF's log proof: its `issued` leaf names this certificate and
    record, and is in the tree its signed head signs. "unknown" when the PDF carries none."""
    if embedded is None:
        return "unknown"
    try:
        leaf = dict(embedded["leaf"])
        data = canonical_json(leaf)
        head = SignedTreeHead.model_validate(embedded["tree_head"])
        proof = InclusionProof(
            leaf_index=embedded["leaf_index"], leaf_hash=b64(leaf_hash(data)), proof=list(embedded["proof"])
        )
    except (KeyError, TypeError, ValueError):
        return "invalid"
    names_this = (
        leaf.get("certificate_id") == certificate_id
        and leaf.get("event") == "issued"
        and leaf.get("record_sha256") == record_sha256(record)
    )
    ok = names_this and tree_head_holds(head, jwks) and proof_holds(proof, head, data)
    return "valid" if ok else "invalid"


def statuses_agree(logged: object, current: str) -> bool:
    """Whether a certificate's current status is the one its last logged event left it in."""
    return current == logged or (current == "expired" and logged == "valid")


def ca_pem_from_jwks(jwks: Mapping[str, object]) -> bytes | None:
    """The PDF-signing CA published in `jwks` (PEM), or None when it holds none."""
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        return None
    for jwk in keys:
        if isinstance(jwk, Mapping) and jwk.get("use") == CA_USE:
            chain = jwk.get("x5c")
            if isinstance(chain, list) and chain and isinstance(chain[0], str):
                try:
                    der = base64.b64decode(chain[0], validate=True)
                    certificate = x509.load_der_x509_certificate(der)
                except ValueError:
                    return None
                return certificate.public_bytes(serialization.Encoding.PEM)
    return None


def b64(value: bytes) -> str:
    """Standard base64, as the log's hashes are written."""
    return base64.b64encode(value).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"not base64: {text!r}") from error
