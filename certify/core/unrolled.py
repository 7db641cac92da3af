"""The per-criterion pass of scoring, written out once per standard as straight-line Python.

Scoring visits every criterion of a standard for every inspection; a loop over criterion objects
spends most of its time loading their attributes. Here each criterion's step is generated as
source with its verdicts, memo and judge bound as names, then compiled once, when the standard is.
The generated code does exactly what `reference_rows` below says, which the tests compare it with.
"""

from __future__ import annotations

import itertools
import linecache
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from certify.core.assessment import Row, Verdict
from certify.core.errors import Problem
from certify.core.text import Text

# applies (per criterion: 0/False when it does not apply; True/1 for its own bands; 2, 3, … for its
# variants), the measurements' get, the rows' shares, problems →
# the rows, the packed category sums, the knockouts failed, the ids of missing measurements.
RowsOf = Callable[
    [Sequence[bool | int], Callable[[str], Any], list[tuple[int, int]], list[Problem]],
    tuple[list[Row], int, list[Verdict], list[str]],
]


_generated = itertools.count(1)
"""Numbers the generated sources: each compiled standard registers its own."""


class Step(Protocol):
    """What the generated code needs of one criterion (a `certify.core.compiled.CompiledCriterion`)."""

    @property
    def id(self) -> str: ...
    @property
    def optional(self) -> bool: ...
    @property
    def boolean(self) -> bool: ...
    @property
    def memo(self) -> dict[Any, Verdict]: ...
    @property
    def judge(self) -> Callable[[Any], Verdict | Text]: ...
    @property
    def memos(self) -> tuple[dict[Any, Verdict], ...]: ...  # by what `applies` says: 0 judges as 1
    @property
    def judges(self) -> tuple[Callable[[Any], Verdict | Text], ...]: ...
    @property
    def not_applicable(self) -> Verdict: ...
    @property
    def not_assessed(self) -> Verdict: ...


def unroll(steps: Sequence[Step], *, name: str = "standard") -> RowsOf:
    """The pass over `steps` as one generated function; its source is registered (as
    `<certify.core.unrolled NAME#N>`) so that a traceback through it shows the generated line."""
    names: dict[str, Any] = {"new": tuple.__new__, "Row": Row, "Problem": Problem, "Text": Text}
    lines = [
        "def rows_of(applies, get, shares, problems):",
        "    rows = []; append = rows.append; knocked = []; missing = []; tally = 0",
    ]
    for i, step in enumerate(steps):
        names.update(
            {f"M{i}": step.memo, f"J{i}": step.judge, f"NA{i}": step.not_applicable, f"NX{i}": step.not_assessed}
        )
        key, same_kind = repr(step.id), "is" if step.boolean else "is not"
        unmeasured = (
            f"append(new(Row, (NX{i}, None, shares))); tally += {step.not_assessed.tally}"
            if step.optional
            else f"missing.append({key})"
        )
        varied = len(step.judges) > 2  # bands that differ by market or date: chosen by `applies`
        if varied:
            names.update({f"MV{i}": step.memos, f"JV{i}": step.judges})
        memo, judge = (f"MV{i}[applies[{i}]]", f"JV{i}[applies[{i}]]") if varied else (f"M{i}", f"J{i}")
        lines += [
            f"    v = get({key})",
            "    if v is not None:",
            # A value seen before has its verdict remembered; true/false never stands for 1/0.
            f"        r = {memo}.get(v) if v.__class__ {same_kind} bool else None",
            "        if r is None:",
            f"            r = {judge}(v)",
            "            if r.__class__ is Text:",
            f"                problems.append(Problem(r.en, ('measurements', {key}), {key}, r)); r = None",
            "        if r is not None:",
            f"            if not applies[{i}]: r = NA{i}",
            "            append(new(Row, (r, v, shares))); tally += r.tally",
            "            if r.fails_product: knocked.append(r)",
            f"    elif not applies[{i}]:",
            f"        append(new(Row, (NA{i}, None, shares)))",
            "    else:",
            f"        {unmeasured}",
        ]
    lines.append("    return rows, tally, knocked, missing")
    source = "\n".join(lines) + "\n"
    filename = f"<certify.core.unrolled {name}#{next(_generated)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), names)  # noqa: S102 - our own generated source
    rows_of: RowsOf = names["rows_of"]
    weakref.finalize(rows_of, linecache.cache.pop, filename, None)  # registered while it lives
    return rows_of


def reference_rows(
    steps: Sequence[Step],
    applies: Sequence[bool | int],
    get: Callable[[str], Any],
    shares: list[tuple[int, int]],
    problems: list[Problem],
) -> tuple[list[Row], int, list[Verdict], list[str]]:
    """The same pass as a plain loop: the specification of the generated code."""
    rows: list[Row] = []
    knocked: list[Verdict] = []
    missing: list[str] = []
    tally = 0
    for step, applying in zip(steps, applies, strict=True):
        value = get(step.id)
        if value is not None:
            judged = step.judges[int(applying)](value)
            if isinstance(judged, Text):
                problems.append(Problem.told(judged, ("measurements", step.id), step.id))
                continue
            verdict = judged if applying else step.not_applicable
        elif not applying:
            verdict = step.not_applicable
        elif step.optional:
            verdict = step.not_assessed
        else:
            missing.append(step.id)
            continue
        rows.append(Row(verdict, value, shares))
        tally += verdict.tally
        if verdict.fails_product:
            knocked.append(verdict)
    return rows, tally, knocked, missing
