"""An assessment as the JSON the service stores and answers, made without building it anew.

The same document as `Assessment.to_dict()` (which is what `AssessmentPublic` validates), key for
key and in the same order, as `json.dumps` writes it. A row's words (criterion, titles, the rule,
the reason) are fixed when the standard is compiled (`Verdict`): their JSON is made once per
verdict and kept, with the text of its contribution for each share of the total seen; a row then
adds only its input. The lot's and the categories' JSON repeat from one assessment to the next and
are kept too (bounded); the rest (the standard, the total, reasons, notes) is small.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import Any

from certify.core.assessment import Assessment, CategoryScore, LotDecision, Rows, Verdict
from certify.core.text import Text

_dumps = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": ")).encode
"""`json.dumps` with its defaults (what the database's JSON column writes), without its checks."""

Pieces = tuple[Verdict, str, str, str, dict[int, str]]
_pieces: dict[int, Pieces] = {}
PIECES = 100_000
"""Verdicts whose JSON is kept (a standard's compiled verdicts number in the hundreds)."""
SHARES = 256
"""Contributions kept per verdict (one per share of the total its category had)."""
KEPT = 4096
"""Lots and category lists whose JSON is kept."""


def _around(verdict: Verdict) -> Pieces:
    """A verdict's row JSON around its input and its contribution: (the verdict, before the input,
    between it and the contribution, after it, the contributions' text with what follows)."""
    found = _pieces.get(id(verdict))
    if found is not None:  # the entry holds the verdict: its id cannot name another object
        return found
    d = _dumps
    before = (
        f', {{"criterion": {d(verdict.criterion)}, "category": {d(verdict.category)}, '
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
    found = _pieces[id(verdict)] = (verdict, before, between, after, {})
    return found


# An input as json writes it, by its repr: true, false, null and the non-finite floats differ.
_LITERALS = {"True": "true", "False": "false", "None": "null", "inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}
_CENTS = [f".{n:02d}" for n in range(100)]
_BEFORE, _TAILS = itemgetter(1), itemgetter(4)


def _tail(pieces: Pieces, share_set: int, shares: Sequence[tuple[int, int]]) -> str:
    """A row of this verdict from its input on: the rule and so on, its contribution (from its
    category's share of the total), the rest."""
    verdict, _, between, after, tails = pieces
    scale, denominator = shares[verdict.slot]
    whole, cents = divmod((scale * verdict.weighted + denominator) // (2 * denominator), 100)
    text = f"{between}{whole}{_CENTS[cents]}{after}"
    if len(tails) < SHARES:
        tails[share_set] = text
    return text


_share_sets: dict[tuple[tuple[int, int], ...], int] = {}
SHARE_SETS = 100_000
"""The rows' shares of the total seen, numbered (the key of a verdict's kept contributions)."""


def _share_set(shares: Sequence[tuple[int, int]]) -> int:
    key = tuple(shares)
    number = _share_sets.get(key)
    if number is None:
        if len(_share_sets) >= SHARE_SETS:
            _share_sets.clear()
            _pieces.clear()  # their contributions are kept by these numbers
        number = _share_sets[key] = len(_share_sets)
    return number


def _rows(rows: Rows) -> list[str]:
    """The pieces of the rows' JSON objects, comma-separated, to be joined (a pass over all the
    rows at a time, each in C: this is the bulk of the document)."""
    verdicts, shares = rows.verdicts, rows.shares
    found: list[Any] = [*map(_pieces.get, map(id, verdicts))]
    if not all(found):
        found = [*map(_around, verdicts)]
    share_set = _share_set(shares)
    tails: list[Any] = [*map(dict.get, map(_TAILS, found), repeat(share_set))]
    if not all(tails):
        tails = [*map(_tail, found, repeat(share_set), repeat(shares))]
    shown = [*map(repr, rows.inputs)]
    pieces = [*chain.from_iterable(zip(map(_BEFORE, found), map(_LITERALS.get, shown, shown), tails, strict=True))]
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


_KNOCKOUT = attrgetter("knockout")
_string = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str
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
    knockouts = [v.criterion for v in compress(rows.verdicts, map(_KNOCKOUT, rows.verdicts)) if v.status == "failed"]
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
