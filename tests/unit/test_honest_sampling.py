"""What a sampling plan can catch (limiting quality) and how the lot history sets the severity of
inspection (ISO 2859-1 switching rules)."""

from __future__ import annotations

from math import comb

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core.inspection import Inspection
from certify.core.limiting_quality import limiting_quality
from certify.core.sampling import one_step_tighter, plan
from certify.core.scoring import score
from certify.core.standard import Standard
from certify.core.switching import LotRecord, next_inspection
from tests.strategies import criterion, pass_fail, standard_dict

ACCEPTED, REJECTED = LotRecord(accepted=True), LotRecord(accepted=False)


@pytest.mark.parametrize(
    ("lot", "sample", "accept", "percent"),
    [(4000, 5, 0, "37.0"), (4000, 20, 1, "18.1"), (5000, 50, 3, "12.9")],
)
def test_the_reviewers_small_lot_figures_come_out_from_the_binomial(
    lot: int, sample: int, accept: int, percent: str
) -> None:
    """n 5 Ac 0 → 36.9 %, n 20 Ac 1 → 18.1 %, n 50 Ac 3 → 12.9 % (rounded up to tenths: never flattering)."""
    found = limiting_quality(sample, accept, lot)
    assert (found.percent, found.method) == (percent, "binomial")


def test_a_sample_that_is_a_large_part_of_the_lot_uses_the_hypergeometric() -> None:
    """Lot 40, n 5, Ac 0: 14 defectives of 40 are accepted 9.6 % of the time, 13 of 40 more than 10 %."""
    found = limiting_quality(5, 0, 40)
    assert (found.percent, found.method) == ("35.0", "hypergeometric")
    assert 10 * comb(26, 5) <= comb(40, 5) < 10 * comb(27, 5)


def test_inspecting_the_whole_lot_catches_any_defective_beyond_ac() -> None:
    assert limiting_quality(50, 0, 20).percent == "5.0"
    assert limiting_quality(3, 2, 3).percent == "100.0"  # accepts a lot with 2 of 3 defective, always
    assert limiting_quality(3, 3, 5).percent == "100.0"  # accepts anything


@given(st.integers(1, 3000), st.sampled_from(["0.65", "1.0", "2.5", "4.0", "6.5"]))
def test_a_larger_lot_never_makes_the_plan_look_worse_than_its_binomial_bound(lot: int, aql: str) -> None:
    """The limiting quality is a share between 0 and 100 %, and taking the finite lot into account
    never gives a higher figure than the binomial (the sample is without replacement), but for the
    one piece a finite lot counts in."""
    drawn = plan(lot, "II", aql)
    found = limiting_quality(drawn.sample_size, drawn.accept, lot)
    bound = limiting_quality(drawn.pieces_to_inspect, drawn.accept, 10**7)
    assert 0 < found.tenths_of_percent <= 1000
    assert found.tenths_of_percent <= bound.tenths_of_percent + 1 + -(-1000 // lot)


def _bisected(n: int, accept: int, lot: int) -> int:
    """The hypergeometric LQ as first written: the plain bisection over D, each P summed in full."""
    total = comb(lot, n)

    def accepted_too_often(defectives: int) -> bool:
        ways = sum(comb(defectives, x) * comb(lot - defectives, n - x) for x in range(min(accept, defectives) + 1))
        return 100 * ways > 10 * total

    low, high = 0, lot
    if accepted_too_often(high):
        return 1000
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if accepted_too_often(middle) else (low, middle)
    return -(-1000 * high // lot)


@given(st.data(), st.integers(1, 2500))
def test_the_hypergeometric_limiting_quality_is_the_one_bisection_finds(data: st.DataObject, lot: int) -> None:
    """Any sample of more than a tenth of the lot (or all of it) and any Ac below it: the search
    that tries few D ends on the D a plain bisection over every D from 0 to the lot ends on."""
    n = data.draw(st.integers(lot // 10 + 1, lot))
    accept = data.draw(st.integers(0, min(n - 1, 40)))
    found = limiting_quality(n, accept, lot)
    assert (found.tenths_of_percent, found.method) == (_bisected(n, accept, lot), "hypergeometric")


@pytest.mark.parametrize(("sample", "accept", "lot"), [(80, 5, 700), (125, 7, 1000), (200, 10, 1900), (13, 1, 100)])
def test_the_plans_of_mid_sized_lots_have_the_bisections_limiting_quality(sample: int, accept: int, lot: int) -> None:
    assert limiting_quality(sample, accept, lot).tenths_of_percent == _bisected(sample, accept, lot)


def test_nonsense_plans_are_refused() -> None:
    with pytest.raises(ValueError):
        limiting_quality(0, 0, 10)
    assert limiting_quality(5, 5, 10**6).percent == "100.0"


def test_inspection_starts_normal_and_two_rejections_in_five_lots_tighten_it() -> None:
    assert next_inspection([]).severity == "normal"
    assert next_inspection([ACCEPTED, REJECTED, ACCEPTED, ACCEPTED]).severity == "normal"
    tightened = next_inspection([REJECTED, ACCEPTED, ACCEPTED, ACCEPTED, REJECTED])
    assert tightened.severity == "tightened" and "9.3.1" in tightened.rule.en and "9.3.1" in tightened.rule.id
    assert next_inspection([REJECTED, *[ACCEPTED] * 4, REJECTED]).severity == "normal"  # 6 apart


def test_five_accepted_lots_under_tightened_return_to_normal() -> None:
    history = [REJECTED, REJECTED, *[ACCEPTED] * 4]
    assert next_inspection(history).severity == "tightened"
    back = next_inspection([*history, ACCEPTED])
    assert back.severity == "normal" and "9.3.2" in back.rule.en


def test_five_lots_rejected_under_tightened_discontinue_the_inspection() -> None:
    history = [REJECTED, REJECTED, *[REJECTED, ACCEPTED] * 4]
    assert next_inspection(history).severity == "tightened"
    stopped = next_inspection([*history, REJECTED, ACCEPTED])
    assert stopped.severity == "discontinued" and "9.4" in stopped.rule.en


def test_a_high_switching_score_does_not_reduce_inspection_without_the_authority() -> None:
    """Ac 0/1: +2 an accepted lot; Ac >= 2: +3 when an AQL one step tighter would also accept, else 0."""
    small = next_inspection([ACCEPTED] * 15)
    assert (small.severity, small.switching_score) == ("normal", 30)
    assert "approval" in small.rule.en and "persetujuan" in small.rule.id
    large = [LotRecord(accepted=True, accept_number=3, accepted_one_step_tighter=True)] * 9
    assert next_inspection(large).switching_score == 27
    reset = [*large, LotRecord(accepted=True, accept_number=3, accepted_one_step_tighter=False)]
    assert next_inspection(reset).switching_score == 0


@given(st.lists(st.booleans(), max_size=40))
def test_any_history_gives_a_severity_with_a_rule_in_both_languages(accepted: list[bool]) -> None:
    found = next_inspection([LotRecord(accepted=a) for a in accepted])
    assert found.severity in ("normal", "tightened", "discontinued")
    assert "ISO 2859-1" in found.rule.en and "ISO 2859-1" in found.rule.id
    if accepted.count(False) < 2:
        assert found.severity == "normal"


def test_tightened_inspection_takes_the_plan_one_aql_step_tighter_and_says_so() -> None:
    standard = Standard.model_validate(standard_dict([criterion("MAT-01", "materials", pass_fail())]))
    inspection = Inspection.model_validate(
        {
            "facts": {"product_category": "bowl"},
            "lot": {"size": 500},
            "measurements": {"MAT-01": True},
            "defects": {"critical": 0, "major": 3, "minor": 0},
        }
    )
    normal = score(standard, inspection)
    tightened = score(standard, inspection, switching=next_inspection([REJECTED, REJECTED]))
    assert normal.lot.accepted and normal.lot.severity == "normal"
    assert tightened.lot.severity == "tightened" and not tightened.lot.accepted
    assert tightened.lot.classes[1].aql == one_step_tighter("2.5") == "1.5"
    assert "Table 2-B" in tightened.lot.switching_rule.en and "Tabel 2-B" in tightened.lot.switching_rule.id
    assert tightened.lot.to_dict()["defects"][1]["limiting_quality"]["percent"] == "10.3"
    stopped = score(
        standard,
        inspection.model_copy(update={"defects": inspection.defects.model_copy(update={"major": 0})}),
        switching=next_inspection([REJECTED] * 7),
    )
    assert not stopped.certified and any("9.4" in reason.en for reason in stopped.reasons)
    assert one_step_tighter("0.10") is None
