"""The scheme over time on a simulated clock (both back ends): a product certificate under a
yearly-surveillance scheme walks through a missed surveillance (suspended at the first instant
after its grace, reinstated by a late one), a second surveillance, renewal and supersession;
every step is a leaf of the log; reminders reach a real SMTP server; a webhook receiver that
fails three times gets every event once, in order, signed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from certify.config import Settings
from certify.core.lifecycle import add_months
from certify.core.scheme import overdue_at, start_of
from certify.core.standard import Standard
from certify.rulebook import Rulebook
from certify.services import certificates, inspections, subscriptions, worker
from certify.services.decisions import decide
from certify.services.errors import Conflict
from certify.services.models import CertificatePublic, DecisionCreate, InspectionCreate
from certify.store.database import Database
from certify.store.tables import Certificate, DueAction, Outbox, User
from tests.api.conftest import CERTIFIED_FURNITURE, World, build_world, inspection_body
from tests.receivers import Mailbox, WebhookReceiver, body_of, smtp_server, webhook_receiver

GRACE = 30
ARTISAN_MAIL = "slamet@example.id"


def _fake_pdf(**_: Any) -> bytes:
    return b"%PDF-1.7 a certificate rendered elsewhere"


def surveyed_wood(rulebook: Rulebook) -> Rulebook:
    """The wood standard under a product scheme: valid 36 months, surveyed every 12, grace 30 days."""
    wood = rulebook.get("wood").model_dump(by_alias=True)
    scheme = {"type": "product", "surveillance_months": 12, "grace_days": GRACE}
    return Rulebook([Standard.model_validate({**wood, "validity_months": 36, "scheme": scheme})])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver(failures=3) as hook:
        yield hook


@pytest.fixture
def settings(tmp_path: Path, mailbox: Mailbox) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        render_workers=0,
        webhook_allow_private=True,
        webhook_allow_http=True,
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        smtp_starttls=False,
        reminder_days="30",
        outbox_backoff_seconds=60,
    )


class Scene:
    def __init__(self, database: Database, settings: Settings, rulebook: Rulebook) -> None:
        self.database, self.settings, self.rulebook = database, settings, surveyed_wood(rulebook)
        self.world: World = build_world(database)
        self.issuance = certificates.Issuance.from_settings(settings, render=_fake_pdf)
        with database.write() as session:
            artisan = session.get(User, self.world["artisan"].id)
            assert artisan is not None
            artisan.email = ARTISAN_MAIL
            session.add(artisan)

    def inspect(self, surveys: str | None = None) -> int:
        body = inspection_body(self.world, self.rulebook, self.world.products["jepara_furniture"], CERTIFIED_FURNITURE)
        created = InspectionCreate.model_validate({**body, "surveys": surveys})
        submitted = inspections.submit_inspection(
            database=self.database, standards=self.rulebook, inspector=self.world["inspector"].user, body=created
        )
        inspection_id: int = submitted.inspection["id"]
        return inspection_id

    def decide(self, inspection_id: int, outcome: str, now: datetime | None = None) -> Any:
        return decide(
            database=self.database,
            standards=self.rulebook,
            certifier=self.world["certifier2"].user,
            inspection_id=inspection_id,
            decision=DecisionCreate.model_validate({"decision": outcome}),
            issuance=self.issuance,
            now=now,
        )

    def issue(self) -> str:
        issued = self.decide(self.inspect(), "issue")
        assert isinstance(issued, CertificatePublic) and issued.certificate_id is not None
        return issued.certificate_id

    def run(self, now: datetime) -> worker.RunReport:
        return worker.run_once(database=self.database, settings=self.settings, now=now)

    def certificate(self, certificate_id: str) -> Certificate:
        with self.database.read() as session:
            return session.exec(select(Certificate).where(Certificate.certificate_id == certificate_id)).one()

    def logged(self, certificate_id: str) -> list[tuple[str, str]]:
        with self.database.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM log_leaves WHERE certificate_id = :c ORDER BY leaf_index"), {"c": certificate_id}
            ).all()
        return [(json.loads(bytes(r[0]))["event"], json.loads(bytes(r[0]))["status"]) for r in rows]


@pytest.fixture
def scene(database: Database, settings: Settings, rulebook: Rulebook) -> Scene:
    return Scene(database, settings, rulebook)


def test_a_product_certificate_walks_through_surveillance_a_missed_one_renewal_and_supersession(
    scene: Scene, mailbox: Mailbox, receiver: WebhookReceiver
) -> None:
    old = scene.issue()
    issued = scene.certificate(old)
    first_due = add_months(issued.valid_from, 12)
    assert issued.surveillance_due == first_due
    hook = subscriptions.subscribe(
        database=scene.database,
        settings=scene.settings,
        body=subscriptions.SubscriptionCreate(certificate_id=old, url=receiver.url),
    )
    assert hook.secret is not None and hook.secret.startswith("whsec_")
    receiver.secret = hook.secret

    # 30 days before the surveillance falls due: the reminder reaches the holder's artisan
    scene.run(start_of(first_due - timedelta(days=30), scene.settings.zone))
    reminders = mailbox.to(ARTISAN_MAIL)
    assert len(reminders) == 1 and first_due.isoformat() in reminders[0]["Subject"]

    # the last instant of the grace: still valid; the first instant after it: suspended, once
    overdue = overdue_at(first_due, GRACE, scene.settings.zone)
    scene.run(overdue - timedelta(seconds=1))
    assert scene.certificate(old).status == "valid"
    report = scene.run(overdue)
    assert report.due.applied == 1
    suspended = scene.certificate(old)
    assert suspended.status == "suspended" and suspended.history[-1]["reason"] == "surveillance overdue"
    assert scene.run(overdue + timedelta(hours=1)).due.applied == 0

    # a late surveillance reinstates it; the next one falls due a year after the first
    late = overdue + timedelta(days=5)
    scene.decide(scene.inspect(surveys=old), "keep", now=late)
    kept = scene.certificate(old)
    assert kept.status == "valid" and kept.surveillance_due == add_months(issued.valid_from, 24)

    # the second surveillance, on time: the overdue action of the first is moot, nothing suspends
    second = kept.surveillance_due
    assert second is not None
    scene.decide(scene.inspect(surveys=old), "keep", now=start_of(second - timedelta(days=3), scene.settings.zone))
    assert scene.certificate(old).surveillance_due is None  # the third would fall at expiry
    clock = overdue_at(second, GRACE, scene.settings.zone) + timedelta(days=1)
    scene.run(clock)
    assert scene.certificate(old).status == "valid"

    # renewal: a new inspection issues a certificate that supersedes the old one
    new = scene.issue()
    assert scene.certificate(old).status == "superseded"
    assert scene.certificate(old).superseded_by_id == scene.certificate(new).id
    assert scene.logged(old) == [
        ("issued", "valid"),
        ("pdf", "valid"),
        ("suspended", "suspended"),
        ("surveillance_kept", "valid"),
        ("surveillance_kept", "valid"),
        ("superseded", "superseded"),
    ]

    # the receiver failed three times; retried with backoff, it has each event once, in order
    at = clock
    for _ in range(10):
        at += timedelta(hours=1)
        scene.run(at)
    assert receiver.events() == ["suspended", "surveillance_kept", "surveillance_kept", "superseded"]
    assert len(set(receiver.ids())) == 4 and receiver.bad_signatures == 0 and receiver.attempts == 7
    assert receiver.received[0][1]["data"]["reason"] == "surveillance overdue"


def test_a_surveillance_of_a_withdrawn_certificate_is_refused(scene: Scene) -> None:
    certificate_id = scene.issue()
    certificates.change_status(
        database=scene.database,
        actor=scene.world["certifier"].user,
        certificate_id=certificate_id,
        action="withdraw",
        reason="fraud",
    )
    with pytest.raises(Conflict, match="has been withdrawn"):
        scene.inspect(surveys=certificate_id)


def test_a_first_inspection_is_not_decided_keep_nor_a_surveillance_issued(scene: Scene) -> None:
    certificate_id = scene.issue()
    with pytest.raises(Conflict, match="a first inspection is decided issue or refuse"):
        scene.decide(scene.inspect(), "keep")
    with pytest.raises(Conflict, match="a surveillance inspection is decided keep, suspend or withdraw"):
        scene.decide(scene.inspect(surveys=certificate_id), "issue")


def test_expiry_is_recorded_once_as_a_leaf_at_the_end_of_validity(scene: Scene) -> None:
    certificate_id = scene.issue()
    until = scene.certificate(certificate_id).valid_until
    end = start_of(until + timedelta(days=1), scene.settings.zone)
    scene.run(end - timedelta(seconds=1))
    assert scene.certificate(certificate_id).status in ("valid", "suspended")
    scene.run(end)
    scene.run(end + timedelta(days=1))
    assert scene.certificate(certificate_id).status == "expired"
    assert scene.logged(certificate_id)[-1] == ("expired", "expired")
    assert [event for event, _ in scene.logged(certificate_id)].count("expired") == 1


def test_a_webhook_that_never_succeeds_is_dead_lettered_after_the_bounded_tries(scene: Scene, tmp_path: Path) -> None:
    certificate_id = scene.issue()
    with webhook_receiver(failures=1000) as hook:
        subscriptions.subscribe(
            database=scene.database,
            settings=scene.settings,
            body=subscriptions.SubscriptionCreate(certificate_id=certificate_id, url=hook.url),
        )
        certificates.change_status(
            database=scene.database,
            actor=scene.world["certifier"].user,
            certificate_id=certificate_id,
            action="suspend",
            reason="lab report doubtful",
        )
        at = datetime.now(UTC)
        for _ in range(scene.settings.outbox_max_attempts + 2):
            scene.run(at)
            at += timedelta(days=1)
        assert hook.attempts == scene.settings.outbox_max_attempts
    with scene.database.read() as session:
        dead = session.exec(select(Outbox).where(Outbox.channel == "webhook")).one()
    assert dead.dead_at is not None and dead.last_error == "answered 500"


def test_a_lot_scheme_and_a_standard_without_one_schedule_no_surveillance(
    database: Database, settings: Settings, rulebook: Rulebook
) -> None:
    plain = Scene(database, settings, rulebook)
    plain.rulebook = rulebook  # the bundled 2026.1 file declares no scheme
    certificate_id = plain.issue()
    assert plain.certificate(certificate_id).surveillance_due is None
    with database.read() as session:
        kinds = {row.kind for row in session.exec(select(DueAction))}
    assert kinds == {"expiry_reminder", "expiry"}
    assert date.today() < plain.certificate(certificate_id).valid_until


def test_an_email_subscription_starts_only_once_its_link_is_followed(scene: Scene, mailbox: Mailbox) -> None:
    """Double opt-in: the confirmation mail carries the link; before it is followed nothing is
    sent to the address, after it every status change is."""
    certificate_id = scene.issue()
    body = subscriptions.SubscriptionCreate(certificate_id=certificate_id, email="buyer@example.com")
    subscriptions.subscribe(database=scene.database, settings=scene.settings, body=body)
    at = datetime.now(UTC) + timedelta(minutes=1)
    scene.run(at)
    [confirmation] = mailbox.to("buyer@example.com")
    assert "Confirm your subscription" in confirmation["Subject"]
    link = next(word for word in body_of(confirmation).split() if "/subscriptions/confirm/" in word)
    certificates.change_status(
        database=scene.database,
        actor=scene.world["certifier"].user,
        certificate_id=certificate_id,
        action="suspend",
        reason="x",
    )
    scene.run(at + timedelta(minutes=1))
    assert len(mailbox.to("buyer@example.com")) == 1  # not confirmed: nothing about the change
    subscriptions.confirm(database=scene.database, token=link.rsplit("/", 1)[1])
    certificates.change_status(
        database=scene.database,
        actor=scene.world["certifier"].user,
        certificate_id=certificate_id,
        action="reinstate",
        reason="y",
    )
    scene.run(at + timedelta(minutes=2))
    [_, change] = mailbox.to("buyer@example.com")
    assert change["Subject"] == f"{certificate_id}: valid" and "Status sertifikat" in body_of(change)


def test_the_server_delivers_by_itself_every_interval(scene: Scene) -> None:
    """`certify serve`'s worker: a suspension reaches a subscribed receiver with nobody running jobs."""
    certificate_id = scene.issue()
    with webhook_receiver() as receiver:
        hook = subscriptions.subscribe(
            database=scene.database,
            settings=scene.settings,
            body=subscriptions.SubscriptionCreate(certificate_id=certificate_id, url=receiver.url),
        )
        receiver.secret = hook.secret or ""
        certificates.change_status(
            database=scene.database,
            actor=scene.world["certifier"].user,
            certificate_id=certificate_id,
            action="suspend",
            reason="z",
        )
        running = worker.Worker(
            database=scene.database, settings=scene.settings.model_copy(update={"jobs_interval_seconds": 0.05})
        )
        running.start()
        try:
            deadline = time.monotonic() + 30
            while not receiver.received and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            running.stop()
    assert receiver.events() == ["suspended"]


def test_a_delivery_to_a_private_address_is_refused_when_the_operator_no_longer_allows_it(scene: Scene) -> None:
    """The target is checked again at each delivery, on the addresses it resolves to."""
    certificate_id = scene.issue()
    with webhook_receiver() as receiver:
        subscriptions.subscribe(
            database=scene.database,
            settings=scene.settings,
            body=subscriptions.SubscriptionCreate(
                certificate_id=certificate_id, url=receiver.url.replace("127.0.0.1", "localhost")
            ),
        )
        certificates.change_status(
            database=scene.database,
            actor=scene.world["certifier"].user,
            certificate_id=certificate_id,
            action="suspend",
            reason="q",
        )
        strict = scene.settings.model_copy(update={"webhook_allow_private": False})
        worker.run_once(database=scene.database, settings=strict, now=datetime.now(UTC) + timedelta(minutes=1))
        assert receiver.attempts == 0
    with scene.database.read() as session:
        row = session.exec(select(Outbox).where(Outbox.channel == "webhook")).one()
    assert row.delivered_at is None and "private, loopback or link-local" in (row.last_error or "")
