"""Signing: RFC 8037 keys and signatures, RFC 8785 canonical JSON, the key ring and its rotation."""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
import struct
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from certify.signing import (
    KeyRing,
    KeyRingError,
    Signer,
    UnsignablePayload,
    canonical_json,
    find_key,
    key_valid_at,
    load_key_ring,
    public_jwk,
    thumbprint,
    verify,
)
from certify.signing.jwk import from_b64url, private_key, public_key, raw_public
from certify.signing.keyfiles import EXCLUSIVE, locked, next_generation, write_key

DATA = Path(__file__).parent.parent / "data"
RFC8037 = json.loads((DATA / "rfc8037" / "appendix-a.json").read_text())
RFC8785 = DATA / "rfc8785"
START = datetime(2026, 1, 1, tzinfo=UTC)
RECORD: dict[str, object] = {
    "certificate_id": "IDC-2026-7KQ3-9XHD-V",
    "serial": 41,
    "holder": {"name": "Batik Sekar Jagad", "region": "Yogyakarta"},
    "grade": "gold",
    "scores": {"materials": 384, "finish": 271, "packaging": 95},  # tenths of a point
    "decided_on": "2026-03-02",
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ring(tmp_path: Path, clock: Clock) -> KeyRing:
    return KeyRing.open(tmp_path / "keys", clock=clock)


# RFC 8037 Appendix A


def test_the_rfc8037_private_key_has_the_rfc8037_public_key() -> None:
    """A.1 → A.2: the private key `d` yields the published `x`."""
    key = private_key(RFC8037["A.1_private_key"])
    assert raw_public(key.public_key()) == raw_public(public_key(RFC8037["A.2_public_key"]))


def test_the_key_id_is_the_rfc8037_thumbprint() -> None:
    """A.3: the RFC 7638 thumbprint of the A.2 key, from its canonical JSON."""
    jwk = RFC8037["A.2_public_key"]
    required = {name: jwk[name] for name in ("kty", "crv", "x")}
    assert canonical_json(required).decode() == RFC8037["A.3_thumbprint_input"]
    digest = hashlib.sha256(canonical_json(required)).hexdigest()
    assert digest == RFC8037["A.3_thumbprint_sha256_hex"]
    assert thumbprint(jwk) == RFC8037["A.3_thumbprint"]
    published = public_jwk(public_key(jwk), valid_from=START)
    assert published["kid"] == RFC8037["A.3_thumbprint"]


def test_the_rfc8037_signature_comes_out_byte_for_byte() -> None:
    """A.4: Ed25519 is deterministic; the A.1 key signs the A.4 input to the A.4 signature."""
    key = private_key(RFC8037["A.1_private_key"])
    signing_input = RFC8037["A.4_signing_input"].encode()
    expected = from_b64url(RFC8037["A.4_signature"])
    assert key.sign(signing_input) == expected
    public_key(RFC8037["A.2_public_key"]).verify(expected, signing_input)  # raises if not


def test_a_published_key_is_an_rfc8037_okp_jwk_with_its_validity() -> None:
    """The JWKS entry: OKP, Ed25519, x, kid, use, alg and the dates; no private part."""
    key = public_key(RFC8037["A.2_public_key"])
    jwk = public_jwk(key, valid_from=START, valid_until=START + timedelta(days=90))
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": RFC8037["A.2_public_key"]["x"],
        "kid": RFC8037["A.3_thumbprint"],
        "use": "sig",
        "alg": "EdDSA",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2026-04-01T00:00:00Z",
    }


def test_a_record_signed_with_the_rfc8037_key_verifies_with_its_public_jwk_alone() -> None:
    """Sign with the A.1 key; verify offline with a JWKS holding only the A.2 key."""
    signer = Signer(RFC8037["A.3_thumbprint"], private_key(RFC8037["A.1_private_key"]))
    jwks = {"keys": [public_jwk(public_key(RFC8037["A.2_public_key"]), valid_from=START)]}
    assert verify(RECORD, signer.sign(RECORD), signer.kid, jwks)


def test_a_record_signed_from_its_canonical_json_is_the_same_signature() -> None:
    """Issuance makes the record's canonical JSON once, signs those bytes and hashes them for the
    log: the signature is the one `sign` makes of the record, and it verifies."""
    signer = Signer(RFC8037["A.3_thumbprint"], private_key(RFC8037["A.1_private_key"]))
    jwks = {"keys": [public_jwk(public_key(RFC8037["A.2_public_key"]), valid_from=START)]}
    signature = signer.sign_canonical(canonical_json(RECORD))
    assert signature == signer.sign(RECORD)
    assert verify(RECORD, signature, signer.kid, jwks)


# RFC 8785


def _vector_names() -> list[str]:
    return sorted(path.stem for path in (RFC8785 / "input").glob("*.json"))


def _vector(name: str) -> tuple[Any, bytes]:
    document = json.loads((RFC8785 / "input" / f"{name}.json").read_bytes())
    return document, (RFC8785 / "output" / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", _vector_names())
def test_the_canonicaliser_matches_the_rfc8785_reference_outputs(name: str) -> None:
    """Sorting by UTF-16 units, escapes, no Unicode normalisation, ES6 numbers."""
    document, expected = _vector(name)
    assert rfc8785.dumps(document) == expected


@pytest.mark.parametrize("name", ["arrays", "french", "unicode", "weird"])
def test_signed_payloads_are_canonicalised_as_rfc8785_says(name: str) -> None:
    """certify's canonical form of the float-free vectors is the reference output."""
    document, expected = _vector(name)
    assert canonical_json({"vector": document}) == b'{"vector":' + expected + b"}"


@pytest.mark.parametrize(("name", "where"), [("values", "$.numbers[0]"), ("structures", r'$["1"]["\n"]')])
def test_a_payload_with_a_float_is_refused_saying_where(name: str, where: str) -> None:
    """Floats cannot be signed: the error names the path to the float."""
    document, _ = _vector(name)
    with pytest.raises(UnsignablePayload, match="float") as refused:
        canonical_json(document)
    assert refused.value.path == where


def _number_samples() -> list[tuple[str, str]]:
    lines = (RFC8785 / "numbers.csv").read_text().splitlines()
    return [(line.split(",")[0], line.split(",")[1]) for line in lines if line]


@pytest.mark.parametrize(("ieee", "expected"), _number_samples())
def test_numbers_serialise_as_rfc8785_appendix_b_says(ieee: str, expected: str) -> None:
    """ES6 number serialisation of the RFC's samples; NaN and Infinity are refused."""
    number = struct.unpack(">d", bytes.fromhex(ieee))[0]
    if not expected:
        assert not math.isfinite(number)
        with pytest.raises(rfc8785.FloatDomainError):
            rfc8785.dumps(number)
    else:
        assert rfc8785.dumps(number).decode() == expected


def test_integers_up_to_two_to_the_53_minus_one_are_signed_and_beyond_refused() -> None:
    """Every JSON reader holds 2**53 - 1 exactly; a larger integer must be a string."""
    assert canonical_json({"n": 2**53 - 1, "m": -(2**53) + 1}) == (b'{"m":-9007199254740991,"n":9007199254740991}')
    with pytest.raises(UnsignablePayload, match="2\\*\\*53"):
        canonical_json({"serials": [1, 2**53]})


def test_a_value_that_is_not_json_is_refused() -> None:
    """Dates and decimals must be converted to strings before signing."""
    with pytest.raises(UnsignablePayload, match="datetime") as refused:
        canonical_json({"decided": START})
    assert refused.value.path == "$.decided"


def test_signing_a_float_is_refused_before_anything_is_signed(ring: KeyRing) -> None:
    """The key ring refuses a score kept as a float."""
    with pytest.raises(UnsignablePayload, match=r"\$\.scores\.finish"):
        ring.sign({**RECORD, "scores": {"finish": 27.1}})


# Signing and verifying


def test_a_signed_record_verifies_with_the_published_keys(ring: KeyRing) -> None:
    """sign → verify with nothing but the JWKS, also after a JSON round trip."""
    signature, kid = ring.sign(RECORD)
    jwks = json.loads(json.dumps(ring.jwks()))
    assert verify(RECORD, signature, kid, jwks)
    shuffled = json.loads(json.dumps(RECORD, sort_keys=True, indent=3))
    assert verify(shuffled, signature, kid, jwks)


@pytest.mark.parametrize(
    "tampered",
    [
        {**RECORD, "grade": "silver"},
        {**RECORD, "serial": 42},
        {**RECORD, "scores": {"materials": 385, "finish": 271, "packaging": 95}},
        {**RECORD, "note": "added"},
        {key: value for key, value in RECORD.items() if key != "decided_on"},
        {**RECORD, "scores": {"materials": 384.0, "finish": 271, "packaging": 95}},
    ],
)
def test_a_tampered_record_does_not_verify(ring: KeyRing, tampered: dict[str, object]) -> None:
    """Any change, addition or removal in the record breaks the signature."""
    signature, kid = ring.sign(RECORD)
    assert not verify(tampered, signature, kid, ring.jwks())


def test_a_signature_from_another_key_does_not_verify(tmp_path: Path, ring: KeyRing) -> None:
    """Another issuer's signature fails, whether it names its own kid or ours."""
    other = KeyRing.open(tmp_path / "other")
    their_signature, their_kid = other.sign(RECORD)
    _, our_kid = ring.sign(RECORD)
    assert their_kid != our_kid
    assert not verify(RECORD, their_signature, our_kid, ring.jwks())
    assert not verify(RECORD, their_signature, their_kid, ring.jwks())
    assert verify(RECORD, their_signature, their_kid, other.jwks())


def test_a_key_swapped_under_our_kid_is_not_found(tmp_path: Path, ring: KeyRing) -> None:
    """A JWKS entry whose kid is not its key's thumbprint is ignored."""
    other = KeyRing.open(tmp_path / "other")
    their_signature, _ = other.sign(RECORD)
    _, our_kid = ring.sign(RECORD)
    forged = {"keys": [other.jwks()["keys"][0] | {"kid": our_kid}]}
    assert find_key(our_kid, forged) is None
    assert not verify(RECORD, their_signature, our_kid, forged)


@pytest.mark.parametrize("signature", ["", "not base64!", "AAAA", "A" * 86 + "==", "A" * 86, None, 7])
def test_a_malformed_signature_is_false_not_an_error(ring: KeyRing, signature: Any) -> None:
    """Garbage in a signature field answers False."""
    _, kid = ring.sign(RECORD)
    assert not verify(RECORD, signature, kid, ring.jwks())


@pytest.mark.parametrize("jwks", [{}, {"keys": "x"}, {"keys": [1, {"kid": "k"}]}])
def test_a_malformed_jwks_finds_no_key(jwks: dict[str, object]) -> None:
    """A JWKS from anywhere never makes verification raise."""
    assert find_key("k", jwks) is None
    assert not verify(RECORD, "AAAA", "k", jwks)
    assert not key_valid_at("k", START, jwks)


# The key ring


def test_key_files_are_created_0600_in_a_0700_directory(tmp_path: Path) -> None:
    """On first use the ring creates its directory and one key that only its owner reads."""
    directory = tmp_path / "data" / "keys"
    ring = KeyRing.open(directory)
    files = sorted(directory.glob("*.jwk.json"))
    assert len(files) == 1
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((directory / ".lock").stat().st_mode) == 0o600
    assert files[0].name == f"{ring.sign(RECORD)[1]}.jwk.json"
    assert "d" in json.loads(files[0].read_text())


def test_key_files_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    """A permissive umask does not loosen the key files."""
    previous = os.umask(0)
    try:
        ring = KeyRing.open(tmp_path / "keys")
        ring.rotate()
    finally:
        os.umask(previous)
    modes = {stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "keys").iterdir()}
    assert modes == {0o600}


def test_a_key_file_others_can_read_is_refused(tmp_path: Path, ring: KeyRing) -> None:
    """Like ssh, the ring will not use a private key readable by others."""
    key_file = next((tmp_path / "keys").glob("*.jwk.json"))
    key_file.chmod(0o644)
    with pytest.raises(KeyRingError, match="chmod 600"):
        ring.sign(RECORD)


def test_every_process_opening_the_directory_signs_with_the_same_key(
    tmp_path: Path,
) -> None:
    """Concurrent first starts create one key, not one each."""
    directory = tmp_path / "keys"
    rings: list[KeyRing] = []
    threads = [threading.Thread(target=lambda: rings.append(KeyRing.open(directory))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(list(directory.glob("*.jwk.json"))) == 1
    assert len({ring.sign(RECORD)[1] for ring in rings}) == 1


def test_rotation_keeps_old_signatures_verifiable(ring: KeyRing, clock: Clock) -> None:
    """After a rotation the new key signs, and records signed before still verify."""
    old_signature, old_kid = ring.sign(RECORD)
    clock.now = START + timedelta(days=200)
    new_kid = ring.rotate()
    new_signature, kid = ring.sign(RECORD)
    assert kid == new_kid != old_kid
    jwks = ring.jwks()
    assert [jwk["kid"] for jwk in jwks["keys"]] == [old_kid, new_kid]
    assert verify(RECORD, old_signature, old_kid, jwks)
    assert verify(RECORD, new_signature, new_kid, jwks)


def test_a_retired_key_is_valid_only_until_its_rotation(ring: KeyRing, clock: Clock) -> None:
    """Validity is [valid_from, valid_until): the rotation instant belongs to the new key."""
    _, old_kid = ring.sign(RECORD)
    rotated = START + timedelta(days=200)
    clock.now = rotated
    new_kid = ring.rotate()
    jwks = ring.jwks()
    second = timedelta(microseconds=1)
    assert not key_valid_at(old_kid, START - second, jwks)
    assert key_valid_at(old_kid, START, jwks)
    assert key_valid_at(old_kid, rotated - second, jwks)
    assert not key_valid_at(old_kid, rotated, jwks)
    assert not key_valid_at(new_kid, rotated - second, jwks)
    assert key_valid_at(new_kid, rotated, jwks)
    assert key_valid_at(new_kid, rotated + timedelta(days=3650), jwks)
    assert not key_valid_at("unknown", rotated, jwks)


def test_validity_compares_instants_not_local_times(ring: KeyRing) -> None:
    """07:00 in Jakarta (UTC+7) on 1 January is midnight UTC: the key's first instant."""
    _, kid = ring.sign(RECORD)
    jakarta = timezone(timedelta(hours=7))
    assert key_valid_at(kid, datetime(2026, 1, 1, 7, tzinfo=jakarta), ring.jwks())
    assert not key_valid_at(kid, datetime(2026, 1, 1, 6, 59, tzinfo=jakarta), ring.jwks())
    with pytest.raises(ValueError, match="time zone"):
        key_valid_at(kid, datetime(2026, 6, 1), ring.jwks())


def test_a_retired_key_loses_its_private_part(tmp_path: Path, ring: KeyRing, clock: Clock) -> None:
    """Once retired, a key's file keeps only what is published: it can never sign again."""
    _, old_kid = ring.sign(RECORD)
    clock.now = START + timedelta(days=1)
    ring.rotate()
    retired = json.loads((tmp_path / "keys" / f"{old_kid}.jwk.json").read_text())
    assert "d" not in retired
    assert retired["valid_until"] == "2026-01-02T00:00:00Z"
    assert all("d" not in jwk for jwk in ring.jwks()["keys"])


def test_a_rotation_by_another_process_is_seen_at_once(tmp_path: Path, clock: Clock) -> None:
    """A server's ring signs with the new key as soon as `certify keys rotate` has run."""
    server = KeyRing.open(tmp_path / "keys", clock=clock)
    command = KeyRing.open(tmp_path / "keys", clock=clock)
    clock.now = START + timedelta(hours=1)
    new_kid = command.rotate()
    assert server.sign(RECORD)[1] == new_kid
    assert server.jwks() == command.jwks()


def test_no_record_is_signed_by_a_key_retired_before_its_time_stamp(tmp_path: Path) -> None:
    """Servers signing while `keys rotate` runs: each record verifies, its key valid at its stamp."""
    directory = tmp_path / "keys"
    KeyRing.open(directory)
    signed: list[tuple[dict[str, object], str, str]] = []

    def serve() -> None:
        ring = KeyRing.open(directory)  # one ring per thread, like one per process
        for number in range(150):
            with ring.signing() as signer:
                record: dict[str, object] = {"n": number, "at": datetime.now(UTC).isoformat()}
                signed.append((record, signer.sign(record), signer.kid))

    def rotate() -> None:
        ring = KeyRing.open(directory)
        for _ in range(15):
            ring.rotate()

    threads = [threading.Thread(target=serve) for _ in range(3)] + [threading.Thread(target=rotate)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    jwks = KeyRing.open(directory).jwks()
    assert len(jwks["keys"]) == 16
    assert len(signed) == 450
    failures = [
        (record, kid)
        for record, signature, kid in signed
        if not verify(record, signature, kid, jwks)
        or not key_valid_at(kid, datetime.fromisoformat(str(record["at"])), jwks)
    ]
    assert failures == []


def test_retired_keys_stay_published_through_many_rotations(ring: KeyRing, clock: Clock) -> None:
    """Every key ever used stays in the JWKS, oldest first, and each era verifies."""
    signed = []
    for day in range(1, 6):
        signed.append(ring.sign(RECORD))
        clock.now = START + timedelta(days=day)
        ring.rotate()
    jwks = ring.jwks()
    assert len(jwks["keys"]) == 6
    assert sum("valid_until" not in jwk for jwk in jwks["keys"]) == 1
    assert all(verify(RECORD, signature, kid, jwks) for signature, kid in signed)


def test_a_rotation_with_a_clock_behind_the_active_key_is_refused(ring: KeyRing, clock: Clock) -> None:
    """A key must have a non-empty validity; a clock gone back refuses to rotate."""
    clock.now = START - timedelta(seconds=1)
    with pytest.raises(KeyRingError, match="clock"):
        ring.rotate()


def test_an_interrupted_rotation_starts_a_new_key_on_next_use(tmp_path: Path, ring: KeyRing, clock: Clock) -> None:
    """A rotation that died after retiring the old key: the next signature makes a new key."""
    _, old_kid = ring.sign(RECORD)
    directory = tmp_path / "keys"
    with locked(directory, EXCLUSIVE) as lock:  # what rotate() does, up to the crash
        next_generation(lock)
        stored = json.loads((directory / f"{old_kid}.jwk.json").read_text())
        del stored["d"]
        write_key(directory, stored | {"valid_until": "2026-01-05T00:00:00Z"})
    clock.now = START + timedelta(days=5)
    _, kid = ring.sign(RECORD)
    assert kid != old_kid
    jwks = ring.jwks()
    assert [jwk["kid"] for jwk in jwks["keys"]] == [old_kid, kid]
    assert key_valid_at(kid, clock.now, jwks)


def test_a_running_server_reads_the_key_files_only_after_a_change(tmp_path: Path, ring: KeyRing) -> None:
    """Signing reuses the keys read until the generation in the lock file changes."""
    _, kid = ring.sign(RECORD)
    (tmp_path / "keys" / f"{kid}.jwk.json").write_text("not JSON")
    assert ring.sign(RECORD)[1] == kid  # no change announced: the cached key signs
    with pytest.raises(KeyRingError, match="not JSON"):
        KeyRing.open(tmp_path / "keys")  # a new process reads the files


def test_keys_exported_as_a_secret_sign_as_the_directory_does(tmp_path: Path, ring: KeyRing, clock: Clock) -> None:
    """Another machine given CERTIFY_SIGNING_KEYS signs with the same key, publishes the same JWKS."""
    _, old_kid = ring.sign(RECORD)
    clock.now = START + timedelta(days=30)
    ring.rotate()
    secret = ring.export_secret()
    elsewhere = load_key_ring(key_dir=tmp_path / "unused", secret=secret)
    assert not (tmp_path / "unused").exists()
    signature, kid = elsewhere.sign(RECORD)
    assert kid == ring.sign(RECORD)[1]
    assert elsewhere.jwks() == ring.jwks()
    assert verify(RECORD, signature, kid, ring.jwks())
    assert old_kid in {jwk["kid"] for jwk in elsewhere.jwks()["keys"]}
    with pytest.raises(KeyRingError, match="read-only"):
        elsewhere.rotate()


def test_the_exported_secret_holds_only_the_active_private_key(ring: KeyRing, clock: Clock) -> None:
    """Retired keys travel as public keys only."""
    clock.now = START + timedelta(days=1)
    ring.rotate()
    document = json.loads(from_b64url(ring.export_secret()))
    assert [("d" in jwk) for jwk in document["keys"]] == [True, False]


@pytest.mark.parametrize("secret", ["", "not a secret", "e30", "eyJrZXlzIjpbXX0"])
def test_a_secret_that_is_not_an_exported_ring_is_refused(secret: str) -> None:
    """A wrong CERTIFY_SIGNING_KEYS stops the start with a clear error."""
    with pytest.raises(KeyRingError, match="the key secret"):
        KeyRing.from_secret(secret)


def test_without_a_secret_the_keys_come_from_the_directory(tmp_path: Path) -> None:
    """load_key_ring falls back to the key directory, creating it on first use."""
    ring = load_key_ring(key_dir=tmp_path / "keys", secret=None)
    assert (tmp_path / "keys").is_dir()
    assert verify(RECORD, *ring.sign(RECORD), ring.jwks())
