"""Certificates as W3C Verifiable Credentials, checked by an independent implementation (Digital
Bazaar's VC libraries from the npm registry): the proof, the did:web key, the status lists."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from certify.credentials.did import did_web
from certify.rulebook import Rulebook
from tests.api.conftest import World
from tests.api.test_certificates import issue
from tests.api.test_lifecycle import act
from tests.independent import run


def credential(client: TestClient, certificate_id: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/certificates/{certificate_id}/credential")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/vc"
    document: dict[str, Any] = answer.json()
    return document


def published(client: TestClient) -> dict[str, Any]:
    """What a verifier fetches from the service: the DID document and both status lists."""
    did_document = client.get("/.well-known/did.json").json()
    documents = {did_document["id"]: did_document}
    for purpose in ("suspension", "revocation"):
        status_list = client.get(f"/api/v1/credentials/status/{purpose}")
        assert status_list.status_code == 200 and status_list.headers["content-type"] == "application/vc"
        documents[status_list.json()["id"]] = status_list.json()
    return documents


def independently(client: TestClient, document: dict[str, Any]) -> dict[str, Any]:
    return run("verify.mjs", {"credential": document, "documents": published(client)})


def test_a_certificate_credential_verifies_and_turns_suspended_then_revoked_without_reissue(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Issued: verified, neither bit set. Suspended: the same credential fails on its suspension
    bit. Reinstated: verifies again. Withdrawn: fails on its revocation bit."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    held = credential(client, certificate_id)
    assert held["issuer"]["id"] == did_web("http://127.0.0.1:8000")
    assert held["credentialSubject"]["certificateId"] == certificate_id
    assert independently(client, held) == {
        "verified": True,
        "status": {"suspension": False, "revocation": False},
        "valid": True,
        "errors": [],
    }
    assert act(client, world, certificate_id, "suspend").status_code == 200
    suspended = independently(client, held)
    assert suspended["status"] == {"suspension": True, "revocation": False} and suspended["valid"] is False
    assert act(client, world, certificate_id, "reinstate").status_code == 200
    assert independently(client, held)["valid"] is True
    assert act(client, world, certificate_id, "withdraw").status_code == 200
    withdrawn = independently(client, held)
    assert withdrawn["status"] == {"suspension": False, "revocation": True} and withdrawn["valid"] is False


def test_a_tampered_credential_fails_the_independent_verifier(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Changing the grade after signing breaks the eddsa-jcs-2022 proof."""
    held = credential(client, issue(client, world, rulebook)["certificate_id"])
    held["credentialSubject"]["assessment"][0]["grade"]["code"] = "forged"
    assert independently(client, held)["verified"] is False
    assert independently(client, held)["valid"] is False


def test_a_credential_signed_before_a_key_rotation_still_verifies(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Rotation retires the key; the DID document keeps it, so the earlier credential holds."""
    held = credential(client, issue(client, world, rulebook)["certificate_id"])
    client.app.state.certify.keys.ring.rotate()  # type: ignore[attr-defined]
    assert held["proof"]["verificationMethod"] in client.get("/.well-known/did.json").json()["assertionMethod"]
    assert independently(client, held)["valid"] is True
    fresh = credential(client, held["credentialSubject"]["certificateId"])
    assert fresh["proof"]["verificationMethod"] != held["proof"]["verificationMethod"]
    assert independently(client, fresh)["valid"] is True


def test_an_unknown_certificate_has_no_credential(client: TestClient) -> None:
    """A well-formed ID never issued: 404 problem+json."""
    answer = client.get("/api/v1/certificates/IDC-2026-7KQ3-9XHD-P/credential")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
