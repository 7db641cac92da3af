"""The work `certify serve` does by itself: every `CERTIFY_JOBS_INTERVAL_SECONDS`, the actions that
fell due, then the outbox. Any number of servers may run it over one PostgreSQL database: due
actions and deliveries are claimed with `FOR UPDATE SKIP LOCKED`, each done once."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from certify.config import Settings
from certify.services import delivery, jobs
from certify.store.database import Database

logger = logging.getLogger(__name__)


@dataclass
class RunReport:
    due: jobs.JobReport
    deliveries: delivery.DeliveryReport


def run_once(*, database: Database, settings: Settings, now: datetime | None = None) -> RunReport:
    """All due work as of `now` (default: the clock), then every delivery that can go."""
    at = now or datetime.now(UTC)
    due = jobs.run_due(database=database, now=at)
    return RunReport(due, delivery.deliver_due(database=database, settings=settings, now=now))


class Worker:
    """A thread running `run_once` periodically until stopped."""

    def __init__(self, *, database: Database, settings: Settings) -> None:
        self._database, self._settings = database, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="certify-jobs", daemon=True)

    def start(self) -> None:
        if self._settings.jobs_interval_seconds > 0:
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.wait(self._settings.jobs_interval_seconds):
            try:
                report = run_once(database=self._database, settings=self._settings)
                if report.due.total or report.deliveries.delivered or report.deliveries.failed:
                    logger.info("jobs: %s; deliveries: %s", report.due, report.deliveries)
            except Exception:  # a database hiccup must not end the loop: the next round retries
                logger.exception("jobs: the round failed; the next one retries")
