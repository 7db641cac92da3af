"""A standard compiled once into plain functions and precomputed explanations, for fast scoring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from certify.core import explain
from certify.core.conditions import Predicate, compile_condition
from certify.core.hashing import content_hash
from certify.core.standard import CATEGORIES, Criterion, PassFail, Ranged, Standard
from certify.core.text import Text

# What a measurement earned: points, status, the rule applied, the reason.
Verdict = tuple[int, str, str, Text]
Judge = Callable[[Any], Verdict | str]  # a verdict, or why the value is refused


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    criterion: Criterion
    applies: Predicate | None
    judge: Judge
    not_applicable: Text
    not_assessed: Text


@dataclass(frozen=True, slots=True)
class CompiledStandard:
    standard: Standard
    content_hash: str
    criteria: tuple[CompiledCriterion, ...]  # in id order: scoring never depends on file order
    grades: tuple[tuple[int, str, Text], ...]  # (from, in tenths; id; title), highest first
    category_weights: dict[str, int]
    category_minimums: dict[str, int]  # in tenths


def compiled(standard: Standard) -> CompiledStandard:
    """The compiled form of a standard, made once and kept with it."""
    cached: CompiledStandard | None = standard._compiled
    if cached is None:
        cached = _compile(standard)
        standard._compiled = cached
    return cached


def _compile(standard: Standard) -> CompiledStandard:
    criteria = tuple(
        CompiledCriterion(
            criterion=c,
            applies=compile_condition(c.applies_when),
            judge=_judge(c),
            not_applicable=explain.not_applicable(c.applies_when),
            not_assessed=explain.not_assessed(c.category),
        )
        for c in sorted(standard.criteria, key=lambda c: c.id)
    )
    grades = sorted(((round(g.from_ * 10), g.id, g.title) for g in standard.grades), key=lambda g: -g[0])
    return CompiledStandard(
        standard=standard,
        content_hash=content_hash(standard),
        criteria=criteria,
        grades=tuple(grades),
        category_weights={c: standard.categories[c].weight for c in CATEGORIES if c in standard.categories},
        category_minimums={c: round(r.minimum * 10) for c, r in standard.categories.items()},
    )


def _judge(criterion: Criterion) -> Judge:
    measure = criterion.measure
    if isinstance(measure, PassFail):
        return _pass_fail_judge(criterion)
    assert isinstance(measure, Ranged)
    return _ranged_judge(criterion, measure)


def _pass_fail_judge(criterion: Criterion) -> Judge:
    verdicts = {
        True: (
            100,
            "passed",
            "yes → 100 points, no → 0",
            explain.pass_fail_reason(True, criterion.knockout),
        ),
        False: (
            0,
            "failed",
            "yes → 100 points, no → 0",
            explain.pass_fail_reason(False, criterion.knockout),
        ),
    }

    def judge(value: Any) -> Verdict | str:
        if value is True or value is False:
            return verdicts[value]
        return f"takes true or false (pass/fail), not {value!r}"

    return judge


def _ranged_judge(criterion: Criterion, measure: Ranged) -> Judge:
    pass_points = criterion.pass_points
    bands = sorted(measure.bands, key=lambda band: band.from_, reverse=True)
    table = tuple(
        (
            band.from_ - 1e-9,
            (
                band.points,
                "passed" if band.points >= pass_points else "failed",
                explain.band_rule(band, measure, pass_points),
                explain.band_reason(band, measure, pass_points, criterion.knockout),
            ),
        )
        for band in bands
    )
    low, high, step = measure.minimum, measure.maximum, measure.step
    whole = measure.kind == "count"
    unit = f" {measure.unit}" if measure.unit else ""
    scale = (
        f"{explain.number(low)}–{explain.number(high)}{unit}"
        if high is not None
        else f"{explain.number(low)}{unit} or more"
    )

    def judge(value: Any) -> Verdict | str:
        if value is True or value is False or not isinstance(value, int | float):
            return f"takes a number ({measure.kind}), not {value!r}"
        if whole and not (isinstance(value, int) or value.is_integer()):
            return f"takes a whole number (a count), not {value!r}"
        if value < low or (high is not None and value > high):
            return f"{value!r} is outside the scale {scale}"
        steps = (value - low) / step
        if abs(steps - round(steps)) > 1e-6:
            return f"{value!r} is not on the scale's step of {explain.number(step)}{unit}"
        for start, verdict in table:
            if value >= start:
                return verdict
        raise AssertionError("a linted scale covers every value on it")  # pragma: no cover

    return judge
