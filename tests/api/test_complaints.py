"""Complaints, appeals and subscriptions over the API: anyone complains with a certificate ID and
follows it by tracking ID; the handler must be a certifier uninvolved in the decision; an upheld
complaint suspends, an upheld appeal reinstates; bad input is a clear 4xx."""

from __future__ import annotations

from fastapi.testclient import TestClient

from certify.core.certificate_id import ALPHABET
from certify.rulebook import Rulebook
from tests.api.conftest import REFUSED_FURNITURE, World
from tests.api.test_certificates import issue, public
from tests.api.test_decisions import decide, submit


def complain(client: TestClient, certificate_id: str, message: str = "the label differs from the certificate") -> str:
    answer = client.post(
        "/api/v1/complaints",
        json={"certificate_id": certificate_id, "message": message, "contact": "buyer@example.com"},
    )
    assert answer.status_code == 201, answer.json()
    tracking_id: str = answer.json()["tracking_id"]
    return tracking_id


def test_a_complaint_is_tracked_handled_by_an_uninvolved_certifier_and_can_suspend(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]  # decided by "certifier"
    tracking_id = complain(client, certificate_id)
    tracked = client.get(f"/api/v1/complaints/{tracking_id}").json()
    assert tracked["state"] == "received" and tracked["certificate_id"] == certificate_id
    assert "contact" not in tracked and "message" not in tracked  # the tracking page shows no one's words

    involved = client.post(
        f"/api/v1/complaints/{tracking_id}/assignment",
        json={"certifier_id": world["certifier"].id},
        headers=world["admin"].headers,
    )
    assert involved.status_code == 403 and "had a part in the decision" in involved.json()["detail"]
    assigned = client.post(
        f"/api/v1/complaints/{tracking_id}/assignment",
        json={"certifier_id": world["certifier2"].id},
        headers=world["admin"].headers,
    )
    assert assigned.status_code == 200 and assigned.json()["state"] == "assigned"

    not_theirs = client.post(
        f"/api/v1/complaints/{tracking_id}/outcome",
        json={"outcome": "dismissed", "answer": "no"},
        headers=world["certifier"].headers,
    )
    assert not_theirs.status_code == 403
    closed = client.post(
        f"/api/v1/complaints/{tracking_id}/outcome",
        json={"outcome": "upheld", "answer": "The lot was relabelled; suspended.", "suspend": True},
        headers=world["certifier2"].headers,
    )
    assert closed.status_code == 200
    assert closed.json()["outcome"] == "upheld" and closed.json()["answer"] == "The lot was relabelled; suspended."
    assert public(client, certificate_id).json()["status"] == "suspended"


def test_an_upheld_appeal_reinstates_a_suspended_certificate(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    client.post(
        f"/api/v1/certificates/{certificate_id}/suspend",
        json={"reason": "doubtful lab report"},
        headers=world["certifier"].headers,
    )
    elsewhere = client.post(
        "/api/v1/appeals",
        json={"certificate_id": certificate_id, "message": "see report"},
        headers=world["artisan2"].headers,
    )
    assert elsewhere.status_code == 403 and "only an artisan of the holder" in elsewhere.json()["detail"]
    appeal = client.post(
        "/api/v1/appeals",
        json={"certificate_id": certificate_id, "message": "see the new lab report"},
        headers=world["artisan"].headers,
    )
    assert appeal.status_code == 201
    tracking_id = appeal.json()["tracking_id"]
    client.post(
        f"/api/v1/complaints/{tracking_id}/assignment",
        json={"certifier_id": world["certifier2"].id},
        headers=world["admin"].headers,
    )
    client.post(
        f"/api/v1/complaints/{tracking_id}/outcome",
        json={"outcome": "upheld", "answer": "The new report is conclusive."},
        headers=world["certifier2"].headers,
    )
    assert public(client, certificate_id).json()["status"] == "valid"


def test_a_refusal_is_appealed_by_the_holder_and_not_by_another(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    inspection_id = submit(client, world, rulebook, example=REFUSED_FURNITURE)
    assert decide(client, world, inspection_id, "refuse").status_code == 201
    answer = client.post(
        "/api/v1/appeals",
        json={"inspection_id": inspection_id, "message": "re-measure"},
        headers=world["artisan"].headers,
    )
    assert answer.status_code == 201
    tracking_id = answer.json()["tracking_id"]
    refused = client.post(
        f"/api/v1/complaints/{tracking_id}/assignment",
        json={"certifier_id": world["certifier"].id},
        headers=world["admin"].headers,
    )
    assert refused.status_code == 403


def test_bad_complaints_get_a_clear_4xx(client: TestClient, world: World, rulebook: Rulebook) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    last = certificate_id[-1]
    typo = certificate_id[:-1] + next(c for c in ALPHABET if c != last)
    wrong = client.post("/api/v1/complaints", json={"certificate_id": typo, "message": "fake?"})
    assert wrong.status_code == 422 and "probably a typo" in wrong.json()["detail"]
    empty = client.post("/api/v1/complaints", json={"certificate_id": certificate_id, "message": "   "})
    assert empty.status_code == 422
    assert client.get("/api/v1/complaints/TRK-NOSUCH").status_code == 404


def test_subscriptions_refuse_plain_http_and_private_targets_by_default(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    for url, words in (
        ("http://shop.example.com/hook", "must use https"),
        ("https://127.0.0.1/hook", "private, loopback or link-local"),
        ("https://169.254.169.254/latest", "private, loopback or link-local"),
        ("https://[::1]/hook", "private, loopback or link-local"),
        ("https://localhost/hook", "private, loopback or link-local"),
    ):
        answer = client.post("/api/v1/subscriptions", json={"certificate_id": certificate_id, "url": url})
        assert answer.status_code == 422 and words in answer.json()["detail"], (url, answer.json())
    by_mail = client.post(
        "/api/v1/subscriptions", json={"certificate_id": certificate_id, "email": "buyer@example.com"}
    )
    assert by_mail.status_code == 201 and by_mail.json()["confirmed"] is False
    assert client.get("/api/v1/subscriptions/confirm/not-a-token").status_code == 404


def test_only_admins_see_the_dead_letters(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/outbox", headers=world["certifier"].headers).status_code == 403
    answer = client.get("/api/v1/outbox?state=dead", headers=world["admin"].headers)
    assert answer.status_code == 200 and answer.json() == []
