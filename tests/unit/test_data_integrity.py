"""The eddsa-jcs-2022 cryptosuite against the W3C specification's own test vectors
(tests/data/vc-di-eddsa, see SOURCE.md), and the Bitstring Status List encoding."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from certify.credentials import integrity, statuslist
from certify.credentials.multibase import (
    ED25519_SECRET_HEADER,
    base58btc,
    ed25519_multikey,
    ed25519_raw,
    from_base58btc,
)
from certify.signing.canonical import canonical_json
from certify.signing.jwk import raw_public

VECTORS = Path(__file__).parents[1] / "data" / "vc-di-eddsa"


def vector(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def spec_key() -> Ed25519PrivateKey:
    pair = json.loads(vector("keyPair.json"))
    return Ed25519PrivateKey.from_private_bytes(ed25519_raw(pair["privateKeyMultibase"], header=ED25519_SECRET_HEADER))


def test_the_spec_key_pair_is_one_key() -> None:
    """The private Multikey's public half is the published public Multikey."""
    pair = json.loads(vector("keyPair.json"))
    assert ed25519_multikey(raw_public(spec_key().public_key())) == pair["publicKeyMultibase"]


def test_each_step_gives_the_spec_s_bytes() -> None:
    """Canonical proof options and document, their hashes, the combined hash, the signature."""
    unsigned = json.loads(vector("unsigned.json"))
    options = json.loads(vector("proofConfigJCS.json"))
    assert canonical_json(options).decode() == vector("proofCanonJCS.txt")
    assert canonical_json(unsigned).decode() == vector("canonDocJCS.txt")
    assert hashlib.sha256(canonical_json(options)).hexdigest() == vector("proofHashJCS.txt")
    assert hashlib.sha256(canonical_json(unsigned)).hexdigest() == vector("docHashJCS.txt")
    assert integrity.hash_data(unsigned, options).hex() == vector("combinedHashJCS.txt")
    assert spec_key().sign(integrity.hash_data(unsigned, options)).hex() == vector("sigHexJCS.txt")


def test_signing_the_spec_credential_gives_the_spec_s_signed_credential() -> None:
    """add_proof over unsigned.json with the spec's key, method and time: signedJCS.json exactly."""
    unsigned = json.loads(vector("unsigned.json"))
    options = json.loads(vector("proofConfigJCS.json"))
    signed = integrity.add_proof(
        unsigned, spec_key(), verification_method=options["verificationMethod"], created=options["created"]
    )
    assert signed == json.loads(vector("signedJCS.json"))


def test_the_spec_s_signed_credential_verifies_and_a_changed_one_does_not() -> None:
    """proof_holds accepts signedJCS.json, and refuses it with one field or the context changed."""
    signed = json.loads(vector("signedJCS.json"))
    key = spec_key().public_key()
    assert integrity.proof_holds(signed, key)
    assert not integrity.proof_holds({**signed, "name": "Forged Credential"}, key)
    assert not integrity.proof_holds({**signed, "@context": signed["@context"][:1]}, key)
    assert not integrity.proof_holds({**signed, "proof": {**signed["proof"], "proofValue": "x"}}, key)
    assert not integrity.proof_holds({**signed, "proof": "none"}, key)
    assert not integrity.proof_holds(signed, Ed25519PrivateKey.generate().public_key())


@given(st.binary(max_size=64))
def test_base58btc_round_trips_leading_zeros_included(data: bytes) -> None:
    assert from_base58btc(base58btc(data)) == data


@given(st.sets(st.integers(min_value=0, max_value=300_000), max_size=40))
def test_a_status_list_sets_exactly_the_bits_it_was_given(indexes: set[int]) -> None:
    """Set bits survive GZIP and base64url; every other bit stays clear; the list is ≥ 16 KiB."""
    bits = b""
    for index in indexes:
        bits = statuslist.with_bit(bits, index, True)
    decoded = statuslist.decoded(statuslist.encoded(bits))
    assert len(decoded) * 8 >= statuslist.MINIMUM_BITS
    assert {i for i in range(len(decoded) * 8) if statuslist.bit(decoded, i)} == indexes


def test_clearing_a_bit_clears_only_it() -> None:
    bits = statuslist.with_bit(statuslist.with_bit(b"", 7, True), 8, True)
    bits = statuslist.with_bit(bits, 7, False)
    assert not statuslist.bit(bits, 7) and statuslist.bit(bits, 8)
