"""The inspection form generated from a standard: facts first, then the criteria that apply.

Reads form fields into the JSON the inspections service takes; nothing here scores anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from certify.core.applicability import applicable_criteria
from certify.core.standard import CATEGORIES, Criterion, Fact, Ranged, Standard

INVALID = object()
"""A form value that cannot be read as its fact."""

FACT_PREFIX, MEASURE_PREFIX = "f.", "m."


@dataclass(frozen=True, slots=True)
class Field:
    """One criterion as a form field."""

    criterion: Criterion
    input: str  # yes_no | choice | number
    choices: tuple[str, ...] = ()
    step: str = "1"
    minimum: str = ""
    maximum: str = ""
    unit: str = ""
    required: bool = True  # the form asks for it: it applies, is not optional and is in force

    @property
    def name(self) -> str:
        return MEASURE_PREFIX + self.criterion.id


def facts_from_form(
    standard: Standard, form: dict[str, list[str]], product_category: str
) -> tuple[dict[str, Any], list[str]]:
    """The facts as the service takes them, and the names of facts missing or out of range."""
    facts: dict[str, Any] = {}
    wrong: list[str] = []
    for name, fact in standard.facts.items():
        if name == "product_category":
            facts[name] = product_category
            continue
        values = [v for v in form.get(FACT_PREFIX + name, []) if v != ""]
        value = _fact_value(fact, values)
        if value is INVALID:
            wrong.append(name)
        else:
            facts[name] = value
    return facts, wrong


def _fact_value(fact: Fact, values: list[str]) -> Any:
    if fact.type == "set":
        return values if all(v in fact.values for v in values) else INVALID
    if len(values) != 1:
        return INVALID
    value = values[0]
    if fact.type == "enum":
        return value if value in fact.values else INVALID
    if fact.type == "bool":
        return {"yes": True, "no": False}.get(value, INVALID)
    number = number_value(value)
    if (
        number is None
        or (fact.minimum is not None and number < fact.minimum)
        or (fact.maximum is not None and number > fact.maximum)
    ):
        return INVALID
    return number


NUMBER = re.compile(r"[+-]?(?:[0-9]{1,15}(?:[.,][0-9]{0,9})?|[.,][0-9]{1,9})")
"""A number as a person types it: up to 15 digits before the decimal mark (comma or point) and 9
after, no exponent. Read before any arithmetic, so that `1e999999999` costs nothing."""


def number_value(text: str) -> int | float | None:
    """A typed number (comma or point as decimal mark) as an int when whole, else a float; None
    when it is not one (or longer than `NUMBER` allows)."""
    typed = text.strip()
    if len(typed) > 32 or not NUMBER.fullmatch(typed):
        return None
    number = Decimal(typed.replace(",", "."))
    return int(number) if number == number.to_integral_value() else float(number)


FACTS_MAX_CHARS = 16_384


def facts_json_value(text: str) -> dict[str, Any] | None:
    """The facts a form carries as JSON: an object of fact names to a value (text, number, yes/no)
    or a list of texts, as `criteria_step` wrote them; None for anything else (a list, deeper
    nesting, longer than `FACTS_MAX_CHARS`, unreadable)."""
    if len(text) > FACTS_MAX_CHARS:
        return None
    try:
        facts = json.loads(text or "{}")
    except (ValueError, RecursionError):
        return None
    if not isinstance(facts, dict):
        return None
    for value in facts.values():
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                return None
        elif not isinstance(value, str | bool | int | float) or (
            isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > 10**15
        ):
            return None
    return facts


def applicable(standard: Standard, facts: dict[str, Any], day: date | None = None) -> dict[str, list[Field]]:
    """The criteria that apply to these facts, as fields, grouped by category in the standard's
    order; each required unless optional or (on `day`, when given) not yet or no longer in force."""
    groups: dict[str, list[Field]] = {category: [] for category in CATEGORIES}
    for criterion in applicable_criteria(standard, facts):
        in_force = day is None or (
            (criterion.effective_from is None or criterion.effective_from <= day)
            and (criterion.effective_until is None or day <= criterion.effective_until)
        )
        groups[criterion.category].append(replace(field_of(criterion), required=in_force and not criterion.optional))
    return {category: fields for category, fields in groups.items() if fields}


def field_of(criterion: Criterion) -> Field:
    measure = criterion.measure
    if not isinstance(measure, Ranged):
        return Field(criterion, "yes_no")
    text = _text
    if measure.kind == "rating" and measure.maximum is not None:
        steps = int((Decimal(text(measure.maximum)) - Decimal(text(measure.minimum))) / Decimal(text(measure.step)))
        if steps <= 20:
            choices = tuple(
                text(Decimal(text(measure.minimum)) + i * Decimal(text(measure.step))) for i in range(steps + 1)
            )
            return Field(criterion, "choice", choices=choices, unit=measure.unit)
    step = "1" if measure.kind == "count" else text(measure.step)
    return Field(
        criterion,
        "number",
        step=step,
        minimum=text(measure.minimum),
        maximum="" if measure.maximum is None else text(measure.maximum),
        unit=measure.unit,
    )


def _text(value: Any) -> str:
    """A number as a person writes it: 0.5, 12, 2.25 (never 1E+1 or 12.0)."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def measurements_from_form(
    fields: dict[str, list[Field]], form: dict[str, list[str]]
) -> tuple[dict[str, Any], list[str]]:
    """The measurements entered (blank fields left out), and the ids of unreadable ones."""
    measurements: dict[str, Any] = {}
    wrong: list[str] = []
    for group in fields.values():
        for field in group:
            raw = (form.get(field.name) or [""])[-1].strip()
            if raw == "":
                continue
            if field.input == "yes_no":
                if raw not in ("yes", "no"):
                    wrong.append(field.criterion.id)
                    continue
                measurements[field.criterion.id] = raw == "yes"
                continue
            number = number_value(raw)
            if number is None:
                wrong.append(field.criterion.id)
            else:
                measurements[field.criterion.id] = number
    return measurements, wrong


LAB_FIELDS = {
    "file": "lab_report_file",
    "laboratory": "lab_laboratory",
    "accreditation": "lab_accreditation",
    "report_number": "lab_report_number",
    "issued_on": "lab_issued_on",
}


def field_of_path(path: tuple[str | int, ...]) -> str | None:
    """The form field a problem's path into the inspection points at, if the form has one."""
    head, rest = (path[0], path[1:]) if path else ("", ())
    if head == "measurements" and rest:
        return MEASURE_PREFIX + str(rest[0])
    if head == "lot" and rest:
        return {"size": "lot_size", "code": "lot_code"}.get(str(rest[0]))
    if head == "defects" and rest:
        return f"defects_{rest[0]}"
    if head == "evidence" and rest:
        return f"photos.{rest[0]}"
    if head == "lab_reports" and len(rest) >= 2:
        return LAB_FIELDS.get(str(rest[1]))
    if head == "sampling_plan_id":
        return "sampling_plan_id"
    if head == "note":
        return "note"
    return None


def placed(problems: list[tuple[tuple[str | int, ...], str]]) -> tuple[dict[str, str], list[str]]:
    """Problems (path, message) as messages beside their fields (the first for each field) and
    the rest, for the top of the form. A summary of several fields' problems (a path naming a
    section alone, e.g. `measurements`) is left out when each of them is placed."""
    beside: dict[str, str] = {}
    rest: list[str] = []
    for path, message in problems:
        field = field_of_path(path)
        if field is not None:
            beside.setdefault(field, message)
    for path, message in problems:
        if field_of_path(path) is None and not (len(path) == 1 and any(f.startswith(MEASURE_PREFIX) for f in beside)):
            rest.append(message)
    return beside, rest


ANSWER_WORD = re.compile(r"(?<![Aa] )(?<!is )\b(true|false)\b", re.IGNORECASE)
"""The words true and false as answers ("enter false when…"), not as adjectives ("a false declaration")."""


def answer_words(guidance: str, yes: str, no: str) -> str:
    """Guidance for a yes/no criterion in the words of its buttons: a standard's text says "true
    when…" or "isikan false bila…"; the inspector sees "Yes, passes" and "No, fails"."""
    return ANSWER_WORD.sub(lambda found: f"“{yes if found.group(1).lower() == 'true' else no}”", guidance)
