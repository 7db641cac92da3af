"""What people see of the scheme over time: the two walkthroughs of issue 16.

1. With `--now` past a certificate's surveillance date and grace, `certify jobs run` suspends it,
   /verify/{id} says why, the log has the leaf, a subscribed local webhook receiver got a signed
   delivery, and the SMTP server got the reminder sent earlier.
2. A complaint sent from the verify page gets a tracking ID, is handled by an uninvolved
   certifier, and its outcome shows on its tracking page, in Indonesian and English.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certify.cli import main
from certify.config import Settings, settings
from certify.core.scheme import overdue_at, start_of
from certify.rulebook import Rulebook
from certify.services import subscriptions
from certify.store.database import Database
from tests.api.conftest import World
from tests.integration.test_scheme_over_time import GRACE, Scene
from tests.receivers import Mailbox, smtp_server, webhook_receiver
from tests.web.conftest import csrf_of


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def test_jobs_run_past_the_grace_suspends_and_everyone_who_relies_on_it_hears(
    database: Database,
    database_url: str,
    rulebook: Rulebook,
    tmp_path: Path,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "CERTIFY_DATABASE_URL": database_url,
        "CERTIFY_DATA_DIR": str(tmp_path / "data"),
        "CERTIFY_WEBHOOK_ALLOW_PRIVATE": "true",
        "CERTIFY_WEBHOOK_ALLOW_HTTP": "true",
        "CERTIFY_SMTP_HOST": mailbox.host,
        "CERTIFY_SMTP_PORT": str(mailbox.port),
        "CERTIFY_SMTP_STARTTLS": "false",
        "CERTIFY_REMINDER_DAYS": "30",
    }.items():
        monkeypatch.setenv(name, value)
    settings.cache_clear()
    try:
        scene = Scene(database, Settings(), rulebook)
        certificate_id = scene.issue()
        due = scene.certificate(certificate_id).surveillance_due
        assert due is not None
        with webhook_receiver() as receiver:
            hook = subscriptions.subscribe(
                database=database,
                settings=Settings(),
                body=subscriptions.SubscriptionCreate(certificate_id=certificate_id, url=receiver.url),
            )
            receiver.secret = hook.secret or ""
            assert main(["jobs", "run", "--now", start_of(due - timedelta(days=30)).isoformat()]) == 0
            assert len(mailbox.to("slamet@example.id")) == 1  # the reminder, before it fell due
            assert main(["jobs", "run", "--now", overdue_at(due, GRACE).isoformat()]) == 0
            assert receiver.events() == ["suspended"] and receiver.bad_signatures == 0
        assert scene.logged(certificate_id)[-1] == ("suspended", "suspended")
        app_settings = Settings(data_dir=tmp_path / "data", render_workers=0, public_rate_per_second=0)
        from certify.app import create_app

        with TestClient(create_app(app_settings, database=database, rulebook=scene.rulebook)) as client:
            page = client.get(f"/verify/{certificate_id}", headers={"Accept-Language": "id"}).text
            assert "dibekukan" in page.lower() and "pengawasan terlambat" in page
            english = client.get(f"/verify/{certificate_id}", headers={"Accept-Language": "en"}).text
            assert "surveillance overdue" in english
    finally:
        settings.cache_clear()


def test_bad_instants_for_jobs_run_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "run", "--now", "next tuesday"]) == 2
    assert main(["jobs", "run", "--now", "2027-03-04T00:00:00"]) == 2
    err = capsys.readouterr().err
    assert "is not an ISO-8601 instant" in err and "needs a time zone" in err


def test_a_complaint_from_the_verify_page_is_tracked_to_its_outcome(
    browser_client: TestClient, web_world: tuple[Database, World, Settings], rulebook: Rulebook
) -> None:
    from tests.api.test_certificates import issue

    _database, world, _settings = web_world
    certificate_id = issue(browser_client, world, rulebook)["certificate_id"]
    page = browser_client.get(f"/verify/{certificate_id}", headers={"Accept-Language": "en"}).text
    assert "Report a problem" in page
    sent = browser_client.post(
        "/complaints",
        data={
            "certificate_id": certificate_id,
            "message": "The seller's label shows another grade.",
            "csrf": csrf_of(page),
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    tracking_path = sent.headers["location"]
    tracking_id = tracking_path.rsplit("/", 1)[1]
    received = browser_client.get(tracking_path, headers={"Accept-Language": "id"}).text
    assert tracking_id in received and "Diterima" in received

    for certifier, expected in (("certifier", 403), ("certifier2", 200)):  # "certifier" issued it
        answer = browser_client.post(
            f"/api/v1/complaints/{tracking_id}/assignment",
            json={"certifier_id": world[certifier].id},
            headers=world["admin"].headers,
        )
        assert answer.status_code == expected
    browser_client.post(
        f"/api/v1/complaints/{tracking_id}/outcome",
        json={"outcome": "dismissed", "answer": "The label matches the certificate."},
        headers=world["certifier2"].headers,
    )
    closed = browser_client.get(tracking_path, headers={"Accept-Language": "en"}).text
    assert "Closed" in closed and "Dismissed" in closed and "The label matches the certificate." in closed
    indonesian = browser_client.get(tracking_path, headers={"Accept-Language": "id"}).text
    assert "Selesai" in indonesian and "Ditolak" in indonesian


def test_an_empty_report_and_an_unknown_tracking_id_answer_a_page_that_says_so(browser_client: TestClient) -> None:
    page = browser_client.get("/verify", headers={"Accept-Language": "en"}).text
    empty = browser_client.post(
        "/complaints", data={"certificate_id": "IDC-2026-XXXX", "message": "  ", "csrf": csrf_of(page)}
    )
    assert empty.status_code == 422 and "Mohon jelaskan masalahnya." in empty.text  # Indonesian first
    unknown = browser_client.get("/complaints/TRK-NOTHING", headers={"Accept-Language": "en"})
    assert unknown.status_code == 404 and "No complaint or appeal has this tracking ID." in unknown.text
