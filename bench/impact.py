"""Revision impact: re-scoring 100,000 stored inspections under a new version of their standard.

Prints `rescored_per_second[100000]` (what `certify rules impact batik@2026.1 batik@2026.2
--assume ...` does per inspection: read in batches of 500 with their certificates, carry the facts
over, re-score under 2026.2, and, as 2026.2 asks tests 2026.1 did not, score again with those at
their best and worst), and two yardsticks from the same run:

- `read_and_rescored_same_version_per_second[100000]`: the same batched read, each inspection
  re-scored under its own version once (no facts to carry, no new tests to bound);
- `score_per_second`: `certify.core.scoring.score` of the same kinds of inspection in memory.

`rescored_per_cpu_second` divides by the CPU time this process used instead of the wall time: on a
machine shared with other work it says what the pass costs by itself.

A temporary SQLite database is migrated and filled (foreign keys off) with copies of the worked
examples of batik@2026.1 that it certifies, each with its own lot size and defects, and the
assessment 2026.1 made of it. `max_rss_mb` is the process's peak resident memory at the end: the
rows are read 500 at a time, so it does not grow with the number of inspections.
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certify.core.inspection import Inspection  # noqa: E402
from certify.core.scoring import score  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services.impact import impacts  # noqa: E402
from certify.store.database import Database  # noqa: E402
from certify.store.migrate import upgrade  # noqa: E402

COUNT = 100_000
ASSUMED = {"markets": ["eu"], "wearer": "adult", "batikmark": False}
SEED = 17


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(path: Path, rng: random.Random) -> list[Inspection]:
    old = bundled().get("batik@2026.1")
    templates = [e.inspection for e in old.examples if e.expect.certified]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    made: list[Inspection] = []
    rows = []
    for number in range(1, COUNT + 1):
        body = dict(templates[number % len(templates)])
        body["lot"] = {"size": rng.randint(10, 3000)}
        body["defects"] = {"critical": 0, "major": rng.choice((0, 0, 0, 1)), "minor": rng.choice((0, 1, 2))}
        inspection = Inspection.model_validate(body)
        if number <= 2_000:
            made.append(inspection)
        assessment = score(old, inspection).to_dict()
        rows.append(
            (
                number,
                1,
                1,
                1,
                "2026-09-01 10:00:00.000000",
                old.id,
                old.version,
                assessment["standard"]["content_hash"],
                json.dumps(body["lot"]),
                json.dumps(body["facts"]),
                json.dumps(body["measurements"]),
                json.dumps(body["defects"]),
                json.dumps(assessment),
                assessment["certified"],
                assessment["grade"]["id"] if assessment["grade"] else None,
                assessment["total"],
            )
        )
        if len(rows) == 10_000:
            insert(connection, rows)
            rows = []
            progress(f"  {number:,} stored")
    insert(connection, rows)
    connection.commit()
    connection.close()
    return made


def insert(connection: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    connection.executemany(
        "INSERT INTO inspections (id, product_id, holder_id, inspector_id, submitted_at, standard_id,"
        " standard_version, content_hash, lot, facts, measurements, defects, assessment, certified, grade, total)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def main() -> int:
    rng = random.Random(SEED)
    rulebook = bundled()
    old, new = rulebook.get("batik@2026.1"), rulebook.get("batik@2026.2")
    with tempfile.TemporaryDirectory(prefix="certify-impact-") as folder:
        path = Path(folder) / "certify.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        progress(f"storing {COUNT:,} inspections of {old.ref}")
        sample = fill(path, rng)
        database = Database.connect(url, pool_size=1)

        started, cpu = time.perf_counter(), time.process_time()
        outcomes: dict[str, int] = {}
        for found in impacts(database=database, old=old, new=new, assumed=ASSUMED):
            outcomes[found.impact.outcome] = outcomes.get(found.impact.outcome, 0) + 1
        rescoring, rescoring_cpu = time.perf_counter() - started, time.process_time() - cpu
        progress(f"outcomes: {outcomes}")

        started = time.perf_counter()
        read = 0
        for _ in impacts(database=database, old=old, new=old):  # the same read, re-scored under itself
            read += 1
        same_version = time.perf_counter() - started

        started = time.perf_counter()
        for inspection in sample:
            score(old, inspection)
        scoring = (time.perf_counter() - started) / len(sample)
        database.dispose()
    print(f"rescored_per_second[{COUNT}]: {COUNT / rescoring:,.0f} ({rescoring:.1f} s)")
    print(
        f"rescored_per_cpu_second[{COUNT}]: {COUNT / rescoring_cpu:,.0f} ({rescoring_cpu:.1f} s of this process's CPU)"
    )
    print(f"read_and_rescored_same_version_per_second[{COUNT}]: {read / same_version:,.0f}")
    print(f"score_per_second: {1 / scoring:,.0f}")
    print(f"max_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
