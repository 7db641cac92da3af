"""The checks that need a whole standard: what pydantic's per-field validation cannot see.

Each problem carries the path into the file (so the loader can name the line) and the criterion.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from certify.core.conditions import check as check_condition
from certify.core.errors import Problem
from certify.core.explain import UNITS
from certify.core.standard import CATEGORIES, Band, Criterion, Grade, Ranged, Standard, Variant
from certify.core.tally import MAX_WEIGHT
from certify.core.text import Text

EPSILON = 1e-9


def lint(standard: Standard) -> list[Problem]:
    """Every inconsistency in a structurally valid standard (examples are checked in `examples`)."""
    problems = _facts(standard) + _categories(standard) + _grades(standard.grades) + _scheme(standard)
    seen = Counter(criterion.id for criterion in standard.criteria)
    for index, criterion in enumerate(standard.criteria):
        path: tuple[str | int, ...] = ("criteria", index)
        found = _criterion(criterion, standard, path)
        if seen[criterion.id] > 1:
            found.append(Problem(f"duplicate criterion id {criterion.id!r}", (*path, "id")))
        problems += [Problem(p.message, p.path, criterion.id) for p in found]
    return problems


def _scheme(standard: Standard) -> list[Problem]:
    """A product scheme names its surveillance interval, shorter than the validity; a lot one none."""
    scheme, path = standard.scheme, ("scheme",)
    if scheme is None:
        return []
    if scheme.type == "lot":
        if scheme.surveillance_months is not None or scheme.grace_days:
            return [Problem("a lot certificate covers its lot alone: it takes no surveillance", path)]
        return []
    months = scheme.surveillance_months
    if months is None:
        return [Problem("a product scheme needs surveillance_months: how often it is surveyed", path)]
    if months >= standard.validity_months:
        return [
            Problem(
                f"surveillance every {months} months never falls due within a validity of "
                f"{standard.validity_months} months",
                (*path, "surveillance_months"),
            )
        ]
    return []


def _facts(standard: Standard) -> list[Problem]:
    problems = []
    category = standard.facts.get("product_category")
    if category is None or category.type != "enum":
        problems.append(Problem("declare the enum fact 'product_category': the products covered", ("facts",)))
    for name, fact in standard.facts.items():
        path = ("facts", name)
        if fact.type in ("enum", "set") and not fact.values:
            problems.append(Problem(f"{fact.type} fact {name!r} needs a list of values", path))
        if fact.type not in ("enum", "set") and fact.values:
            problems.append(Problem(f"{fact.type} fact {name!r} takes no values", (*path, "values")))
        duplicates = sorted(v for v, n in Counter(fact.values).items() if n > 1)
        if duplicates:
            problems.append(Problem(f"fact {name!r} lists {', '.join(duplicates)} twice", (*path, "values")))
        problems += _value_titles(standard, name, path)
    problems += [
        Problem(f"craft {craft!r}: {too_long}", ("crafts", craft))
        for craft, title in standard.crafts.items()
        if (too_long := _too_long(title))
    ]
    return problems


TITLE_LIMIT = 100


def _too_long(title: Text) -> str | None:
    if max(len(title.en), len(title.id)) > TITLE_LIMIT:
        return f"a title is at most {TITLE_LIMIT} characters in each language"
    return None


def _value_titles(standard: Standard, name: str, path: tuple[str | int, ...]) -> list[Problem]:
    """Every value a person reads has a title in both languages (its own, else the shared one)."""
    fact = standard.facts[name]
    problems = [
        Problem(f"fact {name!r} titles {value!r}, which is not one of its values", (*path, "value_titles", value))
        for value in fact.value_titles
        if value not in fact.values
    ]
    for value in fact.values:
        title = standard.value_title(name, value)
        if title is None:
            problems.append(Problem(f"value {value!r} of fact {name!r} has no title {{en, id}}", (*path, "values")))
        elif too_long := _too_long(title):
            problems.append(Problem(f"value {value!r} of fact {name!r}: {too_long}", (*path, "value_titles", value)))
    return problems


def _categories(standard: Standard) -> list[Problem]:
    problems = []
    for name in CATEGORIES:
        if name not in standard.categories:
            problems.append(Problem(f"category {name!r} is missing", ("categories",)))
        elif not any(c.category == name for c in standard.criteria):
            problems.append(Problem(f"category {name!r} has no criterion", ("categories", name)))
    for name, rule in standard.categories.items():
        if rule.weight <= 0:
            problems.append(
                Problem(
                    f"weight of {name!r} must be positive, not {rule.weight}",
                    ("categories", name, "weight"),
                )
            )
    total = sum(rule.weight for rule in standard.categories.values())
    if total != 100:
        problems.append(Problem(f"category weights add up to {total}, not 100", ("categories",)))
    return problems


def _grades(grades: Sequence[Grade]) -> list[Problem]:
    problems = []
    ids = Counter(grade.id for grade in grades)
    problems += [Problem(f"duplicate grade {g!r}", ("grades",)) for g, n in ids.items() if n > 1]
    order = sorted(range(len(grades)), key=lambda i: grades[i].from_)
    for i in order:
        grade = grades[i]
        if not 0 <= grade.from_ <= grade.to <= 100:
            problems.append(
                Problem(
                    f"grade {grade.id!r} {grade.from_}-{grade.to} is not a range within 0-100",
                    ("grades", i),
                )
            )
    for low, high in itertools.pairwise(order):
        problems += _adjacent(grades[low], grades[high], 0.1, ("grades", high), "grade")
    if grades and max(g.to for g in grades) != 100:
        problems.append(Problem("the highest grade must reach 100", ("grades",)))
    return problems


def _adjacent(
    low: Band | Grade, high: Band | Grade, step: float, path: tuple[str | int, ...], what: str
) -> list[Problem]:
    """Two bands in order must meet exactly: the next starts one step after the last ends."""
    if low.to is None:
        return [Problem(f"{what} from {low.from_} is open-ended but another {what} follows it", path)]
    gap = high.from_ - low.to
    if gap < step - EPSILON:
        return [Problem(f"{what} from {high.from_} overlaps the {what} {low.from_}-{low.to}", path)]
    if gap > step + EPSILON:
        return [Problem(f"{what}s leave a gap between {low.to} and {high.from_} (step {step})", path)]
    return []


def _criterion(criterion: Criterion, standard: Standard, path: tuple[str | int, ...]) -> list[Problem]:
    problems = []
    if criterion.weight <= 0:
        problems.append(Problem(f"weight must be positive, not {criterion.weight}", (*path, "weight")))
    elif criterion.weight > MAX_WEIGHT:
        problems.append(Problem(f"weight must be at most {MAX_WEIGHT}, not {criterion.weight}", (*path, "weight")))
    if criterion.applies_when is not None:
        problems += check_condition(criterion.applies_when, standard.facts, (*path, "applies_when"))
    if criterion.evidence is not None:
        problems += _evidence(criterion, (*path, "evidence"))
    if isinstance(criterion.measure, Ranged):
        problems += _scale(criterion.measure, criterion.pass_points, (*path, "measure"))
        if criterion.measure.unit not in UNITS:
            problems.append(
                Problem(
                    f"unit {criterion.measure.unit!r} has no Indonesian name (certify.core.explain.UNITS)",
                    (*path, "measure", "unit"),
                )
            )
    problems += _dated(criterion.effective_from, criterion.effective_until, path)
    if criterion.variants and not isinstance(criterion.measure, Ranged):
        problems.append(Problem("only a criterion measured on a scale can have variants (bands)", (*path, "variants")))
        return problems
    for index, variant in enumerate(criterion.variants):
        where = (*path, "variants", index)
        if variant.when is not None:
            problems += check_condition(variant.when, standard.facts, (*where, "when"))
        problems += _dated(variant.effective_from, variant.effective_until, where)
        if isinstance(criterion.measure, Ranged):
            banded = criterion.measure.model_copy(update={"bands": variant.bands})
            problems += _scale(banded, criterion.pass_points, where)
    problems += _dated_variants(criterion.variants, path)
    return problems


def _dated(start: object, end: object, path: tuple[str | int, ...]) -> list[Problem]:
    if start is not None and end is not None and end < start:  # type: ignore[operator]
        return [Problem(f"effective_until {end} is before effective_from {start}", path)]
    return []


def _dated_variants(variants: Sequence[Variant], path: tuple[str | int, ...]) -> list[Problem]:
    """Variants for the same condition follow each other in time: no gap, no overlap."""
    problems = []
    groups: dict[str, list[tuple[int, Variant]]] = {}
    for index, variant in enumerate(variants):
        key = json.dumps(None if variant.when is None else variant.when.model_dump(mode="json"), sort_keys=True)
        groups.setdefault(key, []).append((index, variant))
    for group in groups.values():
        if len(group) < 2:
            continue
        ordered = sorted(group, key=lambda pair: (pair[1].effective_from is not None, pair[1].effective_from))
        for (_, earlier), (index, later) in itertools.pairwise(ordered):
            where = (*path, "variants", index)
            if earlier.effective_until is None or later.effective_from is None:
                problems.append(Problem("dated bands for the same condition overlap: one of them has no end", where))
            elif later.effective_from <= earlier.effective_until:
                problems.append(
                    Problem(
                        f"dated bands overlap: from {later.effective_from} while the earlier runs until "
                        f"{earlier.effective_until}",
                        where,
                    )
                )
            elif later.effective_from != earlier.effective_until + timedelta(days=1):
                problems.append(
                    Problem(
                        f"dated bands leave a gap between {earlier.effective_until} and {later.effective_from}",
                        where,
                    )
                )
    return problems


def _evidence(criterion: Criterion, path: tuple[str | int, ...]) -> list[Problem]:
    """An evidence declaration asks for something, and an age only of a lab report."""
    evidence = criterion.evidence
    assert evidence is not None
    if evidence.max_age_months is not None and not evidence.lab_report:
        return [
            Problem("max_age_months limits a lab report's age: declare lab_report: true", (*path, "max_age_months"))
        ]
    if evidence.lab_report and evidence.max_age_months is None:
        return [Problem("a lab report needs max_age_months: how old it may be at issuance", (*path, "lab_report"))]
    if not evidence.lab_report and evidence.photos == 0:
        return [Problem("the evidence declaration asks for nothing: remove it or ask for photos or a lab report", path)]
    return []


def _scale(measure: Ranged, pass_points: int, path: tuple[str | int, ...]) -> list[Problem]:
    """Bands cover the scale exactly, on its step, and never pay less for a better value."""
    problems = []
    if measure.maximum is not None and measure.maximum <= measure.minimum:
        return [Problem(f"scale maximum {measure.maximum} is not above its minimum {measure.minimum}", path)]
    if measure.kind == "count" and (measure.step != 1 or measure.minimum != 0):
        problems.append(Problem("a count starts at 0 and steps by 1", path))
    bands = sorted(enumerate(measure.bands), key=lambda pair: pair[1].from_)
    for index, band in bands:
        where = (*path, "bands", index)
        if band.to is not None and band.to < band.from_:
            problems.append(Problem(f"band {band.from_}-{band.to} ends before it starts", where))
        if not _on_step(band.from_, measure) or (band.to is not None and not _on_step(band.to, measure)):
            problems.append(Problem(f"band {band.from_}-{band.to} is not on the scale's step {measure.step}", where))
    for (_, low), (index, high) in itertools.pairwise(bands):
        problems += _adjacent(low, high, measure.step, (*path, "bands", index), "band")
    first, last = bands[0][1], bands[-1][1]
    if abs(first.from_ - measure.minimum) > EPSILON:
        problems.append(
            Problem(
                f"bands start at {first.from_}, not at the scale's minimum {measure.minimum}",
                (*path, "bands"),
            )
        )
    if last.to != measure.maximum and not (
        last.to is not None and measure.maximum is not None and abs(last.to - measure.maximum) < EPSILON
    ):
        problems.append(
            Problem(
                f"bands end at {last.to}, not at the scale's maximum {measure.maximum}",
                (*path, "bands"),
            )
        )
    points = [band.points for _, band in bands]
    if measure.better == "lower":
        points.reverse()
    if any(b < a for a, b in itertools.pairwise(points)):
        problems.append(
            Problem(
                f"points fall as the value gets better ({measure.better} is better)",
                (*path, "bands"),
            )
        )
    if max(points) < pass_points:
        problems.append(Problem(f"no band reaches the {pass_points} points needed to pass", (*path, "bands")))
    return problems


def _on_step(value: float, measure: Ranged) -> bool:
    steps = (value - measure.minimum) / measure.step
    return abs(steps - round(steps)) < 1e-6
