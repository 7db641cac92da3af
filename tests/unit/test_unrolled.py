"""The generated per-criterion pass of scoring does exactly what its plain-loop specification does."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core.compiled import compiled
from certify.core.errors import Problem
from certify.core.inspection import Inspection
from certify.core.standard import Standard
from certify.core.unrolled import reference_rows, unroll
from tests.strategies import cases, criterion, pass_fail, ranged, standard_dict


@given(cases(), st.data())
def test_the_unrolled_pass_equals_the_plain_loop(case: tuple[Standard, Inspection], data: st.DataObject) -> None:
    """Same rows (verdict and input), sums, knockouts, missing ids and problems, for any standard,
    any applicability and any measurements, including values of the wrong kind and missing ones."""
    standard, inspection = case
    book = compiled(standard)
    applies = data.draw(st.lists(st.booleans(), min_size=len(book.criteria), max_size=len(book.criteria)))
    measurements = dict(inspection.measurements)
    for item in book.criteria:  # knock some out, and make some of the wrong kind
        change = data.draw(st.sampled_from(["keep", "drop", "text", "bool", "number"]))
        if change == "drop":
            measurements.pop(item.id, None)
        elif change != "keep":
            measurements[item.id] = {"text": "x", "bool": True, "number": 3}[change]
    generated_problems: list[object] = []
    expected_problems: list[object] = []
    shares: list[tuple[int, int]] = []
    generated = book.rows_of(applies, measurements.get, shares, generated_problems)  # type: ignore[arg-type]
    expected = reference_rows(book.criteria, applies, measurements.get, shares, expected_problems)  # type: ignore[arg-type]
    assert [(row.verdict, row.input) for row in generated[0]] == [(row.verdict, row.input) for row in expected[0]]
    assert generated[1:] == expected[1:]
    assert generated_problems == expected_problems


def test_both_passes_treat_each_way_a_criterion_can_go_alike_by_example() -> None:
    """Whatever Hypothesis happens to draw: a failed knockout is knocked out, a passed one is not; a
    value in a band of too few points fails; a required criterion that applies without a value is
    missing and gets no row; an optional one is not assessed; one that does not apply needs no value;
    a value of the wrong kind is a problem."""
    standard = Standard.model_validate(
        standard_dict(
            [
                criterion("FIN-01", "finish", pass_fail(), knockout=True),
                criterion("FIN-02", "finish", pass_fail(), knockout=True),
                criterion("FIN-03", "finish", ranged("count", [(0, 0, 100), (1, None, 0)], better="lower")),
                criterion("MAT-01", "materials", pass_fail()),
                criterion("MAT-02", "materials", pass_fail(), optional=True),
                criterion("PKG-01", "packaging", pass_fail(), knockout=True),
                criterion("PKG-02", "packaging", pass_fail()),
            ]
        )
    )
    book = compiled(standard)  # criteria in id order, as listed above
    applies = [True, True, True, True, True, False, True]
    measurements: dict[str, object] = {"FIN-01": False, "FIN-02": True, "FIN-03": 2, "PKG-02": "yes"}
    generated_problems: list[Problem] = []
    expected_problems: list[Problem] = []
    generated = book.rows_of(applies, measurements.get, [], generated_problems)
    expected = reference_rows(book.criteria, applies, measurements.get, [], expected_problems)
    for (rows, _, knocked, missing), problems in ((generated, generated_problems), (expected, expected_problems)):
        assert [(row.criterion, row.status) for row in rows] == [
            ("FIN-01", "failed"),
            ("FIN-02", "passed"),
            ("FIN-03", "failed"),
            ("MAT-02", "not_assessed"),
            ("PKG-01", "not_applicable"),
        ]
        assert [verdict.criterion for verdict in knocked] == ["FIN-01"]
        assert missing == ["MAT-01"]
        assert [problem.path for problem in problems] == [("measurements", "PKG-02")]
    assert generated[1] == expected[1]


@dataclass(frozen=True)
class BrokenStep:
    """A criterion whose judge fails unexpectedly (a bug, not a refused value)."""

    id: str = "FIN-09"
    optional: bool = False
    boolean: bool = False
    memo: dict[Any, Any] = field(default_factory=dict)
    not_applicable: Any = None
    not_assessed: Any = None

    def judge(self, value: Any) -> Any:
        raise ZeroDivisionError("a bug in a judge")

    @property
    def memos(self) -> tuple[dict[Any, Any], ...]:
        return (self.memo, self.memo)

    @property
    def judges(self) -> tuple[Any, ...]:
        return (self.judge, self.judge)


def test_a_traceback_through_the_generated_pass_shows_the_generated_line() -> None:
    """The generated source is registered: the traceback names the standard and prints the line that failed."""
    rows_of = unroll([BrokenStep()], name="batik@2026.1")
    with pytest.raises(ZeroDivisionError) as failure:
        rows_of([True], {"FIN-09": 3}.get, [], [])
    shown = "".join(traceback.format_exception(failure.value))
    assert "<certify.core.unrolled batik@2026.1#" in shown
    assert "r = J0(v)" in shown
