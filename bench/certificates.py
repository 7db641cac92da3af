"""Certificates: how long issuing one takes, and how many verifications by ID the API answers.

- `issue_p50_ms`: the median of ISSUES issued decisions through the service on SQLite (serial,
  ID, signed record, log leaves, WeasyPrint render, PAdES signature, store), rendering in this
  process, warm (the first WARM_UP are not counted).
- `verify_requests_per_second`: `GET /api/v1/certificates/{id}` over HTTP on 127.0.0.1, uvicorn
  with 2 workers, the database holding FILL certificates. The first ASKED (the ones the load asks
  for) are copies of one issued certificate, each with its own valid ID, serial and freshly
  Ed25519-signed record; the SAMPLE certificates the load asks for carry a copy of the real PDF
  bytes (so a row read walks past a real PDF, as in production). The rest are copied from the
  issued one inside the database (`INSERT … SELECT` over valid, distinct IDs sent with COPY, a
  million in minutes): a record of the same size naming their own ID, no PDF, the issued one's
  signature (nothing asks for them). Inspection and decision ids are fictitious (foreign keys
  off while filling): the read path touches only `certificates`. PostgreSQL is vacuumed and
  analysed after the fill (not by autovacuum during the load). The load comes from CONNECTIONS
  keep-alive connections for DURATION_S seconds, after WARM_PASSES warm-up passes over the sample
  and DURATION_S seconds of the same load (answers and signature checks are kept per process, as
  in a running service: each worker has then built each answer it is asked for). The public rate
  limit is on, at a rate the load never reaches: each request pays for the check, none is
  refused. Also prints `verify_cold_requests_per_second`: a pass over never-asked IDs, where every
  request verifies its Ed25519 signature, and `hello_world_requests_per_second`: a bare FastAPI
  app under the same uvicorn and load, the yardstick of the machine as it is at that moment, and
  `ratio_verify_to_hello`, with the load average; beside them each server's CPU a request
  (`verify_cpu_us_per_request`, `hello_world_cpu_us_per_request`, user + system from /proc) and
  `ratio_verify_to_hello_by_cpu`, which the neighbours' load moves far less than the rates.
  Other work on the machine does not slow both alike on PostgreSQL: each verification waits for a
  PostgreSQL backend process, which a crowded machine schedules late, while hello-world waits for
  nothing: read the ratio with the load average printed beside it. The load is `wrk` (Debian's,
  `bash .ci/install-system-packages --bench`), a compiled client, so that the load client is not
  the bottleneck; two wrk threads, CONNECTIONS connections, each request a random ID of the sample
  (a Lua script).
- `bare_render_p50_ms`: a bare WeasyPrint render (`HTML(...).write_pdf()`, same fonts and
  stylesheet, warm) of the same page the issuance printed (its view and verification URL, set
  compactly if it was), in the same process, one after each issuance (so both see the same
  load), and `ratio_issue_to_bare_render`. Also `bare_batik_render_p50_ms` and
  `ratio_issue_to_batik_render`: the yardstick earlier sessions used, a batik page of
  `bench/render.py` with no lot block, never compact (lighter than the wood page issued).

`--postgres` runs the same on a fresh PostgreSQL database (CERTIFY_BENCH_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres, creates and drops its own database);
`--fill N` sets how many certificates the database holds (default FILL); `--fill 1000 1000000`
measures at each size in turn, in one run, the same certificates asked for at each, and prints
`slowdown_at_…_vs_…` (requests per second at the smallest over at the largest; target ≤ 1.2) and
the same with each divided by its hello-world. CERTIFY_BENCH_PORTS="18400-18449" keeps the
servers on those ports.
`--issue-only` stops after the issuance figures (no fill, no servers); `--issues N` times N
issuances (default ISSUES).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.durable import database_url  # noqa: E402
from bench.server import running, server_cpu_seconds  # noqa: E402
from certify.config import Settings  # noqa: E402
from certify.core.certificate_id import new_certificate_id  # noqa: E402
from certify.documents import CertificateView  # noqa: E402
from certify.documents.untrusted import UploadLimits, shared_upload_readers  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, decisions, holders, specimens  # noqa: E402
from certify.services.certificates import Issuance  # noqa: E402
from certify.services.models import DecisionCreate, HolderCreate, ProductCreate  # noqa: E402
from certify.services.rendering import render_here  # noqa: E402
from certify.signing import load_key_ring  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database, is_sqlite, make_engine  # noqa: E402

ISSUES, WARM_UP = 10, 2
# The public rate limit stays on, so every request pays for it, but set where one load client
# never reaches it (all the load comes from one address).
UNREACHABLE_RATE_LIMIT = {"CERTIFY_PUBLIC_RATE_PER_SECOND": "1000000", "CERTIFY_PUBLIC_RATE_BURST": "1000000"}
FILL = 10_000
SAMPLE = 2_000
COLD = 3_000
ASKED = SAMPLE + COLD  # the certificates the load asks for; the rest are filler
CONNECTIONS = 32
DURATION_S = 8.0
WARM_PASSES = 8  # over the sample, before the measure: each of two workers then has nearly all


def issue_many(data_dir: Path, url: str) -> tuple[list[float], list[float], Database]:
    """Issuance times (ms), and a bare render's of the page issued after each (same load)."""
    timings, bare_timings, database, _ = issue_with_yardsticks(data_dir, url)
    return timings, bare_timings, database


def issue_with_yardsticks(
    data_dir: Path, url: str, *, issues: int = ISSUES
) -> tuple[list[float], list[float], Database, list[float]]:
    """Issuance times (ms); after each, a bare render's of the same page, and of the batik page."""
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
    printed: list[tuple[CertificateView, str]] = []

    def render(*, certificate: CertificateView, verify_url: str, **rest: Any) -> bytes:
        printed.append((certificate, verify_url))
        return render_here(certificate=certificate, verify_url=verify_url, **rest)

    issuance = Issuance.from_settings(Settings(data_dir=data_dir), render=render)
    example = standards.get("wood").examples[0].inspection
    timings: list[float] = []
    bare_timings: list[float] = []
    batik_timings: list[float] = []
    for number in range(WARM_UP + issues):
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
        issued = (time.perf_counter() - started) * 1000
        bare = same_page_render_ms(*printed[-1])
        batik = bare_render_ms(number)
        if number >= WARM_UP:
            timings.append(issued)
            bare_timings.append(bare)
            batik_timings.append(batik)
    return timings, bare_timings, database, batik_timings


def fill(data_dir: Path, url: str, count: int, *, start: int = 0) -> list[str]:
    """COUNT more certificates (START already filled), each with its own valid ID, serial and number; returns the IDs of
    the first ASKED (the ones the load asks for), which are copies of an issued one with their
    own freshly signed records. The rest are copied from it inside the database (`INSERT …
    SELECT`, fast enough for a million): a record of the same size naming their own ID, but the
    issued one's signature (the load never asks for them, so nothing verifies it)."""
    ring = load_key_ring(key_dir=data_dir / "keys")
    engine = make_engine(url, pool_size=1)
    connection = engine.raw_connection()
    postgres = not is_sqlite(url)
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM certificates ORDER BY id LIMIT 1")
    names = [d[0] for d in cursor.description]
    template = dict(zip(names, cursor.fetchone(), strict=True))
    year = datetime.now(UTC).year
    record = template["record"] if isinstance(template["record"], dict) else json.loads(template["record"])
    history = template["history"]
    if postgres:
        template["history"] = json.dumps(history)
        cursor.execute("SET synchronous_commit = off")  # a bench's fill, not a user's write
        cursor.execute("SET session_replication_role = replica")  # foreign keys off while filling
    else:
        cursor.execute("PRAGMA foreign_keys=OFF")
    certificate_ids = _distinct_ids(year, count)
    asked = min(count, ASKED) if start == 0 else 0  # later fills: never asked for
    columns = [c for c in template if c != "id"]
    marks = ", ".join(("%s" if postgres else "?") for _ in columns)
    insert = f"INSERT INTO certificates ({', '.join(columns)}) VALUES ({marks})"
    rows = []
    with ring.signing() as signer:
        for index, certificate_id in enumerate(certificate_ids[:asked]):
            number = FIRST_NUMBER + start + index
            signed = {**record, "certificate_id": certificate_id, "serial": f"{year}-{number:06d}"}
            row = {
                **template,
                **_unique_columns(certificate_id, year, number, start + index),
                "record": json.dumps(signed),
                "signature": signer.sign(signed),
                "pdf": template["pdf"] if index < SAMPLE else None,
            }
            rows.append(tuple(row[c] for c in columns))
    if not postgres:
        cursor.execute("BEGIN")
    cursor.executemany(insert, rows)
    _copy_rest(cursor, postgres, template, columns, certificate_ids[asked:], first=start + asked)
    connection.commit()
    if postgres:  # now, not by autovacuum during the load (hint bits and the visibility map too)
        connection.dbapi_connection.autocommit = True  # type: ignore[union-attr]
        cursor.execute("VACUUM (ANALYZE) certificates")
    else:
        cursor.execute("ANALYZE")
        connection.commit()
    cursor.close()
    connection.close()
    engine.dispose()
    return certificate_ids[:asked]


FIRST_NUMBER = 100_000
IMPOSSIBLE_ID = 10_000_000  # fictitious inspection and decision ids start here (foreign keys off)


def _distinct_ids(year: int, count: int) -> list[str]:
    """COUNT distinct valid certificate IDs (40 random bits: a million of them do collide)."""
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(str(new_certificate_id(year)))
    return list(seen)


def _unique_columns(certificate_id: str, year: int, number: int, index: int) -> dict[str, object]:
    return {
        "certificate_id": certificate_id,
        "number": number,
        "serial": f"{year}-{number:06d}",
        "inspection_id": IMPOSSIBLE_ID + index,
        "decision_id": IMPOSSIBLE_ID + index,
        "pdf_sha256": hashlib.sha256(certificate_id.encode()).hexdigest(),
    }


def _copy_rest(
    cursor: Any, postgres: bool, template: dict[str, Any], columns: list[str], ids: list[str], *, first: int
) -> None:
    """One row per ID in `ids`, copied from `template` inside the database (`INSERT … SELECT`)."""
    if not ids:
        return
    cursor.execute("CREATE TEMPORARY TABLE filler (n INTEGER PRIMARY KEY, certificate_id TEXT NOT NULL)")
    numbered = [(first + offset, certificate_id) for offset, certificate_id in enumerate(ids)]
    if postgres:
        with cursor.copy("COPY filler (n, certificate_id) FROM STDIN") as copy:
            for row in numbered:
                copy.write_row(row)
    else:
        cursor.executemany("INSERT INTO filler (n, certificate_id) VALUES (?, ?)", numbered)
    concat = "||"
    number = f"{FIRST_NUMBER} + f.n"
    record = "replace(CAST(t.record AS TEXT), t.certificate_id, f.certificate_id)"
    computed = {
        "certificate_id": "f.certificate_id",
        "number": number,
        "serial": f"CAST(t.year AS TEXT) {concat} '-' {concat} CAST({number} AS TEXT)",
        "inspection_id": f"{IMPOSSIBLE_ID} + f.n",
        "decision_id": f"{IMPOSSIBLE_ID} + f.n",
        "record": f"CAST({record} AS JSON)" if postgres else record,
        "pdf": "NULL",
        "pdf_sha256": "md5(f.certificate_id) || md5(f.certificate_id)" if postgres else "hex(f.certificate_id)",
    }
    chosen = ", ".join(computed.get(c, f"t.{c}") for c in columns)
    cursor.execute(
        f"INSERT INTO certificates ({', '.join(columns)}) SELECT {chosen} FROM filler f, certificates t"
        f" WHERE t.id = {int(template['id'])} ORDER BY f.n"
    )
    cursor.execute("DROP TABLE filler")


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
                if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.1 503"):
                    raise RuntimeError(head.decode(errors="replace"))
                length = int(
                    next(
                        line.split(b":")[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    )
                )
                await reader.readexactly(length)
                done += head.startswith(b"HTTP/1.1 200")
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(CONNECTIONS)))
    return done, time.perf_counter() - started


WRK_SCRIPT = """
local ids = {}
for line in io.lines("%s") do ids[#ids + 1] = line end
math.randomseed(%d)
request = function()
  return wrk.format("GET", "/api/v1/certificates/" .. ids[math.random(#ids)])
end
"""


def wrk(port: int, ids: list[str], folder: Path) -> float:
    """Requests per second `wrk` measures over DURATION_S; every answer must be a 200."""
    return wrk_cpu(port, ids, folder)[0]


def wrk_cpu(port: int, ids: list[str], folder: Path) -> tuple[float, float]:
    """`wrk`'s requests per second, and the CPU (user + system, µs) the server's processes spent
    a request meanwhile: on a shared machine the rate swings with the neighbours' load, the CPU a
    request far less."""
    before = server_cpu_seconds(port)
    output = _wrk(port, ids, folder)
    spent = server_cpu_seconds(port) - before
    requests = re.search(r"(\d+) requests in", output)
    assert requests is not None, output
    found = re.search(r"Requests/sec:\s*([0-9.]+)", output)
    assert found is not None, output
    return float(found.group(1)), spent / int(requests.group(1)) * 1e6


def _wrk(port: int, ids: list[str], folder: Path) -> str:
    listing = folder / "ids.txt"
    listing.write_text("\n".join(ids) + "\n")
    script = folder / "load.lua"
    script.write_text(WRK_SCRIPT % (listing, os.getpid()))
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S:.0f}s", "--timeout", "30s", "-s", str(script)]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(output)
    return output


def bare_render_ms(number: int) -> float:
    """A bare WeasyPrint render of a certificate page, warm: same template, fonts, stylesheet."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    from bench.render import certificate
    from certify.documents.render import engine
    from certify.documents.templates import certificate_html

    pdf = engine()
    html = certificate_html(certificate=certificate(number), verify_url=f"https://x.example/v/{number}", compact=False)
    started = time.perf_counter()
    HTML(string=html, base_url=pdf.base_url, url_fetcher=pdf.fetcher).write_pdf(
        stylesheets=[pdf.stylesheet], font_config=pdf.font_config
    )
    return (time.perf_counter() - started) * 1000


def same_page_render_ms(certificate: CertificateView, verify_url: str) -> float:
    """A bare WeasyPrint render of the page issued: its view, set compactly if it needs it."""
    from weasyprint import HTML

    from certify.documents.render import engine
    from certify.documents.templates import certificate_html

    pdf = engine()
    pages = {
        compact: certificate_html(certificate=certificate, verify_url=verify_url, compact=compact)
        for compact in (False, True)
    }
    html = pages[False] if len(pdf.layout(pages[False]).pages) == 1 else pages[True]  # as printed; not timed
    started = time.perf_counter()
    HTML(string=html, base_url=pdf.base_url, url_fetcher=pdf.fetcher).write_pdf(
        stylesheets=[pdf.stylesheet], font_config=pdf.font_config
    )
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--fill", type=int, nargs="+", default=[FILL], help="certificates; several: measured at each")
    parser.add_argument("--issue-only", action="store_true", help="only issue_p50_ms and its ratio")
    parser.add_argument(
        "--issues", type=int, default=ISSUES, help="certificates issued and timed (a loaded machine wants more)"
    )
    options = parser.parse_args()
    sizes = sorted(options.fill)
    with (
        tempfile.TemporaryDirectory(prefix="certify-bench-") as folder,
        database_url(Path(folder), options.postgres) as url,
    ):
        data_dir = Path(folder)
        print(f"database: {'postgresql' if options.postgres else 'sqlite'}, {', '.join(map(str, sizes))} certificates")
        timings, bare_timings, database, batik_timings = issue_with_yardsticks(data_dir, url, issues=options.issues)
        database.dispose()
        issue, bare = statistics.median(timings), statistics.median(bare_timings)
        batik = statistics.median(batik_timings)
        print(f"issue_p50_ms: {issue:.0f}")
        print(f"bare_render_p50_ms: {bare:.0f}")
        print(f"ratio_issue_to_bare_render: {issue / bare:.2f}")
        print(f"bare_batik_render_p50_ms: {batik:.0f}")
        print(f"ratio_issue_to_batik_render: {issue / batik:.2f}")
        if options.issue_only:
            return 0
        filled, asked, figures = 0, [], []
        for size in sizes:
            started = time.perf_counter()
            ids = fill(data_dir, url, size - filled, start=filled)
            asked, filled = asked or ids, size  # the same certificates are asked for at every size
            print(f"filled: {size} certificates in {time.perf_counter() - started:.1f} s")
            figures.append(verify_and_hello(data_dir, url, asked))
        if len(sizes) > 1:
            (small, small_hello), (large, large_hello) = figures[0], figures[-1]
            print(f"slowdown_at_{sizes[-1]}_vs_{sizes[0]}: {small / large:.2f}")
            print(
                f"slowdown_at_{sizes[-1]}_vs_{sizes[0]}_per_hello: {(small / small_hello) / (large / large_hello):.2f}"
            )
    return 0


def verify_and_hello(data_dir: Path, url: str, ids: list[str]) -> tuple[float, float]:
    """Verifications by ID per second and hello-world's, one after the other; prints both."""
    env = {
        **os.environ,
        "CERTIFY_DATA_DIR": str(data_dir),
        "CERTIFY_DATABASE_URL": url,
        "CERTIFY_RENDER_WORKERS": "0",
        **UNREACHABLE_RATE_LIMIT,
    }
    sample = ids[: min(SAMPLE, len(ids) // 2)]
    cold = ids[len(sample) : len(sample) + COLD]
    with running(uvicorn(["--factory", "certify.app:create_app"]), env) as port:
        # Each worker keeps its own answers: two passes over two workers left a worker without
        # about a quarter of them, built (1-2 ms each, 50 times an answer served again) while
        # measured. WARM_PASSES passes, then as long as the measure, so that each worker has them.
        warm = sample * WARM_PASSES
        asyncio.run(load(port, warm, seconds=120, total=len(warm)))
        wrk(port, sample, data_dir)
        verify, verify_cpu = wrk_cpu(port, sample, data_dir)
        print(f"verify_requests_per_second: {verify:.0f}")
        print(f"verify_cpu_us_per_request: {verify_cpu:.0f}")
        answered, elapsed = asyncio.run(load(port, cold, seconds=30, total=len(cold)))
        print(f"verify_cold_requests_per_second: {answered / elapsed:.0f}")
    (data_dir / "hello_bench.py").write_text(HELLO)
    with running(uvicorn(["--app-dir", str(data_dir), "hello_bench:app"]), dict(os.environ)) as port:
        wrk(port, sample, data_dir)  # loaded as long before it is measured, as certify is
        hello, hello_cpu = wrk_cpu(port, sample, data_dir)
        print(f"hello_world_requests_per_second: {hello:.0f}")
        print(f"hello_world_cpu_us_per_request: {hello_cpu:.0f}")
    print(f"ratio_verify_to_hello: {verify / hello:.2f} (load average {os.getloadavg()[0]:.1f})")
    print(f"ratio_verify_to_hello_by_cpu: {hello_cpu / verify_cpu:.2f} (hello-world's CPU a request over certify's)")
    return verify, hello


if __name__ == "__main__":
    sys.exit(main())
