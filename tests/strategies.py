"""Hypothesis strategies: random valid standards and inspections that fit them.

A standard is drawn as the plain data a YAML file holds (`standard_data`), so that tests can
re-format it, and as the validated model (`standards`). Every drawn standard lints clean: facts of
every type (enum, set, bool, number: `FACTS`), 3-9 criteria of every measure kind with contiguous
bands on the scale's step (closed or open-ended) whose points never fall as the value gets better,
knockouts, optional criteria, conditions nested with all / any / not over every operator, 1-3
contiguous grade bands topping at 100, category weights adding up to 100 with minimums, and any
sampling level and AQL. `inspections(standard)` draws an inspection the engine accepts for it;
`cases()` draws both.

The small builders (`text`, `pass_fail`, `ranged`, `criterion`, `standard_dict`) also serve the
example-based tests, which write their standards by hand.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from certify.core.inspection import Inspection
from certify.core.sampling import LEVELS
from certify.core.standard import CATEGORIES, Criterion, Fact, PassFail, Ranged, Standard

Data = dict[str, Any]
PREFIXES = {"materials": "MAT", "finish": "FIN", "packaging": "PKG"}
AQLS = ("0.65", "1.0", "1.5", "2.5", "4.0", "6.5")


# --- builders -------------------------------------------------------------------------------------


def text(en: str) -> dict[str, str]:
    """A bilingual text; the Indonesian side is marked so that the two always differ."""
    return {"en": en, "id": f"{en} (id)"}


def titled(values: list[str]) -> dict[str, dict[str, str]]:
    """A title for each value of a fact, as every value needs (linted)."""
    return {value: text(value.replace("_", " ")) for value in values}


def enum(kind: str, title: str, values: list[str]) -> Data:
    """An enum or set fact with its values, each titled."""
    return {"type": kind, "title": text(title), "values": values, "value_titles": titled(values)}


def pass_fail() -> Data:
    return {"kind": "pass_fail"}


def ranged(
    kind: str,
    bands: list[tuple[float, float | None, int]],
    *,
    better: str = "higher",
    minimum: float = 0,
    maximum: float | None = None,
    step: float = 1,
    unit: str = "",
) -> Data:
    """A rating, measurement or count; `bands` are (from, to, points), `to` None for open-ended."""
    return {
        "kind": kind,
        "unit": unit,
        "minimum": minimum,
        "maximum": maximum,
        "step": step,
        "better": better,
        "bands": [{"from": low, "to": high, "points": points} for low, high, points in bands],
    }


def criterion(identifier: str, category: str, measure: Data, *, weight: int = 1, **extra: Any) -> Data:
    return {
        "id": identifier,
        "category": category,
        "title": text(f"criterion {identifier}"),
        "guidance": text(f"how to measure {identifier}"),
        "measure": measure,
        "weight": weight,
        **extra,
    }


def product_category(*values: str) -> Data:
    return enum("enum", "product category", list(values or ("bowl", "plate")))


def standard_dict(
    criteria: list[Data],
    *,
    facts: dict[str, Data] | None = None,
    categories: dict[str, Data] | None = None,
    grades: list[Data] | None = None,
    **extra: Any,
) -> Data:
    """A whole standard around `criteria`; by default facts {product_category: bowl | plate},
    categories 50/30/20 with no minimum, grades utama 85-100 and baik 70-84.9."""
    return {
        "id": "test",
        "version": "2026.1",
        "title": text("a test standard"),
        "description": text("a standard written for a test"),
        "facts": facts if facts is not None else {"product_category": product_category()},
        "categories": categories
        if categories is not None
        else {"materials": {"weight": 50}, "finish": {"weight": 30}, "packaging": {"weight": 20}},
        "grades": grades
        if grades is not None
        else [
            {"id": "utama", "title": text("premium"), "from": 85, "to": 100},
            {"id": "baik", "title": text("good"), "from": 70, "to": 84.9},
        ],
        "criteria": criteria,
        **extra,
    }


EXPORT_ONLY: Data = {"fact": "market", "op": "eq", "value": "export"}


def bowls(*finish: str) -> Standard:
    """Bowls, domestic or for export, with MAT-01, FIN-01 (and each of `finish`) and PKG-01, which
    applies only for export: a domestic bowl leaves the whole packaging category unscored."""
    return Standard.model_validate(
        standard_dict(
            [
                criterion("MAT-01", "materials", pass_fail()),
                *(criterion(name, "finish", pass_fail()) for name in ("FIN-01", *finish)),
                criterion("PKG-01", "packaging", pass_fail(), applies_when=EXPORT_ONLY),
            ],
            facts={
                "product_category": product_category("bowl"),
                "market": enum("enum", "market", ["domestic", "export"]),
            },
        )
    )


def value_at(measure: Ranged, steps: int) -> int | float:
    """The value `steps` steps above the scale's minimum, as an inspector would type it."""
    value = measure.minimum + steps * measure.step
    if measure.kind == "count" or (float(measure.minimum).is_integer() and float(measure.step).is_integer()):
        return round(value)
    return round(value, 6)


def steps_on_scale(measure: Ranged) -> int:
    """How many steps the scale spans (an open-ended scale: a few steps past its last band)."""
    if measure.maximum is not None:
        return round((measure.maximum - measure.minimum) / measure.step)
    last = max(band.from_ for band in measure.bands)
    return round((last - measure.minimum) / measure.step) + 5


def worst_value(measure: PassFail | Ranged) -> bool | int | float:
    """The value on the scale that earns the fewest points."""
    if isinstance(measure, PassFail):
        return False
    return value_at(measure, steps_on_scale(measure) if measure.better == "lower" else 0)


# --- facts and conditions -------------------------------------------------------------------------

EXTRA_FACTS: dict[str, Data] = {  # beside product_category
    "market": enum("enum", "intended market", ["domestic", "export", "tourist"]),
    "technique": enum("enum", "technique", ["hand", "machine"]),
    "materials": enum("set", "materials", ["cotton", "silk", "rayon"]),
    "for_children": {"type": "bool", "title": text("for children")},
    "width_cm": {"type": "number", "title": text("width"), "minimum": 0, "maximum": 400},
    "pieces": {"type": "number", "title": text("pieces in a set")},
}


FACTS: dict[str, Data] = {"product_category": product_category("bowl", "plate", "cup"), **EXTRA_FACTS}
"""The facts every drawn standard declares: one or more of each type."""


def _number_range(fact: Data) -> tuple[int, int]:
    low, high = fact.get("minimum"), fact.get("maximum")
    return (-50 if low is None else int(low), 500 if high is None else int(high))


def _sublist(draw: st.DrawFn, values: list[str], *, min_size: int = 1) -> list[str]:
    return draw(st.lists(st.sampled_from(values), min_size=min_size, max_size=len(values), unique=True))


OPERATORS_BY_TYPE = {
    "enum": ("eq", "ne", "in", "not_in"),
    "set": ("eq", "ne", "has", "has_any", "has_all"),
    "bool": ("eq", "ne"),
    "number": ("eq", "ne", "lt", "le", "gt", "ge", "between"),
}


@st.composite
def _test(draw: st.DrawFn, declared: dict[str, Data]) -> Data:
    """`{fact, op, value}` on a declared fact: any operator that applies to its type."""
    name = draw(st.sampled_from(sorted(declared)))
    fact = declared[name]
    kind, values = fact["type"], fact.get("values", [])
    op = draw(st.sampled_from(OPERATORS_BY_TYPE[kind]))
    value: Any
    if kind == "bool":
        value = draw(st.booleans())
    elif kind == "number":
        low, high = _number_range(fact)
        pair = sorted(draw(st.lists(st.integers(low, high), min_size=2, max_size=2)))
        value = pair if op == "between" else pair[0]
    elif op in ("in", "not_in", "has_any", "has_all"):
        value = _sublist(draw, values)
    elif kind == "set" and op in ("eq", "ne"):
        value = _sublist(draw, values, min_size=0)
    else:  # one value of an enum (eq, ne) or a set (has)
        value = draw(st.sampled_from(values))
    return {"fact": name, "op": op, "value": value}


def conditions(declared: dict[str, Data]) -> st.SearchStrategy[Data]:
    """Applicability conditions over the declared facts, nested with all / any / not."""
    return st.recursive(
        _test(declared),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"all": parts}),
            st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"any": parts}),
            inner.map(lambda part: {"not": part}),
        ),
        max_leaves=4,
    )


# --- measures ---------------------------------------------------------------------------------------


@st.composite
def _scale(draw: st.DrawFn, kind: str) -> tuple[float, float, int, bool]:
    """(minimum, step, steps the scale spans, open-ended) for a measure of `kind`."""
    if kind == "count":
        return 0, 1, draw(st.integers(1, 20)), draw(st.booleans())
    if kind == "rating":
        step = draw(st.sampled_from([1, 0.5]))
        return 1, step, round(4 / step), False
    minimum = draw(st.sampled_from([0, 1, 0.5, 10]))
    step = draw(st.sampled_from([0.1, 0.25, 0.5, 1, 2]))
    return minimum, step, draw(st.integers(1, 40)), draw(st.booleans())


def _number(value: float) -> int | float:
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


@st.composite
def measures(draw: st.DrawFn) -> tuple[Data, int]:
    """A measure of any kind with contiguous bands, and a `pass_points` some band reaches."""
    kind = draw(st.sampled_from(["pass_fail", "rating", "measurement", "count"]))
    if kind == "pass_fail":
        return pass_fail(), draw(st.integers(0, 100))
    minimum, step, span, open_ended = draw(_scale(kind))
    starts = sorted([0, *draw(st.lists(st.integers(1, span), unique=True, max_size=min(3, span)))])
    ends: list[int | None] = [start - 1 for start in starts[1:]]
    ends.append(None if open_ended else span)
    points = sorted(draw(st.lists(st.integers(0, 100), min_size=len(starts), max_size=len(starts))))
    better = draw(st.sampled_from(["higher", "lower"]))
    if better == "lower":
        points.reverse()
    bands = [
        (_number(minimum + start * step), None if end is None else _number(minimum + end * step), p)
        for start, end, p in zip(starts, ends, points, strict=True)
    ]
    bands = draw(st.permutations(bands))  # band order in the file carries no meaning
    maximum = None if open_ended else _number(minimum + span * step)
    unit = {"count": "", "rating": "", "measurement": "%"}[kind]
    measure = ranged(kind, bands, better=better, minimum=minimum, maximum=maximum, step=step, unit=unit)
    return measure, draw(st.integers(0, max(points)))


# --- standards ------------------------------------------------------------------------------------


APPLICABILITY = conditions(FACTS)
MEASURES = measures()


@st.composite
def _criteria(draw: st.DrawFn) -> list[Data]:
    drawn = []
    for category in CATEGORIES:
        for number in range(1, draw(st.integers(1, 3)) + 1):
            measure, pass_points = draw(MEASURES)
            item = criterion(
                f"{PREFIXES[category]}-{number:02d}",
                category,
                measure,
                weight=draw(st.integers(1, 10)),
                pass_points=pass_points,
                knockout=draw(st.booleans()),
                optional=draw(st.integers(0, 3)) == 0,
            )
            if draw(st.integers(0, 2)) == 0:
                item["applies_when"] = draw(APPLICABILITY)
            drawn.append(item)
    return draw(st.permutations(drawn))


@st.composite
def _grades(draw: st.DrawFn) -> list[Data]:
    """1-3 contiguous grade bands in tenths, the highest reaching 100."""
    starts = sorted(draw(st.lists(st.integers(0, 999), min_size=1, max_size=3, unique=True)))
    ends = [start - 1 for start in starts[1:]] + [1000]
    return [
        {"id": f"grade_{i}", "title": text(f"grade {i}"), "from": _number(start / 10), "to": _number(end / 10)}
        for i, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]


@st.composite
def _categories(draw: st.DrawFn) -> dict[str, Data]:
    first = draw(st.integers(1, 98))
    second = draw(st.integers(1, 99 - first))
    weights = (first, second, 100 - first - second)
    return {
        name: {"weight": weight, "minimum": draw(st.integers(0, 60))}
        for name, weight in zip(CATEGORIES, weights, strict=True)
    }


@st.composite
def standard_data(draw: st.DrawFn) -> Data:
    """A valid standard as the plain data of a YAML file (no examples: scoring needs none)."""
    return standard_dict(
        draw(_criteria()),
        facts=FACTS,
        categories=draw(_categories()),
        grades=draw(_grades()),
        sampling={
            "level": draw(st.sampled_from(LEVELS)),
            "major_aql": draw(st.sampled_from(AQLS)),
            "minor_aql": draw(st.sampled_from(AQLS)),
        },
    )


def standards() -> st.SearchStrategy[Standard]:
    return standard_data().map(Standard.model_validate)


# --- inspections ----------------------------------------------------------------------------------


def fact_values(fact: Fact) -> st.SearchStrategy[Any]:
    """A value a fact of this declaration accepts."""
    if fact.type == "enum":
        return st.sampled_from(fact.values)
    if fact.type == "set":
        return st.lists(st.sampled_from(fact.values), max_size=len(fact.values), unique=True)
    if fact.type == "bool":
        return st.booleans()
    low, high = _number_range(fact.model_dump())
    return st.one_of(st.integers(low, high), st.integers(low * 10, high * 10).map(lambda tenths: tenths / 10))


def measurements(item: Criterion) -> st.SearchStrategy[bool | int | float]:
    """A value on the criterion's scale."""
    measure = item.measure
    if isinstance(measure, PassFail):
        return st.booleans()
    return st.integers(0, steps_on_scale(measure)).map(lambda steps: value_at(measure, steps))


@st.composite
def inspections(draw: st.DrawFn, standard: Standard) -> Inspection:
    """An inspection the engine accepts: every fact, a value for every criterion that is not
    optional (whether or not it applies), values for some optional ones, a lot and its defects."""
    given: dict[str, Any] = {}
    for item in standard.criteria:
        if not item.optional or draw(st.booleans()):
            given[item.id] = draw(measurements(item))
    return Inspection.model_validate(
        {
            "facts": {name: draw(fact_values(fact)) for name, fact in standard.facts.items()},
            "lot": {"size": draw(st.integers(1, 5000))},
            "measurements": given,
            "defects": {
                "critical": draw(st.sampled_from([0, 0, 0, 1])),
                "major": draw(st.integers(0, 3)),
                "minor": draw(st.integers(0, 6)),
            },
        }
    )


def cases() -> st.SearchStrategy[tuple[Standard, Inspection]]:
    """A standard and an inspection that fits it."""
    return standards().flatmap(lambda standard: st.tuples(st.just(standard), inspections(standard)))
