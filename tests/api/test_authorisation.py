"""The authorisation matrix: every role and no token, on every route, for their own object and for
someone else's. Each route is one test that checks every cell and reports every wrong one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from certify.services.specimens import specimen_photo
from tests.api.conftest import World, inspection_body
from tests.api.test_decisions import decide, submit

WHO = ("nobody", "admin", "certifier", "inspector", "artisan")
OWN, OTHER = "own", "other"

# route -> {who: (status for their own object, status for someone else's)}
MATRIX: dict[str, dict[str, tuple[int, int]]] = {
    "list standards": {w: (200, 200) for w in WHO},
    "read a standard": {w: (200, 200) for w in WHO},
    "read a standard version": {w: (200, 200) for w in WHO},
    "who am I": {"nobody": (401, 401), **{w: (200, 200) for w in WHO[1:]}},
    "register a holder": {
        "nobody": (401, 401),
        "admin": (201, 201),
        "certifier": (403, 403),
        "inspector": (201, 201),
        "artisan": (403, 403),
    },
    "list holders": {"nobody": (401, 401), **{w: (200, 200) for w in WHO[1:]}},
    "restate a holder": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (403, 403),
        "inspector": (200, 200),
        "artisan": (403, 403),
    },
    "read a holder": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 200),
        "artisan": (200, 404),
    },
    "register a product": {
        "nobody": (401, 401),
        "admin": (201, 201),
        "certifier": (403, 403),
        "inspector": (201, 201),
        "artisan": (403, 403),
    },
    "list a holder's products": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 200),
        "artisan": (200, 404),
    },
    "read a product": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 200),
        "artisan": (200, 404),
    },
    "submit an inspection": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (403, 403),
        "inspector": (201, 201),
        "artisan": (403, 403),
    },
    "list inspections": {"nobody": (401, 401), **{w: (200, 200) for w in WHO[1:]}},
    "read an inspection": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 404),
        "artisan": (200, 404),
    },
    "decide": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (201, 201),
        "inspector": (403, 403),
        "artisan": (403, 403),
    },
    "read a certificate": {w: (200, 200) for w in WHO},
    "download a certificate's mark as SVG": {w: (200, 200) for w in WHO},  # public like the record
    "download a certificate's mark as PNG": {w: (200, 200) for w in WHO},
    "download a certificate's PDF": {
        "nobody": (404, 404),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (404, 404),
        "artisan": (200, 404),
    },
    **{
        f"{action} a certificate": {
            "nobody": (401, 401),
            "admin": (403, 403),
            "certifier": (200, 200),
            "inspector": (403, 403),
            "artisan": (403, 403),
        }
        for action in ("suspend", "reinstate", "withdraw")
    },
    "verify a PDF": {w: (200, 200) for w in WHO},
    "read the signing keys": {w: (200, 200) for w in WHO},
    "read the PDF signing CA": {w: (200, 200) for w in WHO},
    "read the PDF signing CA's CRL": {w: (200, 200) for w in WHO},
    "read the DID document": {w: (200, 200) for w in WHO},
    "read a certificate's credential": {w: (200, 200) for w in WHO},
    "read a status list": {w: (200, 200) for w in WHO},
    "read the tree head": {w: (200, 200) for w in WHO},
    "read an earlier tree head": {w: (200, 200) for w in WHO},
    "prove inclusion": {w: (200, 200) for w in WHO},
    "prove consistency": {w: (200, 200) for w in WHO},
    "read the log's leaves": {w: (200, 200) for w in WHO},
    "is it alive": {w: (200, 200) for w in WHO},
    "is it ready": {w: (200, 200) for w in WHO},
    "draw a sampling plan": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (403, 403),
        "inspector": (201, 201),
        "artisan": (403, 403),
    },
    "upload evidence": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (403, 403),
        "inspector": (201, 201),
        "artisan": (403, 403),
    },
    "read evidence": {  # the holder gave no consent to publish: the public sees nothing
        "nobody": (404, 404),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 404),
        "artisan": (200, 404),
    },
    "name an inspection's evidence": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (403, 403),
        "inspector": (200, 404),
        "artisan": (403, 403),
    },
    "consent to publish evidence": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (403, 403),
        "inspector": (403, 403),
        "artisan": (200, 404),
    },
    "file a complaint": {w: (201, 201) for w in WHO},
    "track a complaint": {w: (200, 200) for w in WHO},
    "file an appeal": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (403, 403),
        "inspector": (403, 403),
        "artisan": (201, 403),
    },
    "assign a complaint": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (403, 403),
        "artisan": (403, 403),
    },
    "record a complaint's outcome": {
        "nobody": (401, 401),
        "admin": (403, 403),
        "certifier": (200, 200),  # the certifier it is assigned to
        "inspector": (403, 403),
        "artisan": (403, 403),
    },
    "subscribe to a certificate": {w: (201, 201) for w in WHO},
    "confirm a subscription": {w: (404, 404) for w in WHO},  # the token comes by e-mail: unknown here
    "list the outbox": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (403, 403),
        "inspector": (403, 403),
        "artisan": (403, 403),
    },
    "authorise a user for a standard": {
        "nobody": (401, 401),
        "admin": (201, 201),
        "certifier": (403, 403),
        "inspector": (403, 403),
        "artisan": (403, 403),
    },
    "list a user's authorisations": {  # own: the inspector's; other: another inspector's
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 403),
        "artisan": (403, 403),
    },
    "read the certification agreement": {w: (200, 200) for w in WHO},
    "read a version of the certification agreement": {w: (200, 200) for w in WHO},
    "apply for certification": {w: (201, 201) for w in WHO},  # no account needed
    "track an application": {w: (200, 200) for w in WHO},  # the token is the key
    **{
        route: {
            "nobody": (401, 401),
            "admin": (200, 200),
            "certifier": (200, 200),
            "inspector": (403, 403),
            "artisan": (403, 403),
        }
        for route in ("list applications", "read an application", "check an application", "review an application")
    },
    "list assignments": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 200),  # their own
        "artisan": (403, 403),
    },
    "read a holder's agreements": {
        "nobody": (401, 401),
        "admin": (200, 200),
        "certifier": (200, 200),
        "inspector": (200, 200),
        "artisan": (200, 404),
    },
}


ROUTES = {
    "list standards": ("get", "/api/v1/standards"),
    "read a standard": ("get", "/api/v1/standards/{standard_id}"),
    "read a standard version": ("get", "/api/v1/standards/{standard_id}/{version}"),
    "who am I": ("get", "/api/v1/me"),
    "register a holder": ("post", "/api/v1/holders"),
    "list holders": ("get", "/api/v1/holders"),
    "read a holder": ("get", "/api/v1/holders/{holder_id}"),
    "restate a holder": ("put", "/api/v1/holders/{holder_id}"),
    "register a product": ("post", "/api/v1/holders/{holder_id}/products"),
    "list a holder's products": ("get", "/api/v1/holders/{holder_id}/products"),
    "read a product": ("get", "/api/v1/products/{product_id}"),
    "submit an inspection": ("post", "/api/v1/inspections"),
    "draw a sampling plan": ("post", "/api/v1/sampling-plans"),
    "upload evidence": ("post", "/api/v1/evidence"),
    "read evidence": ("get", "/api/v1/evidence/{sha256}"),
    "name an inspection's evidence": ("put", "/api/v1/inspections/{inspection_id}/evidence"),
    "consent to publish evidence": ("put", "/api/v1/holders/{holder_id}/evidence-consent"),
    "list inspections": ("get", "/api/v1/inspections"),
    "read an inspection": ("get", "/api/v1/inspections/{inspection_id}"),
    "decide": ("post", "/api/v1/inspections/{inspection_id}/decision"),
    "read a certificate": ("get", "/api/v1/certificates/{certificate_id}"),
    "download a certificate's PDF": ("get", "/api/v1/certificates/{certificate_id}/pdf"),
    "download a certificate's mark as SVG": ("get", "/api/v1/certificates/{certificate_id}/mark.svg"),
    "download a certificate's mark as PNG": ("get", "/api/v1/certificates/{certificate_id}/mark.png"),
    "suspend a certificate": ("post", "/api/v1/certificates/{certificate_id}/suspend"),
    "reinstate a certificate": ("post", "/api/v1/certificates/{certificate_id}/reinstate"),
    "withdraw a certificate": ("post", "/api/v1/certificates/{certificate_id}/withdraw"),
    "verify a PDF": ("post", "/api/v1/verify"),
    "read the signing keys": ("get", "/.well-known/jwks.json"),
    "read the PDF signing CA": ("get", "/.well-known/certify-ca.pem"),
    "read the PDF signing CA's CRL": ("get", "/.well-known/certify-ca.crl"),
    "read the DID document": ("get", "/.well-known/did.json"),
    "read a certificate's credential": ("get", "/api/v1/certificates/{certificate_id}/credential"),
    "read a status list": ("get", "/api/v1/credentials/status/{purpose}"),
    "read the tree head": ("get", "/api/v1/log/tree-head"),
    "read an earlier tree head": ("get", "/api/v1/log/tree-heads/{size}"),
    "prove inclusion": ("get", "/api/v1/log/proof/inclusion"),
    "prove consistency": ("get", "/api/v1/log/proof/consistency"),
    "read the log's leaves": ("get", "/api/v1/log/leaves"),
    "is it alive": ("get", "/healthz"),
    "is it ready": ("get", "/readyz"),
    "file a complaint": ("post", "/api/v1/complaints"),
    "track a complaint": ("get", "/api/v1/complaints/{tracking_id}"),
    "file an appeal": ("post", "/api/v1/appeals"),
    "assign a complaint": ("post", "/api/v1/complaints/{tracking_id}/assignment"),
    "record a complaint's outcome": ("post", "/api/v1/complaints/{tracking_id}/outcome"),
    "subscribe to a certificate": ("post", "/api/v1/subscriptions"),
    "confirm a subscription": ("get", "/api/v1/subscriptions/confirm/{token}"),
    "list the outbox": ("get", "/api/v1/outbox"),
    "authorise a user for a standard": ("post", "/api/v1/users/{user_id}/authorisations"),
    "list a user's authorisations": ("get", "/api/v1/users/{user_id}/authorisations"),
    "read the certification agreement": ("get", "/api/v1/agreement"),
    "read a version of the certification agreement": ("get", "/api/v1/agreement/{version}"),
    "apply for certification": ("post", "/api/v1/applications"),
    "track an application": ("get", "/api/v1/applications/tracking/{token}"),
    "list applications": ("get", "/api/v1/applications"),
    "read an application": ("get", "/api/v1/applications/{application_id}"),
    "check an application": ("get", "/api/v1/applications/{application_id}/checks"),
    "review an application": ("post", "/api/v1/applications/{application_id}/review"),
    "list assignments": ("get", "/api/v1/assignments"),
    "read a holder's agreements": ("get", "/api/v1/holders/{holder_id}/agreements"),
}

# action -> (the status it needs, the status it leaves)
LIFECYCLE = {"suspend": ("valid", "suspended"), "reinstate": ("suspended", "valid"), "withdraw": ("valid", "withdrawn")}


def fresh_inspection(client: TestClient, world: World, rulebook: Rulebook, whose: str) -> int:
    """An inspection of the artisan's holder by the inspector (own) or of another by another."""
    inspector, product = ("inspector", "jepara_furniture") if whose == OWN else ("inspector2", "bali_furniture")
    body = inspection_body(world, rulebook, world.products[product], inspector=inspector)
    answer = client.post("/api/v1/inspections", json=body, headers=world[inspector].headers)
    assert answer.status_code == 201
    inspection_id: int = answer.json()["id"]
    return inspection_id


def photo_of_an_inspection(client: TestClient, world: World, rulebook: Rulebook, whose: str) -> str:
    """The SHA-256 of a lot photo named by an inspection of the artisan's holder (own, by the
    inspector) or of another holder (other, by another inspector)."""
    inspector, product = ("inspector", "jepara_furniture") if whose == OWN else ("inspector2", "bali_furniture")
    photo = specimen_photo(f"lot of {whose}", seed=7 if whose == OWN else 8)
    uploaded = client.post("/api/v1/evidence", files={"file": ("lot.jpg", photo)}, headers=world[inspector].headers)
    assert uploaded.status_code == 201, uploaded.json()
    sha: str = uploaded.json()["sha256"]
    body = inspection_body(world, rulebook, world.products[product], inspector=inspector)
    body["evidence"] = {**body["evidence"], "lot": [sha]}
    answer = client.post("/api/v1/inspections", json=body, headers=world[inspector].headers)
    assert answer.status_code == 201, answer.json()
    return sha


def fresh_certificate(client: TestClient, world: World, rulebook: Rulebook, whose: str) -> str:
    """A certificate just issued to the artisan's holder (own) or to another holder (other)."""
    product = "jepara_furniture" if whose == OWN else "bali_furniture"
    inspector = "inspector" if whose == OWN else "inspector2"
    inspection = submit(client, world, rulebook, inspector=inspector, product=product)
    answer = decide(client, world, inspection)
    assert answer.status_code == 201, answer.json()
    certificate_id: str = answer.json()["certificate_id"]
    return certificate_id


def status_of(client: TestClient, certificate_id: str) -> str:
    status: str = client.get(f"/api/v1/certificates/{certificate_id}").json()["status"]
    return status


def lifecycle_request(
    client: TestClient, world: World, rulebook: Rulebook, whose: str, action: str
) -> Callable[[dict[str, str]], Any]:
    """Acts on a certificate issued for this cell, in the status the action needs; the status
    afterwards must be the one the answer implies (a refusal changes nothing)."""
    needs, leaves = LIFECYCLE[action]

    def change(h: dict[str, str]) -> Any:
        certificate_id = fresh_certificate(client, world, rulebook, whose)
        if needs == "suspended":
            suspended = client.post(
                f"/api/v1/certificates/{certificate_id}/suspend",
                json={"reason": "dye bleeding under review"},
                headers=world["certifier"].headers,
            )
            assert suspended.status_code == 200, suspended.json()
        answer = client.post(
            f"/api/v1/certificates/{certificate_id}/{action}", json={"reason": "lot recall under review"}, headers=h
        )
        after = leaves if answer.status_code == 200 else needs
        assert status_of(client, certificate_id) == after, f"{action} answered {answer.status_code}"
        return answer

    return change


def request_for(
    route: str, client: TestClient, world: World, rulebook: Rulebook, whose: str
) -> Callable[[dict[str, str]], Any]:
    holder = world.holders["jepara" if whose == OWN else "bali"]
    product = world.products["jepara_furniture" if whose == OWN else "bali_furniture"]
    api = "/api/v1"
    if route == "list standards":
        return lambda h: client.get(f"{api}/standards", headers=h)
    if route == "read a standard":
        return lambda h: client.get(f"{api}/standards/{'wood' if whose == OWN else 'woven'}", headers=h)
    if route == "read a standard version":
        ref = "wood/2026.1" if whose == OWN else "woven/2026.1"
        return lambda h: client.get(f"{api}/standards/{ref}", headers=h)
    if route == "who am I":
        return lambda h: client.get(f"{api}/me", headers=h)
    if route == "register a holder":
        body = {"name": "Rotan Cirebon", "province": "Jawa Barat", "crafts": ["rattan"]}
        return lambda h: client.post(f"{api}/holders", json=body, headers=h)
    if route == "list holders":
        return lambda h: client.get(f"{api}/holders", headers=h)
    if route == "read a holder":
        return lambda h: client.get(f"{api}/holders/{holder}", headers=h)
    if route == "restate a holder":
        body = {"name": "Mebel Jati Jepara", "province": "Jawa Tengah", "crafts": ["wood"], "address": "Jl. Raya 1"}
        return lambda h: client.put(f"{api}/holders/{holder}", json=body, headers=h)
    if route == "register a product":
        body = {"name": "Kursi", "category": "furniture"}
        return lambda h: client.post(f"{api}/holders/{holder}/products", json=body, headers=h)
    if route == "list a holder's products":
        return lambda h: client.get(f"{api}/holders/{holder}/products", headers=h)
    if route == "read a product":
        return lambda h: client.get(f"{api}/products/{product}", headers=h)
    if route == "submit an inspection":
        body = inspection_body(world, rulebook, product)
        return lambda h: client.post(f"{api}/inspections", json=body, headers=h)
    if route == "draw a sampling plan":
        plan = {"standard": "wood" if whose == OWN else "woven", "lot_size": 500}
        return lambda h: client.post(f"{api}/sampling-plans", json=plan, headers=h)
    if route == "upload evidence":
        photo = specimen_photo(f"upload by {whose}")
        return lambda h: client.post(f"{api}/evidence", files={"file": ("lot.jpg", photo)}, headers=h)
    if route == "read evidence":
        sha = photo_of_an_inspection(client, world, rulebook, whose)
        return lambda h: client.get(f"{api}/evidence/{sha}", headers=h)
    if route == "name an inspection's evidence":
        named = fresh_inspection(client, world, rulebook, whose)
        return lambda h: client.put(f"{api}/inspections/{named}/evidence", json={}, headers=h)
    if route == "consent to publish evidence":
        return lambda h: client.put(f"{api}/holders/{holder}/evidence-consent", json={"publish": False}, headers=h)
    if route == "list inspections":
        return lambda h: client.get(f"{api}/inspections", headers=h)
    if route == "read an inspection":
        inspection = fresh_inspection(client, world, rulebook, whose)
        return lambda h: client.get(f"{api}/inspections/{inspection}", headers=h)
    if route == "decide":

        def decide_fresh(h: dict[str, str]) -> Any:
            inspection = fresh_inspection(client, world, rulebook, whose)
            return client.post(f"{api}/inspections/{inspection}/decision", json={"decision": "issue"}, headers=h)

        return decide_fresh
    if route in ("authorise a user for a standard", "list a user's authorisations"):
        path = f"{api}/users/{world['inspector' if whose == OWN else 'inspector2'].id}/authorisations"
        if route.startswith("authorise"):
            return lambda h: client.post(path, json={"standard": "woven"}, headers=h)
        return lambda h: client.get(path, headers=h)
    if route in COMPLAINT_ROUTES:
        return complaint_request(route, client, world, rulebook, whose)
    if route in APPLICATION_ROUTES:
        return application_request(route, client, holder, whose)
    action = route.removesuffix(" a certificate")
    if action in LIFECYCLE:
        return lifecycle_request(client, world, rulebook, whose, action)
    if route in (
        "is it alive",
        "is it ready",
        "read the signing keys",
        "read the PDF signing CA",
        "read the PDF signing CA's CRL",
        "read the DID document",
        "read the tree head",
    ):
        _, path = ROUTES[route]
        return lambda h: client.get(path, headers=h)
    if route == "read an earlier tree head":
        size = client.get(f"{api}/log/tree-head").json()["size"]
        return lambda h: client.get(f"{api}/log/tree-heads/{size}", headers=h)
    if route == "read a status list":
        purpose = "suspension" if whose == OWN else "revocation"
        return lambda h: client.get(f"{api}/credentials/status/{purpose}", headers=h)
    certificate = fresh_certificate(client, world, rulebook, whose)
    if route == "read a certificate":
        return lambda h: client.get(f"{api}/certificates/{certificate}", headers=h)
    if route == "read a certificate's credential":
        return lambda h: client.get(f"{api}/certificates/{certificate}/credential", headers=h)
    if route == "download a certificate's PDF":
        return lambda h: client.get(f"{api}/certificates/{certificate}/pdf", headers=h)
    if route.startswith("download a certificate's mark as "):
        kind = route.removeprefix("download a certificate's mark as ").lower()
        return lambda h: client.get(f"{api}/certificates/{certificate}/mark.{kind}", headers=h)
    if route == "verify a PDF":
        pdf = client.get(f"{api}/certificates/{certificate}/pdf", headers=world["admin"].headers)
        assert pdf.status_code == 200
        files = {"file": (f"{certificate}.pdf", pdf.content, "application/pdf")}
        return lambda h: client.post(f"{api}/verify", files=files, headers=h)
    if route == "prove inclusion":
        return lambda h: client.get(f"{api}/log/proof/inclusion", params={"certificate_id": certificate}, headers=h)
    if route == "prove consistency":
        return lambda h: client.get(f"{api}/log/proof/consistency", params={"first": 1}, headers=h)
    if route == "read the log's leaves":
        return lambda h: client.get(f"{api}/log/leaves", params={"start": 0}, headers=h)
    raise AssertionError(route)


COMPLAINT_ROUTES = (
    "file a complaint",
    "track a complaint",
    "file an appeal",
    "assign a complaint",
    "record a complaint's outcome",
    "subscribe to a certificate",
    "confirm a subscription",
    "list the outbox",
)


def complaint_request(
    route: str, client: TestClient, world: World, rulebook: Rulebook, whose: str
) -> Callable[[dict[str, str]], Any]:
    """Complaints, appeals and subscriptions: a certificate issued by certifier2 for each request,
    so that "certifier" had no part in it and may handle what is filed about it."""
    api = "/api/v1"

    def certificate() -> str:
        product, inspector = ("jepara_furniture", "inspector") if whose == OWN else ("bali_furniture", "inspector2")
        answer = decide(
            client, world, submit(client, world, rulebook, inspector=inspector, product=product), certifier="certifier2"
        )
        assert answer.status_code == 201, answer.json()
        certificate_id: str = answer.json()["certificate_id"]
        return certificate_id

    def complaint() -> str:
        body = {"certificate_id": certificate(), "message": "label differs"}
        tracking_id: str = client.post(f"{api}/complaints", json=body).json()["tracking_id"]
        return tracking_id

    if route == "file a complaint":
        return lambda h: client.post(
            f"{api}/complaints", json={"certificate_id": certificate(), "message": "fake?"}, headers=h
        )
    if route == "track a complaint":
        tracking_id = complaint()
        return lambda h: client.get(f"{api}/complaints/{tracking_id}", headers=h)
    if route == "file an appeal":

        def appeal(h: dict[str, str]) -> Any:
            certificate_id = certificate()
            suspended = client.post(
                f"{api}/certificates/{certificate_id}/suspend",
                json={"reason": "review"},
                headers=world["certifier2"].headers,
            )
            assert suspended.status_code == 200
            return client.post(
                f"{api}/appeals", json={"certificate_id": certificate_id, "message": "please"}, headers=h
            )

        return appeal
    if route == "assign a complaint":
        return lambda h: client.post(
            f"{api}/complaints/{complaint()}/assignment", json={"certifier_id": world["certifier"].id}, headers=h
        )
    if route == "record a complaint's outcome":

        def close(h: dict[str, str]) -> Any:
            tracking_id = complaint()
            assigned = client.post(
                f"{api}/complaints/{tracking_id}/assignment",
                json={"certifier_id": world["certifier"].id},
                headers=world["admin"].headers,
            )
            assert assigned.status_code == 200, assigned.json()
            body = {"outcome": "dismissed", "answer": "the label matches"}
            return client.post(f"{api}/complaints/{tracking_id}/outcome", json=body, headers=h)

        return close
    if route == "subscribe to a certificate":
        certificate_id = certificate()
        return lambda h: client.post(
            f"{api}/subscriptions", json={"certificate_id": certificate_id, "email": "buyer@example.com"}, headers=h
        )
    if route == "confirm a subscription":
        return lambda h: client.get(f"{api}/subscriptions/confirm/an-unknown-token", headers=h)
    return lambda h: client.get(f"{api}/outbox", headers=h)


APPLICATION_ROUTES = (
    "read the certification agreement",
    "read a version of the certification agreement",
    "apply for certification",
    "track an application",
    "list applications",
    "read an application",
    "check an application",
    "review an application",
    "list assignments",
    "read a holder's agreements",
)


def application_request(route: str, client: TestClient, holder: int, whose: str) -> Callable[[dict[str, str]], Any]:
    """Applications: each request that files or reviews one files a fresh one (another product)."""
    api = "/api/v1"
    made = iter(range(1000))

    def apply(h: dict[str, str] | None = None) -> Any:
        body = {
            "workshop": f"Mebel {whose}",
            "province": "Jawa Tengah",
            "address": "Jl. Raya 1",
            "contact_name": "Slamet",
            "phone": "+62 812 1111 2222",
            "products": [{"name": f"Kursi {next(made)}", "category": "furniture", "standard": "wood"}],
            "markets": ["id"],
            "agreement_version": "2026.1",
            "accept_agreement": True,
        }
        answer = client.post(f"{api}/applications", json=body, headers=h or {})
        assert h is not None or answer.status_code == 201, answer.json()
        return answer

    if route == "read the certification agreement":
        return lambda h: client.get(f"{api}/agreement", headers=h)
    if route == "read a version of the certification agreement":
        return lambda h: client.get(f"{api}/agreement/2026.1", headers=h)
    if route == "apply for certification":
        return apply
    if route == "list applications":
        return lambda h: client.get(f"{api}/applications", headers=h)
    if route == "list assignments":
        return lambda h: client.get(f"{api}/assignments", headers=h)
    if route == "read a holder's agreements":
        return lambda h: client.get(f"{api}/holders/{holder}/agreements", headers=h)
    if route == "review an application":
        decline = {"decision": "decline", "reasons": ["incomplete"]}
        return lambda h: client.post(f"{api}/applications/{apply().json()['id']}/review", json=decline, headers=h)
    received = apply().json()
    if route == "track an application":
        return lambda h: client.get(f"{api}/applications/tracking/{received['token']}", headers=h)
    suffix = "/checks" if route == "check an application" else ""
    return lambda h: client.get(f"{api}/applications/{received['id']}{suffix}", headers=h)


@pytest.mark.parametrize("route", list(MATRIX))
def test_every_role_gets_exactly_its_rights_on_the_route(
    route: str, client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """Each (who, own/other) cell of this route answers the status the matrix states."""
    wrong = []
    for whose, column in ((OWN, 0), (OTHER, 1)):
        send = request_for(route, client, world, rulebook, whose)
        for who in WHO:
            headers = {} if who == "nobody" else world[who].headers
            answer = send(headers)
            expected = MATRIX[route][who][column]
            if answer.status_code != expected:
                wrong.append(f"{who}/{whose}: {answer.status_code}, expected {expected}")
            if answer.status_code >= 400:
                assert answer.headers["content-type"] == "application/problem+json"
    assert not wrong, f"{route}: " + "; ".join(wrong)


def test_the_matrix_covers_every_api_route(client: TestClient) -> None:
    """No route escapes the matrix: its rows name exactly the operations of /openapi.json."""
    paths = client.get("/openapi.json").json()["paths"]
    operations = {(m, p) for p, methods in paths.items() for m in methods}
    assert operations == set(ROUTES.values())
    assert set(ROUTES) == set(MATRIX)


def test_an_artisan_lists_only_their_own_holder(client: TestClient, world: World) -> None:
    """GET /holders for an artisan holds their workshop alone."""
    answer = client.get("/api/v1/holders", headers=world["artisan"].headers)
    assert [h["id"] for h in answer.json()] == [world.holders["jepara"]]
