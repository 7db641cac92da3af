"""Scores each bundled standard's inspections in a loop, single process, with full explanations:
its worked examples over and over, then varied inspections, the way real ones come.

Prints one line per standard and figure: `inspections_per_second[STANDARD]: N` for the worked
examples, `varied_inspections_per_second[STANDARD]: N` for the varied ones. Inspections are parsed
once (as the service does when a request arrives); the loop measures `score()` alone.

The worked examples, scored again and again, find everything the engine remembers (verdicts per
measured value, lot decisions, totals: certify.core.compiled) already there: a best case. The
varied inspections are the examples with their measurements, lot sizes and defects drawn afresh
(`vary`: each value moved on its criterion's scale and step by up to half of it, a pass/fail
flipped one time in ten, lots from half to twice the size, a few defects), VARIED of them per
standard, more than the engine keeps of anything: what repeats is what repeats in real
inspections (a value on a scale, a lot's plan), not the whole inspection. They are met as a
service meets them (`measure_arriving`): all scored once first (a server that has run a while),
then in each round the next few parsed (untimed), scored, summed bare and written as JSON on what
was just made, as a request does.

Next to each figure, the yardsticks of the same run, per standard (microseconds per inspection):
- `bare_us`: the same numbers summed in plain Python, no explanation: for each criterion that
  applies, the measured value looked up in a table of its points (built beforehand from the
  engine's own rows), Σ weight·points and Σ weight per category, the categories' weighted total
  in tenths. What any scorer must do at least; `ratio_score_to_bare` is score's time over it.
- `json_us`: the assessment turned into the JSON text the service stores and answers
  (`certify.services.assessment_json`, the text `json.dumps(assessment.to_dict())` gives), and
  `ratio_json_to_score`: that time over score's.
The three are timed in alternating short rounds (the machine is shared: each sees it as the
others do), over the same inspections. The bench's own inputs (the parsed inspections, their
assessments, the bare sum's tables) are set out of the garbage collector's reach first
(`gc.freeze`): thousands of them would otherwise be walked by every full collection that the
timed work sets off, a cost of the bench's heap, not of scoring; the collections that the timed
work's own allocations cause are timed.
With `--cpu`, each is timed by the CPU time of the process's thread instead of the wall clock:
on a machine shared with other work, each piece of work is charged only the time it ran.
The closing lines print each ratio's median over the standards, for the examples and then for the
varied inspections (`varied_ratio_score_to_bare`, `varied_ratio_json_to_score`).
"""

from __future__ import annotations

import gc
import random
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
from certify.core.errors import InspectionRefused  # noqa: E402
from certify.core.inspection import MAX_COUNT, Inspection  # noqa: E402
from certify.core.scoring import score  # noqa: E402
from certify.core.standard import PassFail, Ranged, Standard  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services.assessment_json import assessment_json  # noqa: E402

SECONDS = 1.5
CLOCK = time.thread_time if "--cpu" in sys.argv[1:] else time.perf_counter
ROUND = 20
VARIED = 3 * 4096
"""Varied inspections per standard: three times what the engine and the JSON keep of any kind."""

Work = tuple[Callable[[Any], object], list[Any], int]  # what, on which items, how many per round


def per_inspection_us(works: list[Work]) -> list[float]:
    """Microseconds per item of each (work, items, per round), interleaved in short rounds for
    SECONDS each, so that each sees the machine as the others do (it is shared: only ratios count).
    Each round takes the next items of its list, from where the last stopped (round and round)."""
    for work, items, _ in works:  # warm up
        for item in items:
            work(item)
    spent, done, at = [0.0] * len(works), [0] * len(works), [0] * len(works)
    deadline = time.perf_counter() + SECONDS * len(works)
    while time.perf_counter() < deadline:
        for index, (work, items, per_round) in enumerate(works):
            start = at[index]
            chunk = items[start : start + per_round]
            while len(chunk) < per_round:
                chunk += items[: per_round - len(chunk)]
            at[index] = (start + per_round) % len(items)
            started = CLOCK()
            for item in chunk:
                work(item)
            spent[index] += CLOCK() - started
            done[index] += per_round
    return [s / d * 1e6 for s, d in zip(spent, done, strict=True)]


Plan = tuple[list[tuple[str, str, int, dict[object, int]]], dict[str, int]]
Tables = dict[str, dict[object, int]]


def bare_tables(assessments: list[tuple[Inspection, Assessment]]) -> Tables:
    """Per criterion, its points by measured value, from the engine's own rows."""
    tables: Tables = {}
    for inspection, assessment in assessments:
        for row in assessment.rows:
            if row.points is not None:
                tables.setdefault(row.criterion, {})[inspection.measurements[row.criterion]] = row.points
    return tables


def bare_plans(
    assessments: list[tuple[Inspection, Assessment]], tables: Tables | None = None
) -> list[tuple[Plan, dict[str, Any]]]:
    """Per inspection: the criteria that apply to it (id, category, weight, points by measured
    value, a table shared by the inspections), the category weights, and its measurements."""
    tables = bare_tables(assessments) if tables is None else tables
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


def vary(standard: Standard, example: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The example inspection with other measurements, lot size and defects, as another lot of
    the same product could have: each value moved on its scale, by its step, up to half of it
    (at least five steps) either way; one pass/fail in ten flipped; the lot from half to twice its
    size; no critical defect but one time in twenty, a few major and minor ones."""
    measures = {c.id: c.measure for c in standard.criteria}
    measurements = {}
    for name, value in example["measurements"].items():
        measure = measures[name]
        if isinstance(measure, PassFail):
            measurements[name] = (not value) if rng.random() < 0.1 else value
            continue
        assert isinstance(measure, Ranged)
        low, high, step = measure.minimum, measure.maximum, measure.step
        reach = max(abs(value) / 2, 5 * step)
        first = max(low, value - reach)
        last = value + reach if high is None else min(high, value + reach)
        steps = rng.randint(round((first - low) / step + 0.4999), int((last - low) / step + 1e-9))
        moved = low + steps * step
        whole = measure.kind == "count" or (isinstance(value, int) and float(moved).is_integer())
        measurements[name] = round(moved) if whole else round(float(moved), 6)
    found = example["defects"]
    return {
        **example,
        "measurements": measurements,
        "lot": {
            **example["lot"],
            "size": min(MAX_COUNT, max(1, round(example["lot"]["size"] * 2 ** rng.uniform(-1, 1)))),
        },
        "defects": {
            "critical": int(rng.random() < 0.05),
            "major": rng.randint(0, found["major"] + 2),
            "minor": rng.randint(0, found["minor"] + 4),
        },
    }


def varied(standard: Standard, count: int) -> list[dict[str, Any]]:
    """`count` varied inspections of the standard's worked examples, as submitted (those it
    refuses left out: a value moved onto a criterion's own scale is never refused, so none is)."""
    rng = random.Random(standard.id)
    examples = [e.inspection for e in standard.examples]
    made = []
    for number in range(count):
        submitted = vary(standard, examples[number % len(examples)], rng)
        try:
            score(standard, Inspection.model_validate(submitted))
        except InspectionRefused:
            continue
        made.append(submitted)
    return made


def measure(standard: Standard, inspections: list[Inspection], per_round: int) -> tuple[float, float, float]:
    """score's, the bare sum's and the JSON's microseconds per inspection, over `inspections`."""
    assessments = [(i, score(standard, i)) for i in inspections]
    works: list[Work] = [
        (partial(score, standard), inspections, per_round),
        (bare, bare_plans(assessments), per_round),
        (assessment_json, [a for _, a in assessments], per_round),
    ]
    gc.collect()
    gc.freeze()
    try:
        score_us, bare_us, json_us = per_inspection_us(works)
    finally:
        gc.unfreeze()
    return score_us, bare_us, json_us


def measure_arriving(standard: Standard, submitted: list[dict[str, Any]], per_round: int) -> tuple[float, float, float]:
    """The same, over inspections met as a service meets them: all of them scored once first (a
    server that has run a while), then round after round the next `per_round` parsed (untimed,
    as requests arrive), scored, summed bare and written as JSON, each timed, on what was just
    made (as in a request: not thousands of parsed inspections read back from memory)."""
    seen = [(i, score(standard, i)) for i in map(Inspection.model_validate, submitted)]
    tables = bare_tables(seen)
    del seen
    gc.collect()
    gc.freeze()
    spent, done, at = [0.0, 0.0, 0.0], 0, 0
    deadline = time.perf_counter() + SECONDS * 3 * 2  # half of it parsing
    try:
        while time.perf_counter() < deadline:
            chunk = submitted[at : at + per_round]
            while len(chunk) < per_round:
                chunk += submitted[: per_round - len(chunk)]
            at = (at + per_round) % len(submitted)
            inspections = [*map(Inspection.model_validate, chunk)]
            started = CLOCK()
            assessments = [score(standard, inspection) for inspection in inspections]
            scored = CLOCK()
            plans = bare_plans([*zip(inspections, assessments, strict=True)], tables)
            summing = CLOCK()
            for plan in plans:
                bare(plan)
            summed = CLOCK()
            for assessment in assessments:
                assessment_json(assessment)
            written = CLOCK()
            spent[0] += scored - started
            spent[1] += summed - summing
            spent[2] += written - summed
            done += per_round
    finally:
        gc.unfreeze()
    score_us, bare_us, json_us = (s / done * 1e6 for s in spent)
    return score_us, bare_us, json_us


def main() -> None:
    ratios: dict[str, list[float]] = {}
    for standard in bundled().latest():
        examples = [Inspection.model_validate(e.inspection) for e in standard.examples]
        rows = sum(len(score(standard, i).rows) for i in examples) / len(examples)
        arriving = varied(standard, VARIED)
        for figure, count, (score_us, bare_us, json_us) in (
            ("", len(examples), measure(standard, examples, ROUND * len(examples))),
            ("varied_", len(arriving), measure_arriving(standard, arriving, ROUND * len(examples))),
        ):
            ratios.setdefault(f"{figure}ratio_score_to_bare", []).append(score_us / bare_us)
            ratios.setdefault(f"{figure}ratio_json_to_score", []).append(json_us / score_us)
            print(
                f"{figure}inspections_per_second[{standard.id}]: {1e6 / score_us:.0f}  "
                f"({len(standard.criteria)} criteria, {rows:.0f} rows each, {count} inspections)  "
                f"score_us: {score_us:.1f}  bare_us: {bare_us:.1f}  ratio_score_to_bare: {score_us / bare_us:.2f}  "
                f"json_us: {json_us:.1f}  ratio_json_to_score: {json_us / score_us:.2f}"
            )
    for name, values in ratios.items():
        print(f"{name}: {statistics.median(values):.2f}")


if __name__ == "__main__":
    main()
