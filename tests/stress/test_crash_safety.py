"""Crash safety: the server is killed with SIGKILL in the middle of a burst of submissions and
decisions, restarted, and every unacknowledged request retried with its Idempotency-Key. Nothing
acknowledged is lost, nothing is stored twice, the database is sound, and the public log checks out.

On SQLite (synchronous=FULL, WAL) and on PostgreSQL. Inspectors retry what the field app retries:
a submission with its Idempotency-Key. A certifier retries a decision as it is: one decision per
inspection, so a retry of a decision that was committed answers 409, never a second certificate.
"""

from __future__ import annotations

import queue
import random
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from certify.cli import main as certify_main
from tests.stress.conftest import Account, Server, add_users, ready, register_products, wood_bodies

pytestmark = pytest.mark.stress

INSPECTORS = 4  # client threads submitting at once
MAX_SUBMISSIONS = 60  # per inspector thread: a bound, in case the kill comes late
# The kill comes at a random moment once a random number of submissions (and of issuances) have
# been acknowledged, so that the burst is as large on a slow machine as on a fast one.
KILL_AFTER_SUBMISSIONS = (8, 30)
KILL_AFTER_ISSUANCES = (1, 4)
KILL_JITTER_S = 0.05


@dataclass
class Submission:
    key: str
    body: dict[str, Any]
    inspection_id: int | None = None  # set once a 201 reached the client


@dataclass
class Decision:
    inspection_id: int
    certificate_id: str | None = None
    acknowledged: bool = False


@dataclass
class Burst:
    submissions: list[Submission]
    decisions: list[Decision]
    lock: threading.Lock
    submissions_to_kill: int
    issuances_to_kill: int
    kill_now: threading.Event

    def acknowledged(self) -> None:
        """Called after each acknowledgement: signal the kill once both targets are reached."""
        with self.lock:
            submitted = sum(s.inspection_id is not None for s in self.submissions)
            issued = sum(d.acknowledged for d in self.decisions)
        if submitted >= self.submissions_to_kill and issued >= self.issuances_to_kill:
            self.kill_now.set()


def _inspector(
    server: Server,
    account: Account,
    bodies: list[dict[str, Any]],
    products: dict[str, int],
    burst: Burst,
    decide: queue.Queue[int],
    killed: threading.Event,
    seed: int,
) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=server.url, headers=account.headers, timeout=30) as client:
        for _ in range(MAX_SUBMISSIONS):
            if killed.is_set():
                return
            example = rng.choice(bodies)
            try:  # a sample drawn for the lot first: the server may be killed meanwhile
                body = ready(client, account, example["inspection"], products[example["category"]])
            except httpx.TransportError:
                return  # the server is gone
            submission = Submission(key=str(uuid.uuid4()), body=body)
            with burst.lock:
                burst.submissions.append(submission)  # before sending: a lost answer is retried
            try:
                answer = client.post(
                    "/api/v1/inspections", json=submission.body, headers={"Idempotency-Key": submission.key}
                )
            except httpx.TransportError:
                return  # the server is gone
            if answer.status_code == 201:
                submission.inspection_id = int(answer.json()["id"])
                # Issued only when the service certified it: a worked example certified alone can
                # be refused here, its lot judged under tightened plans after this product's
                # earlier lots were rejected (ISO 2859-1 switching), and then 409 is no crash.
                if answer.json()["certified"]:
                    decide.put(submission.inspection_id)
                burst.acknowledged()


def _certifier(
    server: Server, account: Account, burst: Burst, decide: queue.Queue[int], killed: threading.Event
) -> None:
    with httpx.Client(base_url=server.url, headers=account.headers, timeout=60) as client:
        while not killed.is_set():
            try:
                inspection_id = decide.get(timeout=0.05)
            except queue.Empty:
                continue
            decision = Decision(inspection_id)
            with burst.lock:
                burst.decisions.append(decision)
            try:
                answer = client.post(f"/api/v1/inspections/{inspection_id}/decision", json={"decision": "issue"})
            except httpx.TransportError:
                return
            if answer.status_code == 201:
                decision.acknowledged, decision.certificate_id = True, answer.json()["certificate_id"]
                burst.acknowledged()


def _burst_then_kill(
    server: Server,
    inspector: Account,
    certifier: Account,
    bodies: list[dict[str, Any]],
    products: dict[str, int],
    rng: random.Random,
) -> Burst:
    """Submissions and decisions from several threads; SIGKILL at a random moment."""
    burst = Burst(
        [],
        [],
        threading.Lock(),
        submissions_to_kill=rng.randint(*KILL_AFTER_SUBMISSIONS),
        issuances_to_kill=rng.randint(*KILL_AFTER_ISSUANCES),
        kill_now=threading.Event(),
    )
    decide: queue.Queue[int] = queue.Queue()
    killed = threading.Event()
    threads = [
        threading.Thread(
            target=_inspector, args=(server, inspector, bodies, products, burst, decide, killed, rng.randrange(2**32))
        )
        for _ in range(INSPECTORS)
    ]
    threads.append(threading.Thread(target=_certifier, args=(server, certifier, burst, decide, killed)))
    for thread in threads:
        thread.start()
    burst.kill_now.wait(timeout=120)  # (if the burst ends first, the kill hits an idle server)
    threading.Event().wait(rng.uniform(0, KILL_JITTER_S))
    server.kill()
    killed.set()
    for thread in threads:
        thread.join(timeout=60)
    return burst


def _retry(server: Server, inspector: Account, certifier: Account, burst: Burst) -> int:
    """Retry every unacknowledged request as a client would; the number of retries."""
    retried = 0
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for submission in burst.submissions:
            if submission.inspection_id is None:
                retried += 1
                answer = client.post(
                    "/api/v1/inspections",
                    json=submission.body,
                    headers={**inspector.headers, "Idempotency-Key": submission.key},
                )
                assert answer.status_code == 201, answer.text
                submission.inspection_id = int(answer.json()["id"])
        for decision in burst.decisions:
            if not decision.acknowledged:
                retried += 1
                answer = client.post(
                    f"/api/v1/inspections/{decision.inspection_id}/decision",
                    headers=certifier.headers,
                    json={"decision": "issue"},
                )
                assert answer.status_code in (201, 409), answer.text  # 409: it was committed before the kill
    return retried


def _check_each_key_answers_its_one_inspection(server: Server, inspector: Account, burst: Burst) -> None:
    """By key: every submission, sent again, replays the inspection it got; by id: the inspector's
    list holds exactly these inspections, once each."""
    with httpx.Client(base_url=server.url, headers=inspector.headers, timeout=60) as client:
        for submission in burst.submissions:
            again = client.post(
                "/api/v1/inspections", json=submission.body, headers={"Idempotency-Key": submission.key}
            )
            assert again.status_code == 201 and again.headers.get("idempotent-replayed") == "true"
            assert again.json()["id"] == submission.inspection_id
        listed: list[int] = []
        while True:
            page = client.get("/api/v1/inspections", params={"limit": 500, "offset": len(listed)}).json()
            listed += [row["id"] for row in page]
            if len(page) < 500:
                break
    ids = [s.inspection_id for s in burst.submissions]
    assert len(set(ids)) == len(ids), "two keys answered the same inspection"
    assert sorted(listed) == sorted(ids), "the stored inspections are not exactly the submitted ones"  # type: ignore[type-var]


def _check_database(database_url: str, burst: Burst) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:

            def count(sql: str) -> int:
                return int(connection.execute(text(sql)).scalar_one())

            if database_url.startswith("sqlite"):
                assert connection.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
                assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            assert count("SELECT count(*) FROM inspections") == len(burst.submissions)
            assert count("SELECT count(DISTINCT inspection_id) FROM idempotency_keys") == len(burst.submissions)
            assert (
                count(
                    "SELECT count(*) FROM idempotency_keys k LEFT JOIN inspections i ON i.id = k.inspection_id "
                    "WHERE i.id IS NULL"
                )
                == 0
            )
            decided = {d.inspection_id for d in burst.decisions}
            assert count("SELECT count(*) FROM decisions") == len(decided)
            assert count("SELECT count(*) FROM certificates") == len(decided), "a decision without its certificate"
            assert count("SELECT count(DISTINCT inspection_id) FROM certificates") == len(decided)
            numbers = connection.execute(text("SELECT number FROM certificates ORDER BY number")).scalars().all()
            assert numbers == list(range(1, len(decided) + 1)), "serials are not unique and gap-free"
            stored = set(connection.execute(text("SELECT certificate_id FROM certificates")).scalars())
            assert {d.certificate_id for d in burst.decisions if d.acknowledged} <= stored
    finally:
        engine.dispose()


def test_a_server_killed_mid_burst_loses_nothing_acknowledged_and_duplicates_nothing(
    server: Server, server_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL during concurrent submissions and issuances, restart, retry with the same keys:
    every inspection exists once, each decision has one certificate, serials have no gap, the
    database's integrity check is clean and `certify audit` finds the log consistent."""
    rng, clock = random.Random(), time.monotonic()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        nonlocal clock
        phases[name], clock = time.monotonic() - clock, time.monotonic()

    inspector, certifier = add_users(server, ("inspector", "Ayu Lestari"), ("certifier", "Hendra Gunawan"))
    phase("users")
    server.start()
    phase("start")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        bodies = wood_bodies(client, inspector)
        products = register_products(client, inspector, {body["category"] for body in bodies})

    burst = _burst_then_kill(server, inspector, certifier, bodies, products, rng)
    acknowledged = sum(s.inspection_id is not None for s in burst.submissions)
    phase("burst")
    server.start()
    phase("restart")
    retried = _retry(server, inspector, certifier, burst)
    _check_each_key_answers_its_one_inspection(server, inspector, burst)
    assert certify_main(["audit", "--server", server.url]) == 0, capsys.readouterr().out
    server.stop()
    _check_database(server_database_url, burst)
    phase("checks")
    with capsys.disabled():
        print(
            f"\n[crash] {len(burst.submissions)} submissions ({acknowledged} acknowledged before the kill), "
            f"{len(burst.decisions)} decisions ({sum(d.acknowledged for d in burst.decisions)} acknowledged), "
            f"{retried} retried after the restart; seconds: "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in phases.items()),
            end=" ",
        )
