"""Criteria whose bands differ by market (variants) and criteria and bands in force between dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core.compiled import compiled
from certify.core.errors import InspectionRefused
from certify.core.hashing import content_hash
from certify.core.inspection import Inspection
from certify.core.lint import lint
from certify.core.scoring import score
from certify.core.standard import Standard
from tests.strategies import criterion, enum, pass_fail, product_category, ranged, standard_dict, text

MARKETS = enum("set", "markets", ["id", "eu", "us", "other"])
EU: dict[str, Any] = {"fact": "markets", "op": "has", "value": "eu"}
US: dict[str, Any] = {"fact": "markets", "op": "has", "value": "us"}


def panels(**variant_dates: Any) -> dict[str, Any]:
    """Formaldehyde from panels: 0-8 (tenths of a unit), a lax general band, an EU limit from 2026-08-06
    and a US limit; EUDR-like paperwork from 2026-12-30."""
    eu_limit = {
        "label": text("EU limit"),
        "when": EU,
        "effective_from": "2026-08-06",
        "bands": [{"from": 0, "to": 2, "points": 100}, {"from": 3, "to": 8, "points": 0}],
        **variant_dates,
    }
    us_limit = {
        "label": text("US limit"),
        "when": US,
        "bands": [{"from": 0, "to": 4, "points": 100}, {"from": 5, "to": 8, "points": 0}],
    }
    return standard_dict(
        [
            criterion(
                "MAT-01",
                "materials",
                ranged("measurement", [(0, 6, 100), (7, 8, 0)], maximum=8, better="lower"),
                knockout=True,
                variants=[eu_limit, us_limit],
            ),
            criterion("MAT-02", "materials", pass_fail(), effective_from="2026-12-30", applies_when=EU),
            criterion("FIN-01", "finish", pass_fail()),
            criterion("PKG-01", "packaging", pass_fail()),
        ],
        facts={"product_category": product_category(), "markets": MARKETS},
    )


NO_DEFECTS = {"critical": 0, "major": 0, "minor": 0}


def inspect(markets: list[str], value: int, day: date | None, **more: Any) -> Inspection:
    return Inspection.model_validate(
        {
            "facts": {"product_category": "bowl", "markets": markets},
            "lot": {"size": 50},
            "measurements": {"MAT-01": value, "FIN-01": True, "PKG-01": True, "MAT-02": True, **more},
            "defects": NO_DEFECTS,
            "inspected_on": day,
        }
    )


STANDARD = Standard.model_validate(panels())


def test_the_market_of_the_inspection_selects_its_bands_and_the_row_says_which() -> None:
    """The same reading of 4 passes for the US and domestic market and fails the EU limit."""
    day = date(2026, 9, 1)
    eu = score(STANDARD, inspect(["eu"], 4, day)).row("MAT-01")
    us = score(STANDARD, inspect(["us"], 4, day)).row("MAT-01")
    home = score(STANDARD, inspect(["id"], 4, day)).row("MAT-01")
    assert (eu.status, us.status, home.status) == ("failed", "passed", "passed")
    assert eu.reason.en.startswith("EU limit, in force from 2026-08-06.")
    assert eu.reason.id.startswith("EU limit (id), berlaku mulai 2026-08-06.")
    assert home.reason.en.startswith("General limit")
    assert us.verdict.variant == 3 and home.verdict.variant == 1


def test_a_band_not_yet_in_force_leaves_the_general_one() -> None:
    """Before 6 August 2026 the EU limit does not apply yet: the general band judges the EU lot."""
    assert score(STANDARD, inspect(["eu"], 4, date(2026, 8, 5))).row("MAT-01").status == "passed"
    assert score(STANDARD, inspect(["eu"], 4, date(2026, 8, 6))).row("MAT-01").status == "failed"


def test_a_criterion_in_force_from_a_date_does_not_apply_before_it_and_says_so() -> None:
    before = score(STANDARD, inspect(["eu"], 1, date(2026, 12, 29))).row("MAT-02")
    assert before.status == "not_applicable"
    assert "from 2026-12-30" in before.reason.en and "mulai 2026-12-30" in before.reason.id
    unmeasured = inspect(["eu"], 1, date(2026, 12, 30)).model_copy(
        update={"measurements": {"MAT-01": 1, "FIN-01": True, "PKG-01": True}}
    )
    with pytest.raises(InspectionRefused, match="MAT-02"):
        score(STANDARD, unmeasured)
    assert score(STANDARD, inspect(["eu"], 1, date(2026, 12, 30))).row("MAT-02").status == "passed"


def test_a_standard_with_dates_refuses_an_undated_inspection() -> None:
    with pytest.raises(InspectionRefused) as refused:
        score(STANDARD, inspect(["id"], 1, None))
    assert refused.value.problems[0].path == ("inspected_on",)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 8))
def test_bands_follow_the_calendar_whatever_the_day(day: date, value: int) -> None:
    """For any day and reading: the EU lot is judged by the EU limit from 2026-08-06, else by the general one."""
    row = score(STANDARD, inspect(["eu"], value, day)).row("MAT-01")
    limit = 2 if day >= date(2026, 8, 6) else 6
    assert row.status == ("passed" if value <= limit else "failed")


def test_dated_bands_for_one_market_must_follow_each_other() -> None:
    """Lint: an overlap, a gap, an open end followed by another, an end before the start."""
    base = panels(effective_until="2027-01-31")
    later = {
        "label": text("EU limit, revised"),
        "when": EU,
        "bands": [{"from": 0, "to": 1, "points": 100}, {"from": 2, "to": 8, "points": 0}],
    }
    variants = base["criteria"][0]["variants"]

    def problems(earlier: list[Any], **dates: Any) -> list[str]:
        base["criteria"][0]["variants"] = [*earlier, {**later, **dates}]
        return [p.message for p in lint(Standard.model_validate(base))]

    assert problems(variants, effective_from="2027-02-01") == []
    assert "overlap" in problems(variants, effective_from="2027-01-15")[0]
    assert "gap" in problems(variants, effective_from="2027-03-01")[0]
    open_ended = [{**variants[0], "effective_until": None}, variants[1]]
    assert "no end" in problems(open_ended, effective_from="2027-02-01")[0]
    assert "before" in problems(variants, effective_from="2027-02-01", effective_until="2027-01-01")[0]


def test_variants_are_linted_like_the_criterion() -> None:
    """Their bands cover the scale, their conditions name declared facts, and a pass/fail criterion has none."""
    data = panels()
    data["criteria"][0]["variants"][0]["bands"] = [{"from": 0, "to": 2, "points": 100}]
    data["criteria"][0]["variants"][1]["when"] = {"fact": "market", "op": "eq", "value": "us"}
    data["criteria"][2]["variants"] = [data["criteria"][0]["variants"][0]]
    found = [p.message for p in lint(Standard.model_validate(data))]
    assert any("bands end at 2" in m for m in found)
    assert any("undeclared fact 'market'" in m for m in found)
    assert any("only a criterion measured on a scale" in m for m in found)


def test_the_new_keys_change_the_hash_only_when_used() -> None:
    """A standard that does not use dates or variants hashes as it did before they existed."""
    plain = standard_dict([criterion("MAT-01", "materials", pass_fail())])
    written_out = standard_dict(
        [criterion("MAT-01", "materials", pass_fail(), effective_from=None, effective_until=None, variants=[])]
    )
    dated = standard_dict([criterion("MAT-01", "materials", pass_fail(), effective_from="2026-01-01")])
    assert content_hash(Standard.model_validate(plain)) == content_hash(Standard.model_validate(written_out))
    assert content_hash(Standard.model_validate(plain)) != content_hash(Standard.model_validate(dated))


def test_the_days_a_standard_turns_on_are_its_stretches() -> None:
    book = compiled(STANDARD)
    assert book.dates == (date(2026, 8, 6), date(2026, 12, 30))
    assert [book.bucket(d) for d in (None, date(2026, 8, 5), date(2026, 8, 6), date(2027, 1, 1))] == [0, 0, 1, 2]


def test_a_criterion_until_a_date_stops_after_it() -> None:
    data = standard_dict(
        [
            criterion("MAT-01", "materials", pass_fail(), effective_until="2026-12-31"),
            criterion("MAT-02", "materials", pass_fail(), effective_from="2026-01-01", effective_until="2026-06-30"),
        ]
    )
    standard = Standard.model_validate(data)
    base = {"facts": {"product_category": "bowl"}, "lot": {"size": 5}, "measurements": {}, "defects": NO_DEFECTS}
    rows = score(standard, Inspection.model_validate({**base, "inspected_on": "2027-01-01"})).rows
    assert [r.status for r in rows] == ["not_applicable", "not_applicable"]
    assert rows[0].reason.en == "Does not apply: it is in force until 2026-12-31."
    assert "from 2026-01-01 to 2026-06-30" in rows[1].reason.en
