"""An assessment as the JSON the service stores and answers, made without building it anew.

The same document as `Assessment.to_dict()` (which is what `AssessmentPublic` validates), key for
key and in the same order, as `json.dumps` writes it. A row's words (criterion, titles, the rule,
the reason) are fixed when the standard is compiled (`Verdict`): each verdict keeps its row's JSON
in two pieces, before and with its input (by the input), and from there on with its contribution
(by its assessment's shares of the total), so a row is two lookups. The lot's, the categories' and
the head's JSON repeat from one assessment to the next and are kept too (bounded).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain, compress, count, repeat
from operator import attrgetter
from typing import Any

from certify.core.assessment import Assessment, CategoryScore, LotDecision, Rows, Verdict
from certify.core.text import Text

_dumps = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": ")).encode
"""`json.dumps` with its defaults (what the database's JSON column writes), without its checks."""
_string = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str

KEPT_PER_VERDICT = 512
"""Row pieces kept per verdict (its inputs seen, its contributions seen)."""
KEPT = 4096
"""Lots, category lists and heads whose JSON is kept."""

# A row is two pieces, kept by its verdict (`Verdict.kept`): the JSON before its input with the
# input, by the input's repr (a str key); and from the input on, with its contribution, by the
# number of its assessment's shares of the total (an int key). Under None, the three parts of
# the verdict's own JSON the pieces are made of.


def _parts(verdict: Verdict) -> tuple[str, str, str]:
    """The verdict's row JSON before its input, between it and its contribution, after that."""
    parts: tuple[str, str, str] | None = verdict.kept.get(None)
    if parts is None:
        d = _string
        title, reason = verdict.title, verdict.reason
        parts = verdict.kept[None] = (
            f', {{"criterion": {d(verdict.criterion)}, "category": {d(verdict.category)}, '
            f'"title": {{"en": {d(title.en)}, "id": {d(title.id)}}}, "status": {d(verdict.status)}, "input": ',
            f', "rule": {d(verdict.rule)}, "points": {_dumps(verdict.points)}, "weight": {verdict.weight}, '
            '"contribution": "',
            f'", "knockout": {_dumps(verdict.knockout)}, "reason": {{"en": {d(reason.en)}, "id": {d(reason.id)}}}}}',
        )
    return parts


# An input as json writes it, by its repr: true, false, null and the non-finite floats differ.
_LITERALS = {"True": "true", "False": "false", "None": "null", "inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}
_CENTS = [f".{n:02d}" for n in range(100)]
_KEPT = attrgetter("kept")


def _head_of_row(verdict: Verdict, shown: str) -> str:
    text = _parts(verdict)[0] + _LITERALS.get(shown, shown)
    if len(verdict.kept) < KEPT_PER_VERDICT:
        verdict.kept[shown] = text
    return text


def _tail_of_row(verdict: Verdict, share_set: int, shares: Sequence[tuple[int, int]]) -> str:
    _, between, after = _parts(verdict)
    scale, denominator = shares[verdict.slot]
    whole, cents = divmod((scale * verdict.weighted + denominator) // (2 * denominator), 100)
    text = f"{between}{whole}{_CENTS[cents]}{after}"
    if len(verdict.kept) < KEPT_PER_VERDICT:
        verdict.kept[share_set] = text
    return text


_share_sets: dict[tuple[tuple[int, int], ...], int] = {}
_numbers = count()
SHARE_SETS = 100_000
"""The assessments' shares of the total seen, numbered (never twice the same number)."""


def _share_set(shares: Sequence[tuple[int, int]]) -> int:
    key = tuple(shares)
    number = _share_sets.get(key)
    if number is None:
        if len(_share_sets) >= SHARE_SETS:
            _share_sets.clear()
        number = _share_sets[key] = next(_numbers)
    return number


def _rows(rows: Rows) -> list[str]:
    """The pieces of the rows' JSON objects, comma-separated, to be joined (a pass over all the
    rows at a time, each in C: this is the bulk of the document)."""
    verdicts, shares = rows.verdicts, rows.shares
    kept = [*map(_KEPT, verdicts)]
    shown = [*map(repr, rows.inputs)]
    heads: list[Any] = [*map(dict.get, kept, shown)]
    if not all(heads):
        heads = [*map(_head_of_row, verdicts, shown)]
    share_set = _share_set(shares)
    tails: list[Any] = [*map(dict.get, kept, repeat(share_set))]
    if not all(tails):
        tails = [*map(_tail_of_row, verdicts, repeat(share_set), repeat(shares))]
    pieces = [*chain.from_iterable(zip(heads, tails, strict=True))]
    if pieces:
        pieces[0] = pieces[0][2:]  # the first row follows no other
    return pieces


_lots: dict[int, tuple[LotDecision, str]] = {}
_categories: dict[tuple[CategoryScore, ...], str] = {}


def _lot(lot: LotDecision) -> str:
    """The lot's JSON, kept by the decision (scoring remembers its decisions: the same one returns)."""
    found = _lots.get(id(lot))
    if found is None:
        if len(_lots) >= KEPT:
            _lots.clear()
        found = _lots[id(lot)] = (lot, _dumps(lot.to_dict()))  # the entry holds the lot: its id stays its own
    return found[1]


def _categories_json(categories: tuple[CategoryScore, ...]) -> str:
    found = _categories.get(categories)
    if found is None:
        if len(_categories) >= KEPT:
            _categories.clear()
        found = _categories[categories] = _dumps([category.to_dict() for category in categories])
    return found


_FAILS = attrgetter("fails_product")  # a knockout, failed
_heads: dict[tuple[Any, ...], str] = {}


def _text(text: Text) -> str:
    return f'{{"en": {_string(text.en)}, "id": {_string(text.id)}}}'


def _head(a: Assessment) -> str:
    """The document up to its total: the standard, the day, whether certified, the grade."""
    title = a.grade_title
    key: tuple[Any, ...] = (a.standard_id, a.standard_version, a.content_hash, a.inspected_on, a.certified, a.grade)
    key += (None, None) if title is None else (title.en, title.id)
    found = _heads.get(key)
    if found is None:
        if len(_heads) >= KEPT:
            _heads.clear()
        d = _string
        found = _heads[key] = (
            f'{{"standard": {{"id": {d(a.standard_id)}, "version": {d(a.standard_version)}, '
            f'"content_hash": {d(a.content_hash)}}}, '
            f'"inspected_on": {"null" if a.inspected_on is None else d(a.inspected_on.isoformat())}, '
            f'"certified": {"true" if a.certified else "false"}, '
            f'"grade": {"null" if title is None else _dumps({"id": a.grade, "title": {"en": title.en, "id": title.id}})}, '
        )
    return found


def assessment_json(assessment: Assessment) -> str:
    """`json.dumps(assessment.to_dict())`, the same text, made faster."""
    a, rows = assessment, assessment.rows
    knockouts = [v.criterion for v in compress(rows.verdicts, map(_FAILS, rows.verdicts))]
    return "".join(
        (
            _head(a),
            f'"total": "{a.total}", "categories": {_categories_json(a.categories)}, "knockouts_failed": [',
            ", ".join(map(_string, knockouts)),
            f'], "lot": {_lot(a.lot)}, "reasons": [',
            ", ".join(map(_text, a.reasons)),
            '], "notes": [',
            ", ".join(map(_text, a.notes)),
            '], "criteria": [',
            *_rows(rows),
            "]}",
        )
    )
