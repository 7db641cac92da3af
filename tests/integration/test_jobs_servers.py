"""Several servers over one PostgreSQL database: `certify jobs run` started by four processes at
once suspends each overdue certificate once and sends each reminder once; a delivery process
killed with SIGKILL mid-batch loses no event (the rows are taken again when their lease ends)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from certify.config import Settings
from certify.core.scheme import overdue_at, start_of
from certify.rulebook import Rulebook
from certify.services import certificates, subscriptions
from certify.services.delivery import LEASE
from certify.store.database import Database
from certify.store.tables import Outbox
from tests.conftest import ROOT
from tests.integration.test_scheme_over_time import GRACE, Scene
from tests.receivers import Mailbox, smtp_server, webhook_receiver

pytestmark = pytest.mark.postgres
CERTIFICATES = 12


@pytest.fixture
def backend() -> str:
    return "postgresql"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


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
    )


def _environment(database_url: str, settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "CERTIFY_DATABASE_URL": database_url,
        "CERTIFY_DATA_DIR": str(settings.data_dir),
        "CERTIFY_WEBHOOK_ALLOW_PRIVATE": "true",
        "CERTIFY_WEBHOOK_ALLOW_HTTP": "true",
        "CERTIFY_SMTP_HOST": str(settings.smtp_host),
        "CERTIFY_SMTP_PORT": str(settings.smtp_port),
        "CERTIFY_SMTP_STARTTLS": "false",
        "CERTIFY_REMINDER_DAYS": "30",
    }


def _jobs_run(environment: dict[str, str], now: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "certify.cli", "jobs", "run", "--now", now],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_servers_running_jobs_at_once_suspend_once_and_mail_once(
    database: Database, database_url: str, settings: Settings, rulebook: Rulebook, mailbox: Mailbox
) -> None:
    scene = Scene(database, settings, rulebook)
    ids = [scene.issue() for _ in range(CERTIFICATES)]  # each supersedes the one before: only the last is live
    live = ids[-1]
    due = scene.certificate(live).surveillance_due
    assert due is not None
    environment = _environment(database_url, settings)
    for now in (start_of(due - timedelta(days=30)), overdue_at(due, GRACE)):
        runs = [_jobs_run(environment, now.isoformat()) for _ in range(4)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0] * 4, outputs
    assert len(mailbox.to("slamet@example.id")) == 1
    assert [event for event, _ in scene.logged(live)].count("suspended") == 1
    assert scene.certificate(live).status == "suspended"


def test_a_delivery_process_killed_mid_batch_loses_no_event(
    database: Database, database_url: str, settings: Settings, rulebook: Rulebook
) -> None:
    scene = Scene(database, settings, rulebook)
    certificate_id = scene.issue()
    with webhook_receiver(slow_seconds=0.2) as receiver:
        for _ in range(20):
            subscription = subscriptions.subscribe(
                database=database,
                settings=settings,
                body=subscriptions.SubscriptionCreate(certificate_id=certificate_id, url=receiver.url),
            )
            receiver.secrets.append(subscription.secret or "")
        certificates.change_status(
            database=database,
            actor=scene.world["certifier"].user,
            certificate_id=certificate_id,
            action="suspend",
            reason="test",
        )
        environment = _environment(database_url, settings)
        now = scene.certificate(certificate_id).issued_at + timedelta(minutes=1)
        first = _jobs_run(environment, now.isoformat())
        deadline = time.monotonic() + 60
        while not receiver.received:
            assert time.monotonic() < deadline and first.poll() is None, "no delivery began"
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        with database.read() as session:
            sent = session.exec(select(Outbox).where(col(Outbox.delivered_at).is_not(None))).all()
        assert len(sent) < 20  # killed before the batch's results were written
        again = _jobs_run(environment, (now + LEASE + timedelta(seconds=1)).isoformat())
        output = again.communicate(timeout=120)
        assert again.returncode == 0, output
        with database.read() as session:
            rows = session.exec(select(Outbox).where(Outbox.channel == "webhook")).all()
        assert len(rows) == 20 and all(row.delivered_at is not None for row in rows)
        assert {row.message_id for row in rows} == set(receiver.ids())
