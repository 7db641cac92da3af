"""Scoring a tiny standard whose every figure is worked out by hand in the test: measures and their
bands, weighted category scores and the total in tenths (half up), renormalisation, minimums,
grades, knockouts, the lot decision, and every refusal naming each offender."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pydantic import ValidationError

from certify.core import scoring
from certify.core.assessment import Assessment
from certify.core.compiled import compiled
from certify.core.errors import InspectionRefused
from certify.core.inspection import Inspection
from certify.core.sampling import critical_plan, plan
from certify.core.scoring import score
from certify.core.standard import Standard
from tests.strategies import Data, criterion, enum, pass_fail, product_category, ranged, standard_dict, text

GREY_SCALE = ranged("rating", [(1, 2.5, 0), (3, 3.5, 60), (4, 5, 100)], minimum=1, maximum=5, step=0.5)
MOISTURE = ranged(
    "measurement", [(0, 12, 100), (12.1, 15, 60), (15.1, 30, 0)], better="lower", maximum=30, step=0.1, unit="%"
)
DEFECTS = ranged("count", [(0, 0, 100), (1, 2, 70), (3, None, 0)], better="lower")
FACTS: dict[str, Data] = {
    "product_category": product_category("bowl", "plate"),
    "market": enum("enum", "market", ["domestic", "export"]),
    "materials": enum("set", "materials", ["teak", "mahogany"]),
    "for_children": {"type": "bool", "title": text("for children")},
    "width_cm": {"type": "number", "title": text("width"), "minimum": 0, "maximum": 400},
}
EXPORT = {"fact": "market", "op": "eq", "value": "export"}


def tiny(**changes: Any) -> Standard:
    """Materials 50, finish 30, packaging 20; grades utama 85-100, baik 70-84.9.

    MAT-01 pass/fail, weight 2, knockout   MAT-02 grey scale 1-5 by 0.5, weight 1, passes from 60
    FIN-01 moisture 0-30 % by 0.1, lower is better, weight 3   FIN-02 defects counted, open-ended
    PKG-01 pass/fail, optional             PKG-02 pass/fail, only for export
    """
    data = standard_dict(
        [
            criterion("MAT-01", "materials", pass_fail(), weight=2, knockout=True),
            criterion("MAT-02", "materials", GREY_SCALE, weight=1, pass_points=60),
            criterion("FIN-01", "finish", MOISTURE, weight=3),
            criterion("FIN-02", "finish", DEFECTS, weight=1),
            criterion("PKG-01", "packaging", pass_fail(), optional=True),
            criterion("PKG-02", "packaging", pass_fail(), applies_when=EXPORT),
        ],
        facts=FACTS,
    )
    return Standard.model_validate({**data, **changes})


STANDARD = tiny()
GOOD = {"MAT-01": True, "MAT-02": 3, "FIN-01": 13.5, "FIN-02": 1, "PKG-01": False, "PKG-02": True}


def inspect(
    measurements: dict[str, Any] | None = None,
    *,
    lot: int = 100,
    defects: dict[str, int] | None = None,
    **facts: Any,
) -> Inspection:
    return Inspection.model_validate(
        {
            "facts": {
                "product_category": "bowl",
                "market": "export",
                "materials": ["teak"],
                "for_children": False,
                "width_cm": 30,
                **facts,
            },
            "lot": {"size": lot},
            "measurements": GOOD if measurements is None else measurements,
            "defects": {**NONE_FOUND, **(defects or {})},
        }
    )


NONE_FOUND = {"critical": 0, "major": 0, "minor": 0}


def run(standard: Standard = STANDARD, measurements: dict[str, Any] | None = None, **kwargs: Any) -> Assessment:
    """Score with these measurements (a value of None: left out) and facts."""
    given = None if measurements is None else {k: v for k, v in measurements.items() if v is not None}
    return score(standard, inspect(given, **kwargs))


def refused(standard: Standard = STANDARD, measurements: dict[str, Any] | None = None, **kwargs: Any) -> list[str]:
    with pytest.raises(InspectionRefused) as caught:
        run(standard, measurements, **kwargs)
    return [str(problem) for problem in caught.value.problems]


# --- measures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion_id", "value", "points", "status"),
    [
        ("MAT-01", True, 100, "passed"),
        ("MAT-01", False, 0, "failed"),
        ("MAT-02", 1, 0, "failed"),
        ("MAT-02", 2.5, 0, "failed"),
        ("MAT-02", 3, 60, "passed"),  # exactly pass_points: passes
        ("MAT-02", 3.5, 60, "passed"),
        ("MAT-02", 4, 100, "passed"),
        ("MAT-02", 5, 100, "passed"),
        ("FIN-01", 0, 100, "passed"),
        ("FIN-01", 12, 100, "passed"),
        ("FIN-01", 12.1, 60, "passed"),
        ("FIN-01", 15, 60, "passed"),
        ("FIN-01", 15.1, 0, "failed"),
        ("FIN-01", 30, 0, "failed"),
        ("FIN-02", 0, 100, "passed"),
        ("FIN-02", 1, 70, "passed"),
        ("FIN-02", 2, 70, "passed"),
        ("FIN-02", 2.0, 70, "passed"),  # a whole number written with a decimal point
        ("FIN-02", 3, 0, "failed"),
        ("FIN-02", 1000, 0, "failed"),  # an open-ended scale has no top
    ],
)
def test_a_value_earns_the_points_of_the_band_it_falls_in_both_edges_included(
    criterion_id: str, value: Any, points: int, status: str
) -> None:
    """Bands are inclusive at both ends; a criterion passes when its points reach pass_points."""
    row = run(measurements={**GOOD, criterion_id: value}).row(criterion_id)
    assert (row.points, row.status, row.input) == (points, status, value)


def test_each_row_states_the_rule_it_applied() -> None:
    """The rule names the band, its points and the pass mark; pass/fail names yes and no."""
    assessment = run()
    assert assessment.row("FIN-01").to_dict()["rule"] == "12.1–15 % → 60 points; passes from 50"
    assert assessment.row("FIN-02").to_dict()["rule"] == "1–2 → 70 points; passes from 50"
    assert assessment.row("MAT-02").to_dict()["rule"] == "3–3.5 → 60 points; passes from 60"
    assert assessment.row("MAT-01").to_dict()["rule"] == "yes → 100 points, no → 0"
    assert (
        run(measurements={**GOOD, "FIN-02": 7}).row("FIN-02").to_dict()["rule"]
        == "3 or more → 0 points; passes from 50"
    )


@pytest.mark.parametrize(
    ("criterion_id", "value", "words"),
    [
        ("MAT-01", 1, "takes true or false (pass/fail), not 1"),
        ("MAT-01", 0.0, "takes true or false (pass/fail), not 0.0"),
        ("MAT-02", True, "takes a number (rating), not True"),
        ("MAT-02", 5.5, "5.5 is outside the scale 1–5"),
        ("MAT-02", 0.5, "0.5 is outside the scale 1–5"),
        ("MAT-02", 3.25, "3.25 is not on the scale's step of 0.5"),
        ("FIN-01", -0.1, "-0.1 is outside the scale 0–30 %"),
        ("FIN-01", 30.1, "30.1 is outside the scale 0–30 %"),
        ("FIN-01", 12.05, "12.05 is not on the scale's step of 0.1 %"),
        ("FIN-02", -1, "-1 is outside the scale 0 or more"),
        ("FIN-02", 1.5, "takes a whole number (a count), not 1.5"),
        ("FIN-02", False, "takes a number (count), not False"),
    ],
)
def test_a_value_of_the_wrong_type_or_off_the_scale_is_refused_naming_the_criterion(
    criterion_id: str, value: Any, words: str
) -> None:
    """Wrong types, values outside the scale, off its step and fractional counts are refused, never scored."""
    assert refused(measurements={**GOOD, criterion_id: value}) == [
        f"{criterion_id}: measurements.{criterion_id}: {words}"
    ]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "4", None])
def test_a_measurement_that_is_not_a_finite_number_or_boolean_is_refused_as_invalid(value: Any) -> None:
    """NaN, infinities (which JSON parsers accept), strings and null are not measurements."""
    with pytest.raises(ValidationError):
        inspect({**GOOD, "MAT-02": value})


# --- the total --------------------------------------------------------------------------------------


def test_category_scores_and_the_total_are_the_weighted_means_worked_out_by_hand() -> None:
    """materials (2·100 + 1·60)/3 = 86.67; finish (3·60 + 1·70)/4 = 62.5; packaging (0 + 100)/2 = 50;
    total (50·86.67 + 30·62.5 + 20·50)/100 = 72.083 → 72.1, grade baik (70-84.9)."""
    assessment = run()
    assert [(c.category, c.score_tenths) for c in assessment.categories] == [
        ("materials", 867),
        ("finish", 625),
        ("packaging", 500),
    ]
    assert (assessment.total_tenths, assessment.total) == (721, "72.1")
    assert (assessment.grade, assessment.certified, assessment.reasons) == ("baik", True, ())
    assert assessment.grade_title is not None and assessment.grade_title.en == "good"


def test_the_total_is_rounded_half_up_to_tenths() -> None:
    """materials 100, finish (3·0 + 1·70)/4 = 17.5, packaging 100: total 50 + 5.25 + 20 = 75.25 → 75.3
    (rounding half to even would give 75.2)."""
    assessment = run(measurements={**GOOD, "MAT-02": 4, "FIN-01": 20, "FIN-02": 2, "PKG-01": True})
    assert [c.score_tenths for c in assessment.categories] == [1000, 175, 1000]
    assert assessment.total == "75.3"


def test_the_total_is_computed_from_exact_category_scores_not_rounded_ones() -> None:
    """Materials (2·100 + 1·0)/3 = 66.666…, shown 66.7; total 50·66.666…/100 + 30 + 20 = 83.333… → 83.3
    (from the rounded 66.7 it would have been 83.35 → 83.4)."""
    assessment = run(measurements={**GOOD, "MAT-02": 1, "FIN-01": 10, "FIN-02": 0, "PKG-01": True})
    assert [c.score_tenths for c in assessment.categories] == [667, 1000, 1000]
    assert assessment.total == "83.3"


def test_each_row_contributes_its_share_of_the_total_in_hundredths() -> None:
    """MAT-01: 50/100 · 2·100/3 = 33.33; MAT-02: 50/100 · 60/3 = 10; FIN-01: 30/100 · 3·60/4 = 13.5;
    FIN-02: 30/100 · 70/4 = 5.25; PKG-01: 0; PKG-02: 20/100 · 100/2 = 10; they add up to the total."""
    rows = run().to_dict()["criteria"]
    assert {row["criterion"]: row["contribution"] for row in rows} == {
        "MAT-01": "33.33",
        "MAT-02": "10.00",
        "FIN-01": "13.50",
        "FIN-02": "5.25",
        "PKG-01": "0.00",
        "PKG-02": "10.00",
    }


def test_an_optional_criterion_left_unmeasured_renormalises_its_category_and_says_so() -> None:
    """PKG-01 not measured: packaging = 100 over weight 1 of 2; total (4333.3 + 1875 + 2000)/100 = 82.1."""
    assessment = run(measurements={k: v for k, v in GOOD.items() if k != "PKG-01"})
    row = assessment.row("PKG-01")
    assert (row.status, row.points, row.contribution_hundredths, row.input) == ("not_assessed", None, 0, None)
    packaging = assessment.categories[2]
    assert (packaging.score_tenths, packaging.assessed_weight, packaging.applicable_weight) == (1000, 1, 2)
    assert assessment.total == "82.1"
    assert [note.en for note in assessment.notes] == [
        "The packaging score is renormalised over weight 1 of 2: optional criteria were not assessed."
    ]
    assert "atas bobot 1 dari 2" in assessment.notes[0].id


def test_missing_data_is_never_scored_as_zero() -> None:
    """Leaving the optional PKG-01 out scores higher (82.1) than measuring it as a failure (72.1)."""
    left_out = run(measurements={k: v for k, v in GOOD.items() if k != "PKG-01"})
    failed = run()
    assert left_out.total_tenths > failed.total_tenths
    assert left_out.row("PKG-01").points is None


def test_a_category_with_nothing_applicable_is_left_out_and_the_total_renormalised() -> None:
    """Domestic, PKG-01 not measured: no packaging; total (50·86.67 + 30·62.5)/80 = 77.604 → 77.6."""
    assessment = run(measurements={k: v for k, v in GOOD.items() if k not in ("PKG-01", "PKG-02")}, market="domestic")
    assert assessment.categories[2].score_tenths is None
    assert assessment.categories[2].passed
    assert assessment.total == "77.6"
    assert assessment.row("PKG-02").status == "not_applicable"
    contributions = {row["criterion"]: row["contribution"] for row in assessment.to_dict()["criteria"]}
    assert contributions["MAT-01"] == "41.67"  # 50/80 · (2·100)/3
    assert assessment.notes[0].en.startswith("No packaging criterion applies or was assessed")


def test_a_product_of_which_nothing_was_assessed_is_never_certified() -> None:
    """Every criterion optional and none measured: even a grade band from 0 does not certify it."""
    data = standard_dict(
        [
            criterion(c, cat, pass_fail(), optional=True)
            for c, cat in (("MAT-01", "materials"), ("FIN-01", "finish"), ("PKG-01", "packaging"))
        ],
        facts=FACTS,
    )
    data["grades"] = [{"id": "any", "title": text("any"), "from": 0, "to": 100}]
    assessment = score(Standard.model_validate(data), inspect({}))
    assert not assessment.certified
    assert assessment.grade is None
    assert assessment.reasons[0].en.startswith("Nothing was assessed")


def test_a_criterion_that_does_not_apply_needs_no_measurement_and_earns_nothing() -> None:
    """PKG-02 (export only) on a domestic product: not applicable, no points, no contribution."""
    assessment = run(measurements={k: v for k, v in GOOD.items() if k != "PKG-02"}, market="domestic")
    row = assessment.row("PKG-02")
    assert (row.status, row.points, row.contribution_hundredths) == ("not_applicable", None, 0)
    assert assessment.categories[2].score_tenths == 0  # PKG-01 alone, failed


def test_every_row_has_a_reason_in_both_languages() -> None:
    """Passed, failed, not applicable and not assessed rows all explain themselves in en and id."""
    rows = run(measurements={**GOOD, "FIN-01": 20, "PKG-01": None}, market="domestic").rows
    assert {row.status for row in rows} == {"passed", "failed", "not_applicable", "not_assessed"}
    for row in rows:
        assert row.reason.en and row.reason.id and row.reason.en != row.reason.id


# --- certification ----------------------------------------------------------------------------------

ANY_GRADE = [{"id": "graded", "title": text("graded"), "from": 0, "to": 100}]


def test_a_category_below_its_minimum_is_not_certified_whatever_the_total() -> None:
    """Finish scores 62.5 against a minimum of 65: not certified, the reason names finish and both figures."""
    assessment = run(
        tiny(
            categories={
                "materials": {"weight": 50},
                "finish": {"weight": 30, "minimum": 65},
                "packaging": {"weight": 20},
            }
        )
    )
    assert (assessment.certified, assessment.grade) == (False, None)
    assert [r.en for r in assessment.reasons] == ["The finish score 62.5 is below its minimum of 65.0."]
    assert assessment.reasons[0].id == "Skor hasil akhir 62,5 di bawah batas minimum 65,0."  # a decimal comma


def test_a_category_exactly_at_its_minimum_passes() -> None:
    """Finish 62.5 against a minimum of 62.5: certified."""
    standard = tiny(
        categories={"materials": {"weight": 50}, "finish": {"weight": 30, "minimum": 62.5}, "packaging": {"weight": 20}}
    )
    assert run(standard).certified


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([("top", 72.1, 100), ("low", 0, 72)], "top"),  # 72.1 is the lowest total of "top"
        ([("top", 72.2, 100), ("low", 60, 72.1)], "low"),  # and here the highest of "low"
        ([("top", 72.2, 100)], None),
    ],
)
def test_the_grade_is_the_band_the_total_falls_in_both_ends_included(
    grades: list[tuple[str, float, float]], expected: str | None
) -> None:
    """Total 72.1: graded by the band holding it; below the lowest band, not certified."""
    standard = tiny(grades=[{"id": g, "title": text(g), "from": low, "to": high} for g, low, high in grades])
    assessment = run(standard)
    assert (assessment.grade, assessment.certified) == (expected, expected is not None)
    if expected is None:
        assert [r.en for r in assessment.reasons] == ["The total 72.1 is below the lowest grade."]


def test_a_failed_knockout_fails_the_product_whatever_the_score() -> None:
    """MAT-01 (knockout) fails: every band would grade the total, yet not certified, and the reason says why."""
    assessment = run(tiny(grades=ANY_GRADE), measurements={**GOOD, "MAT-01": False})
    assert (assessment.certified, assessment.grade, assessment.knockouts_failed) == (False, None, ("MAT-01",))
    assert [r.en for r in assessment.reasons] == ["Knockout criterion MAT-01 (criterion MAT-01) failed."]
    assert assessment.reasons[0].id.startswith("Kriteria gugur MAT-01")
    assert "knockout" in assessment.row("MAT-01").reason.en


def test_a_failed_criterion_that_is_not_a_knockout_only_costs_points() -> None:
    """PKG-01 fails (0 points) and the product is still certified."""
    assessment = run(tiny(grades=ANY_GRADE))
    assert assessment.row("PKG-01").status == "failed"
    assert assessment.certified and assessment.knockouts_failed == ()


@pytest.mark.parametrize(
    ("defects", "accepted"),
    [
        ({}, True),
        ({"critical": 1}, False),  # critical: none allowed
        ({"major": 3}, True),  # lot 500, level II: letter H, 50 pieces; major AQL 2.5: Ac 3, Re 4
        ({"major": 4}, False),
        ({"minor": 5}, True),  # minor AQL 4.0: Ac 5, Re 6
        ({"minor": 6}, False),
    ],
)
def test_the_lot_is_decided_by_its_sampling_plan_and_a_rejected_lot_is_not_certified(
    defects: dict[str, int], accepted: bool
) -> None:
    """Lot of 500 at level II: critical none allowed; major and minor within Ac of their AQL's plan."""
    assessment = run(tiny(grades=ANY_GRADE), lot=500, defects=defects)
    assert assessment.lot.accepted is accepted
    assert assessment.certified is accepted
    lot = assessment.lot.to_dict()
    assert [
        (d["class"], d["code_letter"], d["pieces_to_inspect"], d["accept"], d["reject"]) for d in lot["defects"]
    ] == [
        ("critical", "H", 50, 0, 1),
        ("major", "H", 50, 3, 4),
        ("minor", "H", 50, 5, 6),
    ]
    if not accepted:
        ((name, found),) = defects.items()
        assert [r.en for r in assessment.reasons] == [
            f"Lot rejected: {found} {name} defects found in the sample of 50; the plan accepts at most {found - 1}."
        ]


def test_a_value_scored_again_earns_what_it_earned_the_first_time() -> None:
    """Verdicts on values seen before are remembered per standard: other values scored in between
    change nothing."""
    standard = tiny()
    for value, points in [(13.5, 60), (5, 100), (13.5, 60), (30, 0), (5, 100), (13.5, 60)]:
        row = run(standard, {**GOOD, "FIN-01": value}).row("FIN-01")
        assert (row.input, row.points) == (value, points)


# A long-running server scores inspections of many lot sizes and many kinds of product against one
# standard; what it remembers per standard is bounded, and forgetting never changes an answer.
REMEMBERED = 4096


def test_the_plans_remembered_for_lot_sizes_are_bounded_and_forgetting_changes_no_plan() -> None:
    """More lot sizes than are remembered: each lot still gets its own ISO 2859-1 plans."""
    standard = tiny()
    for size in [*range(1, REMEMBERED + 11), 1, 500]:
        classes = run(standard, lot=size).lot.classes
        assert [d.plan for d in classes] == [critical_plan(size), plan(size, aql="2.5"), plan(size, aql="4.0")]
        assert len(compiled(standard).plans) <= REMEMBERED


def test_what_is_remembered_of_the_kinds_of_measurements_is_bounded_and_changes_no_row() -> None:
    """More patterns of counts given as whole numbers, as decimals or not at all than are
    remembered: every row still shows its own input and verdict."""
    data = standard_dict(
        [criterion("MAT-01", "materials", pass_fail())]
        + [criterion(f"FIN-{n:02d}", "finish", DEFECTS, optional=True) for n in range(1, 12)],
        facts=FACTS,
    )
    standard = Standard.model_validate(data)
    ids = [f"FIN-{n:02d}" for n in range(1, 12)]
    for values in itertools.islice(itertools.product([None, 1, 1.0], repeat=len(ids)), 1100):
        rows = run(standard, {"MAT-01": True, **dict(zip(ids, values, strict=True))}).rows[:-1]  # MAT-01 last
        assert [row.input for row in rows] == list(values)
        assert [type(row.input) for row in rows] == [type(value) for value in values]
        assert [row.status for row in rows] == ["not_assessed" if v is None else "passed" for v in values]
        assert len(compiled(standard).kinds) <= 1024


def test_the_totals_remembered_for_category_sums_are_bounded_and_forgetting_changes_no_total() -> None:
    """More sums of passed, failed and unmeasured criteria than are remembered: each assessment is
    the one a freshly loaded standard, remembering nothing, gives."""
    data = standard_dict(
        [criterion("MAT-01", "materials", pass_fail())]
        + [criterion(f"FIN-{n:02d}", "finish", pass_fail(), optional=True, weight=2**n) for n in range(10)],
        facts=FACTS,
    )
    standard = Standard.model_validate(data)
    ids = [f"FIN-{n:02d}" for n in range(10)]
    for index, values in enumerate(itertools.islice(itertools.product([None, True, False], repeat=10), 4200)):
        measurements = {"MAT-01": True, **dict(zip(ids, values, strict=True))}
        assessment = run(standard, measurements)
        if index % 1000 == 999 or index >= 4195:
            assert assessment.to_dict() == run(Standard.model_validate(data), measurements).to_dict()
        assert len(compiled(standard).totals) <= REMEMBERED
        assert max(map(len, compiled(standard).category_scores)) <= REMEMBERED


def test_an_assessments_rows_read_as_a_tuple_of_rows() -> None:
    """By position, by slice, compared with the same rows as a tuple, and printed row by row."""
    rows = run().rows
    as_tuple = tuple(rows)
    assert len(rows) == 6 and rows[1] == as_tuple[1] and rows[-1].criterion == "PKG-02"
    assert rows[1:3] == as_tuple[1:3] and rows == as_tuple and rows != as_tuple[:-1] and rows != "rows"
    assert repr(rows).startswith("Rows([Row(verdict=Verdict(criterion='FIN-01'")


def test_which_criteria_apply_is_remembered_for_a_bounded_number_of_products() -> None:
    """More kinds of product than are remembered: PKG-02 still applies to exactly the export ones."""
    standard = tiny()
    kinds = itertools.product(
        ["bowl", "plate"], ["domestic", "export"], [["teak"], ["mahogany"]], [False, True], range(401)
    )
    for category, market, materials, for_children, width in itertools.islice(kinds, REMEMBERED + 10):
        assessment = run(
            standard,
            product_category=category,
            market=market,
            materials=materials,
            for_children=for_children,
            width_cm=width,
        )
        assert assessment.row("PKG-02").status == ("passed" if market == "export" else "not_applicable")
        assert len(compiled(standard).applicability) <= REMEMBERED


def test_every_reason_it_is_not_certified_is_listed() -> None:
    """A rejected lot, a failed knockout, a category below its minimum and a total below the grades:
    four reasons, in that order, each in both languages."""
    standard = tiny(
        categories={"materials": {"weight": 50, "minimum": 50}, "finish": {"weight": 30}, "packaging": {"weight": 20}}
    )
    assessment = run(standard, measurements={**GOOD, "MAT-01": False, "MAT-02": 1}, defects={"critical": 2})
    assert [r.en.split(":")[0].split(" ")[0] for r in assessment.reasons] == ["Lot", "Knockout", "The", "The"]
    assert "materials score 0.0" in assessment.reasons[2].en
    assert "below the lowest grade" in assessment.reasons[3].en
    assert all(r.id and r.id != r.en for r in assessment.reasons)


def test_the_assessment_names_the_standard_it_was_scored_against() -> None:
    """Id, version and content hash of the standard are part of the result."""
    standard = run().to_dict()["standard"]
    assert (standard["id"], standard["version"]) == ("test", "2026.1")
    assert standard["content_hash"].startswith("sha256:") and len(standard["content_hash"]) == 71


def test_the_json_form_of_an_assessment_holds_scores_as_decimal_strings() -> None:
    """Total, category scores and contributions are strings like "72.1": no float ever rounds them."""
    result = run().to_dict()
    assert result["total"] == "72.1"
    assert [c["score"] for c in result["categories"]] == ["86.7", "62.5", "50.0"]
    assert all(isinstance(row["contribution"], str) for row in result["criteria"])


# --- refusals ---------------------------------------------------------------------------------------


def test_missing_measurements_are_refused_with_the_full_list() -> None:
    """MAT-02, FIN-01 and PKG-02 apply and are missing: all three named; optional PKG-01 is not."""
    problems = refused(measurements={"MAT-01": True, "FIN-02": 0})
    assert problems[0] == "measurements: missing measurements for criteria that apply: FIN-01, MAT-02, PKG-02"
    assert problems[1:] == [
        f"{c}: measurements.{c}: applies to this product and has no measurement" for c in ("FIN-01", "MAT-02", "PKG-02")
    ]


def test_unknown_criterion_ids_are_refused_each_by_name() -> None:
    """Two measurements of criteria the standard does not have: both named."""
    problems = refused(measurements={**GOOD, "MAT-99": True, "XYZ-1": 3})
    assert problems == [
        "MAT-99: measurements.MAT-99: unknown criterion 'MAT-99' in test@2026.1",
        "XYZ-1: measurements.XYZ-1: unknown criterion 'XYZ-1' in test@2026.1",
    ]


def test_one_refusal_names_every_offending_measurement_at_once() -> None:
    """An unknown id, a wrong type, a value off the scale and a missing measurement, all in one refusal."""
    problems = refused(measurements={"MAT-99": True, "MAT-01": 1, "MAT-02": 9, "FIN-02": 0, "PKG-02": True})
    named = " | ".join(problems)
    for offender in ("'MAT-99'", "MAT-01: measurements.MAT-01: takes true or false", "9 is outside", "FIN-01"):
        assert offender in named


def test_every_refusal_is_also_told_in_indonesian() -> None:
    """An unknown id, a wrong type, a value off the scale, a missing measurement and a missing
    fact: each problem reads in Indonesian for the inspector's form, naming the same place."""
    with pytest.raises(InspectionRefused) as refusal:
        score(STANDARD, inspect({"MAT-99": True, "MAT-01": 1, "MAT-02": 9, "FIN-02": 0, "PKG-02": True}))
    said = [problem.said("id") for problem in refusal.value.problems]
    assert "MAT-99: measurements.MAT-99: kriteria 'MAT-99' tidak dikenal di test@2026.1" in said
    assert "MAT-01: measurements.MAT-01: diisi ya atau tidak (lulus/gagal), bukan 1" in said
    assert "MAT-02: measurements.MAT-02: 9 di luar skala 1–5" in said
    assert "FIN-01: measurements.FIN-01: berlaku untuk produk ini dan belum diukur" in said
    assert all(problem.text is not None for problem in refusal.value.problems)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            {"colour": "red"},
            [
                "facts.colour: unknown fact 'colour' (this standard declares: product_category, market, materials, for_children, width_cm)"
            ],
        ),
        (
            {"product_category": "cup"},
            ["facts.product_category: fact 'product_category' cannot be 'cup': it takes one of bowl, plate"],
        ),
        (
            {"market": ["export"]},
            ["facts.market: fact 'market' cannot be ['export']: it takes one of domestic, export"],
        ),
        (
            {"materials": ["teak", "plastic"]},
            ["facts.materials: fact 'materials' cannot be ['teak', 'plastic']: it takes a list of teak, mahogany"],
        ),
        (
            {"materials": "teak"},
            ["facts.materials: fact 'materials' cannot be 'teak': it takes a list of teak, mahogany"],
        ),
        ({"for_children": "no"}, ["facts.for_children: fact 'for_children' cannot be 'no': it takes a bool"]),
        ({"width_cm": 401}, ["facts.width_cm: fact 'width_cm' = 401 is outside 0–400"]),
        ({"width_cm": "wide"}, ["facts.width_cm: fact 'width_cm' cannot be 'wide': it takes a number"]),
    ],
)
def test_unknown_facts_and_values_a_fact_cannot_take_are_refused_by_name(
    facts: dict[str, Any], expected: list[str]
) -> None:
    """Each fact that is undeclared or holds a value its declaration does not allow is named."""
    assert refused(**facts) == expected


def test_every_missing_fact_is_named() -> None:
    """An inspection without market and width_cm: both named."""
    inspection = inspect()
    facts = {k: v for k, v in inspection.facts.items() if k not in ("market", "width_cm")}
    with pytest.raises(InspectionRefused) as caught:
        score(STANDARD, Inspection.model_validate({**inspection.model_dump(), "facts": facts}))
    assert [str(p) for p in caught.value.problems] == [
        "facts.market: fact 'market' is missing",
        "facts.width_cm: fact 'width_cm' is missing",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"lot": {"size": 0}},
        {"lot": {"size": -5}},
        {"lot": {"size": "100"}},
        {"lot": {"size": 10.5}},
        {"lot": {}},
        {"defects": {**NONE_FOUND, "major": -1}},
        {"defects": {"critical": 0, "major": 1}},  # a class left out is not assumed 0
        {"defects": None},
        {"lot": {"size": 10, "produced_from": "2026-05-02", "produced_until": "2026-05-01"}},
        {"defects": {"fatal": 1}},
        {"measurements": {"MAT-01": [True]}},
        {"weather": "sunny"},
    ],
)
def test_an_impossible_lot_or_malformed_inspection_is_refused_before_scoring(body: dict[str, Any]) -> None:
    """A lot of no pieces, negative defects, unknown keys and values of the wrong JSON type are invalid."""
    valid: dict[str, Any] = {
        "facts": {"product_category": "bowl"},
        "lot": {"size": 10},
        "measurements": {},
        "defects": NONE_FOUND,
    }
    Inspection.model_validate(valid)  # the base is valid: only the change below makes it invalid
    with pytest.raises(ValidationError):
        Inspection.model_validate({**valid, **body})


def test_an_assessment_is_hashable_and_equal_assessments_hash_alike() -> None:
    """Its rows compare as the tuple of their rows and hash by their verdicts, inputs and shares:
    one assessment scored twice (its verdicts remembered the second time) is one key of a set."""
    first, second = score(STANDARD, inspect(GOOD)), score(STANDARD, inspect(GOOD))
    assert first == second and first.rows == tuple(second.rows) and first.rows is not second.rows
    assert hash(first) == hash(second)
    assert len({first, second, score(STANDARD, inspect({**GOOD, "FIN-02": 0}))}) == 2


def test_the_weightings_remembered_are_bounded_and_forgetting_changes_no_total(monkeypatch: pytest.MonkeyPatch) -> None:
    """More patterns of criteria scored and left unmeasured than are remembered (here 8): each
    assessment is the one a freshly loaded standard, remembering nothing, gives."""
    monkeypatch.setattr(scoring, "WEIGHTINGS", 8)
    data = standard_dict(
        [criterion("MAT-01", "materials", pass_fail())]
        + [criterion(f"FIN-{n:02d}", "finish", pass_fail(), optional=True, weight=2**n) for n in range(5)],
        facts=FACTS,
    )
    standard = Standard.model_validate(data)
    ids = [f"FIN-{n:02d}" for n in range(5)]
    for values in itertools.product([None, True, False], repeat=5):
        measurements = {"MAT-01": True, **dict(zip(ids, values, strict=True))}
        assert run(standard, measurements).to_dict() == run(Standard.model_validate(data), measurements).to_dict()
        assert len(compiled(standard).weightings) <= 8


def test_lots_and_totals_are_kept_once_they_recur_bounded_and_forgetting_changes_no_assessment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lots and sums seen once are only noted; seen again, what they give is kept; with room for
    a few (here 2 kept, 16 noted), every assessment, first or again, is the one a fresh standard
    gives."""
    monkeypatch.setattr(scoring, "KEPT", 2)
    monkeypatch.setattr(scoring, "SUMS_SEEN", 16)
    standard = tiny()
    cases = [({**GOOD, "FIN-01": 10 + n / 10, "MAT-02": 1 + n % 9 / 2}, 50 + n) for n in range(8)]
    for _ in range(3):
        for measurements, lot in cases:
            assessment = run(standard, measurements, lot=lot)
            assert assessment == run(tiny(), measurements, lot=lot)
            book = compiled(standard)
            assert max(len(book.lots), len(book.totals)) <= 2 and max(len(book.lots_seen), len(book.sums_seen)) <= 16
    _, second, third = (run(standard, cases[0][0], lot=cases[0][1]) for _ in range(3))
    assert third.lot is second.lot and third.categories is second.categories  # kept once recurring
