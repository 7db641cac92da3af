"""A standard's worked examples: run each through the engine and compare with what it expects."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from certify.core.assessment import Assessment
from certify.core.errors import InspectionRefused, Problem
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import Example, Standard


@dataclass(frozen=True, slots=True)
class ExampleResult:
    index: int
    example: Example
    assessment: Assessment | None
    differences: tuple[Problem, ...]  # empty: the example holds

    @property
    def passed(self) -> bool:
        return not self.differences


def run_examples(standard: Standard) -> list[ExampleResult]:
    return [_run(standard, index, example) for index, example in enumerate(standard.examples)]


def check_examples(standard: Standard) -> list[Problem]:
    """Every example that does not hold, and every criterion that no example exercises."""
    results = run_examples(standard)
    problems = [p for result in results for p in result.differences]
    exercised = {
        row.criterion
        for result in results
        if result.assessment
        for row in result.assessment.rows
        if row.status in ("passed", "failed")
    }
    variants_used = {
        (row.criterion, row.verdict.variant)
        for result in results
        if result.assessment
        for row in result.assessment.rows
        if row.status in ("passed", "failed")
    }
    for index, criterion in enumerate(standard.criteria):
        if criterion.id not in exercised:
            problems.append(
                Problem(
                    "no example exercises this criterion (applies and is measured)", ("criteria", index), criterion.id
                )
            )
        problems += [
            Problem(
                f"no example exercises its variant {v.label.en!r} (applies and is measured)",
                ("criteria", index, "variants", number - 2),
                criterion.id,
            )
            for number, v in enumerate(criterion.variants, start=2)
            if (criterion.id, number) not in variants_used
        ]
    if not standard.examples:
        problems.append(Problem("the standard has no worked example", ("examples",)))
    return problems


def _run(standard: Standard, index: int, example: Example) -> ExampleResult:
    path: tuple[str | int, ...] = ("examples", index)
    try:
        inspection = Inspection.model_validate(example.inspection)
        assessment = score(standard, inspection)
    except ValidationError as error:
        problems = tuple(
            Problem(f"inspection {'.'.join(map(str, e['loc']))}: {e['msg']}", (*path, "inspection", *e["loc"]))
            for e in error.errors()
        )
        return ExampleResult(index, example, None, problems)
    except InspectionRefused as refused:
        problems = tuple(
            Problem(f"the engine refuses it: {p.message}", (*path, "inspection", *p.path), p.criterion)
            for p in refused.problems
        )
        return ExampleResult(index, example, None, problems)
    return ExampleResult(index, example, assessment, tuple(_differences(example, assessment, path)))


def _differences(example: Example, assessment: Assessment, path: tuple[str | int, ...]) -> list[Problem]:
    expect, found = example.expect, []
    if expect.certified != assessment.certified:
        why = "; ".join(r.en for r in assessment.reasons) or f"total {assessment.total}, grade {assessment.grade}"
        found.append(
            Problem(
                f"expected certified={expect.certified}, got {assessment.certified} ({why})",
                (*path, "expect", "certified"),
            )
        )
    if expect.grade != assessment.grade:
        found.append(
            Problem(
                f"expected grade {expect.grade}, got {assessment.grade} (total {assessment.total})",
                (*path, "expect", "grade"),
            )
        )
    statuses = {row.criterion: row for row in assessment.rows}
    for criterion, status in expect.criteria.items():
        row = statuses.get(criterion)
        if row is None:
            found.append(
                Problem(
                    f"expects a status for {criterion}, which the standard does not have", (*path, "expect", "criteria")
                )
            )
        elif row.status != status:
            found.append(
                Problem(
                    f"example {example.name!r} expects {status}, got {row.status} ({row.reason.en})",
                    (*path, "expect", "criteria", criterion),
                    criterion,
                )
            )
    return found
