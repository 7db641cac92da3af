"""An assessment as the JSON the service stores and answers, made without building it anew.

The same document as `Assessment.to_dict()` (which is what `AssessmentPublic` validates), key for
key and in the same order. A row's words (criterion, titles, the rule, the reason) are fixed when
the standard is compiled (`Verdict`): their JSON is made once per verdict and kept; a row then
adds only its input and its share of the total. The rest (standard, categories, lot, reasons,
notes) is small and dumped as it comes.
"""

from __future__ import annotations

import json
from typing import Any

from certify.core.assessment import Assessment, Row, Verdict

_dumps = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": ")).encode
"""`json.dumps` with its defaults (what the database's JSON column writes), without its checks."""

_pieces: dict[int, tuple[Verdict, str, str, str]] = {}
PIECES = 100_000
"""Verdicts whose JSON is kept (a standard's compiled verdicts number in the hundreds)."""


def _around(verdict: Verdict) -> tuple[str, str, str]:
    """A verdict's row JSON around its input and its contribution: (before input, between, after)."""
    found = _pieces.get(id(verdict))
    if found is not None and found[0] is verdict:
        return found[1], found[2], found[3]
    d = _dumps
    before = (
        f'{{"criterion": {d(verdict.criterion)}, "category": {d(verdict.category)}, '
        f'"title": {{"en": {d(verdict.title.en)}, "id": {d(verdict.title.id)}}}, '
        f'"status": {d(verdict.status)}, "input": '
    )
    between = (
        f', "rule": {d(verdict.rule)}, "points": {d(verdict.points)}, "weight": {d(verdict.weight)}, "contribution": "'
    )
    after = (
        f'", "knockout": {d(verdict.knockout)}, '
        f'"reason": {{"en": {d(verdict.reason.en)}, "id": {d(verdict.reason.id)}}}}}'
    )
    if len(_pieces) >= PIECES:
        _pieces.clear()
    _pieces[id(verdict)] = (verdict, before, between, after)  # the verdict is kept: its id stays its own
    return before, between, after


_LITERALS: dict[object, str] = {None: "null", True: "true", False: "false"}
_CENTS = [f".{n:02d}" for n in range(100)]
_FINITE = 1.7976931348623157e308  # the largest float: beyond it, json writes Infinity


def _rows(rows: tuple[Row, ...]) -> str:
    """The rows' JSON objects, comma-separated (one loop: this is the bulk of the document)."""
    parts = []
    pieces, literals, dumps, cents_of = _pieces, _LITERALS, _dumps, _CENTS
    for verdict, value, shares in rows:
        found = pieces.get(id(verdict))
        if found is None or found[0] is not verdict:
            found = (verdict, *_around(verdict))
        scale, denominator = shares[verdict.slot]
        c = (scale * verdict.weighted + denominator) // (2 * denominator)
        if value is None or value is True or value is False:
            shown = literals[value]
        elif type(value) is int:
            shown = int.__repr__(value)
        elif type(value) is float and -_FINITE <= value <= _FINITE:  # not NaN nor ±infinity
            shown = float.__repr__(value)
        else:
            shown = dumps(value)
        whole, cents = divmod(c, 100)
        parts.append(f"{found[1]}{shown}{found[2]}{whole}{cents_of[cents]}{found[3]}")
    return ", ".join(parts)


def assessment_json(assessment: Assessment) -> str:
    """`json.dumps(assessment.to_dict())`, the same text, made faster."""
    a, title = assessment, assessment.grade_title
    head: dict[str, Any] = {  # Assessment.to_dict() but its rows
        "standard": {"id": a.standard_id, "version": a.standard_version, "content_hash": a.content_hash},
        "inspected_on": None if a.inspected_on is None else a.inspected_on.isoformat(),
        "certified": a.certified,
        "grade": None if title is None else {"id": a.grade, "title": {"en": title.en, "id": title.id}},
        "total": a.total,
        "categories": [category.to_dict() for category in a.categories],
        "knockouts_failed": [v.criterion for v, _, _ in a.rows if v.knockout and v.status == "failed"],
        "lot": a.lot.to_dict(),
        "reasons": [{"en": r.en, "id": r.id} for r in a.reasons],
        "notes": [{"en": n.en, "id": n.id} for n in a.notes],
    }
    text = _dumps(head)
    return f'{text[:-1]}, "criteria": [{_rows(assessment.rows)}]}}'
