"""Which criteria apply to an inspection's facts, before anything is measured (the form's fields)."""

from __future__ import annotations

from certify.core.applicability import applicable_criteria
from certify.core.standard import Standard
from tests.strategies import criterion, enum, pass_fail, product_category, standard_dict

EXPORT_ONLY = {"fact": "market", "op": "eq", "value": "export"}
STANDARD = Standard.model_validate(
    standard_dict(
        [
            criterion("PKG-01", "packaging", pass_fail(), applies_when=EXPORT_ONLY),
            criterion("FIN-02", "finish", pass_fail()),
            criterion("FIN-01", "finish", pass_fail()),
            criterion("MAT-01", "materials", pass_fail()),
        ],
        facts={
            "product_category": product_category("bowl"),
            "market": enum("enum", "market", ["domestic", "export"]),
        },
    )
)


def ids(facts: dict[str, object]) -> list[str]:
    return [c.id for c in applicable_criteria(STANDARD, facts)]


def test_a_criterion_applies_only_when_its_condition_holds_on_the_facts() -> None:
    """Packaging for export only: asked of an export bowl, not of a domestic one."""
    assert ids({"product_category": "bowl", "market": "export"}) == ["MAT-01", "FIN-01", "FIN-02", "PKG-01"]
    assert ids({"product_category": "bowl", "market": "domestic"}) == ["MAT-01", "FIN-01", "FIN-02"]


def test_criteria_come_by_category_in_the_standards_order_then_by_id() -> None:
    """Materials, finish, packaging; within each, by id, whatever the order they were written in."""
    categories = [c.category for c in applicable_criteria(STANDARD, {"market": "export"})]
    assert categories == ["materials", "finish", "finish", "packaging"]


def test_facts_the_standard_does_not_declare_are_ignored() -> None:
    """An unknown fact changes nothing of what applies."""
    assert ids({"market": "domestic", "colour": "red"}) == ids({"market": "domestic"})


def test_a_criterion_whose_fact_is_not_given_yet_is_asked_for() -> None:
    """No market stated: its condition cannot be read, so packaging is asked for (scoring decides)."""
    assert "PKG-01" in ids({"product_category": "bowl"})
