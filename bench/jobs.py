"""The scheme over time at scale, on SQLite in a temporary folder (or PostgreSQL: `--postgres URL`
of an empty, throw-away database).

Prints:
- `due_actions_per_second`: N certificates (default 100,000, bulk-loaded) whose surveillance is
  overdue at the same instant, suspended by `jobs.run_due` (each: status, history, event, log
  leaf, directory), with the yardstick `log_appends_per_second`: bare log leaves appended in
  batches of the same size, in the same database (the part of a due action nobody can skip).
- `webhook_fanout_seconds[10000]`: one status change with 10,000 webhook subscriptions, from the
  change to the last signed delivery acknowledged by a local receiver (an HTTP/1.1 server on
  127.0.0.1), with the yardstick `plain_posts_seconds[10000]`: the same 10,000 POSTs, unsigned and
  without the outbox, from the same client to the same receiver.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certify.config import Settings  # noqa: E402
from certify.services import certificates, delivery, jobs, log  # noqa: E402
from certify.services.principal import Principal  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402
from certify.store.tables import (  # noqa: E402
    Certificate,
    Decision,
    DueAction,
    Holder,
    Inspection,
    Product,
    Subscription,
    User,
)

ISSUED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DUE = date(2027, 1, 5)
OVERDUE = datetime(2027, 2, 5, tzinfo=UTC)
CHUNK = 5000


def load(database: Database, count: int) -> None:
    """`count` certificates of 100 holders, each with its overdue surveillance queued."""
    with database.write() as session:
        session.execute(insert(User), [{"id": 1, "name": "Bench certifier", "role": "certifier", "created_at": ISSUED}])
        session.execute(
            insert(Holder),
            [
                {"id": h, "name": f"Workshop {h}", "province": "Bali", "crafts": [], "created_at": ISSUED}
                for h in range(1, 101)
            ],
        )
        session.execute(
            insert(Product),
            [
                {"id": h, "holder_id": h, "name": "Kursi", "category": "furniture", "created_at": ISSUED}
                for h in range(1, 101)
            ],
        )
    for start in range(1, count + 1, CHUNK):
        numbers = range(start, min(start + CHUNK, count + 1))
        with database.write() as session:
            session.execute(insert(Inspection), [_inspection(n) for n in numbers])
            session.execute(
                insert(Decision),
                [
                    {"id": n, "inspection_id": n, "certifier_id": 1, "outcome": "issue", "decided_at": ISSUED}
                    for n in numbers
                ],
            )
            session.execute(insert(Certificate), [_certificate(n) for n in numbers])
            session.execute(
                insert(DueAction),
                [
                    {
                        "certificate_ref": n,
                        "kind": "surveillance_overdue",
                        "due_at": OVERDUE,
                        "about": DUE,
                        "done_at": None,
                    }
                    for n in numbers
                ],
            )


def _inspection(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "product_id": n % 100 + 1,
        "holder_id": n % 100 + 1,
        "inspector_id": 1,
        "submitted_at": ISSUED,
        "standard_id": "wood",
        "standard_version": "2026.1",
        "content_hash": "sha256:0",
        "lot": {},
        "facts": {},
        "measurements": {},
        "defects": {},
        "assessment": {},
        "certified": True,
        "total": "90.0",
    }


def _certificate(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "serial": f"2026-{n:06d}",
        "year": 2026,
        "number": n,
        "inspection_id": n,
        "decision_id": n,
        "holder_id": n % 100 + 1,
        "product_id": n % 100 + 1,
        "standard_id": "wood",
        "standard_version": "2026.1",
        "content_hash": "sha256:0",
        "grade": "utama",
        "total": "90.0",
        "issued_at": ISSUED,
        "valid_from": ISSUED.date(),
        "valid_until": date(2029, 1, 5),
        "status": "valid",
        "certificate_id": f"IDC-2026-{n:08d}",
        "history": [],
        "surveillance_due": DUE,
        "surveillances_kept": 0,
    }


def due_actions(database: Database, count: int) -> None:
    load(database, count)
    started = time.perf_counter()
    report = jobs.run_due(database=database, now=OVERDUE)
    seconds = time.perf_counter() - started
    assert report.applied == count, report
    appends = min(count, 20000)
    started = time.perf_counter()
    for start in range(0, appends, jobs.BATCH):
        with database.write() as session:
            for n in range(start, min(start + jobs.BATCH, appends)):
                log.append_event(
                    session,
                    certificate_id=f"IDC-Y-{n}",
                    event="bench",
                    at=OVERDUE,
                    record_sha256=None,
                    pdf_sha256=None,
                    status="valid",
                )
    yardstick = appends / (time.perf_counter() - started)
    print(f"certificates: {count}")
    print(f"due_actions_per_second: {count / seconds:.0f}  (all {count} in {seconds:.1f} s)")
    print(f"log_appends_per_second: {yardstick:.0f}  (yardstick: bare leaves, batches of {jobs.BATCH})")


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a marketplace's endpoint would
    count = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        with Receiver.lock:
            Receiver.count += 1
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


class ReceiverServer(ThreadingHTTPServer):
    request_queue_size = 256  # the senders' connections all arrive at once
    daemon_threads = True


def fanout(database: Database, subscribers: int) -> None:
    server = ReceiverServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings = Settings(webhook_allow_private=True, webhook_allow_http=True)
    with database.write() as session:
        session.execute(
            insert(Subscription),
            [
                {
                    "certificate_ref": 1,
                    "channel": "webhook",
                    "target": url,
                    "secret": "whsec_" + "QUJD" * 8,
                    "created_at": ISSUED,
                    "confirmed_at": ISSUED,
                }
                for _ in range(subscribers)
            ],
        )
    Receiver.count = 0
    started = time.perf_counter()
    certificates.change_status(
        database=database,
        actor=Principal(id=1, name="Bench certifier", role="certifier", holder_id=None),
        certificate_id="IDC-2026-00000001",
        action="withdraw",
        reason="bench",
        now=OVERDUE + timedelta(days=1),
    )
    report = delivery.deliver_due(database=database, settings=settings, now=OVERDUE + timedelta(days=1))
    seconds = time.perf_counter() - started
    assert report.delivered == subscribers == Receiver.count, (report, Receiver.count)

    Receiver.count = 0
    started = time.perf_counter()
    with httpx.Client(timeout=10) as client, ThreadPoolExecutor(delivery.SENDERS) as pool:
        list(pool.map(lambda _: client.post(url, content=b'{"plain":true}'), range(subscribers)))
    plain = time.perf_counter() - started
    server.shutdown()
    print(f"webhook_fanout_seconds[{subscribers}]: {seconds:.1f}  ({subscribers / seconds:.0f} deliveries/s)")
    print(f"plain_posts_seconds[{subscribers}]: {plain:.1f}  (yardstick: the same POSTs, no outbox, no signature)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--postgres", metavar="URL", help="an empty, throw-away PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite:///{Path(folder) / 'certify.db'}"
        migrate.upgrade(url)
        database = Database.connect(url, pool_size=4)
        print(f"database: {database.dialect}")
        due_actions(database, args.certificates)
        fanout(database, args.subscribers)
        database.dispose()


if __name__ == "__main__":
    main()
