"""Applicability conditions: every operator of the closed table, all / any / not, and the problems
the linter finds in a condition (unknown operator, undeclared fact, a value the fact cannot take)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from certify.core.conditions import OPERATORS, check
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import Condition, Fact, Standard
from tests.strategies import Data, criterion, enum, pass_fail, product_category, standard_dict, text

FACTS: dict[str, Data] = {
    "product_category": product_category("bowl", "plate"),
    "market": enum("enum", "market", ["domestic", "export", "tourist"]),
    "materials": enum("set", "materials", ["cotton", "silk", "rayon"]),
    "for_children": {"type": "bool", "title": text("for children")},
    "width_cm": {"type": "number", "title": text("width"), "minimum": 0, "maximum": 400},
}
BASE_FACTS: dict[str, Any] = {
    "product_category": "bowl",
    "market": "domestic",
    "materials": ["cotton"],
    "for_children": False,
    "width_cm": 100,
}
CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)
DECLARED = {name: Fact.model_validate(fact) for name, fact in FACTS.items()}


def _applies(condition: Data, **facts: Any) -> bool:
    """Whether PKG-01, carrying `condition`, applies to a product with these facts (scored for real)."""
    standard = Standard.model_validate(
        standard_dict(
            [
                criterion("MAT-01", "materials", pass_fail()),
                criterion("FIN-01", "finish", pass_fail()),
                criterion("PKG-01", "packaging", pass_fail(), applies_when=condition),
            ],
            facts=FACTS,
        )
    )
    inspection = Inspection.model_validate(
        {
            "facts": {**BASE_FACTS, **facts},
            "lot": {"size": 10},
            "defects": {"critical": 0, "major": 0, "minor": 0},
            "measurements": {"MAT-01": True, "FIN-01": True, "PKG-01": True},
        }
    )
    status = score(standard, inspection).row("PKG-01").status
    assert status in ("passed", "not_applicable")
    return status == "passed"


def when(fact: str, op: str, value: Any) -> Data:
    """The test `fact OP value`."""
    return {"fact": fact, "op": op, "value": value}


OPERATOR_CASES = [
    ("eq", when("market", "eq", "export"), {"market": "export"}, True),
    ("eq", when("market", "eq", "export"), {"market": "domestic"}, False),
    ("eq", when("for_children", "eq", True), {"for_children": True}, True),
    ("eq", when("for_children", "eq", True), {"for_children": False}, False),
    ("eq", when("width_cm", "eq", 100), {"width_cm": 100.0}, True),
    ("eq", when("width_cm", "eq", 100), {"width_cm": 100.5}, False),
    ("eq", when("materials", "eq", ["silk", "cotton"]), {"materials": ["cotton", "silk"]}, True),
    ("eq", when("materials", "eq", ["silk", "cotton"]), {"materials": ["cotton"]}, False),
    ("ne", when("market", "ne", "export"), {"market": "domestic"}, True),
    ("ne", when("market", "ne", "export"), {"market": "export"}, False),
    ("ne", when("materials", "ne", ["cotton"]), {"materials": ["cotton", "silk"]}, True),
    ("ne", when("materials", "ne", ["cotton"]), {"materials": ["cotton"]}, False),
    ("in", when("market", "in", ["export", "tourist"]), {"market": "tourist"}, True),
    ("in", when("market", "in", ["export", "tourist"]), {"market": "domestic"}, False),
    ("not_in", when("market", "not_in", ["export"]), {"market": "domestic"}, True),
    ("not_in", when("market", "not_in", ["export"]), {"market": "export"}, False),
    ("lt", when("width_cm", "lt", 100), {"width_cm": 99.9}, True),
    ("lt", when("width_cm", "lt", 100), {"width_cm": 100}, False),
    ("le", when("width_cm", "le", 100), {"width_cm": 100}, True),
    ("le", when("width_cm", "le", 100), {"width_cm": 100.1}, False),
    ("gt", when("width_cm", "gt", 100), {"width_cm": 100.5}, True),
    ("gt", when("width_cm", "gt", 100), {"width_cm": 100}, False),
    ("ge", when("width_cm", "ge", 100), {"width_cm": 100}, True),
    ("ge", when("width_cm", "ge", 100), {"width_cm": 99}, False),
    ("between", when("width_cm", "between", [50, 100]), {"width_cm": 50}, True),
    ("between", when("width_cm", "between", [50, 100]), {"width_cm": 100}, True),
    ("between", when("width_cm", "between", [50, 100]), {"width_cm": 49.9}, False),
    ("between", when("width_cm", "between", [50, 100]), {"width_cm": 100.1}, False),
    ("has", when("materials", "has", "silk"), {"materials": ["cotton", "silk"]}, True),
    ("has", when("materials", "has", "silk"), {"materials": ["cotton"]}, False),
    ("has_any", when("materials", "has_any", ["silk", "rayon"]), {"materials": ["rayon"]}, True),
    ("has_any", when("materials", "has_any", ["silk", "rayon"]), {"materials": ["cotton"]}, False),
    ("has_any", when("materials", "has_any", ["silk", "rayon"]), {"materials": []}, False),
    ("has_all", when("materials", "has_all", ["cotton", "silk"]), {"materials": ["silk", "rayon", "cotton"]}, True),
    ("has_all", when("materials", "has_all", ["cotton", "silk"]), {"materials": ["cotton"]}, False),
]


@pytest.mark.parametrize(
    ("op", "condition", "facts", "expected"),
    OPERATOR_CASES,
    ids=[
        f"{op}-{'applies' if expected else 'does-not-apply'}-{i}"
        for i, (op, _, _, expected) in enumerate(OPERATOR_CASES)
    ],
)
def test_each_operator_decides_whether_a_criterion_applies(
    op: str, condition: Data, facts: dict[str, Any], expected: bool
) -> None:
    """`fact OP value` holds exactly when the operator's meaning says it does, on scored inspections."""
    assert _applies(condition, **facts) is expected


def test_every_operator_of_the_table_is_tested_both_ways() -> None:
    """Each operator in OPERATORS has a case where it applies and one where it does not."""
    covered = {(op, expected) for op, _, _, expected in OPERATOR_CASES}
    assert covered == {(op, expected) for op in OPERATORS for expected in (True, False)}


EXPORT = when("market", "eq", "export")
ADULTS = when("for_children", "eq", False)


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        ({"all": [EXPORT, ADULTS]}, {"market": "export", "for_children": False}, True),
        ({"all": [EXPORT, ADULTS]}, {"market": "export", "for_children": True}, False),
        ({"all": [EXPORT, ADULTS]}, {"market": "domestic", "for_children": False}, False),
        ({"any": [EXPORT, ADULTS]}, {"market": "domestic", "for_children": False}, True),
        ({"any": [EXPORT, ADULTS]}, {"market": "export", "for_children": True}, True),
        ({"any": [EXPORT, ADULTS]}, {"market": "domestic", "for_children": True}, False),
        ({"not": EXPORT}, {"market": "domestic"}, True),
        ({"not": EXPORT}, {"market": "export"}, False),
        ({"all": [EXPORT]}, {"market": "export"}, True),
        ({"any": [EXPORT]}, {"market": "domestic"}, False),
        (
            {"all": [EXPORT, {"not": {"any": [when("materials", "has", "silk"), when("width_cm", "gt", 200)]}}]},
            {"market": "export", "materials": ["cotton"], "width_cm": 150},
            True,
        ),
        (
            {"all": [EXPORT, {"not": {"any": [when("materials", "has", "silk"), when("width_cm", "gt", 200)]}}]},
            {"market": "export", "materials": ["cotton"], "width_cm": 250},
            False,
        ),
    ],
)
def test_all_any_and_not_compose_conditions_as_logic_does(
    condition: Data, facts: dict[str, Any], expected: bool
) -> None:
    """all = every part holds, any = at least one holds, not = the part does not hold; nested freely."""
    assert _applies(condition, **facts) is expected


def test_a_criterion_that_does_not_apply_says_when_it_would() -> None:
    """The not-applicable reason states the condition in words, naming the fact by its title in each language."""
    standard = Standard.model_validate(
        standard_dict(
            [
                criterion("MAT-01", "materials", pass_fail()),
                criterion("FIN-01", "finish", pass_fail()),
                criterion("PKG-01", "packaging", pass_fail(), applies_when=EXPORT),
            ],
            facts=FACTS,
        )
    )
    inspection = Inspection.model_validate(
        {
            "facts": BASE_FACTS,
            "lot": {"size": 10},
            "measurements": {"MAT-01": True, "FIN-01": True},
            "defects": {"critical": 0, "major": 0, "minor": 0},
        }
    )
    reason = score(standard, inspection).row("PKG-01").reason
    assert reason.en.startswith("Does not apply") and "market is export" in reason.en
    assert reason.id.startswith("Tidak berlaku") and "market (id) adalah export" in reason.id  # the fact's own title


# --- what the linter finds in a condition ---------------------------------------------------------


def _problems(condition: Data) -> list[tuple[str, tuple[str | int, ...]]]:
    found = check(CONDITION.validate_python(condition), DECLARED, ("criteria", 0, "applies_when"))
    return [(p.message, p.path) for p in found]


WHERE = ("criteria", 0, "applies_when")


@pytest.mark.parametrize(
    ("condition", "path", "words"),
    [
        (when("market", "equals", "export"), (*WHERE, "op"), ["unknown operator 'equals'", "known: eq, ne, in"]),
        (when("colour", "eq", "red"), (*WHERE, "fact"), ["undeclared fact 'colour'"]),
        (when("market", "lt", 3), (*WHERE, "op"), ["'lt' does not apply to enum fact 'market'"]),
        (when("market", "has", "export"), (*WHERE, "op"), ["'has' does not apply to enum fact 'market'"]),
        (when("materials", "in", ["silk"]), (*WHERE, "op"), ["'in' does not apply to set fact 'materials'"]),
        (when("for_children", "between", [1, 2]), (*WHERE, "op"), ["'between' does not apply to bool fact"]),
        (
            when("market", "eq", "abroad"),
            (*WHERE, "value"),
            ["fact 'market' cannot be 'abroad'", "allowed: domestic, export, tourist"],
        ),
        (when("materials", "has", "wool"), (*WHERE, "value"), ["fact 'materials' cannot be 'wool'"]),
        (when("materials", "eq", "silk"), (*WHERE, "value"), ["fact 'materials' cannot be 'silk'"]),
        (when("for_children", "eq", "yes"), (*WHERE, "value"), ["fact 'for_children' cannot be 'yes'", "(a bool)"]),
        (when("width_cm", "ge", "wide"), (*WHERE, "value"), ["fact 'width_cm' cannot be 'wide'", "(a number)"]),
        (when("width_cm", "eq", True), (*WHERE, "value"), ["fact 'width_cm' cannot be True"]),
        (when("width_cm", "between", [5]), (*WHERE, "value"), ["'between' takes [low, high], two numbers; got [5]"]),
        (when("width_cm", "between", [100, 50]), (*WHERE, "value"), ["'between' range [100, 50] is empty"]),
        (when("market", "in", "export"), (*WHERE, "value"), ["'in' takes a list of values; got 'export'"]),
        (when("materials", "has_any", []), (*WHERE, "value"), ["'has_any' takes a list of values; got []"]),
        (
            {"any": [EXPORT, {"not": when("market", "eq", "abroad")}]},
            (*WHERE, "any", 1, "not", "value"),
            ["fact 'market' cannot be 'abroad'"],
        ),
        (
            {"all": [when("colour", "eq", "red"), when("market", "betwen", [1, 2])]},
            (*WHERE, "all", 0, "fact"),
            ["undeclared fact 'colour'"],
        ),
    ],
)
def test_a_wrong_condition_is_a_problem_naming_the_place_and_the_offender(
    condition: Data, path: tuple[str | int, ...], words: list[str]
) -> None:
    """The linter names what is wrong (operator, fact or value) and where, down nested conditions."""
    problems = _problems(condition)
    assert problems, "the condition should have been refused"
    message, where = problems[0]
    assert where == path
    for word in words:
        assert word in message


def test_every_wrong_part_of_a_condition_is_named_not_only_the_first() -> None:
    """Two wrong tests in one `all`: two problems, one for each."""
    problems = _problems({"all": [when("colour", "eq", "red"), when("market", "betwen", "export")]})
    assert [path[-2:] for _, path in problems] == [(0, "fact"), (1, "op")]
    assert "unknown operator 'betwen'" in problems[1][0]


def test_a_set_fact_has_one_problem_for_each_value_it_cannot_take() -> None:
    """`has_all [silk, wool, linen]` on materials: wool and linen named, silk not."""
    messages = [message for message, _ in _problems(when("materials", "has_all", ["silk", "wool", "linen"]))]
    assert len(messages) == 2
    assert "'wool'" in messages[0] and "'linen'" in messages[1]


@pytest.mark.parametrize("case", OPERATOR_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(OPERATOR_CASES)])
def test_every_condition_in_the_operator_table_lints_clean(case: tuple[str, Data, dict[str, Any], bool]) -> None:
    """The conditions used above are all valid: the linter accepts correct conditions."""
    assert _problems(case[1]) == []
