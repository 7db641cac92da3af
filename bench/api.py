"""Throughput of the API on SQLite: start `certify serve` (one worker) on 127.0.0.1 in a temporary
data directory, submit inspections from concurrent clients, then read them back.

Prints `inspections_accepted_per_second: N` and `read_p99_ms: N`. Bounded: at most
SUBMISSIONS submissions and READS reads, or DEADLINE_S seconds each. Each submission names its
own sampling plan and lot code and the evidence the standard asks for (uploaded once, named by
every inspection), as an inspector's phone would send it.

The yardstick, same run, same database file: `raw_insert_per_second`, the rows one accepted
inspection wrote (the inspection, its evidence links, its idempotency record, its audit event)
inserted again with Python's sqlite3 and no certify code, one transaction per inspection
(`BEGIN IMMEDIATE` … `COMMIT`), with the same durability (WAL, `synchronous=FULL`, foreign keys
on), from one connection. Then `ratio_accepted_to_raw`.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import running  # noqa: E402
from certify.documents.untrusted import UploadLimits, close_shared_upload_readers, shared_upload_readers  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, holders, sampling, specimens  # noqa: E402
from certify.services.models import HolderCreate, ProductCreate, SamplingPlanCreate  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402

CLIENTS = 16
SUBMISSIONS = 3000
READS = 4000
DEADLINE_S = 20.0
RAW_S = 5.0
RAW_ROWS = 20_000


def prepare(data_dir: Path, count: int) -> tuple[str, list[dict[str, object]]]:
    """The inspector's token and `count` bodies to submit, each with its own plan and lot."""
    url = f"sqlite:///{data_dir / 'certify.db'}"
    migrate.upgrade(url)
    database = Database.connect(url, pool_size=2)
    admin, _ = accounts.create_user(database=database, role="admin", name="Bench admin")
    bench_user, token = accounts.create_user(database=database, role="inspector", name="Bench inspector")
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=bench_user.id)
    holder = holders.create_holder(
        database=database,
        actor=admin,
        holder=HolderCreate(name="Mebel Jepara", province="Jawa Tengah", crafts=["wood"]),
    )
    product = holders.create_product(
        database=database,
        actor=admin,
        holder_id=holder.id,
        product=ProductCreate(name="Kursi jati", category="furniture"),
    )
    standards = bundled()
    example = standards.get("wood").examples[0].inspection
    plan = sampling.draw_plan(
        database=database,
        standards=standards,
        inspector=bench_user,
        body=SamplingPlanCreate(standard="wood", lot_size=example["lot"]["size"]),
    )
    photos, reports = specimens.declared_evidence(
        database=database,
        inspector=bench_user,
        standard=standards.get("wood"),
        limits=specimens.DEFAULT_LIMITS,
        readers=shared_upload_readers(workers=1, limits=UploadLimits(), queue_seconds=10.0),
        issued_on=date.today(),
    )
    database.dispose()
    close_shared_upload_readers()
    plan_ids = copies(data_dir, "sampling_plans", plan.id, count)
    body = {
        **example,
        "product_id": product.id,
        "standard": "wood",
        "evidence": photos,
        "lab_reports": [r.model_dump(mode="json") for r in reports],
    }
    bodies = [
        {**body, "sampling_plan_id": plan_id, "lot": {**example["lot"], "code": f"LOT-{n}"}}
        for n, plan_id in enumerate(plan_ids)
    ]
    return token, bodies


def durable(data_dir: Path) -> sqlite3.Connection:
    """A connection to the bench's database as certify opens one: WAL, synchronous FULL, FKs on."""
    connection = sqlite3.connect(data_dir / "certify.db", isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    return connection


def copies(data_dir: Path, table: str, row_id: int, count: int) -> list[int]:
    """`count` copies of row `row_id` of `table` (new ids), in one transaction."""
    connection = durable(data_dir)
    connection.row_factory = sqlite3.Row
    row = dict(connection.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone())
    del row["id"]
    insert = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
    connection.execute("BEGIN IMMEDIATE")
    ids = [connection.execute(insert, tuple(row.values())).lastrowid for _ in range(count)]
    connection.execute("COMMIT")
    connection.close()
    return [i for i in ids if i is not None]


def raw_inserts(data_dir: Path, inspection_id: int, plan_ids: list[int]) -> float:
    """Inspections per second when the rows that `inspection_id` wrote are inserted again by
    sqlite3 alone, one durable transaction per inspection (each on a plan of `plan_ids`)."""
    connection = durable(data_dir)
    connection.row_factory = sqlite3.Row

    def rows(sql: str) -> list[dict[str, object]]:
        found = [dict(r) for r in connection.execute(sql, (inspection_id,))]
        for row in found:
            del row["id"]
        return found

    inspection = rows("SELECT * FROM inspections WHERE id = ?")[0]
    links = rows("SELECT * FROM inspection_evidence WHERE inspection_id = ?")
    keys = rows("SELECT * FROM idempotency_keys WHERE inspection_id = ?")
    events = rows("SELECT * FROM events WHERE subject_type = 'inspection' AND subject_id = ?")
    assert keys and events

    def insert(table: str, row: dict[str, object]) -> int:
        sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
        new_id = connection.execute(sql, tuple(row.values())).lastrowid
        assert new_id is not None
        return new_id

    done = 0
    started = time.perf_counter()
    for plan_id in plan_ids:
        if time.perf_counter() - started > RAW_S:
            break
        connection.execute("BEGIN IMMEDIATE")
        new_id = insert("inspections", {**inspection, "sampling_plan_id": plan_id})
        for link in links:
            insert("inspection_evidence", {**link, "inspection_id": new_id})
        for key in keys:
            insert("idempotency_keys", {**key, "key": f"raw-{new_id}", "inspection_id": new_id})
        for event in events:
            insert("events", {**event, "subject_id": new_id})
        connection.execute("COMMIT")
        done += 1
    elapsed = time.perf_counter() - started
    connection.close()
    return done / elapsed


def run(count: int, work: object) -> tuple[list[float], float]:
    """Call `work(i)` for i < count from CLIENTS threads; latencies (s) and elapsed time."""
    latencies: list[float] = []
    stop_at = time.perf_counter() + DEADLINE_S

    def one(i: int) -> None:
        if time.perf_counter() > stop_at:
            return
        started = time.perf_counter()
        work(i)  # type: ignore[operator]
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, range(count)))
    return latencies, time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="certify-bench-") as folder:
        data_dir = Path(folder)
        token, bodies = prepare(data_dir, SUBMISSIONS + RAW_ROWS)
        env = {**os.environ, "CERTIFY_DATA_DIR": str(data_dir), "CERTIFY_ISSUER_NAME": "Lembaga Sertifikasi Bench"}
        serve = [sys.executable, "-m", "certify.cli", "serve", "--workers", "1", "--log-level", "warning"]
        with (
            running(serve, env) as port,
            httpx.Client(
                base_url=f"http://127.0.0.1:{port}/api/v1",
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
                limits=httpx.Limits(max_connections=CLIENTS),
            ) as client,
        ):
            created: list[int] = []

            def submit(i: int) -> None:
                answer = client.post("/inspections", json=bodies[i], headers={"Idempotency-Key": f"bench-{i}"})
                if answer.status_code != 201:
                    raise SystemExit(f"{answer.status_code}: {answer.text}")
                created.append(answer.json()["id"])

            _, elapsed = run(SUBMISSIONS, submit)
            accepted = len(created) / elapsed
            print(f"inspections_accepted_per_second: {accepted:.0f}")

            def read(i: int) -> None:
                answer = client.get(f"/inspections/{created[i % len(created)]}")
                assert answer.status_code == 200

            latencies, _ = run(READS, read)
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            print(f"read_p99_ms: {p99:.1f}")
        raw = raw_inserts(data_dir, created[-1], [b["sampling_plan_id"] for b in bodies[SUBMISSIONS:]])  # type: ignore[misc]
        print(f"raw_insert_per_second: {raw:.0f}")
        print(f"ratio_accepted_to_raw: {accepted / raw:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
