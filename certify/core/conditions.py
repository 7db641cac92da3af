"""Applicability conditions: a closed table of operators, compiled once into plain functions.

An unknown operator, an undeclared fact or a value the fact cannot take is a `Problem` found when
the standard is loaded (`check`); `compile_condition` assumes a checked condition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from certify.core.errors import Problem
from certify.core.standard import AllOf, AnyOf, Condition, Fact, NotOf, Test

Facts = Mapping[str, Any]
Predicate = Callable[[Facts], bool]


@dataclass(frozen=True, slots=True)
class Operator:
    fact_types: frozenset[str]
    operand: str  # "one" value, a "list" of values, or a "pair" [low, high]
    test: Callable[[Any, Any], bool]


def _op(types: str, operand: str, test: Callable[[Any, Any], bool]) -> Operator:
    return Operator(frozenset(types.split()), operand, test)


OPERATORS: dict[str, Operator] = {
    "eq": _op("enum set bool number", "one", lambda fact, value: fact == value),
    "ne": _op("enum set bool number", "one", lambda fact, value: fact != value),
    "in": _op("enum", "list", lambda fact, values: fact in values),
    "not_in": _op("enum", "list", lambda fact, values: fact not in values),
    "lt": _op("number", "one", lambda fact, value: fact < value),
    "le": _op("number", "one", lambda fact, value: fact <= value),
    "gt": _op("number", "one", lambda fact, value: fact > value),
    "ge": _op("number", "one", lambda fact, value: fact >= value),
    "between": _op("number", "pair", lambda fact, pair: pair[0] <= fact <= pair[1]),
    "has": _op("set", "one", lambda fact, value: value in fact),
    "has_any": _op("set", "list", lambda fact, values: not fact.isdisjoint(values)),
    "has_all": _op("set", "list", lambda fact, values: fact.issuperset(values)),
}


def fact_accepts(fact: Fact, value: Any) -> bool:
    """Whether `value` is one a fact of this declaration can hold."""
    if fact.type == "bool":
        return isinstance(value, bool)
    if fact.type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if fact.type == "enum":
        return value in fact.values
    return isinstance(value, list) and all(item in fact.values for item in value)


def check(condition: Condition, facts: Mapping[str, Fact], path: tuple[str | int, ...]) -> list[Problem]:
    """Every problem with a condition: unknown operators, facts, values of the wrong kind."""
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        key = "all" if isinstance(condition, AllOf) else "any"
        return [p for i, part in enumerate(parts) for p in check(part, facts, (*path, key, i))]
    if isinstance(condition, NotOf):
        return check(condition.not_, facts, (*path, "not"))
    return _check_test(condition, facts, path)


def _check_test(test: Test, facts: Mapping[str, Fact], path: tuple[str | int, ...]) -> list[Problem]:
    operator = OPERATORS.get(test.op)
    if operator is None:
        known = ", ".join(OPERATORS)
        return [Problem(f"unknown operator {test.op!r} (known: {known})", (*path, "op"))]
    fact = facts.get(test.fact)
    if fact is None:
        return [Problem(f"condition on undeclared fact {test.fact!r}", (*path, "fact"))]
    if fact.type not in operator.fact_types:
        return [
            Problem(
                f"operator {test.op!r} does not apply to {fact.type} fact {test.fact!r}",
                (*path, "op"),
            )
        ]
    return [Problem(message, (*path, "value")) for message in _operand_problems(test, fact, operator)]


def _operand_problems(test: Test, fact: Fact, operator: Operator) -> list[str]:
    value = test.value
    if operator.operand == "pair":
        if not (isinstance(value, list) and len(value) == 2 and all(fact_accepts(fact, v) for v in value)):
            return [f"{test.op!r} takes [low, high], two numbers; got {value!r}"]
        return [] if value[0] <= value[1] else [f"{test.op!r} range {value!r} is empty"]
    if operator.operand == "list":
        if not isinstance(value, list) or not value:
            return [f"{test.op!r} takes a list of values; got {value!r}"]
        bad = [v for v in value if v not in fact.values]
    elif test.op == "has":
        bad = [] if value in fact.values else [value]
    else:  # eq / ne: a value the fact can hold (a whole list, for a set fact)
        bad = [] if fact_accepts(fact, value) else [value]
    allowed = f" (allowed: {', '.join(fact.values)})" if fact.values else f" (a {fact.type})"
    return [f"fact {test.fact!r} cannot be {v!r}{allowed}" for v in bad]


def compile_condition(condition: Condition | None) -> Predicate | None:
    """A checked condition as one function of the facts; None when it always applies."""
    return None if condition is None else _compile(condition)


def _compile(condition: Condition) -> Predicate:
    if isinstance(condition, AllOf | AnyOf):
        parts = [_compile(c) for c in (condition.all if isinstance(condition, AllOf) else condition.any)]
        return _join(parts, every=isinstance(condition, AllOf))
    if isinstance(condition, NotOf):
        inner = _compile(condition.not_)
        return lambda f: not inner(f)
    name, value = condition.fact, condition.value
    if isinstance(value, list):  # set facts arrive as frozensets (see scoring)
        value = tuple(value) if condition.op == "between" else frozenset(value)
    if condition.op in ("eq", "in", "has"):  # the common tests, without a second call
        return (
            (lambda f: f[name] == value)
            if condition.op == "eq"
            else (lambda f: f[name] in value)
            if condition.op == "in"
            else (lambda f: value in f[name])
        )
    test = OPERATORS[condition.op].test
    return lambda f: test(f[name], value)


def _join(parts: list[Predicate], *, every: bool) -> Predicate:
    """`all` / `any` of the parts, folded pairwise into closures (no generator per call)."""
    combined = parts[0]
    for part in parts[1:]:
        combined = (lambda a, b: (lambda f: a(f) and b(f)) if every else (lambda f: a(f) or b(f)))(combined, part)
    return combined
