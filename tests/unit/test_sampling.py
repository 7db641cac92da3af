"""ISO 2859-1 sampling checked cell by cell against the cross-checked reference tables."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core import sampling, standard
from certify.core.iso2859_tables import CODE_LETTERS, PLANS, SAMPLE_SIZES
from certify.core.sampling import AQLS, LETTERS, LEVELS, code_letter, critical_plan, plan

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "data" / "iso2859-1-normal-single.json").read_text()
)
RAW_PLANS: dict[str, Any] = {**REFERENCE["plans"], **REFERENCE["extra_plans"]}
RESOLVED: dict[str, Any] = {**REFERENCE["resolved_plans"], **REFERENCE["extra_resolved_plans"]}
BIGGEST_LOT = 10**9


def _lot_ranges() -> list[tuple[str, int, int | None, str]]:
    return [
        (level, low, high, letter) for level, rows in REFERENCE["code_letters"].items() for low, high, letter in rows
    ]


def _lot_of_letter(letter: str) -> tuple[int, str]:
    """A lot size and level whose code letter is `letter` (level III reaches B..R, II reaches A)."""
    for level in ("II", "III"):
        for low, _, row_letter in REFERENCE["code_letters"][level]:
            if row_letter == letter:
                return low, level
    raise AssertionError(f"no lot has code letter {letter}")


def _cell(value: str | list[int]) -> str | tuple[int, ...]:
    return value if isinstance(value, str) else tuple(value)


# --- the tables as transcribed ---------------------------------------------------------------


def test_the_code_letter_table_is_the_reference_table() -> None:
    """Every level's lot ranges and letters are the reference's, in order."""
    assert {level: [list(row) for row in rows] for level, rows in CODE_LETTERS.items()} == (REFERENCE["code_letters"])


def test_the_sample_sizes_are_the_reference_sample_sizes() -> None:
    """Each code letter's n is the reference's, letters smallest sample first."""
    assert REFERENCE["sample_sizes"] == SAMPLE_SIZES
    assert list(LETTERS) == list(REFERENCE["sample_sizes"])


def test_the_raw_plans_keep_every_cell_and_arrow_as_printed() -> None:
    """PLANS is the printed Table 2-A for all 11 AQLs: Ac/Re pairs and down/up arrows."""
    assert set(PLANS) == set(RAW_PLANS)
    for aql, column in RAW_PLANS.items():
        assert PLANS[aql] == {letter: _cell(value) for letter, value in column.items()}, aql


def test_sampling_knows_every_level_and_aql_a_standard_may_name() -> None:
    """A standard file validated by the core models never names a level or AQL sampling refuses."""
    assert LEVELS == standard.LEVELS
    assert AQLS == standard.AQLS


# --- code letters ----------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "low", "high", "letter"), _lot_ranges())
def test_both_ends_and_the_middle_of_a_lot_range_get_its_code_letter(
    level: str, low: int, high: int | None, letter: str
) -> None:
    """Bounds are inclusive: the first, a middle and the last lot of a range share its letter."""
    top = BIGGEST_LOT if high is None else high
    for lot in (low, (low + top) // 2, top):
        assert code_letter(lot, level) == letter, lot


@pytest.mark.parametrize("level", LEVELS)
def test_a_lot_of_one_piece_takes_the_first_rows_letter(level: str) -> None:
    """A single piece is below Table 1's first range (2-8) and is sampled like a lot of 2."""
    assert code_letter(1, level) == code_letter(2, level)
    assert plan(1, level).inspect_all


def test_the_usual_level_is_general_level_ii() -> None:
    """Without a level, the code letter is level II's."""
    assert code_letter(281) == "H"
    assert code_letter(280) == "G"


# --- plans, arrows followed ------------------------------------------------------------------


@pytest.mark.parametrize("aql", sorted(RESOLVED))
@pytest.mark.parametrize("letter", list(REFERENCE["sample_sizes"]))
def test_every_letter_and_aql_gives_the_reference_plan_with_arrows_followed(aql: str, letter: str) -> None:
    """Following the raw table's arrows gives the reference row, its n, and its Ac/Re."""
    lot, level = _lot_of_letter(letter)
    expected = RESOLVED[aql][letter]
    got = plan(lot, level, aql)
    assert got.code_letter == letter
    assert (got.plan_letter, got.sample_size, got.accept, got.reject) == (
        expected["letter"],
        expected["n"],
        expected["ac"],
        expected["re"],
    )
    assert got.inspect_all == (expected["n"] >= lot)


def test_a_lot_of_500_at_aql_2_5_samples_50_and_accepts_3() -> None:
    """Level II, lot 281-500, major AQL 2.5: letter H, n 50, Ac 3, Re 4 (the defaults)."""
    got = plan(500)
    assert (got.code_letter, got.plan_letter, got.sample_size) == ("H", "H", 50)
    assert (got.accept, got.reject, got.inspect_all) == (3, 4, False)
    assert got.accepts(3)
    assert not got.accepts(4)


def test_a_lot_of_1200_at_aql_4_samples_80_and_accepts_7() -> None:
    """Level II, lot 501-1200, minor AQL 4.0: letter J, n 80, Ac 7, Re 8."""
    got = plan(1200, "II", "4.0")
    assert (got.code_letter, got.sample_size, got.accept, got.reject) == ("J", 80, 7, 8)


def test_an_up_arrow_takes_the_smaller_sample_of_the_plan_above() -> None:
    """Lot 50 (D) at AQL 2.5 meets an up arrow: plan C, n 5, accept none, not D's n of 8."""
    got = plan(50, "II", "2.5")
    assert (got.code_letter, got.plan_letter, got.sample_size) == ("D", "C", 5)
    assert (got.accept, got.reject) == (0, 1)


def test_a_down_arrow_can_ask_for_more_pieces_than_the_lot_holds() -> None:
    """Lot 5 at AQL 0.65 follows the arrow down to F (n 20): all 5 pieces are inspected."""
    got = plan(5, "II", "0.65")
    assert (got.code_letter, got.plan_letter, got.sample_size) == ("A", "F", 20)
    assert got.inspect_all
    assert got.pieces_to_inspect == 5
    assert (got.accept, got.reject) == (0, 1)


@pytest.mark.parametrize(("letter", "arrow"), [(LETTERS[0], "up"), (LETTERS[-1], "down")])
def test_an_arrow_in_the_table_that_leads_off_its_edge_is_refused_not_wrapped_round(
    letter: str, arrow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped Table 2-A (an up arrow in the first row, a down arrow in the last) stops the
    import naming the AQL and letter, rather than taking the plan at the table's other end."""
    monkeypatch.setitem(PLANS, "2.5", {**PLANS["2.5"], letter: arrow})
    with pytest.raises(ValueError, match=f"AQL 2.5: the arrow at code letter {letter} leads off the table"):
        sampling._resolve("2.5", letter)


def test_inspect_all_starts_exactly_where_the_sample_reaches_the_lot_size() -> None:
    """At AQL 0.65 lots 16-25 sample 20: a lot of 20 is inspected whole, a lot of 21 is not."""
    assert plan(20, "II", "0.65").inspect_all
    assert plan(20, "II", "0.65").pieces_to_inspect == 20
    assert not plan(21, "II", "0.65").inspect_all
    assert plan(21, "II", "0.65").pieces_to_inspect == 20


# --- critical defects ------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "low", "high", "letter"), _lot_ranges())
def test_critical_defects_are_never_accepted_in_the_code_letters_sample(
    level: str, low: int, high: int | None, letter: str
) -> None:
    """Critical: Ac 0, Re 1, on the code letter's own sample size, whatever the lot."""
    got = critical_plan(low, level)
    assert (got.code_letter, got.plan_letter) == (letter, letter)
    assert got.sample_size == REFERENCE["sample_sizes"][letter]
    assert (got.accept, got.reject) == (0, 1)
    assert got.accepts(0)
    assert not got.accepts(1)


def test_a_critical_sample_covers_a_tiny_lot_whole() -> None:
    """A lot of 2 at level II has letter A (n 2): both pieces are inspected; a lot of 5 is not."""
    assert critical_plan(2).inspect_all
    assert not critical_plan(5).inspect_all
    assert critical_plan(5).pieces_to_inspect == 2


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("lot", [0, -3, 2.5, True, "500"])
def test_a_lot_that_is_not_a_positive_whole_number_is_refused(lot: object) -> None:
    """Lot sizes below 1 and non-integers are refused, naming the value given."""
    for call in (code_letter, plan, critical_plan):
        with pytest.raises(ValueError, match="lot size") as refused:
            call(lot)  # type: ignore[arg-type]
        assert repr(lot) in str(refused.value)


@pytest.mark.parametrize("level", ["IV", "ii", "S-5", ""])
def test_an_unknown_inspection_level_is_refused_naming_the_allowed_ones(level: str) -> None:
    """The message quotes the bad level and lists I, II, III, S-1..S-4."""
    for call in (code_letter, plan, critical_plan):
        with pytest.raises(ValueError) as refused:
            call(500, level)
        message = str(refused.value)
        assert repr(level) in message
        assert "I, II, III, S-1, S-2, S-3, S-4" in message


@pytest.mark.parametrize("aql", ["3.0", "2.50", "0.1", "", "100"])
def test_an_aql_outside_table_2a_is_refused_naming_the_allowed_ones(aql: str) -> None:
    """Only the 11 AQL columns, spelt as in the table, are accepted."""
    with pytest.raises(ValueError) as refused:
        plan(500, "II", aql)
    message = str(refused.value)
    assert repr(aql) in message
    assert ", ".join(AQLS) in message


def test_a_negative_defect_count_is_refused() -> None:
    """Defects found cannot be fewer than none."""
    with pytest.raises(ValueError, match="-1"):
        plan(500).accepts(-1)


# --- properties ------------------------------------------------------------------------------


@given(
    level=st.sampled_from(LEVELS),
    aql=st.sampled_from(AQLS),
    lots=st.lists(st.integers(1, BIGGEST_LOT), min_size=2, max_size=2).map(sorted),
)
def test_a_larger_lot_never_gets_a_smaller_letter_or_sample(level: str, aql: str, lots: list[int]) -> None:
    """For one level and AQL, growing the lot never lowers the code letter or the sample size."""
    smaller, larger = lots
    assert LETTERS.index(code_letter(smaller, level)) <= LETTERS.index(code_letter(larger, level))
    assert plan(smaller, level, aql).sample_size <= plan(larger, level, aql).sample_size
    assert critical_plan(smaller, level).sample_size <= critical_plan(larger, level).sample_size
    assert plan(smaller, level, aql).pieces_to_inspect <= plan(larger, level, aql).pieces_to_inspect
