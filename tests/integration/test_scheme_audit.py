"""`certify audit` after the scheme's automatic work: the leaves of an automatic suspension, a
kept surveillance and a recorded expiry agree with the statuses the registry answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from certify.app import create_app
from certify.cli import main
from certify.config import Settings
from certify.core.scheme import overdue_at, start_of
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.integration.test_scheme_over_time import GRACE, Scene
from tests.receivers import Mailbox, smtp_server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def settings(tmp_path: Path, mailbox: Mailbox) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        render_workers=0,
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        smtp_starttls=False,
        public_rate_per_second=0,
        public_read_rate_per_second=0,
    )


def _serve(scene: Scene) -> Iterator[str]:
    app = create_app(scene.settings, database=scene.database, rulebook=scene.rulebook)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    instance = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_the_audit_is_clean_after_automatic_suspension_surveillance_and_expiry(
    database: Database, settings: Settings, rulebook: Rulebook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scene = Scene(database, settings, rulebook)
    surveyed, expiring = scene.issue(), scene.issue()  # the second supersedes the first
    due = scene.certificate(expiring).surveillance_due
    assert due is not None
    scene.run(overdue_at(due, GRACE))
    scene.decide(scene.inspect(surveys=expiring), "keep", now=overdue_at(due, GRACE) + timedelta(days=1))
    scene.run(start_of(scene.certificate(expiring).valid_until + timedelta(days=2)))
    events = [event for event, _ in scene.logged(expiring)]
    assert events == ["issued", "pdf", "suspended", "surveillance_kept", "expired"]
    assert [event for event, _ in scene.logged(surveyed)][-1] == "superseded"
    server = _serve(scene)
    url = next(server)
    try:
        status = main(["audit", "--server", url, "--state", str(tmp_path / "head.json")])
        out = capsys.readouterr().out
    finally:
        next(server, None)
    assert status == 0 and "checks out" in out
