"""POST /api/v1/verify: only the issued PDF, unaltered, is authentic; every other file says why."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from certify.app import create_app
from certify.config import Settings
from certify.documents import extract_attachment, render_certificate_pdf, sign_pdf
from certify.proofs import attachment_parts
from certify.rulebook import Rulebook
from certify.services import verification
from certify.services.certificates import certificate_view
from certify.signing import KeyRing, canonical_json
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_certificates import issue
from tests.api.test_lifecycle import act


def issued_pdf(client: TestClient, world: World, rulebook: Rulebook) -> tuple[str, bytes]:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    pdf = client.get(f"/api/v1/certificates/{certificate_id}/pdf", headers=world["admin"].headers).content
    return certificate_id, pdf


def upload(client: TestClient, content: bytes, name: str = "certificate.pdf") -> dict[str, object]:
    answer = client.post("/api/v1/verify", files={"file": (name, content, "application/pdf")})
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_the_issued_pdf_is_authentic_with_its_current_status(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The issued bytes: authentic, naming the certificate; a suspension shows in the answer."""
    certificate_id, pdf = issued_pdf(client, world, rulebook)
    body = upload(client, pdf)
    assert body["authentic"] is True and body["code"] == "authentic"
    assert body["certificate"]["certificate_id"] == certificate_id  # type: ignore[index]
    assert body["certificate"]["status"] == "valid"  # type: ignore[index]
    act(client, world, certificate_id, "suspend")
    suspended = upload(client, pdf)
    assert suspended["authentic"] is True
    assert suspended["certificate"]["status"] == "suspended"  # type: ignore[index]


def test_an_uploaded_pdf_has_its_log_inclusion_checked_whatever_was_asked_before(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The first thing a process is asked is an upload (no lookup by ID has cached anything):
    the certificate it names is still checked against a freshly signed tree head."""
    _, pdf = issued_pdf(client, world, rulebook)
    verification._log_checks.clear()
    body = upload(client, pdf)
    assert body["certificate"]["checks"]["log_inclusion"] == "valid"  # type: ignore[index]


def test_a_pdf_with_one_byte_changed_is_not_authentic(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """One byte of the signed content changed: not authentic, "altered", the real one named."""
    certificate_id, pdf = issued_pdf(client, world, rulebook)
    position = pdf.index(b"\n") + 2  # inside the binary comment, covered by the signature
    changed = pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]
    body = upload(client, changed)
    assert body["authentic"] is False and body["code"] == "altered"
    assert body["certificate"]["certificate_id"] == certificate_id  # type: ignore[index]


def test_a_pdf_with_an_update_appended_after_signing_is_not_authentic(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """An incremental update after the signature: not authentic, "appended"."""
    _, pdf = issued_pdf(client, world, rulebook)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    body = upload(client, out.getvalue())
    assert body["authentic"] is False and body["code"] == "appended"


def test_bytes_added_after_the_end_are_not_authentic(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """A re-saved file (bytes added after %%EOF): its hash is not the issued one."""
    _, pdf = issued_pdf(client, world, rulebook)
    body = upload(client, pdf + b"\n% re-saved\n")
    assert body["authentic"] is False


def test_a_record_signed_by_another_key_is_not_authentic(
    client: TestClient, world: World, rulebook: Rulebook, tmp_path: Path
) -> None:
    """A forged certificate (record re-signed by another Ed25519 key, PDF by another CA): refused."""
    _, pdf = issued_pdf(client, world, rulebook)
    attachment = extract_attachment(pdf)
    assert attachment is not None
    parts = attachment_parts(attachment)
    assert parts is not None
    record, _signature, _proof = parts
    forged_ring = KeyRing.open(tmp_path / "forger-keys")
    record = {**record, "grade": {"id": "prima", "title": {"en": "Prime", "id": "Prima"}}}
    forged_signature, _kid = forged_ring.sign(record)
    forged_attachment = canonical_json({"record": record, "signature": forged_signature})
    forged = sign_pdf(
        render_certificate_pdf(
            certificate=certificate_view(record, forged_signature),
            attachment=forged_attachment,
            verify_url="https://x.example/v",
        ),
        key_dir=tmp_path / "forger-keys",
    )
    body = upload(client, forged)
    assert body["authentic"] is False and body["code"] == "record_signature_invalid"


def test_the_genuine_record_in_a_pdf_signed_by_another_ca_is_not_authentic(
    client: TestClient, world: World, rulebook: Rulebook, tmp_path: Path
) -> None:
    """Our signed record re-wrapped in a PDF signed under someone else's CA: "other_issuer"."""
    _, pdf = issued_pdf(client, world, rulebook)
    attachment = extract_attachment(pdf)
    assert attachment is not None
    record, signature, _ = attachment_parts(attachment) or ({}, "", None)
    rewrapped = sign_pdf(
        render_certificate_pdf(
            certificate=certificate_view(record, signature), attachment=attachment, verify_url="https://x.example/v"
        ),
        key_dir=tmp_path / "other-ca",
    )
    body = upload(client, rewrapped)
    assert body["authentic"] is False and body["code"] == "other_issuer"


def test_a_file_that_is_not_a_pdf_is_answered_not_authentic(client: TestClient) -> None:
    """A text file: 200, not authentic, "not_a_pdf"."""
    body = upload(client, b"hello, I am not a PDF", name="note.txt")
    assert body["authentic"] is False and body["code"] == "not_a_pdf"
    assert body["reason"]["en"] and body["reason"]["id"]  # type: ignore[index]


@pytest.mark.parametrize("size", [8 * 1024, 300 * 1024])
def test_a_file_too_large_is_answered_not_authentic(
    database: Database, rulebook: Rulebook, tmp_path: Path, size: int
) -> None:
    """Above CERTIFY_VERIFY_MAX_BYTES (read, or refused unread): 200, "too_large", never a 413."""
    settings = Settings(data_dir=tmp_path, verify_max_bytes=4096)
    with TestClient(create_app(settings, database=database, rulebook=rulebook)) as client:
        answer = client.post("/api/v1/verify", files={"file": ("big.pdf", b"%PDF-" + b"x" * size)})
    assert answer.status_code == 200
    assert answer.json()["authentic"] is False and answer.json()["code"] == "too_large"


def test_other_routes_keep_their_body_limit(client: TestClient, world: World) -> None:
    """The generous limit is the verify route's only: a large body elsewhere is still a 413."""
    answer = client.post(
        "/api/v1/holders",
        content=json.dumps({"name": "x" * 100_000}),
        headers={**world["admin"].headers, "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
