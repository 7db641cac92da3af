"""Benchmark of the Merkle log: appends per second and proof latency at a million leaves.

    python bench/log.py [--leaves N] [--proofs K] [--sql]

Builds an in-memory log (each leaf: a ~200-byte event, leaf-hashed then appended), then times
K random inclusion proofs, their verification, and K consistency proofs, all at the full size.
With `--sql`, also the service's SQL log on a SQLite file (WAL, synchronous=FULL) in a temporary
folder: appends through `append_event`, one transaction each (as issuance does), and proofs at
the full size over the same leaves bulk-loaded into the tables.
Prints one `name: value` line per figure.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, uninstalled

from certify.ledger import (
    LogTree,
    MemoryNodeStore,
    NodeId,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)


def _event(number: int) -> bytes:
    """A leaf shaped like the service's: canonical JSON of a certificate event."""
    return (
        b'{"certificate_id":"CERT-%08d","event":"issued","pdf_sha256":"%064x",'
        b'"record_sha256":"%064x","status":"valid","time":"2026-01-01T00:00:00Z"}' % (number, number, number * 7)
    )


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--proofs", type=int, default=1000)
    parser.add_argument("--sql", action="store_true", help="also the SQL log, on SQLite")
    args = parser.parse_args()
    size: int = args.leaves
    events = [_event(number) for number in range(size)]

    tree = LogTree(MemoryNodeStore())
    started = time.perf_counter()
    for event in events:
        tree.append(leaf_hash(event))
    build_seconds = time.perf_counter() - started
    top = tree.root()

    rng = random.Random(6962)
    proving, verifying, consistency = [], [], []
    for _ in range(args.proofs):
        index = rng.randrange(size)
        started = time.perf_counter()
        proof = tree.inclusion_proof(index, size)
        proving.append(time.perf_counter() - started)
        started = time.perf_counter()
        verify_inclusion(index, size, leaf_hash(events[index]), proof, top)
        verifying.append(time.perf_counter() - started)
        old_size = rng.randrange(1, size)
        started = time.perf_counter()
        old_root = tree.root(old_size)
        verify_consistency(old_size, size, tree.consistency_proof(old_size, size), old_root, top)
        consistency.append(time.perf_counter() - started)

    print(f"leaves: {size}")
    print(f"build_seconds: {build_seconds:.2f}")
    print(f"append_per_second: {size / build_seconds:.0f}")
    print(f"inclusion_proof_ms[{size}]: {_median_ms(proving):.4f}")
    print(f"inclusion_proof_p99_ms[{size}]: {statistics.quantiles(proving, n=100)[98] * 1000:.4f}")
    print(f"inclusion_verify_ms[{size}]: {_median_ms(verifying):.4f}")
    print(f"consistency_root_proof_verify_ms[{size}]: {_median_ms(consistency):.4f}")
    if args.sql:
        _bench_sql(tree, events, args.proofs)


def _bench_sql(tree: LogTree, events: list[bytes], proofs: int, appends: int = 2000) -> None:
    """The SQL log: appends one transaction each, then proofs over the whole tree, bulk-loaded."""
    from sqlalchemy import insert

    from certify.ledger.sql import SqlNodeStore, log_leaves, log_nodes, log_size
    from certify.services.log import append_event
    from certify.store import migrate
    from certify.store.database import Database

    size = tree.size
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'certify.db'}"
        migrate.upgrade(url)
        database = Database.connect(url, pool_size=2)
        at = datetime(2026, 1, 1, tzinfo=UTC)
        started = time.perf_counter()
        for number in range(appends):
            with database.write() as session:
                append_event(
                    session,
                    certificate_id=f"IDC-2026-{number:08d}",
                    event="issued",
                    at=at,
                    record_sha256=f"{number:064x}",
                    pdf_sha256=None,
                    status="valid",
                )
        print(f"sql_append_per_second[sqlite, one transaction each]: {appends / (time.perf_counter() - started):.0f}")
        with database.engine.begin() as connection:  # the same tree as in memory, loaded in bulk
            for name in ("log_leaves", "log_nodes", "log_size"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_no_delete")
                connection.execute(
                    log_leaves.delete()
                    if name == "log_leaves"
                    else log_nodes.delete()
                    if name == "log_nodes"
                    else log_size.delete()
                )
            connection.execute(
                insert(log_leaves),
                [{"leaf_index": i, "certificate_id": f"CERT-{i:08d}", "data": d} for i, d in enumerate(events)],
            )
            memory = tree.store
            assert isinstance(memory, MemoryNodeStore)
            for level in range(size.bit_length()):
                ids = [NodeId(level, index) for index in range(size >> level)]
                connection.execute(
                    insert(log_nodes),
                    [
                        {"level": n.level, "idx": n.index, "hash": h}
                        for n, h in zip(ids, memory.get_nodes(ids), strict=True)
                    ],
                )
            connection.execute(insert(log_size).values(id=1, size=size))
        rng = random.Random(9162)
        proving = []
        with database.read() as session:
            sql_tree = LogTree(SqlNodeStore(session), size=size)
            top = sql_tree.root()
            for _ in range(proofs):
                index = rng.randrange(size)
                started = time.perf_counter()
                proof = sql_tree.inclusion_proof(index, size)
                proving.append(time.perf_counter() - started)
                verify_inclusion(index, size, leaf_hash(events[index]), proof, top)
        print(f"sql_inclusion_proof_ms[sqlite, {size}]: {_median_ms(proving):.4f}")
        database.dispose()


if __name__ == "__main__":
    main()
