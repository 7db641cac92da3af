"""Certificates: how long issuing one takes, and how many verifications by ID the API answers.

- `issue_p50_ms`: the median of ISSUES issued decisions through the service on SQLite (serial,
  ID, signed record, log leaves, WeasyPrint render, PAdES signature, store), rendering in this
  process, warm (the first WARM_UP are not counted).
- `verify_requests_per_second`: `GET /api/v1/certificates/{id}` over HTTP on 127.0.0.1, uvicorn
  with 2 workers, SQLite holding FILL certificates. The filler rows are bulk-inserted copies of
  one issued certificate, each with its own ID, serial and freshly Ed25519-signed record; the
  SAMPLE certificates the load asks for carry a copy of the real PDF bytes (so a row read walks
  past a real PDF, as in production), the others no PDF (100,000 PDFs would be 5 GB). Their
  inspection and decision ids are fictitious (foreign keys off while filling): the read path
  touches only `certificates`. The load comes from CONNECTIONS keep-alive connections for
  DURATION_S seconds after a warm-up pass over the sample (signature checks are cached per
  process, as in a running service). The public rate limit is on, at a rate the load never
  reaches: each request pays for the check, none is refused. Also prints `verify_cold_requests_per_second`: a pass over
  never-asked IDs, where every request verifies its Ed25519 signature, and
  `hello_world_requests_per_second`: a bare FastAPI app under the same uvicorn and load, the
  yardstick of the machine as it is at that moment (other work on it slows both alike).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import running  # noqa: E402
from certify.config import Settings  # noqa: E402
from certify.core.certificate_id import new_certificate_id  # noqa: E402
from certify.documents.untrusted import UploadLimits, shared_upload_readers  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, decisions, holders, specimens  # noqa: E402
from certify.services.certificates import Issuance  # noqa: E402
from certify.services.models import DecisionCreate, HolderCreate, ProductCreate  # noqa: E402
from certify.services.rendering import render_here  # noqa: E402
from certify.signing import load_key_ring  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402

ISSUES, WARM_UP = 20, 3
# The public rate limit stays on, so every request pays for it, but set where one load client
# never reaches it (all the load comes from one address).
UNREACHABLE_RATE_LIMIT = {"CERTIFY_PUBLIC_RATE_PER_SECOND": "1000000", "CERTIFY_PUBLIC_RATE_BURST": "1000000"}
FILL = 100_000
SAMPLE = 2_000
COLD = 3_000
CONNECTIONS = 32
DURATION_S = 8.0


def issue_many(data_dir: Path) -> tuple[list[float], Database]:
    url = f"sqlite:///{data_dir / 'certify.db'}"
    migrate.upgrade(url)
    database = Database.connect(url, pool_size=4)
    standards = bundled()
    admin, _ = accounts.create_user(database=database, role="admin", name="Bench admin")
    inspector, _ = accounts.create_user(database=database, role="inspector", name="Bench inspector")
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=inspector.id)
    certifier, _ = accounts.create_user(database=database, role="certifier", name="Bench certifier")
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=certifier.id)
    holder = holders.create_holder(
        database=database,
        actor=admin,
        holder=HolderCreate(
            name="Mebel Ukir Jepara Jaya", province="Jawa Tengah", region="Kab. Jepara", crafts=["wood"]
        ),
    )
    issuance = Issuance.from_settings(Settings(data_dir=data_dir), render=render_here)
    example = standards.get("wood").examples[0].inspection
    timings = []
    for number in range(WARM_UP + ISSUES):
        product = holders.create_product(
            database=database,
            actor=admin,
            holder_id=holder.id,
            product=ProductCreate(name=f"Kursi jati {number}", category="furniture"),
        )
        submitted = specimens.submit_example(
            database=database,
            standards=standards,
            standard=standards.get("wood"),
            inspection=example,
            product_id=product.id,
            inspector=inspector,
            lot_code=f"BENCH-{number}",
            readers=shared_upload_readers(workers=1, limits=UploadLimits(), queue_seconds=10.0),
        )
        started = time.perf_counter()
        decisions.decide(
            database=database,
            standards=standards,
            certifier=certifier,
            inspection_id=submitted.inspection["id"],
            decision=DecisionCreate(decision="issue"),
            issuance=issuance,
        )
        if number >= WARM_UP:
            timings.append((time.perf_counter() - started) * 1000)
    return timings, database


def fill(data_dir: Path) -> list[str]:
    """FILL more certificates, copies of an issued one with their own IDs and signatures."""
    ring = load_key_ring(key_dir=data_dir / "keys")
    connection = sqlite3.connect(data_dir / "certify.db")
    connection.row_factory = sqlite3.Row
    template = dict(connection.execute("SELECT * FROM certificates ORDER BY id LIMIT 1").fetchone())
    year = datetime.now(UTC).year
    record = json.loads(template["record"])
    rows, ids = [], []
    with ring.signing() as signer:
        for index in range(FILL):
            certificate_id = str(new_certificate_id(year))
            number = 100_000 + index
            signed = {**record, "certificate_id": certificate_id, "serial": f"{year}-{number:06d}"}
            in_sample = index < SAMPLE
            rows.append(
                {
                    **{k: v for k, v in template.items() if k != "id"},
                    "certificate_id": certificate_id,
                    "number": number,
                    "serial": signed["serial"],
                    "inspection_id": 10_000_000 + index,
                    "decision_id": 10_000_000 + index,
                    "record": json.dumps(signed),
                    "signature": signer.sign(signed),
                    "pdf": template["pdf"] if in_sample else None,
                    "pdf_sha256": hashlib.sha256(certificate_id.encode()).hexdigest(),
                }
            )
            ids.append(certificate_id)
    columns = list(rows[0])
    connection.execute("PRAGMA foreign_keys=OFF")
    with connection:
        connection.executemany(
            f"INSERT INTO certificates ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})", rows
        )
    connection.close()
    return ids


HELLO = """from fastapi import FastAPI
from fastapi.responses import Response
app = FastAPI()
@app.get("/api/v1/certificates/{certificate_id}")
async def hello(certificate_id: str) -> Response:
    return Response(b'{"hello":"world"}', media_type="application/json")
"""


def uvicorn(app: list[str]) -> list[str]:
    """uvicorn with two workers serving `app`, as `certify serve --workers 2` would."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        *app,
        "--host",
        "127.0.0.1",
        "--workers",
        "2",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


async def load(port: int, ids: list[str], *, seconds: float, total: int | None = None) -> tuple[int, float]:
    """Requests answered (all must be 200) and the time taken, over CONNECTIONS connections."""
    done = 0
    deadline = time.perf_counter() + seconds
    counter = iter(range(total)) if total is not None else None

    async def client(number: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        rng = random.Random(number)
        try:
            while time.perf_counter() < deadline:
                if counter is not None:
                    index = next(counter, None)
                    if index is None:
                        return
                    certificate_id = ids[index]
                else:
                    certificate_id = rng.choice(ids)
                writer.write(f"GET /api/v1/certificates/{certificate_id} HTTP/1.1\r\nHost: b\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(head.decode(errors="replace"))
                length = int(
                    next(
                        line.split(b":")[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    )
                )
                await reader.readexactly(length)
                done += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(CONNECTIONS)))
    return done, time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="certify-bench-") as folder:
        data_dir = Path(folder)
        timings, database = issue_many(data_dir)
        database.dispose()
        print(f"issue_p50_ms: {statistics.median(timings):.0f}")
        started = time.perf_counter()
        ids = fill(data_dir)
        print(f"filled: {FILL} certificates in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        env = {**os.environ, "CERTIFY_DATA_DIR": str(data_dir), "CERTIFY_RENDER_WORKERS": "0", **UNREACHABLE_RATE_LIMIT}
        with running(uvicorn(["--factory", "certify.app:create_app"]), env) as port:
            sample, cold = ids[:SAMPLE], ids[SAMPLE : SAMPLE + COLD]
            asyncio.run(load(port, sample + sample, seconds=60, total=2 * SAMPLE))  # warm both workers
            answered, elapsed = asyncio.run(load(port, sample, seconds=DURATION_S))
            print(f"verify_requests_per_second: {answered / elapsed:.0f}")
            answered, elapsed = asyncio.run(load(port, cold, seconds=30, total=COLD))
            print(f"verify_cold_requests_per_second: {answered / elapsed:.0f}")
        (data_dir / "hello_bench.py").write_text(HELLO)
        with running(uvicorn(["--app-dir", str(data_dir), "hello_bench:app"]), dict(os.environ)) as port:
            answered, elapsed = asyncio.run(load(port, sample, seconds=DURATION_S))
            print(f"hello_world_requests_per_second: {answered / elapsed:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
