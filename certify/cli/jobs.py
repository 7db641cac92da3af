"""`certify jobs run [--now ISO-8601]`: run all work due as of an instant (reminders, automatic
suspensions, recorded expiry), then deliver the outbox. `certify serve` does this periodically."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from certify.cli import UsageError
from certify.config import settings
from certify.services import worker
from certify.store.database import Database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("jobs", help="run the work that has fallen due (certify serve does it periodically)")
    commands = parser.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    run = commands.add_parser("run", help="run every due action and deliver the outbox, once")
    run.add_argument(
        "--now",
        metavar="ISO-8601",
        help="the instant to run as of (default: the clock), e.g. 2027-03-04T00:00:00Z; for operators and tests",
    )
    run.set_defaults(run=_run)


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"certify jobs run: --now {text!r} is not an ISO-8601 instant (e.g. 2027-03-04T00:00:00Z)"
        ) from None
    if at.tzinfo is None:
        raise UsageError(f"certify jobs run: --now {text!r} needs a time zone (Z or +07:00)")
    return at.astimezone(UTC)


def _run(args: argparse.Namespace) -> int:
    now = _instant(args.now)
    config = settings()
    database = Database.connect(config.database, pool_size=4)
    try:
        report = worker.run_once(database=database, settings=config, now=now)
    finally:
        database.dispose()
    due, sent = report.due, report.deliveries
    print(f"due actions: {due.applied} applied, {due.moot} moot")
    print(f"deliveries: {sent.delivered} delivered, {sent.failed} to retry, {sent.dead} dead-lettered")
    return 0
