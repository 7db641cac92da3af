"""The way in (ISO/IEC 17065 §4.1.2, §7.2, §7.3): a workshop applies without an account, accepting
the current agreement; a certifier reviews, accepts with an assignment of a competent inspector
(or declines with reasons the applicant reads in their language); the workshop and its products
are created from the application, and the inspector inspects from their queue. Bad input is a
4xx naming the problem. On SQLite and PostgreSQL; e-mails go to an SMTP server in the test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import bundled
from certify.services import accounts, competence, conflicts, delivery
from certify.store.database import Database
from certify.store.tables import Event
from tests.api.conftest import World, inspection_body
from tests.receivers import Mailbox, body_of, smtp_server

BOOK = bundled()
CERAMICS = BOOK.get("ceramics")
VASE = 7  # a certified worked example of ceramics: a vase


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def settings(tmp_path: Path, mailbox: Mailbox) -> Settings:
    return Settings(
        data_dir=tmp_path,
        public_rate_per_second=0,
        public_read_rate_per_second=0,
        public_url="https://certify.example",
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        smtp_starttls=False,
    )


@pytest.fixture
def api(database: Database, settings: Settings) -> Iterator[TestClient]:
    """The API over the bundled standards (ceramics among them)."""
    with TestClient(create_app(settings, database=database, rulebook=BOOK)) as client:
        yield client


def application(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "workshop": "Gerabah Kasongan Lestari",
        "owner": "Ibu Sri Wahyuni",
        "province": "DI Yogyakarta",
        "region": "Bantul",
        "address": "Jl. Kasongan No. 12, Bangunjiwo, Kasihan",
        "contact_name": "Sri Wahyuni",
        "email": "sri@kasongan.example",
        "phone": "+62 812 2700 1234",
        "products": [{"name": "Vas Bunga Terakota", "category": "vase", "standard": "ceramics"}],
        "markets": ["id", "eu"],
        "agreement_version": "2026.1",
        "accept_agreement": True,
        "language": "id",
    }
    return {**body, **changes}


def applied(api: TestClient, **changes: Any) -> dict[str, Any]:
    answer = api.post("/api/v1/applications", json=application(**changes))
    assert answer.status_code == 201, answer.json()
    received: dict[str, Any] = answer.json()
    return received


def accept(api: TestClient, world: World, application_id: int, inspector: str = "inspector", **changes: Any) -> Any:
    body = {"decision": "accept", "inspector_id": world[inspector].id, "due_on": _in(7).isoformat(), **changes}
    return api.post(f"/api/v1/applications/{application_id}/review", json=body, headers=world["certifier"].headers)


def _in(days: int) -> date:
    return date.today() + timedelta(days=days)


def deliver(database: Database, settings: Settings) -> None:
    report = delivery.deliver_due(database=database, settings=settings)
    assert report.failed == 0 and report.dead == 0


def test_a_workshop_applies_is_accepted_and_inspected_from_its_assignment(
    api: TestClient, world: World, database: Database, settings: Settings, mailbox: Mailbox
) -> None:
    """No account; a tracking link; the workshop and product made from the application, the
    assignment in the inspector's queue with the form's link, the agreement on the record, and
    an e-mail at each step in the applicant's language."""
    received = applied(api)
    assert received["tracking_url"] == f"https://certify.example/applications/{received['token']}"
    assert len(received["token"]) >= 32
    tracked = api.get(f"/api/v1/applications/tracking/{received['token']}").json()
    assert tracked["state"] == "received" and tracked["agreement_version"] == "2026.1"
    assert "email" not in tracked and "address" not in tracked  # the tracking page shows no contact
    checks = api.get(f"/api/v1/applications/{received['id']}/checks", headers=world["certifier"].headers).json()
    assert checks["in_scope"] and checks["existing_holder_id"] is None
    assert {i["id"] for i in checks["inspectors"]} == {world["inspector"].id, world["inspector2"].id}
    answer = accept(api, world, received["id"])
    assert answer.status_code == 200, answer.json()
    accepted = answer.json()
    assert accepted["state"] == "accepted"
    holder_id, product_id = accepted["holder_id"], accepted["products"][0]["product_id"]
    holder = api.get(f"/api/v1/holders/{holder_id}", headers=world["admin"].headers).json()
    assert (holder["name"], holder["province"], holder["region"], holder["address"]) == (
        "Gerabah Kasongan Lestari",
        "DI Yogyakarta",
        "Bantul",
        "Jl. Kasongan No. 12, Bangunjiwo, Kasihan",  # where the inspector goes: not typed twice
    )
    product = api.get(f"/api/v1/products/{product_id}", headers=world["admin"].headers).json()
    assert (product["name"], product["category"], product["holder_id"]) == ("Vas Bunga Terakota", "vase", holder_id)
    queue = api.get("/api/v1/assignments", headers=world["inspector"].headers).json()
    assert [(a["product_id"], a["standard"], a["due_on"]) for a in queue] == [
        (product_id, "ceramics", _in(7).isoformat())
    ]
    assert queue[0]["form_url"] == f"/inspect/new?product={product_id}&standard=ceramics"
    assert api.get("/api/v1/assignments", headers=world["inspector2"].headers).json() == []
    agreements = api.get(f"/api/v1/holders/{holder_id}/agreements", headers=world["admin"].headers).json()
    assert [(a["version"], a["accepted_by"]) for a in agreements] == [("2026.1", "Sri Wahyuni")]
    tracked = api.get(f"/api/v1/applications/tracking/{received['token']}").json()
    assert tracked["state"] == "accepted"
    assert [(a["inspector"], a["due_on"]) for a in tracked["assignments"]] == [("Ayu Lestari", _in(7).isoformat())]

    body = inspection_body(world, BOOK, product_id, VASE, standard="ceramics")
    inspected = api.post("/api/v1/inspections", json=body, headers=world["inspector"].headers)
    assert inspected.status_code == 201, inspected.json()
    queue = api.get("/api/v1/assignments", headers=world["inspector"].headers).json()
    assert queue[0]["inspection_id"] == inspected.json()["id"]

    deliver(database, settings)
    mails = mailbox.to("sri@kasongan.example")
    assert [m["Subject"] for m in mails] == ["Permohonan Anda: diterima", "Permohonan Anda: disetujui"]
    assert received["tracking_url"] in body_of(mails[0])
    assert f"paling lambat {_in(7).isoformat()}" in body_of(mails[1])
    with database.read() as session:
        actions = session.exec(
            select(Event.action).where(
                col(Event.action).in_(("application.received", "application.accepted", "assignment.created"))
            )
        ).all()
    assert sorted(actions) == ["application.accepted", "application.received", "assignment.created"]


def test_a_declined_applicant_reads_the_reasons_in_their_language(
    api: TestClient, world: World, database: Database, settings: Settings, mailbox: Mailbox
) -> None:
    received = applied(api, language="en", email="made@ukir.example")
    body = {"decision": "decline", "reasons": ["not_a_producer", "other"], "note": "Send a photo of the workshop."}
    answer = api.post(f"/api/v1/applications/{received['id']}/review", json=body, headers=world["certifier"].headers)
    assert answer.status_code == 200, answer.json()
    tracked = api.get(f"/api/v1/applications/tracking/{received['token']}").json()
    assert tracked["state"] == "declined" and tracked["note"] == "Send a photo of the workshop."
    assert tracked["decline_reasons"][0]["en"].startswith("The applicant does not make the products")
    assert tracked["decline_reasons"][0]["id"].startswith("Pemohon tidak membuat produk")
    deliver(database, settings)
    (mail,) = [m for m in mailbox.to("made@ukir.example") if m["Subject"] == "Your application: declined"]
    text = body_of(mail)
    assert text.index("We cannot accept") < text.index("Permohonan Anda belum dapat")  # theirs first
    again = api.post(f"/api/v1/applications/{received['id']}/review", json=body, headers=world["certifier"].headers)
    assert again.status_code == 409 and "reviewed once" in again.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "status", "named"),
    [
        (
            {"products": [{"name": "Guci", "category": "furniture", "standard": "ceramics"}]},
            422,
            "products[0] (Guci): the category 'furniture' is not covered by the standard 'ceramics'",
        ),
        (
            {"products": [{"name": "Guci", "category": "vase", "standard": "pottery"}]},
            422,
            "no standard 'pottery' is installed",
        ),
        ({"agreement_version": "2025.1"}, 422, "the current version is 2026.1"),
        ({"email": None, "phone": None}, 422, "give an e-mail address or a phone number"),
        ({"markets": ["mars"]}, 422, "unknown market 'mars'"),
        (
            {"products": [{"name": "Guci", "category": "vase", "standard": "ceramics"}] * 2},
            422,
            "'Guci' is named twice",
        ),
    ],
)
def test_a_bad_application_is_refused_naming_the_problem(
    api: TestClient, changes: dict[str, Any], status: int, named: str
) -> None:
    answer = api.post("/api/v1/applications", json=application(**changes))
    assert answer.status_code == status, answer.json()
    assert named in answer.json()["detail"]


def test_an_application_without_accepting_the_agreement_is_refused(api: TestClient) -> None:
    answer = api.post("/api/v1/applications", json=application(accept_agreement=False))
    assert answer.status_code == 422
    assert "accept_agreement" in str(answer.json())


def test_a_second_application_for_the_same_product_is_refused_while_one_is_open(api: TestClient, world: World) -> None:
    """Same workshop (name in its province, any case or spacing) and same product name: 409 while
    the first is received or accepted and not yet inspected; after a decline, one may apply again."""
    first = applied(api)
    twin = application(
        workshop="  gerabah KASONGAN  lestari ",
        products=[{"name": "vas bunga terakota", "category": "planter", "standard": "ceramics"}],
    )
    answer = api.post("/api/v1/applications", json=twin)
    assert answer.status_code == 409, answer.json()
    assert "'vas bunga terakota' of" in answer.json()["detail"] and "open application" in answer.json()["detail"]
    elsewhere = application(province="Jawa Tengah")  # another workshop of the same name
    assert api.post("/api/v1/applications", json=elsewhere).status_code == 201
    assert accept(api, world, first["id"]).status_code == 200
    assert api.post("/api/v1/applications", json=twin).status_code == 409  # accepted, not yet inspected
    decline = {"decision": "decline", "reasons": ["incomplete"]}
    second = applied(api, products=[{"name": "Piring", "category": "dinnerware", "standard": "ceramics"}])
    api.post(f"/api/v1/applications/{second['id']}/review", json=decline, headers=world["certifier"].headers)
    assert (
        api.post(
            "/api/v1/applications",
            json=application(products=[{"name": "Piring", "category": "dinnerware", "standard": "ceramics"}]),
        ).status_code
        == 201
    )


def test_an_inspector_not_authorised_for_ceramics_cannot_be_assigned_nor_inspect(
    api: TestClient, world: World, database: Database
) -> None:
    """Authorised for every standard but ceramics: the assignment is refused (403 naming the
    standard and the day), and so is a ceramics inspection the inspector submits anyway."""
    user, token = accounts.create_user(database=database, role="inspector", name="Gede Mahendra")
    for standard in sorted({s.id for s in BOOK.standards()} - {"ceramics"}):
        competence.authorise(
            database=database, standards=BOOK, user_id=user.id, body=competence.AuthorisationCreate(standard=standard)
        )
    received = applied(api)
    checks = api.get(f"/api/v1/applications/{received['id']}/checks", headers=world["certifier"].headers).json()
    assert user.id not in {i["id"] for i in checks["inspectors"]}
    body = {"decision": "accept", "inspector_id": user.id, "due_on": _in(7).isoformat()}
    answer = api.post(f"/api/v1/applications/{received['id']}/review", json=body, headers=world["certifier"].headers)
    assert answer.status_code == 403, answer.json()
    assert f"Gede Mahendra is not authorised for the standard 'ceramics' on {_in(7)}" in answer.json()["detail"]
    assert api.get(f"/api/v1/applications/tracking/{received['token']}").json()["state"] == "received"
    assert accept(api, world, received["id"]).status_code == 200
    product_id = api.get(f"/api/v1/applications/tracking/{received['token']}").json()["products"][0]["product_id"]
    inspection = inspection_body(world, BOOK, product_id, VASE, standard="ceramics")
    refused = api.post("/api/v1/inspections", json=inspection, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert "not authorised for the standard 'ceramics'" in refused.json()["detail"]


def test_an_authorisation_that_ended_yesterday_takes_no_assignment_nor_inspection_today(
    api: TestClient, world: World, database: Database
) -> None:
    user, token = accounts.create_user(database=database, role="inspector", name="Ketut Budiasa")
    yesterday = _in(-1)
    competence.authorise(
        database=database,
        standards=BOOK,
        user_id=user.id,
        body=competence.AuthorisationCreate(standard="ceramics", starts_on=_in(-60), ends_on=yesterday),
    )
    received = applied(api)
    body = {"decision": "accept", "inspector_id": user.id, "due_on": date.today().isoformat()}
    answer = api.post(f"/api/v1/applications/{received['id']}/review", json=body, headers=world["certifier"].headers)
    assert answer.status_code == 403
    assert f"not authorised for the standard 'ceramics' on {date.today()}" in answer.json()["detail"]
    assert accept(api, world, received["id"]).status_code == 200  # to an inspector authorised today
    product_id = api.get(f"/api/v1/applications/tracking/{received['token']}").json()["products"][0]["product_id"]
    inspection = inspection_body(world, BOOK, product_id, VASE, standard="ceramics")
    refused = api.post("/api/v1/inspections", json=inspection, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403  # nor may the lapsed inspector inspect it today
    assert f"not authorised for the standard 'ceramics' on {date.today()}" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"inspector_id": None}, "accepting assigns an inspector and a due date"),
        ({"due_on": "2020-01-01"}, "2020-01-01 has passed"),
        ({"inspector": "certifier2"}, "is not an inspector"),
    ],
)
def test_a_bad_acceptance_is_refused_naming_the_problem(
    api: TestClient, world: World, changes: dict[str, Any], named: str
) -> None:
    received = applied(api)
    changes = dict(changes)  # the parameter is shared by both back ends' runs
    inspector = changes.pop("inspector", "inspector")
    answer = accept(api, world, received["id"], inspector, **changes)
    assert answer.status_code == 422, answer.json()
    assert named in answer.json()["detail"]


def test_only_certifiers_and_admins_review_and_a_token_is_the_only_way_in(api: TestClient, world: World) -> None:
    received = applied(api)
    for who in ("inspector", "artisan"):
        answer = (
            accept(api, world, received["id"])
            if who == "certifier"
            else api.post(
                f"/api/v1/applications/{received['id']}/review",
                json={"decision": "decline", "reasons": ["incomplete"]},
                headers=world[who].headers,
            )
        )
        assert answer.status_code == 403
        assert api.get("/api/v1/applications", headers=world[who].headers).status_code == 403
    assert api.get(f"/api/v1/applications/{received['id']}").status_code == 401
    assert api.get(f"/api/v1/applications/tracking/{received['token'][:-1]}x").status_code == 404
    assert api.get("/api/v1/applications", headers=world["admin"].headers).json()[0]["email"] == (
        "sri@kasongan.example"
    )


def test_the_current_agreement_is_published_in_both_languages(api: TestClient) -> None:
    current = api.get("/api/v1/agreement").json()
    assert current["version"] == "2026.1"
    assert current["title"] == {"en": "Certification agreement", "id": "Perjanjian sertifikasi"}
    assert all(clause["id"] and clause["en"] for clause in current["clauses"])
    assert api.get("/api/v1/agreement/1999.1").status_code == 404


def test_a_workshop_on_record_gets_the_products_and_a_conflicted_inspector_is_refused(
    api: TestClient, world: World, database: Database
) -> None:
    """The application of a workshop already on record (its name and province, any case) adds its
    products to it; an inspector who declared a conflict of interest with it is neither offered
    nor accepted (403), another is."""
    conflicts.declare_conflict(
        database=database, user_id=world["inspector"].id, holder_id=world.holders["jepara"], reason="family"
    )
    received = applied(
        api,
        workshop="MEBEL UKIR JEPARA JAYA",
        province="Jawa Tengah",
        products=[{"name": "Meja Makan Jati", "category": "furniture", "standard": "wood"}],
    )
    checks = api.get(f"/api/v1/applications/{received['id']}/checks", headers=world["certifier"].headers).json()
    assert checks["existing_holder_id"] == world.holders["jepara"]
    assert [i["id"] for i in checks["inspectors"]] == [world["inspector2"].id]
    refused = accept(api, world, received["id"])
    assert refused.status_code == 403 and "conflict of interest" in refused.json()["detail"]
    accepted = accept(api, world, received["id"], "inspector2").json()
    assert accepted["holder_id"] == world.holders["jepara"]
    products = api.get(f"/api/v1/holders/{world.holders['jepara']}/products", headers=world["admin"].headers).json()
    assert "Meja Makan Jati" in [p["name"] for p in products]
