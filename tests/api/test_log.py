"""The public log API: signed tree heads, proofs that verify with the RFC 9162 checks, the leaves,
and 422 problems naming the parameter when a size, index or range is not the log's."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import select

from certify.config import Settings
from certify.core.certificate_id import new_certificate_id
from certify.ledger import EMPTY_ROOT, leaf_hash, root, verify_consistency, verify_inclusion
from certify.proofs import SignedTreeHead, embedded_inclusion, tree_head_holds
from certify.rulebook import Rulebook
from certify.services.certificates import Issuance, change_status
from certify.services.decisions import decide
from certify.services.inspections import submit_inspection
from certify.services.log import append_event
from certify.services.models import CertificatePublic, DecisionCreate, InspectionCreate
from certify.services.verification import verify_certificate
from certify.signing import load_key_ring
from certify.store.database import Database
from certify.store.tables import Certificate
from tests.api.conftest import CERTIFIED_FURNITURE, World, build_world, inspection_body

LOG = "/api/v1/log"
AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _b(text: str) -> bytes:
    return base64.b64decode(text)


def _jwks(tmp_path: Path) -> dict[str, Any]:
    """The JWKS of the app's key ring (the app under test keeps its keys in tmp_path/keys)."""
    return dict(load_key_ring(key_dir=tmp_path / "keys").jwks())


def _issue(database: Database, certificate_id: str, *later: str) -> None:
    """Logs an issuance (issued + pdf) and then each status change in `later`, one transaction each."""
    record = hashlib.sha256(certificate_id.encode()).hexdigest()
    with database.write() as session:
        append_event(
            session,
            certificate_id=certificate_id,
            event="issued",
            at=AT,
            record_sha256=record,
            pdf_sha256=None,
            status="valid",
        )
        append_event(
            session,
            certificate_id=certificate_id,
            event="pdf",
            at=AT,
            record_sha256=record,
            pdf_sha256="0f" * 32,
            status="valid",
        )
    for change in later:
        status = {"reinstated": "valid"}.get(change, change)
        with database.write() as session:
            append_event(
                session,
                certificate_id=certificate_id,
                event=change,
                at=AT,
                record_sha256=record,
                pdf_sha256="0f" * 32,
                status=status,
            )


@pytest.fixture
def certificates(database: Database) -> list[str]:
    """Three certificates: one plain, one suspended and reinstated, one withdrawn (9 leaves)."""
    ids = [str(new_certificate_id(2026)) for _ in range(3)]
    _issue(database, ids[0])
    _issue(database, ids[1], "suspended", "reinstated")
    _issue(database, ids[2], "withdrawn")
    return ids


def _head(client: TestClient) -> SignedTreeHead:
    response = client.get(f"{LOG}/tree-head")
    assert response.status_code == 200
    return SignedTreeHead.model_validate(response.json())


def test_the_empty_log_has_a_signed_head_over_the_empty_root(client: TestClient, tmp_path: Path) -> None:
    """Size 0, root SHA-256(""), signed by a key the JWKS publishes."""
    head = _head(client)
    assert head.size == 0 and _b(head.root_hash) == EMPTY_ROOT
    assert tree_head_holds(head, _jwks(tmp_path))


def test_a_tree_head_is_signed_over_its_canonical_json_and_a_forgery_fails(
    client: TestClient, certificates: list[str], tmp_path: Path
) -> None:
    """The head of 9 leaves verifies; changing its size or root breaks the signature."""
    head = _head(client)
    assert head.size == 9
    jwks = _jwks(tmp_path)
    assert tree_head_holds(head, jwks)
    assert not tree_head_holds(head.model_copy(update={"size": 8}), jwks)
    forged_root = base64.b64encode(b"\x00" * 32).decode()
    assert not tree_head_holds(head.model_copy(update={"root_hash": forged_root}), jwks)


def test_each_event_of_a_certificate_is_proven_in_the_signed_tree(
    client: TestClient, certificates: list[str], tmp_path: Path
) -> None:
    """Four events of the suspended-then-reinstated certificate, each proof verifies (RFC 9162)."""
    response = client.get(f"{LOG}/proof/inclusion", params={"certificate_id": certificates[1]})
    assert response.status_code == 200
    body = response.json()
    head = SignedTreeHead.model_validate(body["tree_head"])
    assert body["tree_size"] == head.size == 9 and tree_head_holds(head, _jwks(tmp_path))
    assert [p["leaf_index"] for p in body["proofs"]] == [2, 3, 4, 5]
    assert [p["event"]["event"] for p in body["proofs"]] == ["issued", "pdf", "suspended", "reinstated"]
    for proof in body["proofs"]:
        verify_inclusion(
            proof["leaf_index"], 9, _b(proof["leaf_hash"]), [_b(p) for p in proof["proof"]], _b(head.root_hash)
        )


def test_inclusion_at_a_signed_size_and_by_leaf_index(client: TestClient, certificates: list[str]) -> None:
    """tree_size names a signed head (never one signed for the asking); leaf_index proves one leaf."""
    head = client.get(f"{LOG}/tree-head").json()
    body = client.get(
        f"{LOG}/proof/inclusion", params={"certificate_id": certificates[1], "tree_size": head["size"]}
    ).json()
    assert [p["leaf_index"] for p in body["proofs"]] == [2, 3, 4, 5] and body["tree_head"] == head
    one = client.get(f"{LOG}/proof/inclusion", params={"leaf_index": 6, "tree_size": head["size"]}).json()
    (proof,) = one["proofs"]
    size = head["size"]
    verify_inclusion(6, size, _b(proof["leaf_hash"]), [_b(p) for p in proof["proof"]], _b(head["root_hash"]))
    never = client.get(f"{LOG}/proof/inclusion", params={"leaf_index": 6, "tree_size": 7})
    assert never.status_code == 422 and "no tree head of 7 leaves was signed" in never.text


def test_a_typed_certificate_id_is_normalised_before_it_is_looked_up(
    client: TestClient, certificates: list[str]
) -> None:
    """Lower case and spaces instead of hyphens find the same events."""
    typed = certificates[0].lower().replace("-", " ")
    response = client.get(f"{LOG}/proof/inclusion", params={"certificate_id": typed})
    assert [p["leaf_index"] for p in response.json()["proofs"]] == [0, 1]


def test_consistency_proofs_between_every_pair_of_sizes_verify(client: TestClient, certificates: list[str]) -> None:
    """For 1 <= m <= n <= 9 the proof links the root of m leaves to that of n."""
    leaves = [_b(leaf["data"]) for leaf in client.get(f"{LOG}/leaves", params={"start": 0}).json()["leaves"]]
    roots = {n: root([leaf_hash(d) for d in leaves[:n]]) for n in range(1, 10)}
    for second in range(1, 10):
        for first in range(1, second + 1):
            body = client.get(f"{LOG}/proof/consistency", params={"first": first, "second": second}).json()
            assert (body["first"], body["second"]) == (first, second)
            verify_consistency(first, second, [_b(p) for p in body["proof"]], roots[first], roots[second])
    latest = client.get(f"{LOG}/proof/consistency", params={"first": 3}).json()
    assert latest["second"] == 9


def test_the_leaves_rebuild_the_signed_root(client: TestClient, certificates: list[str]) -> None:
    """All leaves, then a window: their hashes give the root of the head; the data is the event."""
    head = _head(client)
    body = client.get(f"{LOG}/leaves", params={"start": 0}).json()
    assert body["tree_size"] == 9 and [leaf["index"] for leaf in body["leaves"]] == list(range(9))
    assert root([leaf_hash(_b(leaf["data"])) for leaf in body["leaves"]]) == _b(head.root_hash)
    window = client.get(f"{LOG}/leaves", params={"start": 7, "end": 9}).json()["leaves"]
    assert [leaf["index"] for leaf in window] == [7, 8]
    assert b'"event":"withdrawn"' in _b(window[1]["data"])


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("proof/inclusion", {"leaf_index": 9}, "leaf_index"),
        ("proof/inclusion", {"leaf_index": 2, "tree_size": 10}, "tree_size"),
        ("proof/inclusion", {"leaf_index": 2, "tree_size": 0}, "tree_size"),
        ("proof/inclusion", {"certificate_id": "IDC-2026-NOPE"}, "certificate_id"),
        ("proof/inclusion", {}, "certificate_id"),
        ("proof/consistency", {"first": 5, "second": 4}, "first"),
        ("proof/consistency", {"first": 1, "second": 12}, "second"),
        ("proof/consistency", {"first": 0}, "first"),
        ("leaves", {"start": 9}, "start"),
        ("leaves", {"start": 3, "end": 3}, "end"),
        ("leaves", {"start": 3, "end": 10}, "end"),
        ("leaves", {"start": "x"}, "start"),
    ],
)
def test_a_size_index_or_range_the_log_does_not_have_is_a_422_naming_the_parameter(
    client: TestClient, certificates: list[str], path: str, params: dict[str, Any], parameter: str
) -> None:
    """Never a 500, never a silent clamp: the problem names the query parameter at fault."""
    response = client.get(f"{LOG}/{path}", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert parameter in [item.get("parameter") for item in response.json()["errors"]]


def test_a_certificate_the_log_never_saw_is_404(client: TestClient, certificates: list[str]) -> None:
    """A well-formed ID with no event: not found (the same as before its issuance)."""
    unknown = str(new_certificate_id(2026))
    response = client.get(f"{LOG}/proof/inclusion", params={"certificate_id": unknown})
    assert response.status_code == 404
    early = client.get(f"{LOG}/proof/inclusion", params={"certificate_id": certificates[2], "tree_size": 6})
    assert early.status_code == 422 and early.json()["errors"][0]["parameter"] == "tree_size"


# --- the log in verification: the API's checks, and the proof a PDF carries ----------------------


FAKE_PDF = b"%PDF-1.7 rendered elsewhere, carrying: "


def _fake_pdf(*, attachment: bytes, **_: Any) -> bytes:
    return FAKE_PDF + attachment


@pytest.fixture
def issued(database: Database, tmp_path: Path, rulebook: Rulebook) -> tuple[str, Issuance, World]:
    """A certificate issued through the service (PDF rendering faked), keys in the app's folder."""
    world = build_world(database)
    for _ in range(3):  # other certificates' events first: a proof with some length
        _issue(database, str(new_certificate_id(2026)))
    issuance = Issuance.from_settings(Settings(data_dir=tmp_path), render=_fake_pdf)
    body = InspectionCreate.model_validate(
        inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    )
    submitted = submit_inspection(database=database, standards=rulebook, inspector=world["inspector"].user, body=body)
    certificate = decide(
        database=database,
        standards=rulebook,
        certifier=world["certifier"].user,
        inspection_id=submitted.inspection["id"],
        decision=DecisionCreate(decision="issue"),
        issuance=issuance,
    )
    assert isinstance(certificate, CertificatePublic) and certificate.certificate_id is not None
    return certificate.certificate_id, issuance, world


def _log_check(client: TestClient, certificate_id: str) -> str:
    answer = client.get(f"/api/v1/certificates/{certificate_id}")
    assert answer.status_code == 200
    check: str = answer.json()["checks"]["log_inclusion"]
    return check


def test_verification_finds_the_certificate_in_the_signed_log(
    client: TestClient, issued: tuple[str, Issuance, World], database: Database
) -> None:
    """Issued (issued + pdf leaves), then suspended (a third): log_inclusion stays valid."""
    certificate_id, _issuance, world = issued
    assert _log_check(client, certificate_id) == "valid"
    change_status(
        database=database,
        actor=world["certifier"].user,
        certificate_id=certificate_id,
        action="suspend",
        reason="a complaint is being investigated",
    )
    assert _log_check(client, certificate_id) == "valid"
    events = client.get(f"{LOG}/proof/inclusion", params={"certificate_id": certificate_id}).json()["proofs"]
    assert [p["event"]["event"] for p in events] == ["issued", "pdf", "suspended"]


def test_verification_says_invalid_when_the_database_disagrees_with_the_log(
    client: TestClient, issued: tuple[str, Issuance, World], database: Database
) -> None:
    """A status set by SQL, unlogged: the check fails; so does a PDF hash swapped by SQL."""
    certificate_id, _issuance, _world = issued
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE certificates SET status = 'withdrawn' WHERE certificate_id = :id"), {"id": certificate_id}
        )
    assert _log_check(client, certificate_id) == "invalid"
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE certificates SET status = 'valid', pdf_sha256 = :h WHERE certificate_id = :id"),
            {"id": certificate_id, "h": "00" * 32},
        )
    assert _log_check(client, certificate_id) == "invalid"


def test_verification_with_only_a_jwks_is_unknown_until_a_head_was_signed(
    issued: tuple[str, Issuance, World], database: Database
) -> None:
    """Without the key ring no head can be signed: "unknown", never a silent "valid"."""
    certificate_id, issuance, _world = issued
    with database.write() as session:  # a tree no head was signed for yet
        append_event(
            session,
            certificate_id=str(new_certificate_id(2026)),
            event="issued",
            at=AT,
            record_sha256="11" * 32,
            pdf_sha256=None,
            status="valid",
        )
    jwks = issuance.keys.ring.jwks()
    now = datetime.now(UTC)
    assert (
        verify_certificate(db=database, certificate_id=certificate_id, keys=jwks, now=now).checks.log_inclusion
        == "unknown"
    )
    assert (
        verify_certificate(db=database, certificate_id=certificate_id, keys=issuance.keys, now=now).checks.log_inclusion
        == "valid"
    )


def test_the_pdf_carries_a_proof_of_its_issuance_that_checks_offline(
    issued: tuple[str, Issuance, World], database: Database
) -> None:
    """The embedded leaf, proof and signed head verify with the JWKS alone; another record fails."""
    certificate_id, issuance, _world = issued
    with database.read() as session:
        row = session.exec(select(Certificate).where(Certificate.certificate_id == certificate_id)).one()
    assert row.pdf is not None and row.record is not None and row.pdf.startswith(FAKE_PDF)
    proof = json.loads(row.pdf[len(FAKE_PDF) :])["log"]
    jwks = issuance.keys.ring.jwks()
    assert proof["leaf_index"] == 6 and proof["tree_head"]["size"] == 7 and len(proof["proof"]) == 2
    assert proof["leaf"]["event"] == "issued" and proof["leaf"]["certificate_id"] == certificate_id
    assert embedded_inclusion(proof, certificate_id=certificate_id, record=row.record, jwks=jwks) == "valid"
    other = {**row.record, "grade": {"id": "forged", "title": {"en": "x", "id": "x"}}}
    assert embedded_inclusion(proof, certificate_id=certificate_id, record=other, jwks=jwks) == "invalid"
    forged = {**proof, "proof": list(reversed(proof["proof"]))}
    assert embedded_inclusion(forged, certificate_id=certificate_id, record=row.record, jwks=jwks) == "invalid"
    assert embedded_inclusion(None, certificate_id=certificate_id, record=row.record, jwks=jwks) == "unknown"
