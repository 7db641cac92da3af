"""Properties of the engine over random valid standards and inspections (see tests/strategies.py)."""

from __future__ import annotations

import copy
from fractions import Fraction
from math import floor
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from certify.core.assessment import Assessment
from certify.core.errors import InspectionRefused
from certify.core.hashing import content_hash
from certify.core.inspection import Inspection
from certify.core.lint import lint
from certify.core.scoring import score
from certify.core.standard import CATEGORIES, PassFail, Standard
from certify.rulebook.yamlfile import load
from tests.strategies import Data, cases, measurements, standard_data, steps_on_scale, value_at, worst_value


def dump(standard: Standard) -> Data:
    """The standard as the plain data of its file."""
    return standard.model_dump(mode="json", by_alias=True)


def rebuilt(data: Data) -> Standard:
    """A fresh model (no compiled form cached from an earlier score)."""
    return Standard.model_validate(data)


def with_measurements(inspection: Inspection, **changes: Any) -> Inspection:
    """The inspection with measurements set (a value of None removes one)."""
    merged = {**inspection.measurements, **changes}
    return Inspection.model_validate(
        {**inspection.model_dump(), "measurements": {k: v for k, v in merged.items() if v is not None}}
    )


def without_row_input(assessment: Assessment, criterion: str) -> dict[str, Any]:
    result = assessment.to_dict()
    for row in result["criteria"]:
        if row["criterion"] == criterion:
            row["input"] = None
    return result


# --- the generators themselves --------------------------------------------------------------------


@given(standard_data())
def test_every_generated_standard_lints_clean(data: Data) -> None:
    """The strategies draw valid standards only, and the linter accepts every one of them."""
    assert lint(Standard.model_validate(data)) == []


# --- the total ------------------------------------------------------------------------------------


@given(cases())
def test_the_total_and_every_category_score_stay_within_0_and_100(case: tuple[Standard, Inspection]) -> None:
    """0.0 ≤ total ≤ 100.0 and likewise each category; contributions are never negative."""
    assessment = score(*case)
    assert 0 <= assessment.total_tenths <= 1000
    for category in assessment.categories:
        assert category.score_tenths is None or 0 <= category.score_tenths <= 1000
    assert all(row.contribution_hundredths >= 0 for row in assessment.rows)


def _half_up_tenths(value: Fraction) -> int:
    return floor(value * 10 + Fraction(1, 2))


@given(cases())
def test_the_total_is_the_weighted_mean_of_the_category_scores_rounded_half_up(
    case: tuple[Standard, Inspection],
) -> None:
    """Recomputed with exact fractions: category = Σw·p/Σw over the criteria scored, total = ΣW·S/ΣW over
    the categories scored, in tenths rounded half up; the row contributions add up to it."""
    standard, inspection = case
    assessment = score(standard, inspection)
    scores: dict[str, Fraction] = {}
    for name in CATEGORIES:
        scored = [(r.weight, r.points) for r in assessment.rows if r.category == name and r.points is not None]
        weight = sum(w for w, _ in scored)
        if weight:
            scores[name] = Fraction(sum(w * p for w, p in scored), weight)
        category = next(c for c in assessment.categories if c.category == name)
        assert category.score_tenths == (_half_up_tenths(scores[name]) if name in scores else None)
    weights: dict[str, int] = {name: rule.weight for name, rule in standard.categories.items()}
    total = Fraction(0)
    if scores:
        total = sum((weights[n] * s for n, s in scores.items()), Fraction(0)) / sum(weights[n] for n in scores)
    assert assessment.total_tenths == _half_up_tenths(total)
    shares = sum(row.contribution_hundredths for row in assessment.rows)
    assert abs(shares - total * 100) <= Fraction(len(assessment.rows), 2)


@given(cases())
def test_every_row_explains_itself_in_both_languages(case: tuple[Standard, Inspection]) -> None:
    """One row per criterion, each with a reason in English and Indonesian; every reason not to certify too."""
    standard, inspection = case
    assessment = score(standard, inspection)
    assert sorted(row.criterion for row in assessment.rows) == sorted(c.id for c in standard.criteria)
    for text in [row.reason for row in assessment.rows] + list(assessment.reasons) + list(assessment.notes):
        assert text.en and text.id and text.en != text.id
    assert assessment.certified is (not assessment.reasons)
    assert (assessment.grade is None) or assessment.certified


# --- determinism and order ------------------------------------------------------------------------


@given(cases(), st.data())
def test_scoring_is_deterministic_and_ignores_the_order_of_criteria_and_keys(
    case: tuple[Standard, Inspection], data: st.DataObject
) -> None:
    """The same assessment again, with the criteria of the file shuffled and the facts and
    measurements of the inspection in another order."""
    standard, inspection = case
    first = score(standard, inspection).to_dict()
    assert score(standard, inspection).to_dict() == first

    shuffled = dump(standard)
    shuffled["criteria"] = data.draw(st.permutations(shuffled["criteria"]))
    body = inspection.model_dump()
    body["facts"] = dict(data.draw(st.permutations(list(body["facts"].items()))))
    body["measurements"] = dict(data.draw(st.permutations(list(body["measurements"].items()))))
    assert score(rebuilt(shuffled), Inspection.model_validate(body)).to_dict() == first


# --- monotonicity ----------------------------------------------------------------------------------


@given(cases(), st.data())
def test_a_better_measurement_never_lowers_the_points_or_the_total(
    case: tuple[Standard, Inspection], data: st.DataObject
) -> None:
    """Per the criterion's `better` direction (or false → true), the criterion's points, the total and
    certification never go down."""
    standard, inspection = case
    index = data.draw(st.integers(0, len(standard.criteria) - 1))
    applying = dump(standard)
    applying["criteria"][index]["applies_when"] = None  # so that its value counts
    standard = rebuilt(applying)
    item = standard.criteria[index]
    measure = item.measure
    worse: bool | int | float
    better: bool | int | float
    if isinstance(measure, PassFail):
        worse, better = False, True
    else:
        low, high = sorted(data.draw(st.lists(st.integers(0, steps_on_scale(measure)), min_size=2, max_size=2)))
        worse, better = value_at(measure, low), value_at(measure, high)
        if measure.better == "lower":
            worse, better = better, worse
    before = score(standard, with_measurements(inspection, **{item.id: worse}))
    after = score(standard, with_measurements(inspection, **{item.id: better}))
    assert after.row(item.id).points >= before.row(item.id).points  # type: ignore[operator]
    assert after.total_tenths >= before.total_tenths
    assert after.certified or not before.certified


# --- knockouts ------------------------------------------------------------------------------------


@given(cases(), st.data())
def test_a_failed_knockout_always_means_not_certified(case: tuple[Standard, Inspection], data: st.DataObject) -> None:
    """Make any criterion an applicable knockout, fail it with its worst value: never certified, the
    reason names it, whatever the other scores."""
    standard, inspection = case
    index = data.draw(st.integers(0, len(standard.criteria) - 1))
    changed = dump(standard)
    item = changed["criteria"][index]
    item.update(knockout=True, applies_when=None)
    if item["measure"]["kind"] != "pass_fail":
        bands = item["measure"]["bands"]
        if len({band["points"] for band in bands}) == 1:
            item["measure"] = {"kind": "pass_fail"}  # a scale paying the same everywhere cannot fail
        else:
            item["pass_points"] = max(band["points"] for band in bands)  # the worst band falls short
    standard = rebuilt(changed)
    knockout = standard.criteria[index]
    assessment = score(standard, with_measurements(inspection, **{knockout.id: worst_value(knockout.measure)}))
    assert assessment.row(knockout.id).status == "failed"
    assert knockout.id in assessment.knockouts_failed
    assert not assessment.certified and assessment.grade is None
    assert any(f"Knockout criterion {knockout.id} " in reason.en for reason in assessment.reasons)


@given(cases())
def test_whenever_a_knockout_fails_the_product_is_not_certified(case: tuple[Standard, Inspection]) -> None:
    """Over random inspections of random standards: a failed knockout row and certification never meet."""
    assessment = score(*case)
    if assessment.knockouts_failed:
        assert not assessment.certified


# --- criteria that do not apply, and missing data ------------------------------------------------


@given(cases(), st.data())
def test_a_criterion_that_does_not_apply_changes_nothing(
    case: tuple[Standard, Inspection], data: st.DataObject
) -> None:
    """With a condition false for this product, a criterion's measurement given or not, or the criterion
    removed from the standard: the same total, grade, categories, reasons and other rows."""
    standard, inspection = case
    index = data.draw(st.integers(0, len(standard.criteria) - 1))
    changed = dump(standard)
    changed["criteria"][index]["applies_when"] = {
        "fact": "product_category",
        "op": "ne",
        "value": inspection.facts["product_category"],
    }
    standard = rebuilt(changed)
    item = standard.criteria[index]
    measured = score(standard, with_measurements(inspection, **{item.id: data.draw(measurements(item))}))
    unmeasured = score(standard, with_measurements(inspection, **{item.id: None}))
    assert measured.row(item.id).status == "not_applicable"
    assert without_row_input(measured, item.id) == without_row_input(unmeasured, item.id)

    del changed["criteria"][index]
    removed = score(rebuilt(changed), with_measurements(inspection, **{item.id: None})).to_dict()
    kept = unmeasured.to_dict()
    for key in ("total", "grade", "certified", "categories", "knockouts_failed", "lot", "reasons", "notes"):
        assert removed[key] == kept[key]
    assert removed["criteria"] == [row for row in kept["criteria"] if row["criterion"] != item.id]


@given(cases(), st.data())
def test_a_missing_measurement_of_an_applicable_criterion_is_refused_never_scored_zero(
    case: tuple[Standard, Inspection], data: st.DataObject
) -> None:
    """Remove the measurement of a criterion that applies: refused, naming it, unless the criterion is
    optional; then it is not assessed (no points, no contribution), never 0 points."""
    standard, inspection = case
    scored = [row for row in score(standard, inspection).rows if row.status in ("passed", "failed")]
    if not scored:
        return
    row = data.draw(st.sampled_from(scored))
    optional = next(c.optional for c in standard.criteria if c.id == row.criterion)
    if optional:
        left_out = score(standard, with_measurements(inspection, **{row.criterion: None})).row(row.criterion)
        assert (left_out.status, left_out.points, left_out.contribution_hundredths) == ("not_assessed", None, 0)
    else:
        with pytest.raises(InspectionRefused) as refused:
            score(standard, with_measurements(inspection, **{row.criterion: None}))
        assert row.criterion in {problem.criterion for problem in refused.value.problems}


# --- the content hash -----------------------------------------------------------------------------


def _shuffled(value: Any, data: st.DataObject, *, key: str = "", parent: Data | None = None) -> Any:
    """Keys in another order and every list whose order carries no meaning shuffled (not `between`'s
    [low, high]); whole numbers written as floats (5 → 5.0)."""
    if isinstance(value, dict):
        items = data.draw(st.permutations(list(value.items())))
        return {k: _shuffled(v, data, key=k, parent=value) for k, v in items}
    if isinstance(value, list):
        items = [_shuffled(item, data) for item in value]
        if key == "value" and parent is not None and parent.get("op") == "between":
            return items
        return data.draw(st.permutations(items))
    if isinstance(value, int) and not isinstance(value, bool) and data.draw(st.booleans()):
        return float(value)
    return value


@given(standard_data(), st.data())
def test_the_content_hash_ignores_formatting(original: Data, data: st.DataObject) -> None:
    """Re-dumped as YAML in block or flow style, another indentation and line width, keys and lists in
    another order, 5 as 5.0, defaults written out or left out: read back, the same hash."""
    standard = rebuilt(original)
    written = standard.model_dump(mode="json", by_alias=True, exclude_defaults=data.draw(st.booleans()))
    text = yaml.safe_dump(
        _shuffled(written, data),
        default_flow_style=data.draw(st.sampled_from([None, False, True])),
        indent=data.draw(st.sampled_from([2, 4])),
        width=data.draw(st.sampled_from([40, 80, 4096])),
        sort_keys=data.draw(st.booleans()),
        allow_unicode=True,
    )
    assert content_hash(rebuilt(load(text).data)) == content_hash(standard)


def _bump(number: Any, *, low: int = 0, high: int = 100) -> Any:
    return number + 1 if number + 1 <= high else number - 1 if number - 1 >= low else number + 1


def _meaning_changes(data: Data, index: int, which: str) -> None:
    """Change one thing that carries meaning in criterion `index` (or the standard) of `data`."""
    item = data["criteria"][index]
    measure = item["measure"]
    if which == "weight":
        item["weight"] += 1
    elif which == "points" and measure["kind"] != "pass_fail":
        measure["bands"][0]["points"] = _bump(measure["bands"][0]["points"])
    elif which == "threshold" and measure["kind"] != "pass_fail":
        measure["bands"][0]["from"] += measure["step"]
    elif which == "pass_points":
        item["pass_points"] = _bump(item["pass_points"])
    elif which == "knockout":
        item["knockout"] = not item["knockout"]
    elif which == "optional":
        item["optional"] = not item["optional"]
    elif which == "condition":
        fresh = {"fact": "for_children", "op": "eq", "value": True}
        item["applies_when"] = None if item["applies_when"] is not None else fresh
    elif which == "text":
        item["title"] = {**item["title"], "en": item["title"]["en"] + "."}
    elif which == "category weight":
        data["categories"][item["category"]]["weight"] += 1
    elif which == "grade":
        data["grades"][0]["from"] = round(data["grades"][0]["from"] + 0.1, 1)
    else:  # the kind of measure cannot have points or thresholds: change its guidance
        item["guidance"] = {**item["guidance"], "id": item["guidance"]["id"] + "!"}


@given(standard_data(), st.data())
def test_the_content_hash_changes_with_any_change_of_meaning(original: Data, data: st.DataObject) -> None:
    """A weight, points, a threshold, a pass mark, a knockout, optionality, a condition, a text, a
    category weight or a grade changed: another hash."""
    standard = rebuilt(original)
    changed = copy.deepcopy(dump(standard))
    index = data.draw(st.integers(0, len(changed["criteria"]) - 1))
    which = data.draw(
        st.sampled_from(
            [
                "weight",
                "points",
                "threshold",
                "pass_points",
                "knockout",
                "optional",
                "condition",
                "text",
                "category weight",
                "grade",
            ]
        )
    )
    _meaning_changes(changed, index, which)
    assert content_hash(rebuilt(changed)) != content_hash(standard)


@given(cases())
def test_inspections_drawn_for_a_standard_fit_it(case: tuple[Standard, Inspection]) -> None:
    """Every drawn inspection is scored, not refused (the other properties rely on it)."""
    standard, inspection = case
    assert score(standard, inspection).standard_id == standard.id
