"""Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C, Data Integrity EdDSA
Cryptosuites v1.0, §3.3): Ed25519 over SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document)).

The proof options carry the document's `@context` (§3.3.5), so a proof cannot be moved to a
document read under other contexts. Checked against the specification's own test vectors
(tests/data/vc-di-eddsa).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certify.credentials.multibase import from_multibase, multibase
from certify.signing.canonical import canonical_json

CRYPTOSUITE = "eddsa-jcs-2022"


def proof_options(
    document: Mapping[str, Any], *, verification_method: str, created: str, purpose: str = "assertionMethod"
) -> dict[str, Any]:
    """The proof configuration (no `proofValue`) for `document`."""
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }
    if "@context" in document:
        options["@context"] = document["@context"]
    return options


def hash_data(document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """SHA-256 of the canonical proof options, then of the canonical document (§3.3.4)."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    return hashlib.sha256(canonical_json(options)).digest() + hashlib.sha256(canonical_json(unsecured)).digest()


def add_proof(
    document: Mapping[str, Any], key: Ed25519PrivateKey, *, verification_method: str, created: str
) -> dict[str, Any]:
    """`document` with an `eddsa-jcs-2022` proof by `key`."""
    options = proof_options(document, verification_method=verification_method, created=created)
    signature = key.sign(hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": multibase(signature)}}


def proof_holds(document: Mapping[str, Any], key: Ed25519PublicKey) -> bool:
    """Whether `document`'s single `eddsa-jcs-2022` proof is a signature by `key` over it."""
    proof = document.get("proof")
    if not isinstance(proof, Mapping) or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    if proof.get("type") != "DataIntegrityProof" or proof.get("@context", document.get("@context")) != document.get(
        "@context"
    ):
        return False
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    value = proof.get("proofValue")
    try:
        signature = from_multibase(value) if isinstance(value, str) else b""
        key.verify(signature, hash_data(document, options))
    except (ValueError, InvalidSignature):
        return False
    return True
