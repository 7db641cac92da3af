"""Throughput of the API on SQLite: start `certify serve` (one worker) on 127.0.0.1 in a temporary
data directory, submit inspections from concurrent clients, then read them back.

Prints `inspections_accepted_per_second: N` and `read_p99_ms: N`. Bounded: at most
SUBMISSIONS submissions and READS reads, or DEADLINE_S seconds each.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import running  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, holders  # noqa: E402
from certify.services.models import HolderCreate, ProductCreate  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402

CLIENTS = 16
SUBMISSIONS = 3000
READS = 4000
DEADLINE_S = 20.0


def prepare(data_dir: Path) -> tuple[str, int]:
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
    database.dispose()
    return token, product.id


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
        token, product_id = prepare(data_dir)
        example = bundled().get("wood").examples[0].inspection
        body = {**example, "product_id": product_id, "standard": "wood"}
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
                answer = client.post("/inspections", json=body, headers={"Idempotency-Key": f"bench-{i}"})
                if answer.status_code == 201:
                    created.append(answer.json()["id"])

            _, elapsed = run(SUBMISSIONS, submit)
            print(f"inspections_accepted_per_second: {len(created) / elapsed:.0f}")

            def read(i: int) -> None:
                answer = client.get(f"/inspections/{created[i % len(created)]}")
                assert answer.status_code == 200

            latencies, _ = run(READS, read)
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            print(f"read_p99_ms: {p99:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
