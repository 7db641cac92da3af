"""The generated per-criterion pass of scoring does exactly what its plain-loop specification does."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core.compiled import compiled
from certify.core.inspection import Inspection
from certify.core.standard import Standard
from certify.core.unrolled import reference_rows, unroll
from tests.strategies import cases


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


def test_a_traceback_through_the_generated_pass_shows_the_generated_line() -> None:
    """The generated source is registered: the traceback names the standard and prints the line that failed."""
    rows_of = unroll([BrokenStep()], name="batik@2026.1")
    with pytest.raises(ZeroDivisionError) as failure:
        rows_of([True], {"FIN-09": 3}.get, [], [])
    shown = "".join(traceback.format_exception(failure.value))
    assert "<certify.core.unrolled batik@2026.1#" in shown
    assert "r = J0(v)" in shown
