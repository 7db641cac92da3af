"""Concurrency across processes: `certify serve --workers 3` over one PostgreSQL database, many
inspectors submitting, several certifiers deciding, suspending and reinstating at once.

What must hold whatever the interleaving: certificate serials are unique and gap-free within the
year; two certifiers deciding the same inspection make one certificate; concurrent retries of
one Idempotency-Key make one inspection; of two certifiers changing the same certificate's status
at once exactly one succeeds and the other is told why (409), and no acknowledged change is
missing from the certificate's history.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from certify.services import accounts, holders
from certify.services.models import HolderCreate, ProductCreate
from certify.store.database import Database
from tests.api.conftest import authorise_for_all
from tests.stress.conftest import Account, Server, make_server, ready, wood_bodies

pytestmark = [
    pytest.mark.stress,
    pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True),
]

WORKERS = 3  # `certify serve --workers`
INSPECTORS = 6  # threads submitting at once (over two inspector accounts)
SUBMISSIONS = 6  # per inspector thread: a third certified (and decided), a third sent as twins
TWINS = 3  # requests sent at once with the same Idempotency-Key, for some submissions
CERTIFIERS = 3  # threads (and accounts) deciding and changing statuses at once


@pytest.fixture
def workers_server(server_database_url: str, tmp_path: Path) -> Iterator[Server]:
    yield from make_server(server_database_url, tmp_path / "data", workers=WORKERS)


def _people(database_url: str, products: int) -> tuple[list[Account], list[Account], list[int]]:
    """Two inspectors, the certifiers, and `products` products of one workshop (each issuance is
    of its own product, so that no certificate supersedes another)."""
    database = Database.connect(database_url, pool_size=2)
    try:

        def account(role: str, name: str) -> Account:
            user, token = accounts.create_user(database=database, role=role, name=name)
            authorise_for_all(database, user.id)
            return Account(id=user.id, token=token)

        admin, _ = accounts.create_user(database=database, role="admin", name="Admin")
        inspectors = [account("inspector", f"Inspector {n}") for n in range(2)]
        certifiers = [account("certifier", f"Certifier {n}") for n in range(CERTIFIERS)]
        holder = holders.create_holder(
            database=database,
            actor=admin,
            holder=HolderCreate(name="Mebel Ukir Jepara Jaya", province="Jawa Tengah", crafts=["wood"]),
        )
        made = [
            holders.create_product(
                database=database,
                actor=admin,
                holder_id=holder.id,
                product=ProductCreate(name=f"teak chair model {n}", category="furniture"),
            )
            for n in range(products)
        ]
        return inspectors, certifiers, [p.id for p in made]
    finally:
        database.dispose()


def _at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls in as many threads, released together."""
    start = threading.Barrier(len(calls), timeout=120)

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _post(server: Server, account: Account, path: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    headers = {**account.headers, **({"Idempotency-Key": key} if key else {})}
    return httpx.post(f"{server.url}{path}", json=body, headers=headers, timeout=120)


def test_workers_on_postgresql_keep_serials_keys_decisions_and_statuses_consistent(
    workers_server: Server, server_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Inspectors submit and certifiers decide at once across three server processes (twin
    requests included), then certifiers race to suspend and to reinstate each certificate."""
    server, rng = workers_server, random.Random()
    inspectors, certifiers, products = _people(server_database_url, INSPECTORS * SUBMISSIONS)
    server.start()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        bodies = [b for b in wood_bodies(client, inspectors[0]) if b["category"] == "furniture"]
    certified = [b["inspection"] for b in bodies if b["certified"]]
    refused = [b["inspection"] for b in bodies if not b["certified"]]
    assert certified and refused

    results: dict[str, list[Any]] = {"inspections": [], "twins": [], "decisions": [], "changes": []}
    lock = threading.Lock()
    product_ids = iter(products)

    def decide(inspection_id: int) -> None:
        """Two certifiers decide the same inspection at once: one certificate, one 409."""
        pair = rng.sample(certifiers, 2)
        answers = _at_once(
            [
                partial(_post, server, c, f"/api/v1/inspections/{inspection_id}/decision", {"decision": "issue"})
                for c in pair
            ]
        )
        with lock:
            results["decisions"].append(
                (
                    inspection_id,
                    sorted(a.status_code for a in answers),
                    [a.json().get("certificate_id") for a in answers if a.status_code == 201],
                )
            )

    def inspect(thread: int) -> None:
        inspector = inspectors[thread % len(inspectors)]
        decisions = []
        with ThreadPoolExecutor(max_workers=1) as certifier_pool:
            for n in range(SUBMISSIONS):
                with lock:
                    product = next(product_ids)
                example = dict(rng.choice(certified if n % 3 == 0 else refused))
                example.pop(
                    "inspected_on", None
                )  # some worked examples are dated in the future: today, as the service dates it
                with httpx.Client(base_url=server.url, timeout=120) as client:
                    body = ready(client, inspector, example, product)
                key = str(uuid.uuid4())
                if n % 3 == 1:  # a retry storm: the same key from several connections at once
                    answers = _at_once([partial(_post, server, inspector, "/api/v1/inspections", body, key)] * TWINS)
                    with lock:
                        results["twins"].append((key, [(a.status_code, a.json().get("id")) for a in answers]))
                    continue
                answer = _post(server, inspector, "/api/v1/inspections", body, key)
                assert answer.status_code == 201, answer.text
                with lock:
                    results["inspections"].append(answer.json()["id"])
                if answer.json()["certified"]:
                    decisions.append(certifier_pool.submit(decide, answer.json()["id"]))
        for decision in decisions:  # a failed race (a 500, a timeout) fails the test here, by name
            decision.result()

    with ThreadPoolExecutor(max_workers=INSPECTORS) as pool:
        list(pool.map(inspect, range(INSPECTORS)))

    for key, answers in results["twins"]:
        assert {status for status, _ in answers} == {201}, (key, answers)
        assert len({inspection_id for _, inspection_id in answers}) == 1, f"key {key} made several inspections"
    for inspection_id, statuses, issued in results["decisions"]:
        assert statuses == [201, 409] and len(issued) == 1, (inspection_id, statuses)
    certificate_ids = [issued[0] for _, _, issued in results["decisions"]]
    assert certificate_ids, "no certificate was issued"

    changes = 0
    for action, before, after in (("suspend", "valid", "suspended"), ("reinstate", "suspended", "valid")):
        calls = [
            lambda cid=cid, c=c, a=action: (
                cid,
                _post(server, c, f"/api/v1/certificates/{cid}/{a}", {"reason": f"{a} by {c.id}"}),
            )
            for cid in certificate_ids
            for c in rng.sample(certifiers, 2)
        ]
        rng.shuffle(calls)
        with ThreadPoolExecutor(max_workers=CERTIFIERS * 2) as pool:
            done = list(pool.map(lambda call: call(), calls))
        changes += len(done)
        for cid in certificate_ids:
            statuses = sorted(answer.status_code for c, answer in done if c == cid)
            assert statuses == [200, 409], f"{action} of {cid} from {before}: {statuses}"
            current = httpx.get(f"{server.url}/api/v1/certificates/{cid}", timeout=30).json()
            assert current["status"] == after

    database = Database.connect(server_database_url, pool_size=1)
    try:
        with database.read() as session:
            numbers = session.execute(text("SELECT number FROM certificates ORDER BY number")).scalars().all()
            assert numbers == list(range(1, len(certificate_ids) + 1)), "serials are not unique and gap-free"
            serials = session.execute(text("SELECT serial FROM certificates")).scalars().all()
            assert len(set(serials)) == len(serials)
            inspections = session.execute(text("SELECT count(*) FROM inspections")).scalar_one()
            assert inspections == len(results["inspections"]) + len(results["twins"])
            histories = session.execute(text("SELECT history FROM certificates")).scalars().all()
            for history in histories:  # each acknowledged change, once, in order
                assert [entry["status"] for entry in history] == ["valid", "suspended", "valid"]
    finally:
        database.dispose()
    with capsys.disabled():
        submitted = len(results["inspections"]) + TWINS * len(results["twins"])
        print(
            f"\n[concurrency] {WORKERS} workers: {submitted} submissions ({len(results['twins'])} keys sent "
            f"{TWINS}x at once), {2 * len(certificate_ids)} racing decisions -> {len(certificate_ids)} "
            f"certificates, {changes} racing status changes",
            end=" ",
        )
