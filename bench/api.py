"""Throughput of the API: start `certify serve` (one worker) on 127.0.0.1 in a temporary data
directory, on SQLite (or, with `--postgres`, on a fresh PostgreSQL database: CERTIFY_BENCH_POSTGRES_URL,
default the local server), submit inspections from concurrent clients, and read inspections while
they do.

Prints `inspections_accepted_per_second: N` and `read_p99_ms: N`. The submissions run for LOAD_S
seconds from CLIENTS threads (each submission names its own sampling plan and lot code and the
evidence the standard asks for, uploaded once and named by every inspection, as an inspector's
phone would send it). During exactly those seconds `wrk` (a compiled client) reads inspections
submitted before the load, from READERS connections that each wait READ_EVERY_MS between their
reads (a marketplace or a phone polling, not a second flood): `read_p99_ms` is the 99th percentile
of those reads' latencies, and `reads_per_second` how many there were.

The yardstick, same run, same database: `raw_insert_per_second`, the rows one accepted
inspection wrote (the inspection, its evidence links, its idempotency record, its audit event)
inserted again with the database's own driver and no certify code (`bench/durable.py`), one
transaction per inspection, with the same durability (SQLite: WAL, `synchronous=FULL`, foreign
keys on, `BEGIN IMMEDIATE` … `COMMIT`; PostgreSQL: `synchronous_commit` on), from one connection.
Then `ratio_accepted_to_raw`. On PostgreSQL one connection waits for each commit's WAL flush,
where certify's sixteen clients share flushes (group commit): the ratio can pass 1 there.

A second yardstick, same run, same clients, same bodies, same database: the floor of the stack
certify must be built on (`bench/floor_app.py`: FastAPI under the same uvicorn, one worker, the
body validated by certify's own model, the same rows inserted with the same durability, the same
answer; no sign-in, no checks, no scoring), `stack_floor_per_second` and `ratio_floor_to_raw`:
what any service on this stack could reach, and `ratio_accepted_to_floor`, how much of it certify
does. `server_cpu_ms_per_submission` (the reads during the load included) and
`stack_floor_cpu_ms_per_submission` are each server's CPU time over the inspections it accepted
(on PostgreSQL, not the database server's): steadier than the rates on a shared machine.

`wrk` is Debian's (`bash .ci/install-system-packages --bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.durable import Durable, Row, database_url  # noqa: E402
from bench.server import running, server_cpu_seconds  # noqa: E402
from certify.documents.untrusted import UploadLimits, close_shared_upload_readers, shared_upload_readers  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, holders, sampling, specimens  # noqa: E402
from certify.services.models import HolderCreate, ProductCreate, SamplingPlanCreate  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402

CLIENTS = 16
LOAD_S = 10
SUBMISSIONS = 8000  # bodies prepared: more than LOAD_S of submissions can take
BEFORE_LOAD = 50  # inspections submitted first, the ones read during the load
READERS = 2
READ_EVERY_MS = 20
RAW_S = 5.0
RAW_ROWS = 20_000
FLOOR_ROWS = 8000


def prepare(url: str, count: int) -> tuple[str, list[dict[str, object]]]:
    """The inspector's token and `count` bodies to submit, each with its own plan and lot."""
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
    plan_ids = copies(url, "sampling_plans", plan.id, count)
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


def copies(url: str, table: str, row_id: int, count: int) -> list[int]:
    """`count` copies of row `row_id` of `table` (new ids), in one transaction."""
    store = Durable(url)
    row = store.rows(f"SELECT * FROM {table} WHERE id = ?", row_id)[0]
    ids: list[int] = store.transaction(lambda: [store.insert(table, row) for _ in range(count)])
    store.close()
    return ids


def raw_inserts(url: str, written: dict[str, list[Row]], plan_ids: list[int]) -> float:
    """Inspections per second when the rows one accepted inspection `written` are inserted again
    by the database's driver alone, one durable transaction per inspection (each on a plan of
    `plan_ids`)."""
    store = Durable(url)
    done = 0
    started = time.perf_counter()
    for plan_id in plan_ids:
        if time.perf_counter() - started > RAW_S:
            break
        store.insert_accepted(written, plan_id=plan_id, key=f"raw-{plan_id}")
        done += 1
    elapsed = time.perf_counter() - started
    store.close()
    return done / elapsed


def floor(url: str, data_dir: Path, written: dict[str, list[Row]], bodies: list[dict[str, object]]) -> float:
    """Submissions per second that `bench/floor_app.py` (the required stack alone: FastAPI, the
    body validated by certify's model, the same rows inserted durably) accepts from the same
    clients, for LOAD_S seconds."""
    (data_dir / "floor-rows.json").write_text(json.dumps(written, default=str))
    env = {
        **os.environ,
        "CERTIFY_FLOOR_ROWS": str(data_dir / "floor-rows.json"),
        "CERTIFY_FLOOR_DATABASE": url,
        "PYTHONPATH": str(ROOT),
    }
    serve = [sys.executable, "-m", "uvicorn", "bench.floor_app:app", "--workers", "1", "--log-level", "warning"]
    serve += ["--no-access-log", "--host", "127.0.0.1"]
    with (
        running(serve, env) as port,
        httpx.Client(
            base_url=f"http://127.0.0.1:{port}/api/v1", timeout=30, limits=httpx.Limits(max_connections=CLIENTS)
        ) as client,
    ):
        started, cpu = time.perf_counter(), server_cpu_seconds(port)
        created = submit_all(client, bodies, key="floor", until=lambda: time.perf_counter() - started > LOAD_S)
        print(f"stack_floor_cpu_ms_per_submission: {(server_cpu_seconds(port) - cpu) / len(created) * 1000:.2f}")
        return len(created) / (time.perf_counter() - started)


READ_SCRIPT = """
local ids = {}
for line in io.lines("%s") do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/inspections/" .. ids[n %% #ids + 1])
end
delay = function() return %d end
"""


def reads_during(port: int, token: str, ids: list[int], folder: Path) -> subprocess.Popen[str]:
    """`wrk` reading the inspections `ids` for LOAD_S seconds, started now; its output at the end."""
    listing = folder / "read-ids.txt"
    listing.write_text("".join(f"{i}\n" for i in ids))
    script = folder / "reads.lua"
    script.write_text(READ_SCRIPT % (listing, READ_EVERY_MS))
    command = ["wrk", "-t1", f"-c{READERS}", f"-d{LOAD_S}s", "--timeout", "30s", "--latency", "-s", str(script)]
    headers = ["-H", f"Authorization: Bearer {token}"]
    return subprocess.Popen([*command, *headers, f"http://127.0.0.1:{port}"], stdout=subprocess.PIPE, text=True)


def read_figures(output: str) -> tuple[float, float]:
    """The p99 latency (ms) and the requests per second of `wrk --latency`'s output."""
    if "Non-2xx" in output:
        raise SystemExit(f"a read during the load failed:\n{output}")
    p99 = re.search(r"^\s*99%\s+([0-9.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    rate = re.search(r"Requests/sec:\s*([0-9.]+)", output)
    if p99 is None or rate is None:
        raise SystemExit(f"wrk said:\n{output}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return float(p99.group(1)) * scale, float(rate.group(1))


def submit_all(
    client: httpx.Client, bodies: list[dict[str, object]], key: str, until: Callable[[], bool] | None = None
) -> list[int]:
    """Submit `bodies` from CLIENTS threads: all of them, or until `until()` (they must last)."""
    created: list[int] = []
    queue = iter(range(len(bodies)))
    lock = threading.Lock()

    def submitter() -> None:
        while until is None or not until():
            with lock:
                i = next(queue, None)
            if i is None and until is None:
                return
            if i is None:
                raise SystemExit(f"the {len(bodies)} prepared submissions ran out before the reads ended")
            answer = client.post("/inspections", json=bodies[i], headers={"Idempotency-Key": f"{key}-{i}"})
            if answer.status_code != 201:
                raise SystemExit(f"{answer.status_code}: {answer.text}")
            created.append(answer.json()["id"])

    with ThreadPoolExecutor(CLIENTS) as pool:
        for done in [pool.submit(submitter) for _ in range(CLIENTS)]:
            done.result()
    return created


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="on a fresh PostgreSQL database, not SQLite")
    postgres = parser.parse_args().postgres
    if shutil.which("wrk") is None:
        raise SystemExit("bench/api.py reads with wrk: bash .ci/install-system-packages --bench")
    with tempfile.TemporaryDirectory(prefix="certify-bench-") as folder, database_url(Path(folder), postgres) as url:
        data_dir = Path(folder)
        token, bodies = prepare(url, BEFORE_LOAD + SUBMISSIONS + FLOOR_ROWS + RAW_ROWS)
        env = {
            **os.environ,
            "CERTIFY_DATA_DIR": str(data_dir),
            "CERTIFY_DATABASE_URL": url,
            "CERTIFY_ISSUER_NAME": "Lembaga Sertifikasi Bench",
        }
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
            to_read = submit_all(client, bodies[:BEFORE_LOAD], key="before")
            load = bodies[BEFORE_LOAD : BEFORE_LOAD + SUBMISSIONS]
            reader = reads_during(port, token, to_read, data_dir)
            started, cpu = time.perf_counter(), server_cpu_seconds(port)
            created = submit_all(client, load, key="load", until=lambda: reader.poll() is not None)
            accepted = len(created) / (time.perf_counter() - started)
            cpu_ms = (server_cpu_seconds(port) - cpu) / len(created) * 1000
            p99, reads = read_figures(reader.communicate()[0])
        print(f"database: {'postgresql' if postgres else 'sqlite'}")
        print(f"inspections_accepted_per_second: {accepted:.0f}")
        print(f"read_p99_ms: {p99:.1f}")
        print(f"server_cpu_ms_per_submission: {cpu_ms:.2f} (the reads' included)")
        print(f"reads_per_second: {reads:.0f}")
        store = Durable(url)
        written = store.written_for(created[-1])
        store.close()
        raw = raw_inserts(url, written, [b["sampling_plan_id"] for b in bodies[-RAW_ROWS:]])  # type: ignore[misc]
        print(f"raw_insert_per_second: {raw:.0f}")
        print(f"ratio_accepted_to_raw: {accepted / raw:.3f}")
        floor_rate = floor(url, data_dir, written, bodies[-RAW_ROWS - FLOOR_ROWS : -RAW_ROWS])
        print(f"stack_floor_per_second: {floor_rate:.0f}")
        print(f"ratio_floor_to_raw: {floor_rate / raw:.3f}")
        print(f"ratio_accepted_to_floor: {accepted / floor_rate:.3f}")
        print(f"load_average: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
