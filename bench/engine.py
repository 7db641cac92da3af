"""Scores each bundled standard's worked examples in a loop, single process, with full explanations.

Prints one line per standard: `inspections_per_second[STANDARD]: N`. Inspections are parsed once
(as the service does when a request arrives); the loop measures `score()` alone.

Next to it, the yardsticks of the same run, per standard (microseconds per inspection):
- `bare_us`: the same numbers summed in plain Python, no explanation: for each criterion that
  applies, the measured value looked up in a table of its points (built beforehand from the
  engine's own rows), Σ weight·points and Σ weight per category, the categories' weighted total
  in tenths. What any scorer must do at least; `ratio_score_to_bare` is score's time over it.
- `json_us`: the assessment turned into the JSON text the service stores and answers
  (`certify.services.assessment_json`, the text `json.dumps(assessment.to_dict())` gives), and
  `ratio_json_to_score`: that time over score's.
The three are timed in alternating short rounds (the machine is shared: each sees it as the
others do).
The closing lines print each ratio's median over the standards.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certify.core.assessment import Assessment  # noqa: E402
from certify.core.inspection import Inspection  # noqa: E402
from certify.core.scoring import score  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services.assessment_json import assessment_json  # noqa: E402

SECONDS = 1.5
ROUND = 20


def per_inspection_us(works: list[tuple[Callable[[Any], object], list[Any]]]) -> list[float]:
    """Microseconds per item of each (work, items), interleaved in short rounds for SECONDS in
    all, so that each sees the machine as the others do (it is shared: only ratios count)."""
    for work, items in works:  # warm up
        for item in items:
            work(item)
    spent, done = [0.0] * len(works), [0] * len(works)
    deadline = time.perf_counter() + SECONDS * len(works)
    while time.perf_counter() < deadline:
        for index, (work, items) in enumerate(works):
            started = time.perf_counter()
            for _ in range(ROUND):
                for item in items:
                    work(item)
            spent[index] += time.perf_counter() - started
            done[index] += ROUND * len(items)
    return [s / d * 1e6 for s, d in zip(spent, done, strict=True)]


Plan = tuple[list[tuple[str, str, int, dict[object, int]]], dict[str, int]]


def bare_plans(assessments: list[tuple[Inspection, Assessment]]) -> list[tuple[Plan, dict[str, Any]]]:
    """Per inspection: the criteria that apply to it (id, category, weight, points by measured
    value, a table shared by the inspections), the category weights, and its measurements."""
    tables: dict[str, dict[object, int]] = {}
    for inspection, assessment in assessments:
        for row in assessment.rows:
            if row.points is not None:
                tables.setdefault(row.criterion, {})[inspection.measurements[row.criterion]] = row.points
    weights = {c.category: c.weight for c in assessments[0][1].categories}
    return [
        (
            (
                [(r.criterion, r.category, r.weight, tables[r.criterion]) for r in a.rows if r.points is not None],
                weights,
            ),
            inspection.measurements,
        )
        for inspection, a in assessments
    ]


def bare(item: tuple[Plan, dict[str, Any]]) -> int:
    (criteria, weights), measurements = item
    points: dict[str, int] = dict.fromkeys(weights, 0)
    weight: dict[str, int] = dict.fromkeys(weights, 0)
    for criterion, category, w, table in criteria:
        value = measurements.get(criterion)
        if value is None:
            continue
        points[category] += w * table[value]
        weight[category] += w
    scored = [(weights[c], points[c] / weight[c]) for c in weights if weight[c]]
    total = sum(w for w, _ in scored) or 1
    return round(10 * sum(w * p for w, p in scored) / total)


def main() -> None:
    score_ratios, json_ratios = [], []
    for standard in bundled().latest():
        inspections = [Inspection.model_validate(e.inspection) for e in standard.examples]
        assessments = [(i, score(standard, i)) for i in inspections]
        score_us, bare_us, json_us = per_inspection_us(
            [
                (partial(score, standard), inspections),
                (bare, bare_plans(assessments)),
                (assessment_json, [a for _, a in assessments]),
            ]
        )
        rows = sum(len(a.rows) for _, a in assessments) / len(assessments)
        score_ratios.append(score_us / bare_us)
        json_ratios.append(json_us / score_us)
        print(
            f"inspections_per_second[{standard.id}]: {1e6 / score_us:.0f}  ({len(standard.criteria)} criteria, "
            f"{rows:.0f} rows each)  score_us: {score_us:.1f}  bare_us: {bare_us:.1f}  "
            f"ratio_score_to_bare: {score_us / bare_us:.2f}  json_us: {json_us:.1f}  "
            f"ratio_json_to_score: {json_us / score_us:.2f}"
        )
    print(f"ratio_score_to_bare: {statistics.median(score_ratios):.2f}")
    print(f"ratio_json_to_score: {statistics.median(json_ratios):.2f}")


if __name__ == "__main__":
    main()
