"""The sample drawn from a lot: one sample for every defect class, never more pieces than the lot."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certify.core.compiled import compiled, lot_plans
from certify.core.sample import SampleSize, drawn_fits, sample_size
from tests.strategies import bowls


def test_a_lot_of_500_at_level_ii_draws_the_code_letter_h_sample_of_50() -> None:
    assert sample_size(bowls(), 500) == SampleSize(lot_size=500, code_letter="H", size=50)


def test_a_lot_smaller_than_its_sample_is_inspected_whole() -> None:
    assert sample_size(bowls(), 3).size == 3


@given(st.integers(1, 100_000))
def test_the_sample_serves_every_defect_class_and_fits_in_the_lot(lot: int) -> None:
    drawn = sample_size(bowls(), lot)
    plans = lot_plans(compiled(bowls()), lot)
    assert drawn.size == max(p.pieces_to_inspect for p in plans) <= lot
    assert drawn.code_letter == plans[1].code_letter


def test_a_drawn_sample_fits_only_with_the_right_count_of_distinct_pieces_in_the_lot() -> None:
    sample = SampleSize(lot_size=10, code_letter="B", size=3)
    assert drawn_fits([1, 5, 10], sample)
    assert not drawn_fits([1, 5], sample)
    assert not drawn_fits([1, 5, 5], sample)
    assert not drawn_fits([0, 5, 9], sample)
    assert not drawn_fits([1, 5, 11], sample)
