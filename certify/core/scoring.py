"""Score an inspection against a standard: deterministic, pure, and explained row by row."""

from __future__ import annotations

from math import lcm
from typing import Any

from certify.core import explain, tally
from certify.core.assessment import Assessment, CategoryScore, DefectClass, LotDecision, Row, Verdict
from certify.core.compiled import INVALID, CompiledStandard, compiled, inspected_aqls, lot_plans
from certify.core.conditions import fact_accepts
from certify.core.errors import InspectionRefused, Problem
from certify.core.inspection import Inspection
from certify.core.standard import Standard
from certify.core.switching import Switching
from certify.core.text import Text

UNDATED = Text(
    en="the inspection's date (inspected_on) is missing: this standard has criteria in force from given dates",
    id="tanggal inspeksi (inspected_on) belum diisi: standar ini memiliki kriteria yang berlaku mulai tanggal tertentu",
)
NO_MEASUREMENT = Text(
    en="applies to this product and has no measurement", id="berlaku untuk produk ini dan belum diukur"
)


FIRST_LOT = Switching(
    "normal",
    Text(
        en="Normal inspection: scored without a lot history (ISO 2859-1 9.1).",
        id="Pemeriksaan normal: dinilai tanpa riwayat lot (ISO 2859-1 9.1).",
    ),
    0,
)
TIGHTENED_PLANS = Text(
    en=" Plans under tightened inspection: Table 2-A one AQL step tighter, approximating ISO 2859-1 "
    "Table 2-B, which is not transcribed here.",
    id=" Rencana pemeriksaan diperketat: Tabel 2-A satu tingkat AQL lebih ketat, mendekati Tabel 2-B "
    "ISO 2859-1 yang tidak disalin di sini.",
)


def score(standard: Standard, inspection: Inspection, *, switching: Switching = FIRST_LOT) -> Assessment:
    """The assessment of `inspection` under `standard`; refused, naming every offender, when it
    does not fit (unknown or missing facts, criteria and measurements, values of the wrong kind).
    `switching` is the severity of inspection the lot history gives (certify.core.switching)."""
    book = compiled(standard)
    problems: list[Problem] = []
    facts = _facts(book, inspection.facts, problems)
    measurements = inspection.measurements
    unknown = (
        []
        if book.known.issuperset(measurements)
        else [
            Problem.told(
                Text(
                    en=f"unknown criterion {name!r} in {standard.ref}",
                    id=f"kriteria {name!r} tidak dikenal di {standard.ref}",
                ),
                ("measurements", name),
                name,
            )
            for name in measurements
            if name not in book.known
        ]
    )
    if book.dates and inspection.inspected_on is None:
        problems.append(Problem.told(UNDATED, ("inspected_on",)))
    if problems:  # without valid facts, which criteria apply cannot be known
        raise InspectionRefused(problems + unknown)
    problems = unknown  # named with the wrong and missing measurements, all in one refusal
    rows, sums = _rows(book, facts, book.bucket(inspection.inspected_on), measurements, problems)
    if problems:
        raise InspectionRefused(problems)
    return _assess(book, rows, sums, _lot(book, inspection, switching), inspection)


def _facts(book: CompiledStandard, given: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The inspection's facts, checked against the declared ones; set facts become frozensets."""
    declared, checks = book.standard.facts, book.fact_checks
    facts: dict[str, Any] = {}
    for name, value in given.items():
        check = checks.get(name)
        read = INVALID if check is None else check(value)
        if read is not INVALID:
            facts[name] = read
            continue
        fact = declared.get(name)
        if fact is None:
            listed = ", ".join(declared)
            problems.append(
                Problem.told(
                    Text(
                        en=f"unknown fact {name!r} (this standard declares: {listed})",
                        id=f"fakta {name!r} tidak dikenal (standar ini menyatakan: {listed})",
                    ),
                    ("facts", name),
                )
            )
        elif fact.type == "number" and fact_accepts(fact, value):
            problems.append(
                Problem.told(
                    Text(
                        en=f"fact {name!r} = {value!r} is outside {fact.minimum}–{fact.maximum}",
                        id=f"fakta {name!r} = {value!r} di luar {fact.minimum}–{fact.maximum}",
                    ),
                    ("facts", name),
                )
            )
        else:
            values = ", ".join(fact.values)
            takes = {
                "enum": (f"one of {values}", f"salah satu dari {values}"),
                "set": (f"a list of {values}", f"daftar dari {values}"),
            }
            en, id_ = takes.get(fact.type, (f"a {fact.type}", f"sebuah {fact.type}"))
            problems.append(
                Problem.told(
                    Text(
                        en=f"fact {name!r} cannot be {value!r}: it takes {en}",
                        id=f"fakta {name!r} tidak boleh {value!r}: isinya {id_}",
                    ),
                    ("facts", name),
                )
            )
    if len(facts) < len(declared):
        problems += [
            Problem.told(Text(en=f"fact {name!r} is missing", id=f"fakta {name!r} belum diisi"), ("facts", name))
            for name in declared
            if name not in given
        ]
    return facts


# The category sums packed in one integer (certify.core.tally), the rows' shares of the total
# (filled by _assess), and the knockouts failed.
Sums = tuple[int, list[tuple[int, int]], list[Verdict]]


def _applicability(book: CompiledStandard, facts: dict[str, Any], bucket: int) -> tuple[bool | int, ...]:
    """Which criteria apply to these facts on that stretch of dates, and with which bands
    (remembered: inspections of one kind of product repeat)."""
    key = (*(facts[name] for name in book.fact_order), bucket)
    found = book.applicability.get(key)
    if found is None:
        found = tuple(
            item.select(facts, bucket) if item.select is not None else (item.applies is None or item.applies(facts))
            for item in book.criteria
        )
        if len(book.applicability) >= 4096:
            book.applicability.clear()
        book.applicability[key] = found
    return found


def _rows(
    book: CompiledStandard, facts: dict[str, Any], bucket: int, measurements: dict[str, Any], problems: list[Problem]
) -> tuple[list[Row], Sums]:
    """Each criterion's verdict and input in id order, and the sums per category (the rows'
    shares of the total are filled in once the totals are known)."""
    shares: list[tuple[int, int]] = []
    rows, packed, knocked_out, missing = book.rows_of(
        _applicability(book, facts, bucket), measurements.get, shares, problems
    )
    if missing:
        named = ", ".join(missing)
        problems.append(
            Problem.told(
                Text(
                    en=f"missing measurements for criteria that apply: {named}",
                    id=f"pengukuran belum diisi untuk kriteria yang berlaku: {named}",
                ),
                ("measurements",),
            )
        )
        problems += [Problem.told(NO_MEASUREMENT, ("measurements", m), m) for m in missing]
    return rows, (packed, shares, knocked_out)


def _lot(book: CompiledStandard, inspection: Inspection, switching: Switching) -> LotDecision:
    tightened = switching.severity == "tightened"
    critical, major, minor = lot_plans(book, inspection.lot.size, tightened)
    major_aql, minor_aql = inspected_aqls(book, tightened)
    found, policy = inspection.defects, book.standard.sampling
    new = tuple.__new__  # NamedTuple's own __new__ is a Python function; this is the C one
    classes = (
        new(DefectClass, ("critical", None, critical, found.critical)),
        new(DefectClass, ("major", major_aql, major, found.major)),
        new(DefectClass, ("minor", minor_aql, minor, found.minor)),
    )
    rule = switching.rule
    if tightened:
        rule = Text(en=rule.en + TIGHTENED_PLANS.en, id=rule.id + TIGHTENED_PLANS.id)
    return new(LotDecision, (inspection.lot.size, policy.level, classes, switching.severity, rule))


def _assess(
    book: CompiledStandard, rows: list[Row], sums: Sums, lot: LotDecision, inspection: Inspection
) -> Assessment:
    packed, shares, knocked_out = sums
    new = tuple.__new__
    parts = [tally.category(packed, slot) for slot in range(3)]  # (Σ w·p, Σ w scored, Σ w not assessed)
    total_weight = (
        sum(weight for (_, weight, _), (_, scored, _) in zip(book.categories, parts, strict=True) if scored) or 1
    )
    # Exact rational arithmetic in integers: total = Σ W_c·(Σ w·p / Σ w) / Σ W_c, in tenths, half up.
    common = lcm(*(scored for _, scored, _ in parts if scored))
    numerator = 0
    categories = []
    for (name, weight, minimum), (points, scored, skipped) in zip(book.categories, parts, strict=True):
        if scored:
            numerator += weight * points * (common // scored)
            shares.append((200 * weight, scored * total_weight))
            score_tenths: int | None = (20 * points + scored) // (2 * scored)
        else:
            shares.append((0, 1))
            score_tenths = None
        categories.append(new(CategoryScore, (name, weight, minimum, score_tenths, scored, scored + skipped)))
    total = (20 * numerator + total_weight * common) // (2 * total_weight * common)
    grade = next(((gid, title) for low, gid, title in book.grades if total >= low), None)
    reasons = _reasons(knocked_out, categories, lot, graded=grade is not None, total=total)
    certified = not reasons
    return new(
        Assessment,
        (
            book.standard.id,
            book.standard.version,
            book.content_hash,
            tuple(rows),
            tuple(categories),
            lot,
            total,
            grade[0] if grade and certified else None,
            grade[1] if grade and certified else None,
            certified,
            tuple(reasons),
            tuple(_notes(categories)),
            inspection.inspected_on,
        ),
    )


def _reasons(
    knocked_out: list[Verdict], categories: list[CategoryScore], lot: LotDecision, *, graded: bool, total: int
) -> list[Text]:
    """Every reason the product is not certified: the lot, knockouts, categories, the total."""
    reasons = [
        explain.lot_rejected(d.name, d.found, d.plan.pieces_to_inspect, d.plan.accept)
        for d in lot.classes
        if not d.accepted
    ]
    if lot.severity == "discontinued":
        reasons.append(lot.switching_rule)
    reasons += [v.product_failure for v in knocked_out if v.product_failure is not None]
    reasons += [
        explain.below_minimum(c.category, c.score_tenths, c.minimum_tenths)
        for c in categories
        if not c.passed and c.score_tenths is not None
    ]
    if all(c.score_tenths is None for c in categories):
        reasons.append(explain.NOTHING_ASSESSED)
    elif not graded:
        reasons.append(explain.below_lowest_grade(total))
    return reasons


def _notes(categories: list[CategoryScore]) -> list[Text]:
    """How the total was renormalised, when criteria were left out."""
    return [
        explain.renormalised(c.category, c.assessed_weight, c.applicable_weight)
        for c in categories
        if c.score_tenths is None or c.assessed_weight < c.applicable_weight
    ]
