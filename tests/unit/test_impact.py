"""Re-scoring a stored inspection under a new version: what changes, and what cannot be told."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from certify.core.impact import Stored, rescore
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import Standard
from tests.strategies import criterion, enum, pass_fail, product_category, ranged, standard_dict

MARKET = enum("enum", "market", ["domestic", "export"])
WEARER = enum("enum", "wearer", ["adult", "baby"])
FASTNESS = ranged("rating", [(1, 2, 0), (3, 5, 100)], maximum=5)


def old_standard() -> Standard:
    return Standard.model_validate(
        standard_dict(
            [
                criterion("MAT-01", "materials", pass_fail()),
                criterion("FIN-01", "finish", FASTNESS),
                criterion("PKG-01", "packaging", pass_fail()),
            ],
            facts={"product_category": product_category(), "market": MARKET},
        )
    )


def new_standard(*more: dict[str, Any], fin_bands: list[tuple[float, float | None, int]] | None = None) -> Standard:
    fin = ranged("rating", fin_bands, maximum=5) if fin_bands else FASTNESS
    return Standard.model_validate(
        standard_dict(
            [
                criterion("MAT-01", "materials", pass_fail()),
                criterion("FIN-01", "finish", fin, knockout=True),
                criterion("PKG-01", "packaging", pass_fail()),
                *more,
            ],
            facts={"product_category": product_category(), "wearer": WEARER},
        ),
    )


def stored(**measurements: Any) -> Stored:
    old = old_standard()
    inspection = Inspection.model_validate(
        {
            "facts": {"product_category": "bowl", "market": "domestic"},
            "lot": {"size": 20},
            "measurements": {"MAT-01": True, "FIN-01": 4, "PKG-01": True, **measurements},
            "defects": {"critical": 0, "major": 0, "minor": 0},
        }
    )
    before = score(old, inspection)
    return Stored(
        facts=inspection.facts,
        lot={"size": 20},
        measurements=inspection.measurements,
        defects=inspection.defects.model_dump(),
        inspected_on=date(2026, 9, 1),
        certified=before.certified,
        grade=before.grade,
        statuses={row.criterion: row.status for row in before.rows},
    )


def test_facts_the_new_version_needs_are_reported_not_guessed() -> None:
    found = rescore(new_standard(), stored())
    assert found.outcome == "needs_facts" and found.certified_after is None
    assert found.missing_facts == ("wearer",) and found.dropped_facts == ("market",)


def test_an_assumed_fact_lets_it_be_rescored_and_an_unchanged_result_says_so() -> None:
    found = rescore(new_standard(), stored(), assumed={"wearer": "adult", "colour": "red"})
    assert (found.outcome, found.certified_after, found.grade_after) == ("unchanged", True, "utama")


def test_a_stricter_band_takes_the_certificate_away_and_names_the_criterion() -> None:
    """FIN-01 4 passed under 2026.1; the new version wants 5 and makes it a knockout."""
    new = new_standard(fin_bands=[(1, 4, 0), (5, 5, 100)])
    found = rescore(new, stored(), assumed={"wearer": "adult"})
    assert (found.outcome, found.certified_after) == ("no_longer_certified", False)
    assert found.changed == ("FIN-01",)
    assert any("FIN-01" in reason.en for reason in found.reasons)


def test_a_lower_grade_and_a_new_certificate_are_told_apart() -> None:
    graded_lower_before = replace(stored(), grade="baik")
    higher = rescore(new_standard(), graded_lower_before, assumed={"wearer": "adult"})
    assert (higher.outcome, higher.grade_before, higher.grade_after) == ("grade_changed", "baik", "utama")
    refused_before = replace(stored(), certified=False, grade=None)
    found = rescore(new_standard(), refused_before, assumed={"wearer": "adult"})
    assert (found.outcome, found.certified_after) == ("now_certified", True)


def test_new_tests_not_measured_bound_the_outcome_at_their_best_and_worst() -> None:
    """A new optional-free criterion without a measurement: certified whatever it shows when it is
    light; undecidable when it decides; not certified when even its best cannot save it."""
    light = criterion("PKG-02", "packaging", pass_fail(), weight=1)
    heavy = criterion("PKG-02", "packaging", pass_fail(), weight=1, knockout=True)
    assumed = {"wearer": "adult"}
    whatever = rescore(new_standard(light), stored(), assumed=assumed)
    assert (whatever.outcome, whatever.certified_after, whatever.missing_measurements) == (
        "unchanged",
        True,
        ("PKG-02",),
    )
    depends = rescore(new_standard(heavy), stored(), assumed=assumed)
    assert (depends.outcome, depends.certified_after) == ("depends_on_new_tests", None)
    lower_is_better = criterion(
        "MAT-02", "materials", ranged("measurement", [(0, 5, 100), (6, None, 0)], better="lower"), knockout=True
    )
    hopeless = rescore(
        new_standard(heavy, lower_is_better, fin_bands=[(1, 4, 0), (5, 5, 100)]), stored(), assumed=assumed
    )
    assert (hopeless.outcome, hopeless.certified_after) == ("no_longer_certified", False)
    assert hopeless.missing_measurements == ("MAT-02", "PKG-02")
    was_not = rescore(
        new_standard(heavy, lower_is_better, fin_bands=[(1, 4, 0), (5, 5, 100)]),
        replace(stored(), certified=False, grade=None),
        assumed=assumed,
    )
    assert (was_not.outcome, was_not.certified_after) == ("unchanged", False)


def test_a_value_the_new_scale_refuses_is_reported() -> None:
    """FIN-01 was on a 1-5 scale; the new one steps by 2 from 1: 4 is not on it."""
    new = Standard.model_validate(
        standard_dict(
            [
                criterion("MAT-01", "materials", pass_fail()),
                criterion("FIN-01", "finish", ranged("rating", [(1, 1, 0), (3, 5, 100)], minimum=1, maximum=5, step=2)),
                criterion("PKG-01", "packaging", pass_fail()),
            ],
            facts={"product_category": product_category(), "market": MARKET},
        )
    )
    found = rescore(new, stored())
    assert found.outcome == "refused" and found.certified_after is None
    assert "step" in found.reasons[0].en
