"""An assessment as the JSON the service stores and answers, made without building it anew.

The same document as `Assessment.to_dict()` (which is what `AssessmentPublic` validates), key for
key and in the same order, as `json.dumps` writes it. A row's words (criterion, titles, the rule,
the reason) are fixed when the standard is compiled (`Verdict`): the JSON of each verdict's row is
kept here (by the verdict, bounded) in two pieces, before and with its input (by the input), and
from there on with its contribution (by its assessment's shares of the total), so a row is two
lookups. The lot's JSON is kept by its decision; each defect class's plan part, the categories',
the head's, a reason's or note's by what they say (bounded; lots and category lists once they
recur): what is not kept is written out directly, as `json.dumps` would write it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import compress, count, repeat
from operator import attrgetter
from typing import Any

from certify.core.assessment import Assessment, CategoryScore, DefectClass, LotDecision, Rows, Verdict
from certify.core.explain import tenths
from certify.core.text import Text

_dumps = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": ")).encode
"""`json.dumps` with its defaults (what the database's JSON column writes), without its checks."""
_string = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str

KEPT_PER_VERDICT = 512
"""Row pieces kept per verdict (its inputs seen, its contributions seen)."""
VERDICTS = 16384
"""Verdicts whose row pieces are kept (a standard has a few per criterion)."""
KEPT = 4096
"""Lots, plans, category lists and heads whose JSON is kept."""

# A verdict's row is two pieces, kept in its own dict (`_kept`, by the verdict's id): the JSON
# before its input with the input, by the input's repr (a str key); and from the input on, with
# its contribution, by the number of its assessment's shares of the total (an int key). Under
# None, the three parts of the verdict's own JSON the pieces are made of; under _HELD, the verdict
# itself (held, so that its id stays its own while the entry lives).
_kept: dict[int, dict[Any, Any]] = {}
_HELD = object()


def _pieces(verdict: Verdict) -> dict[Any, Any]:
    """The verdict's kept pieces, with the three parts of its row's JSON (before its input,
    between it and its contribution, after that) under None."""
    found = _kept.get(id(verdict))
    if found is None:
        if len(_kept) >= VERDICTS:
            _kept.clear()
        d = _string
        title, reason = verdict.title, verdict.reason
        parts = (
            f', {{"criterion": {d(verdict.criterion)}, "category": {d(verdict.category)}, '
            f'"title": {{"en": {d(title.en)}, "id": {d(title.id)}}}, "status": {d(verdict.status)}, "input": ',
            f', "rule": {d(verdict.rule)}, "points": {_dumps(verdict.points)}, "weight": {verdict.weight}, '
            '"contribution": "',
            f'", "knockout": {_dumps(verdict.knockout)}, "reason": {{"en": {d(reason.en)}, "id": {d(reason.id)}}}}}',
        )
        found = _kept[id(verdict)] = {None: parts, _HELD: verdict}
    return found


# An input as json writes it, by its repr: true, false, null and the non-finite floats differ.
_LITERALS = {"True": "true", "False": "false", "None": "null", "inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}
_CENTS = [f".{n:02d}" for n in range(100)]


def _head_of_row(pieces: dict[Any, Any], shown: str) -> str:
    text: str = pieces[None][0] + _LITERALS.get(shown, shown)
    if len(pieces) < KEPT_PER_VERDICT:
        pieces[shown] = text
    return text


def _tail_of_row(pieces: dict[Any, Any], share_set: int, shares: Sequence[tuple[int, int]]) -> str:
    _, between, after = pieces[None]
    verdict: Verdict = pieces[_HELD]
    scale, denominator = shares[verdict.slot]
    whole, cents = divmod((scale * verdict.weighted + denominator) // (2 * denominator), 100)
    text = f"{between}{whole}{_CENTS[cents]}{after}"
    if len(pieces) < KEPT_PER_VERDICT:
        pieces[share_set] = text
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


def _rows(rows: Rows) -> list[Any]:
    """The pieces of the rows' JSON objects, comma-separated, to be joined: a pass over all the
    rows at a time, each in C (this is the bulk of the document), reading only what is kept. A
    verdict with no pieces kept yet raises TypeError (dict.get of None); an input or a share of
    the total not seen with its verdict leaves a None, which the join refuses: `_rows_made` then."""
    kept: list[Any] = [*map(_kept.get, map(id, rows.verdicts))]
    heads = [*map(dict.get, kept, map(repr, rows.inputs))]
    return _interleaved(heads, [*map(dict.get, kept, repeat(_share_set(rows.shares)))])


def _rows_made(rows: Rows) -> list[str]:
    """The same pieces, those not kept made (and kept)."""
    verdicts, shares = rows.verdicts, rows.shares
    kept = [*map(_pieces, verdicts)]
    shown = [*map(repr, rows.inputs)]
    heads = [*map(dict.get, kept, shown)]
    if not all(heads):
        heads = [*map(_head_of_row, kept, shown)]
    share_set = _share_set(shares)
    tails = [*map(dict.get, kept, repeat(share_set))]
    if not all(tails):
        tails = [*map(_tail_of_row, kept, repeat(share_set), repeat(shares))]
    return _interleaved(heads, tails)


def _interleaved(heads: list[Any], tails: list[Any]) -> list[Any]:
    """head, tail, head, tail…; the first row follows no other (a None is left for the join)."""
    pieces = heads + tails
    pieces[::2], pieces[1::2] = heads, tails
    if pieces and pieces[0] is not None:
        pieces[0] = pieces[0][2:]
    return pieces


_lots: dict[int, tuple[LotDecision, str]] = {}
_plans: dict[tuple[Any, ...], tuple[str, str]] = {}


def _lot(lot: LotDecision) -> str:
    """The lot's JSON, kept by the decision (scoring remembers its decisions: the same one returns)."""
    found = _lots.get(id(lot))
    if found is not None:
        return found[1]
    classes = lot.classes
    defects = ", ".join(map(_defects, classes))
    accepted = lot.severity != "discontinued"  # lot.accepted, without its generator
    for each in classes:
        accepted = accepted and each.found <= each.plan.accept
    text = (
        f'{{"lot_size": {lot.lot_size}, "level": {_string(lot.level)}, '
        f'"accepted": {"true" if accepted else "false"}, "severity": {_string(lot.severity)}, '
        f'"switching_rule": {_text(lot.switching_rule)}, "defects": [{defects}]}}'
    )
    if _seen_twice(id(lot)):
        if len(_lots) >= KEPT:
            _lots.clear()
        _lots[id(lot)] = (lot, text)  # the entry holds the lot: its id stays its own
    return text


_seen: set[int] = set()
SEEN = 4096
"""The most keys noted as seen once (of lots and category lists): plain integers."""


def _seen_twice(key: int) -> bool:
    """Whether `key` was noted before (then what it gives is worth keeping); else it is noted.
    Most lots and category lists are an inspection's own: keeping each would only give the
    garbage collector more to walk. A key noted by mistake (an id reused) only keeps a text."""
    if key in _seen:
        return True
    if len(_seen) >= SEEN:
        _seen.clear()
    _seen.add(key)
    return False


def _defects(defects: DefectClass) -> str:
    """A defect class's JSON: its plan's part kept by what it says. That is the same for every lot
    size of one code letter but where the sample is more than a tenth of the lot (the pieces taken
    and the hypergeometric limiting quality depend on the lot then): the lot size is in the key
    only there."""
    plan, name, aql = defects.plan, defects.name, defects.aql
    sample, lot = plan.sample_size, plan.lot_size
    key: tuple[Any, ...] = (name, aql, plan.code_letter, plan.plan_letter, sample, plan.accept, plan.reject)
    key += (plan.inspect_all, lot if 10 * sample > lot else 0)
    found = _plans.get(key)
    if found is None:
        if len(_plans) >= KEPT:
            _plans.clear()
        lq = defects.limiting_quality
        found = _plans[key] = (
            f'{{"class": {_string(name)}, "aql": {"null" if aql is None else _string(aql)}, '
            f'"code_letter": {_string(plan.code_letter)}, "plan_letter": {_string(plan.plan_letter)}, '
            f'"sample_size": {sample}, "pieces_to_inspect": {plan.pieces_to_inspect}, '
            f'"inspect_all": {"true" if plan.inspect_all else "false"}, "accept": {plan.accept}, '
            f'"reject": {plan.reject}, "found": ',
            f', "limiting_quality": {{"percent": {_string(lq.percent)}, "method": {_string(lq.method)}}}}}',
        )
    accepted = "true" if defects.found <= plan.accept else "false"
    return f'{found[0]}{defects.found}, "accepted": {accepted}{found[1]}'


_categories: dict[tuple[CategoryScore, ...], str] = {}


_category_texts: dict[CategoryScore, str] = {}


def _category(c: CategoryScore) -> str:
    """A category's JSON, kept by what it says (scoring keeps each category's score by its sums:
    they recur one by one more than the three together do)."""
    found = _category_texts.get(c)
    if found is None:
        if len(_category_texts) >= KEPT:
            _category_texts.clear()
        score = "null" if c.score_tenths is None else f'"{tenths(c.score_tenths)}"'
        found = _category_texts[c] = (
            f'{{"category": {_string(c.category)}, "weight": {c.weight}, "score": {score}, '
            f'"minimum": "{tenths(c.minimum_tenths)}", "passed": {"true" if c.passed else "false"}, '
            f'"assessed_weight": {c.assessed_weight}, "applicable_weight": {c.applicable_weight}}}'
        )
    return found


def _categories_json(categories: tuple[CategoryScore, ...]) -> str:
    found = _categories.get(categories)
    if found is None:
        found = f"[{', '.join(map(_category, categories))}]"
        if _seen_twice(hash(categories)):
            if len(_categories) >= KEPT:
                _categories.clear()
            _categories[categories] = found
    return found


_FAILS = attrgetter("fails_product")  # a knockout, failed
_heads: dict[tuple[Any, ...], str] = {}


_texts: dict[int, tuple[Text, str]] = {}


def _text(text: Text) -> str:
    """A text's JSON, kept by the text (reasons and notes are made once, explain.py: they recur)."""
    found = _texts.get(id(text))
    if found is None:
        if len(_texts) >= KEPT:
            _texts.clear()
        found = _texts[id(text)] = (text, f'{{"en": {_string(text.en)}, "id": {_string(text.id)}}}')  # holds it
    return found[1]


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
    head = (
        _head(a),
        f'"total": "{a.total}", "categories": {_categories_json(a.categories)}, "knockouts_failed": [',
        ", ".join(map(_string, knockouts)),
        f'], "lot": {_lot(a.lot)}, "reasons": [',
        ", ".join(map(_text, a.reasons)),
        '], "notes": [',
        ", ".join(map(_text, a.notes)),
        '], "criteria": [',
    )
    try:
        return "".join((*head, *_rows(rows), "]}"))
    except TypeError:  # a piece not kept yet
        return "".join((*head, *_rows_made(rows), "]}"))
