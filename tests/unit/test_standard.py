"""The structure pydantic checks when a standard is read: a scale's step, the sampling AQLs as
ISO 2859-1 spells them, and the products a standard covers."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from certify.core.standard import Sampling, Standard
from tests.strategies import criterion, enum, pass_fail, product_category, ranged, standard_dict

CRITERIA = [
    criterion("MAT-01", "materials", pass_fail()),
    criterion("FIN-01", "finish", pass_fail()),
    criterion("PKG-01", "packaging", pass_fail()),
]


@pytest.mark.parametrize("step", [0, -0.5])
def test_a_scale_whose_step_is_not_positive_is_refused(step: float) -> None:
    """A scale must move up: a step of zero or less is refused where the measure is read."""
    measure = ranged("measurement", [(0, 10, 100)], maximum=10, step=step)
    with pytest.raises(ValidationError) as error:
        Standard.model_validate(standard_dict([*CRITERIA, criterion("FIN-02", "finish", measure)]))
    [problem] = error.value.errors()
    assert problem["loc"] == ("criteria", 3, "measure", "measurement", "step")
    assert "step must be positive" in problem["msg"]


@pytest.mark.parametrize(
    ("written", "kept"), [(2.5, "2.5"), ("2.50", "2.5"), (1, "1.0"), (0.1, "0.10"), ("10", "10"), (10.0, "10")]
)
def test_an_aql_written_as_a_number_is_kept_as_the_table_spells_it(written: Any, kept: str) -> None:
    """`major_aql: 2.5` in a file and "2.50" both mean the table's column "2.5"."""
    assert Sampling.model_validate({"major_aql": written, "minor_aql": written}) == Sampling(
        major_aql=kept, minor_aql=kept
    )


@pytest.mark.parametrize("written", ["two and a half", "", [2.5]])
def test_an_aql_that_is_not_a_number_is_refused_as_such(written: Any) -> None:
    """The refusal says the value is not a number, rather than that it is missing from the table."""
    with pytest.raises(ValidationError) as error:
        Sampling.model_validate({"major_aql": written})
    [problem] = error.value.errors()
    assert problem["loc"] == ("major_aql",)
    assert f"AQL {written!r} is not a number" in problem["msg"]


@pytest.mark.parametrize("written", [3.0, "0.2", 100])
def test_an_aql_outside_iso_2859_1s_table_is_refused_naming_the_table(written: Any) -> None:
    """The refusal lists the AQLs that exist, so the writer can pick the nearest."""
    with pytest.raises(ValidationError) as error:
        Sampling.model_validate({"minor_aql": written})
    [problem] = error.value.errors()
    assert problem["loc"] == ("minor_aql",)
    assert (
        f"AQL {written} is not in ISO 2859-1's table "
        "(one of 0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10)" in problem["msg"]
    )


def test_the_products_a_standard_covers_are_the_values_of_its_product_category_fact() -> None:
    """The values in the order the file lists them."""
    standard = Standard.model_validate(
        standard_dict(CRITERIA, facts={"product_category": product_category("plate", "bowl", "cup")})
    )
    assert standard.product_categories == ("plate", "bowl", "cup")


def test_a_standard_without_a_product_category_fact_names_no_products() -> None:
    """Lint reports the missing fact; until then the standard covers no named product."""
    facts = {"market": enum("enum", "market", ["domestic", "export"])}
    standard = Standard.model_validate(standard_dict(CRITERIA, facts=facts))
    assert standard.product_categories == ()
