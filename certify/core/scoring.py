"""Score an inspection against a standard: deterministic, pure, and explained row by row."""

from __future__ import annotations

from math import lcm
from typing import Any

from certify.core import explain
from certify.core.assessment import Assessment, CategoryScore, DefectClass, LotDecision, Row, tenths
from certify.core.compiled import CompiledStandard, Verdict, compiled
from certify.core.conditions import fact_accepts
from certify.core.errors import InspectionRefused, Problem
from certify.core.inspection import Inspection
from certify.core.sampling import critical_plan, plan
from certify.core.standard import CATEGORIES, Criterion, Standard
from certify.core.text import Text


def score(standard: Standard, inspection: Inspection) -> Assessment:
    """The assessment of `inspection` under `standard`; refused, naming every offender, when
    it does not fit (unknown or missing facts and criteria, values of the wrong kind)."""
    book = compiled(standard)
    problems: list[Problem] = []
    facts = _facts(standard, inspection, problems)
    measurements = inspection.measurements
    known = {c.criterion.id for c in book.criteria}
    problems += [
        Problem(f"unknown criterion {name!r} in {standard.ref}", ("measurements", name), name)
        for name in measurements
        if name not in known
    ]
    rows = [] if problems else _rows(book, facts, measurements, problems)
    if problems:
        raise InspectionRefused(problems)
    return _assess(book, rows, _lot(standard, inspection))


def _facts(standard: Standard, inspection: Inspection, problems: list[Problem]) -> dict[str, Any]:
    """The inspection's facts, checked against the declared ones; set facts become frozensets."""
    facts: dict[str, Any] = {}
    for name, value in inspection.facts.items():
        fact = standard.facts.get(name)
        if fact is None:
            declared = ", ".join(standard.facts)
            problems.append(Problem(f"unknown fact {name!r} (this standard declares: {declared})", ("facts", name)))
        elif not fact_accepts(fact, value):
            allowed = f"one of {', '.join(fact.values)}" if fact.values else f"a {fact.type}"
            if fact.type == "set":
                allowed = f"a list of {', '.join(fact.values)}"
            problems.append(Problem(f"fact {name!r} cannot be {value!r}: it takes {allowed}", ("facts", name)))
        elif fact.type == "number" and not _within(value, fact.minimum, fact.maximum):
            problems.append(
                Problem(
                    f"fact {name!r} = {value!r} is outside {fact.minimum}–{fact.maximum}",
                    ("facts", name),
                )
            )
        else:
            facts[name] = frozenset(value) if isinstance(value, list) else value
    problems += [
        Problem(f"fact {name!r} is missing", ("facts", name)) for name in standard.facts if name not in inspection.facts
    ]
    return facts


def _within(value: Any, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


# A criterion's outcome before the totals are known: criterion, status, input, rule, points, reason.
Outcome = tuple[Criterion, str, Any, str, int | None, Text]


def _rows(
    book: CompiledStandard,
    facts: dict[str, Any],
    measurements: dict[str, Any],
    problems: list[Problem],
) -> list[Outcome]:
    rows: list[Outcome] = []
    missing = []
    for item in book.criteria:
        c = item.criterion
        value = measurements.get(c.id)
        applies = item.applies is None or item.applies(facts)
        verdict: Verdict | str | None = None
        if value is not None:
            verdict = item.judge(value)
            if isinstance(verdict, str):
                problems.append(Problem(verdict, ("measurements", c.id), c.id))
                continue
        if not applies:
            rows.append((c, "not_applicable", value, "", None, item.not_applicable))
        elif value is None and c.optional:
            rows.append((c, "not_assessed", None, "", None, item.not_assessed))
        elif value is None:
            missing.append(c.id)
        else:
            assert verdict is not None and not isinstance(verdict, str)
            points, status, rule, reason = verdict
            rows.append((c, status, value, rule, points, reason))
    if missing:
        problems.append(
            Problem(
                f"missing measurements for criteria that apply: {', '.join(missing)}",
                ("measurements",),
            )
        )
        problems += [Problem("applies to this product and has no measurement", ("measurements", m), m) for m in missing]
    return rows


def _lot(standard: Standard, inspection: Inspection) -> LotDecision:
    policy, size, found = standard.sampling, inspection.lot.size, inspection.defects
    return LotDecision(
        lot_size=size,
        level=policy.level,
        classes=(
            DefectClass("critical", None, critical_plan(size, policy.level), found.critical),
            DefectClass("major", policy.major_aql, plan(size, policy.level, policy.major_aql), found.major),
            DefectClass("minor", policy.minor_aql, plan(size, policy.level, policy.minor_aql), found.minor),
        ),
    )


def _assess(book: CompiledStandard, outcomes: list[Outcome], lot: LotDecision) -> Assessment:
    sums = {name: [0, 0, 0] for name in CATEGORIES}  # Σ weight×points, assessed weight, applicable weight
    for c, status, _, _, points, _ in outcomes:
        if status != "not_applicable":
            sums[c.category][2] += c.weight
            if points is not None:
                sums[c.category][0] += c.weight * points
                sums[c.category][1] += c.weight
    weights = {name: book.category_weights[name] for name in CATEGORIES if sums[name][1]}
    total_weight = sum(weights.values())
    # Exact rational arithmetic in integers: total = Σ W_c·(Σ w·p / Σ w) / Σ W_c.
    common = lcm(*(sums[name][1] for name in weights)) if weights else 1
    numerator = sum(weights[name] * sums[name][0] * (common // sums[name][1]) for name in weights)
    denominator = max(total_weight, 1) * common
    total = (20 * numerator + denominator) // (2 * denominator)  # tenths, half up
    categories = tuple(
        CategoryScore(
            category=name,
            weight=book.category_weights[name],
            minimum_tenths=book.category_minimums[name],
            score_tenths=(20 * s + a) // (2 * a) if (a := sums[name][1]) else None,
            assessed_weight=sums[name][1],
            applicable_weight=sums[name][2],
        )
        for name, (s, _, _) in sums.items()
    )
    rows = []
    for c, status, value, rule, points, reason in outcomes:
        share = 0
        if points is not None and (category_weight := weights.get(c.category, 0)):
            denominator = sums[c.category][1] * total_weight
            share = (200 * category_weight * c.weight * points + denominator) // (2 * denominator)
        rows.append(
            Row(
                c.id,
                c.category,
                c.title,
                status,
                value,
                rule,
                points,
                c.weight,
                c.knockout,
                reason,
                share,
            )
        )
    grade = next(((gid, title) for low, gid, title in book.grades if total >= low), None)
    reasons = _reasons(rows, categories, lot, grade is not None, total)
    return Assessment(
        standard_id=book.standard.id,
        standard_version=book.standard.version,
        content_hash=book.content_hash,
        rows=tuple(rows),
        categories=categories,
        lot=lot,
        total_tenths=total,
        grade=grade[0] if grade and not reasons else None,
        grade_title=grade[1] if grade and not reasons else None,
        certified=not reasons,
        reasons=tuple(reasons),
        notes=tuple(_notes(categories)),
    )


def _reasons(
    rows: list[Row],
    categories: tuple[CategoryScore, ...],
    lot: LotDecision,
    graded: bool,
    total: int,
) -> list[Text]:
    reasons = []
    for defects in lot.classes:
        if not defects.accepted:
            p = defects.plan
            reasons.append(
                Text(
                    en=f"Lot rejected: {defects.found} {defects.name} defects found in the sample of {p.pieces_to_inspect}; "
                    f"the plan accepts at most {p.accept}.",
                    id=f"Lot ditolak: {defects.found} cacat {_CLASS_ID[defects.name]} ditemukan pada sampel {p.pieces_to_inspect}; "
                    f"rencana sampling menerima paling banyak {p.accept}.",
                )
            )
    for row in rows:
        if row.knockout and row.status == "failed":
            reasons.append(
                Text(
                    en=f"Knockout criterion {row.criterion} ({row.title.en}) failed.",
                    id=f"Kriteria gugur {row.criterion} ({row.title.id}) tidak terpenuhi.",
                )
            )
    for category in categories:
        if not category.passed:
            name, score, low = (
                explain.CATEGORY_NAMES[category.category],
                category.score_tenths,
                category.minimum_tenths,
            )
            assert score is not None
            reasons.append(
                Text(
                    en=f"The {name.en} score {tenths(score)} is below its minimum of {tenths(low)}.",
                    id=f"Skor {name.id} {tenths(score)} di bawah batas minimum {tenths(low)}.",
                )
            )
    if not graded:
        reasons.append(
            Text(
                en=f"The total {tenths(total)} is below the lowest grade.",
                id=f"Total {tenths(total)} di bawah tingkat mutu terendah.",
            )
        )
    return reasons


_CLASS_ID = {"critical": "kritis", "major": "mayor", "minor": "minor"}


def _notes(categories: tuple[CategoryScore, ...]) -> list[Text]:
    notes = []
    for category in categories:
        name = explain.CATEGORY_NAMES[category.category]
        if category.score_tenths is None:
            notes.append(
                Text(
                    en=f"No {name.en} criterion applies or was assessed: the total is renormalised over the other categories.",
                    id=f"Tidak ada kriteria {name.id} yang berlaku atau dinilai: total dihitung ulang dari kategori lainnya.",
                )
            )
        elif category.assessed_weight < category.applicable_weight:
            notes.append(
                Text(
                    en=f"The {name.en} score is renormalised over weight {category.assessed_weight} of "
                    f"{category.applicable_weight}: optional criteria were not assessed.",
                    id=f"Skor {name.id} dihitung ulang atas bobot {category.assessed_weight} dari "
                    f"{category.applicable_weight}: kriteria opsional tidak dinilai.",
                )
            )
    return notes
