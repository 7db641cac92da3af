"""Issued certificates: typable IDs, signed records, the public answer, the PDF and its keys."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from certify.core.certificate_id import ALPHABET, new_certificate_id, parse
from certify.documents import extract_attachment, render_certificate_pdf, sign_pdf
from certify.documents.signature import signing_time
from certify.proofs import attachment_parts
from certify.rulebook import Rulebook
from certify.services.certificates import Issuance, certificate_view
from certify.services.titles import category_title
from certify.signing import canonical_json, thumbprint, verify
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_decisions import decide, submit

USER_NAMES = ("Admin", "Ayu Lestari", "Made Wirawan", "Hendra Gunawan", "Siti Rahmawati", "Slamet Riyadi")


def issue(client: TestClient, world: World, rulebook: Rulebook, product: str = "jepara_furniture") -> dict[str, Any]:
    """Submit a certified inspection of `product` and issue it: the decision's answer."""
    answer = decide(client, world, submit(client, world, rulebook, product=product))
    assert answer.status_code == 201, answer.json()
    certificate: dict[str, Any] = answer.json()
    return certificate


def public(client: TestClient, certificate_id: str) -> Any:
    return client.get(f"/api/v1/certificates/{certificate_id}")


def test_issuing_answers_a_certificate_id_with_a_matching_check_character(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The decision's answer carries IDC-YEAR-XXXX-XXXX-C, which parses with its check."""
    certificate = issue(client, world, rulebook)
    found = parse(certificate["certificate_id"])
    assert str(found) == certificate["certificate_id"]
    assert found.prefix == "IDC" and found.year == str(datetime.now(UTC).year)


def test_anyone_sees_the_certificate_by_id_with_every_check_valid(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """No account: status, holder and region, product, standard, grade, decimal scores, checks."""
    certificate = issue(client, world, rulebook)
    answer = public(client, certificate["certificate_id"])
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "valid"
    assert body["holder"] == {"name": "Mebel Ukir Jepara Jaya", "region": "Jawa Tengah"}
    assert body["product"]["name"] == "furniture of Mebel Ukir Jepara Jaya"
    assert body["standard"]["id"] == "wood" and body["standard"]["version"] == certificate["standard"]["version"]
    assert body["grade"]["id"] == "utama" and body["total"] == certificate["total"]
    assert set(body["scores"]) == {"materials", "finish", "packaging"}
    assert all(isinstance(score, str) and "." in score for score in body["scores"].values())
    assert body["checks"]["signature"] == "valid"
    assert body["checks"]["key_valid_at_issuance"] == "valid"
    assert body["checks"]["status"] == "valid"
    assert body["history"][0]["status"] == "valid"


def test_the_public_answer_names_no_user_and_no_contact(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """Nobody's name (inspector, certifier, artisan) nor the holder's contact is published."""
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE holders SET owner = 'Bapak Owner Pribadi', contact = '+62 811 000 111'"))
    certificate = issue(client, world, rulebook)
    published = public(client, certificate["certificate_id"]).text
    for private in (*USER_NAMES[1:], "Bapak Owner Pribadi", "+62 811 000 111"):
        assert private not in published


def test_a_typed_id_is_normalised_before_lookup(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """Lower case, spaces instead of hyphens, O for 0 and I/L for 1 find the same certificate."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    typed = certificate_id.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    answer = public(client, typed)
    assert answer.status_code == 200
    assert answer.json()["certificate_id"] == certificate_id


def test_a_mistyped_id_says_the_check_character_does_not_match(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """One character changed: 404 saying it is probably a typo, unlike a never-issued ID."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    position = 10  # inside the random part
    wrong = ALPHABET[(ALPHABET.index(certificate_id[position]) + 1) % 32]
    typo = certificate_id[:position] + wrong + certificate_id[position + 1 :]
    mistyped = public(client, typo)
    assert mistyped.status_code == 404
    assert "check character does not match" in mistyped.json()["detail"]
    never = public(client, str(new_certificate_id(2026)))
    assert never.status_code == 404
    assert "no certificate with this ID" in never.json()["detail"]
    assert "check character" not in never.json()["detail"]
    assert public(client, "not-an-id").status_code == 404


def test_the_signed_record_verifies_against_the_published_jwks(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The record (no floats) holds what the certificate states; its key is a published thumbprint."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    body = public(client, certificate_id).json()
    jwks = client.get("/.well-known/jwks.json").json()
    record = body["record"]
    assert verify(record, body["signature"], body["key_id"], jwks)
    assert {
        "certificate_id",
        "serial",
        "holder",
        "product",
        "standard",
        "grade",
        "scores",
        "decided_at",
        "valid_from",
        "valid_until",
        "issuer",
        "key_id",
    } <= set(record)
    assert record["standard"]["content_hash"] == body["standard"]["content_hash"]
    canonical_json(record)  # raises on a float
    okp = [k for k in jwks["keys"] if k["kty"] == "OKP"]
    assert [k["kid"] for k in okp] == [body["key_id"]]
    assert okp[0]["kid"] == thumbprint(okp[0]) and "valid_from" in okp[0] and "d" not in okp[0]


def test_a_tampered_record_fails_the_signature_check(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """A grade edited in the stored record: the signature check says invalid."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    with database.engine.begin() as connection:
        stored = connection.execute(text("SELECT record FROM certificates")).scalar_one()
        record = stored if isinstance(stored, dict) else json.loads(stored)
        record["grade"]["id"] = "prima"
        connection.execute(text("UPDATE certificates SET record = :r"), {"r": json.dumps(record)})
    body = public(client, certificate_id).json()
    assert body["checks"]["signature"] == "invalid"
    assert body["checks"]["key_valid_at_issuance"] != "valid"


def test_the_pdf_is_served_to_the_holder_certifiers_and_admins_only(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """200 for the holder's artisan, certifiers and admins; 404 for everybody else, tokenless too."""
    certificate = issue(client, world, rulebook)
    url = f"/api/v1/certificates/{certificate['certificate_id']}/pdf"
    published = public(client, certificate["certificate_id"]).json()
    for who in ("artisan", "certifier", "certifier2", "admin"):
        answer = client.get(url, headers=world[who].headers)
        assert answer.status_code == 200, who
        assert answer.headers["content-type"] == "application/pdf"
        assert hashlib.sha256(answer.content).hexdigest() == published["pdf_sha256"]
    for headers in (world["artisan2"].headers, world["inspector"].headers, {"Authorization": "Bearer nonsense"}, {}):
        assert client.get(url, headers=headers).status_code == 404


def test_the_stored_pdf_renders_again_to_the_same_bytes(client: TestClient, world: World, rulebook: Rulebook) -> None:
    """From its record (and the standard's title of its category) and the true signing time its signature states (within a minute of the
    decision), rendering and signing again gives the issued PDF, byte for byte."""
    certificate = issue(client, world, rulebook)
    pdf = client.get(
        f"/api/v1/certificates/{certificate['certificate_id']}/pdf", headers=world["admin"].headers
    ).content
    attachment = extract_attachment(pdf)
    assert attachment is not None
    parts = attachment_parts(attachment)
    assert parts is not None
    record, signature, _proof = parts
    issuance: Issuance = client.app.state.certify.issuance  # type: ignore[attr-defined]
    standard = rulebook.get(f"{record['standard']['id']}@{record['standard']['version']}")
    category = category_title(standard, record["product"]["category"])  # as its standard titles it
    again = render_certificate_pdf(
        certificate=certificate_view(record, signature, category=category),
        attachment=attachment,
        verify_url=issuance.verify_url(record["certificate_id"]),
    )
    at = signing_time(pdf)
    decided = datetime.fromisoformat(record["decided_at"])
    assert at is not None and timedelta(0) <= at - decided.replace(microsecond=0) < timedelta(minutes=1)
    assert sign_pdf(again, key_dir=issuance.keys.key_dir, at=at) == pdf


def test_a_failed_rendering_leaves_nothing_issued(
    client: TestClient, world: World, rulebook: Rulebook, database: Database
) -> None:
    """The renderer fails: an error, no decision, no certificate, no serial used, no log leaf."""
    inspection_id = submit(client, world, rulebook)
    state = client.app.state.certify  # type: ignore[attr-defined]
    working: Issuance = state.issuance

    def broken(**_kwargs: object) -> bytes:
        raise RuntimeError("the renderer crashed")

    state.issuance = Issuance(
        keys=working.keys, issuer_name=working.issuer_name, public_url=working.public_url, render=broken
    )
    failed = decide(client, world, inspection_id)
    assert failed.status_code == 503
    assert "nothing was issued" in failed.json()["detail"]
    with database.engine.connect() as connection:
        for table in ("decisions", "certificates", "serial_counters", "log_leaves"):
            assert connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == 0, table
    state.issuance = working
    retried = decide(client, world, inspection_id)
    assert retried.status_code == 201
    assert retried.json()["serial"].endswith("-000001")


def test_keys_are_made_on_first_start_and_published(client: TestClient, tmp_path: Path) -> None:
    """Key files 0600 in the data dir; the JWKS holds the Ed25519 key alone; the CA and its CRL
    are served apart."""
    key_files = list((tmp_path / "keys").glob("*.jwk.json"))
    assert len(key_files) == 1
    assert stat.S_IMODE(key_files[0].stat().st_mode) == 0o600
    jwks = client.get("/.well-known/jwks.json").json()
    assert [k["kty"] for k in jwks["keys"]] == ["OKP"]
    ca = client.get("/.well-known/certify-ca.pem")
    assert ca.status_code == 200 and ca.content.startswith(b"-----BEGIN CERTIFICATE-----")
    crl = client.get("/.well-known/certify-ca.crl")
    assert crl.status_code == 200 and crl.headers["content-type"] == "application/pkix-crl"


def test_certificates_signed_before_a_key_rotation_still_verify(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """After a rotation the old certificate's checks stay valid; the new one uses the new key."""
    before = issue(client, world, rulebook)["certificate_id"]
    issuance: Issuance = client.app.state.certify.issuance  # type: ignore[attr-defined]
    new_kid = issuance.keys.ring.rotate()
    after = issue(client, world, rulebook, product="bali_furniture")["certificate_id"]
    old, new = public(client, before).json(), public(client, after).json()
    assert old["key_id"] != new_kid and new["key_id"] == new_kid
    for body in (old, new):
        assert body["checks"]["signature"] == "valid"
        assert body["checks"]["key_valid_at_issuance"] == "valid"
    okp = {k["kid"]: k for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kty"] == "OKP"}
    assert set(okp) == {old["key_id"], new_kid}
    assert "valid_until" in okp[old["key_id"]] and "valid_until" not in okp[new_kid]


def test_a_well_formed_unknown_id_is_a_problem_document(client: TestClient) -> None:
    """An ID with a right check character that was never issued: 404 problem+json saying so."""
    answer = client.get(f"/api/v1/certificates/{new_certificate_id(2026)}")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "no certificate with this ID" in answer.json()["detail"]
