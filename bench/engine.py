"""Scores each bundled standard's worked examples in a loop, single process, with full explanations.

Prints one line per standard: `inspections_per_second[STANDARD]: N`. Inspections are parsed once
(as the service does when a request arrives); the loop measures `score()` alone.
"""

from __future__ import annotations

import time

from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.rulebook import bundled

SECONDS = 1.5


def main() -> None:
    for standard in bundled().latest():
        inspections = [Inspection.model_validate(e.inspection) for e in standard.examples]
        for inspection in inspections:  # warm up, and compile the standard
            score(standard, inspection)
        done, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < SECONDS:
            for inspection in inspections:
                score(standard, inspection)
            done += len(inspections)
        rows = sum(len(score(standard, i).rows) for i in inspections) / len(inspections)
        print(
            f"inspections_per_second[{standard.id}]: {done / elapsed:.0f}  ({len(standard.criteria)} criteria, {rows:.0f} rows each)"
        )


if __name__ == "__main__":
    main()
