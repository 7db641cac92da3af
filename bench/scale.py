"""Scale: verification by ID and the directory search with a million certificates on SQLite.

Prints `verify_p50_ms[1000]`, `verify_p50_ms[1000000]`, `directory_search_p95_ms[1000000]` and
`directory_page_p95_ms[1000000]`.

A temporary data directory is migrated and a few certificates are issued through the service
(`bench.certificates.issue_many`: signed record, log leaves, PDF). Then HOLDERS workshops spread
over provinces and crafts, their products and certificates are bulk-inserted into the real
tables: copies of the issued certificate, each with its own holder, product, ID, serial, status,
validity and freshly Ed25519-signed record (no PDF bytes and no log leaves: the verification read
skips the PDF column and a certificate without leaves is answered `log_inclusion: invalid` after
one indexed lookup). Their inspection and decision ids are fictitious (foreign keys off while
filling): neither read touches those tables.

- `verify_p50_ms[N]`: the median time of `certify.services.verification.verify_certificate` (the
  service path behind `GET /api/v1/certificates/{id}`), in this process, with N certificates
  stored, over VERIFY_SAMPLE distinct random IDs asked once each (every one a cold signature
  check, so both sizes pay the same per-request work).
- `directory_search_p95_ms[1000000]`: `certify.services.directory.search` (behind `/directory`,
  `.json` and `.csv`) with a craft, a province and a name fragment, over DIRECTORY_SAMPLE random
  searches: the holders' `listed_until` is refreshed once after filling, as issuance and status
  changes do for each holder they touch.
- `directory_page_p95_ms[1000000]`: the unfiltered first page of `/directory` and its search
  form's choices, DIRECTORY_SAMPLE times (what a buyer arriving at the directory costs).

Progress goes to stderr. The whole run took 6.5 minutes on a 2-core machine.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.certificates import issue_many  # noqa: E402
from certify.core.certificate_id import new_certificate_id  # noqa: E402
from certify.services import directory  # noqa: E402
from certify.services.verification import verify_certificate  # noqa: E402
from certify.signing import KeyRing, load_key_ring  # noqa: E402
from certify.store.database import Database  # noqa: E402

SMALL, LARGE = 1_000, 1_000_000
HOLDERS, PRODUCTS_PER_HOLDER = 20_000, 3
VERIFY_SAMPLE = 1_000
DIRECTORY_SAMPLE = 200
BATCH = 20_000
SEED = 7

PROVINCES = (
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Jambi",
    "Sumatera Selatan",
    "Lampung",
    "DKI Jakarta",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Banten",
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Barat",
    "Kalimantan Tengah",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Sulawesi Utara",
    "Sulawesi Tengah",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
    "Gorontalo",
    "Maluku",
    "Papua",
)
CRAFTS = ("batik", "weaving", "wood", "ceramics", "rattan")
CATEGORIES = {"batik": "cloth", "weaving": "cloth", "wood": "furniture", "ceramics": "tableware", "rattan": "furniture"}
FIRST = (
    "Batik",
    "Tenun",
    "Ukir",
    "Gerabah",
    "Rotan",
    "Anyaman",
    "Kriya",
    "Sanggar",
    "Griya",
    "Rumah",
    "Karya",
    "Cipta",
)
SECOND = (
    "Sari",
    "Jaya",
    "Makmur",
    "Lestari",
    "Indah",
    "Mulia",
    "Sentosa",
    "Abadi",
    "Agung",
    "Berkah",
    "Mandiri",
    "Sejahtera",
    "Melati",
    "Kenanga",
    "Cendana",
    "Merapi",
)
PLACES = (
    "Jepara",
    "Pekalongan",
    "Solo",
    "Lasem",
    "Kasongan",
    "Tasikmalaya",
    "Cirebon",
    "Sumba",
    "Lombok",
    "Toraja",
    "Sintang",
    "Gianyar",
    "Ubud",
    "Madura",
    "Garut",
    "Tuban",
)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fill_registry(connection: sqlite3.Connection, rng: random.Random) -> list[tuple[int, str, str, str, str]]:
    """HOLDERS workshops spread over provinces and crafts, PRODUCTS_PER_HOLDER products each;
    returns (product id, holder name, holder region, product name, category) per product."""
    now = datetime.now(UTC).isoformat(sep=" ")
    first_holder = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM holders").fetchone()[0]
    holders = []
    for offset in range(HOLDERS):
        crafts = rng.sample(CRAFTS, 1 if rng.random() < 0.8 else 2)
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(PLACES)} {offset}"
        holders.append(
            (
                first_holder + offset,
                name,
                f"Ibu {rng.choice(SECOND)}",
                rng.choice(PROVINCES),
                f"Kab. {rng.choice(PLACES)}",
                json.dumps(crafts),
                None,
                now,
            )
        )
    connection.executemany(
        "INSERT INTO holders (id, name, owner, province, region, crafts, contact, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        holders,
    )
    first_product = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM products").fetchone()[0]
    products, listed = [], []
    for number, holder in enumerate(holders):
        for index in range(PRODUCTS_PER_HOLDER):
            craft = json.loads(holder[5])[index % len(json.loads(holder[5]))]
            product_id = first_product + number * PRODUCTS_PER_HOLDER + index
            name = f"{craft.capitalize()} {rng.choice(SECOND)} {index + 1}"
            products.append((product_id, holder[0], name, CATEGORIES[craft], None, now))
            listed.append((product_id, holder[1], holder[4], name, CATEGORIES[craft]))
    connection.executemany(
        "INSERT INTO products (id, holder_id, name, category, description, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        products,
    )
    connection.commit()
    return listed


def fill_certificates(
    connection: sqlite3.Connection,
    ring: KeyRing,
    products: list[tuple[int, str, str, str, str]],
    holder_of: dict[int, int],
    *,
    start: int,
    stop: int,
    rng: random.Random,
) -> list[str]:
    """Certificates number `start` to `stop - 1`, each for a random product; returns their IDs."""
    template = dict(connection.execute("SELECT * FROM certificates ORDER BY id LIMIT 1").fetchone())
    columns = [c for c in template if c != "id"]
    record = json.loads(template["record"])
    year = datetime.now(UTC).year
    today = date.today()
    insert = f"INSERT INTO certificates ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    ids: list[str] = []
    used = {row[0] for row in connection.execute("SELECT certificate_id FROM certificates")}
    with ring.signing() as signer:
        for batch_start in range(start, stop, BATCH):
            rows = []
            for index in range(batch_start, min(stop, batch_start + BATCH)):
                product_id, holder, region, product, category = rng.choice(products)
                certificate_id = str(new_certificate_id(year))
                while certificate_id in used:  # 40 random bits: a million draws repeat one or two
                    certificate_id = str(new_certificate_id(year))
                used.add(certificate_id)
                number = 1_000_000 + index
                valid_from = today - timedelta(days=rng.randrange(0, 3 * 365))
                valid_until = valid_from + timedelta(days=3 * 365)
                status = "valid" if rng.random() < 0.93 else rng.choice(("suspended", "withdrawn"))
                signed = {
                    **record,
                    "certificate_id": certificate_id,
                    "serial": f"{year}-{number:07d}",
                    "holder": {"name": holder, "region": region},
                    "product": {"name": product, "category": category},
                    "valid_from": valid_from.isoformat(),
                    "valid_until": valid_until.isoformat(),
                }
                rows.append(
                    {
                        **{c: template[c] for c in columns},
                        "certificate_id": certificate_id,
                        "number": number,
                        "serial": signed["serial"],
                        "inspection_id": 10_000_000 + index,
                        "decision_id": 10_000_000 + index,
                        "holder_id": holder_of[product_id],
                        "product_id": product_id,
                        "valid_from": valid_from.isoformat(),
                        "valid_until": valid_until.isoformat(),
                        "status": status,
                        "record": json.dumps(signed),
                        "signature": signer.sign(signed),
                        "pdf": None,
                        "pdf_sha256": None,
                        "history": "[]",
                    }
                )
                ids.append(certificate_id)
            connection.executemany(insert, rows)
            connection.commit()
            if (batch_start - start) % (10 * BATCH) == 0:
                progress(f"  certificates: {batch_start + len(rows):,}")
    return ids


def verify_p50_ms(database: Database, ring: KeyRing, ids: list[str], rng: random.Random) -> float:
    """The median of verify_certificate over VERIFY_SAMPLE distinct random IDs of `ids`."""
    now = datetime.now(UTC)
    timings = []
    for certificate_id in rng.sample(ids, min(VERIFY_SAMPLE, len(ids))):
        started = time.perf_counter()
        verify_certificate(db=database, certificate_id=certificate_id, keys=ring, now=now)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def p95(timings: list[float]) -> float:
    return sorted(timings)[round(0.95 * (len(timings) - 1))]


def directory_search_p95_ms(database: Database, rng: random.Random) -> float:
    timings = []
    for _ in range(DIRECTORY_SAMPLE):
        search = {"craft": rng.choice(CRAFTS), "province": rng.choice(PROVINCES), "name": rng.choice(SECOND).lower()}
        started = time.perf_counter()
        directory.search(database=database, **search)
        timings.append((time.perf_counter() - started) * 1000)
    return p95(timings)


def directory_page_p95_ms(database: Database) -> float:
    timings = []
    for _ in range(DIRECTORY_SAMPLE):
        started = time.perf_counter()
        directory.search(database=database)
        directory.choices(database=database)
        timings.append((time.perf_counter() - started) * 1000)
    return p95(timings)


def main() -> int:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="certify-scale-") as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        progress("migrating and issuing a few certificates through the service")
        _, _, database = issue_many(data_dir, f"sqlite:///{data_dir / 'certify.db'}")
        ring = load_key_ring(key_dir=data_dir / "keys")
        connection = sqlite3.connect(data_dir / "certify.db")
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        progress(f"registry: {HOLDERS:,} holders, {HOLDERS * PRODUCTS_PER_HOLDER:,} products")
        products = fill_registry(connection, rng)
        holder_of = {row[0]: row[1] for row in connection.execute("SELECT id, holder_id FROM products")}
        stored = connection.execute("SELECT COUNT(*) FROM certificates").fetchone()[0]
        ids = fill_certificates(connection, ring, products, holder_of, start=stored, stop=SMALL, rng=rng)
        small = verify_p50_ms(database, ring, ids, rng)
        print(f"verify_p50_ms[{SMALL}]: {small:.2f}", flush=True)
        progress(f"verified {VERIFY_SAMPLE} at {SMALL:,}; filling to {LARGE:,}")
        ids += fill_certificates(connection, ring, products, holder_of, start=SMALL, stop=LARGE, rng=rng)
        connection.execute("ANALYZE")
        connection.commit()
        connection.close()
        with database.write() as session:
            directory.refresh(session, None)
        progress(f"filled in {time.perf_counter() - started:.0f} s; measuring")
        large = verify_p50_ms(database, ring, ids, rng)
        print(f"verify_p50_ms[{LARGE}]: {large:.2f}", flush=True)
        print(f"directory_search_p95_ms[{LARGE}]: {directory_search_p95_ms(database, rng):.1f}", flush=True)
        print(f"directory_page_p95_ms[{LARGE}]: {directory_page_p95_ms(database):.1f}", flush=True)
        progress(f"total {time.perf_counter() - started:.0f} s")
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
