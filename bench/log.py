"""Benchmark of the Merkle log: appends per second and proof latency at a million leaves.

    python bench/log.py [--leaves N] [--proofs K]

Builds an in-memory log (each leaf: a ~200-byte event, leaf-hashed then appended), then times
K random inclusion proofs, their verification, and K consistency proofs, all at the full size.
Prints one `name: value` line per figure.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, uninstalled

from certify.ledger import (
    LogTree,
    MemoryNodeStore,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)


def _event(number: int) -> bytes:
    """A leaf shaped like the service's: canonical JSON of a certificate event."""
    return (
        b'{"certificate_id":"CERT-%08d","event":"issued","pdf_sha256":"%064x",'
        b'"record_sha256":"%064x","status":"valid","time":"2026-01-01T00:00:00Z"}'
        % (number, number, number * 7)
    )


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--proofs", type=int, default=1000)
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


if __name__ == "__main__":
    main()
