"""Score an inspection against a standard: deterministic, pure, and explained row by row."""

from __future__ import annotations

from itertools import compress
from math import lcm
from operator import attrgetter, call
from typing import Any

from certify.core import explain, tally
from certify.core.assessment import Assessment, CategoryScore, DefectClass, LotDecision, Rows, Verdict
from certify.core.compiled import (
    INVALID,
    NONE,
    CategoryOutcome,
    CompiledStandard,
    Totals,
    Weighting,
    compiled,
    inspected_aqls,
    lot_plans,
)
from certify.core.conditions import fact_accepts
from certify.core.errors import InspectionRefused, Problem
from certify.core.inspection import Inspection
from certify.core.standard import CATEGORIES, Standard
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


def _facts(book: CompiledStandard, given: dict[str, Any], problems: list[Problem]) -> list[Any]:
    """The inspection's facts as conditions read them (set facts become frozensets), in the
    declared order, checked against the declared ones; when some do not fit, `problems` says why."""
    checks, order = book.fact_checks, book.fact_order
    read = [*map(call, checks.values(), map(given.get, order))]
    if len(given) == len(order) and INVALID not in read:  # each declared fact, and none other, valid
        return read
    declared = book.standard.facts
    for name, value in given.items():
        check = checks.get(name)
        if check is not None and check(value) is not INVALID:
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
    problems += [
        Problem.told(Text(en=f"fact {name!r} is missing", id=f"fakta {name!r} belum diisi"), ("facts", name))
        for name in declared
        if name not in given
    ]
    return read  # never scored: whatever takes this path leaves a problem, which refuses it


# The category sums packed in one integer (certify.core.tally), the rows' shares of the total
# (filled by _assess), and the knockouts failed.
Sums = tuple[int, list[tuple[int, int]], list[Verdict]]


Seen = tuple[dict[Any, Verdict], ...]


def _applicability(book: CompiledStandard, read: list[Any], bucket: int) -> tuple[tuple[bool | int, ...], Seen]:
    """Which criteria apply to these facts (`_facts`, in the declared order) on that stretch of
    dates, and with which bands; and for each, its verdicts seen under them (remembered:
    inspections of one kind of product repeat; the facts by name are made only when not)."""
    read.append(bucket)
    key = tuple(read)
    found = book.applicability.get(key)
    if found is None:
        facts = dict(zip(book.fact_order, read, strict=False))
        applies = tuple(
            item.select(facts, bucket) if item.select is not None else (item.applies is None or item.applies(facts))
            for item in book.criteria
        )
        found = (applies, tuple(item.seen[int(a)] for item, a in zip(book.criteria, applies, strict=True)))
        if len(book.applicability) >= 4096:
            book.applicability.clear()
        book.applicability[key] = found
    return found


_TALLY = attrgetter("tally")
_FAILS = attrgetter("fails_product")
SEEN = 1024
"""The most verdicts kept per criterion and bands (values measured before)."""


def _consistent(book: CompiledStandard, kinds: tuple[type, ...]) -> bool:
    """Whether each value is of its criterion's kind (true/false for pass/fail, numbers for the
    rest: true is 1 to a dict) or missing; the kinds of values found so are remembered (and
    looked up first by the caller)."""
    if not all(kind is NONE or (kind is bool) == boolean for kind, boolean in zip(kinds, book.booleans, strict=True)):
        return False
    if len(book.kinds) >= SEEN:
        book.kinds.clear()
    book.kinds.add(kinds)
    return True


def _rows(
    book: CompiledStandard, facts: list[Any], bucket: int, measurements: dict[str, Any], problems: list[Problem]
) -> tuple[Rows, Sums]:
    """Each criterion's verdict and input in id order, and the sums per category (the rows'
    shares of the total are filled in once the totals are known)."""
    applies, seen = _applicability(book, facts, bucket)
    shares: list[tuple[int, int]] = []
    values = [*map(measurements.get, book.ids)]
    kinds = (*map(type, values),)
    consistent = kinds in book.kinds or _consistent(book, kinds)
    if consistent:
        verdicts: list[Any] = [*map(dict.get, seen, values)]
        try:  # every value judged before, under the same bands (else a None has no tally): no judging
            packed = sum(map(_TALLY, verdicts))
        except AttributeError:
            pass
        else:
            knocked = [*compress(verdicts, map(_FAILS, verdicts))] if packed >> tally.FAILED else []
            return Rows(verdicts, values, shares), (packed, shares, knocked)
    rows, packed, knocked_out, missing = book.rows_of(applies, measurements.get, shares, problems)
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
    elif consistent and not problems:  # one row per criterion: remember each verdict for its value
        for table, (verdict, value, _) in zip(seen, rows, strict=True):
            if len(table) < SEEN:
                table[value] = verdict
    return Rows([row.verdict for row in rows], [row.input for row in rows], shares), (packed, shares, knocked_out)


def _lot(book: CompiledStandard, inspection: Inspection, switching: Switching) -> tuple[LotDecision, list[Text]]:
    """The lot's decision, and why it is rejected (each class over its plan's limit; discontinued
    inspection): remembered, as lots of one size with as many defects repeat."""
    found, rule = inspection.defects, switching.rule
    key = (inspection.lot.size, found.critical, found.major, found.minor, switching.severity, rule.en, rule.id)
    known = book.lots.get(key)
    if known is None:
        known = _decide(book, inspection, switching)
        _keep_if_recurring(book.lots, book.lots_seen, key, known)
    return known[0], list(known[1])


def _decide(
    book: CompiledStandard, inspection: Inspection, switching: Switching
) -> tuple[LotDecision, tuple[Text, ...]]:
    tightened = switching.severity == "tightened"
    size = inspection.lot.size
    critical, major, minor = lot_plans(book, size, tightened)
    major_aql, minor_aql = inspected_aqls(book, tightened)
    found = inspection.defects
    new = tuple.__new__  # NamedTuple's own __new__ is a Python function; this is the C one
    classes = (
        new(DefectClass, ("critical", None, critical, found.critical)),
        new(DefectClass, ("major", major_aql, major, found.major)),
        new(DefectClass, ("minor", minor_aql, minor, found.minor)),
    )
    rejected: list[Text] = []  # each class over its plan's limit, in order (a loop without unpacking: most are not)
    for defects in classes:
        if defects.found > defects.plan.accept:
            plan = defects.plan
            rejected.append(
                explain.lot_rejected(defects.name, defects.found, min(plan.sample_size, plan.lot_size), plan.accept)
            )
    rule = switching.rule
    if tightened:
        rule = Text(en=rule.en + TIGHTENED_PLANS.en, id=rule.id + TIGHTENED_PLANS.id)
    elif switching.severity == "discontinued":
        rejected.append(rule)
    return new(LotDecision, (size, book.standard.sampling.level, classes, switching.severity, rule)), tuple(rejected)


_MASK, _FIELD, _CATEGORY = tally.MASK, tally.FIELD, tally.CATEGORY


def _assess(
    book: CompiledStandard, rows: Rows, sums: Sums, lot: tuple[LotDecision, list[Text]], inspection: Inspection
) -> Assessment:
    """The assessment: the lot, the rows, and what their sums give (`_totals`); every reason it is
    not certified (the lot, knockouts, then the categories and the total)."""
    packed, shares, knocked_out = sums
    decision, reasons = lot
    totals = book.totals.get(packed)
    if totals is None:
        totals = _totals(book, packed)
        _keep_if_recurring(book.totals, book.sums_seen, packed, totals)
    categories, their_shares, total, grade, failing, notes = totals
    shares += their_shares
    if knocked_out:
        reasons += [v.product_failure for v in knocked_out if v.product_failure is not None]
    reasons += failing
    certified = not reasons
    return tuple.__new__(
        Assessment,
        (
            book.standard.id,
            book.standard.version,
            book.content_hash,
            rows,
            categories,
            decision,
            total,
            grade[0] if grade and certified else None,
            grade[1] if grade and certified else None,
            certified,
            tuple(reasons),
            notes,
            inspection.inspected_on,
        ),
    )


def _totals(book: CompiledStandard, packed: int) -> Totals:
    """What the category sums give: the categories' scores, the rows' shares of the total, the
    total and its grade, why the categories or the total fail, how the total was renormalised
    (remembered by the sums: the same bands give the same sums; each category's by its own, and
    what the weights alone give by them)."""
    weights = packed & _WEIGHTS
    weighting = book.weightings.get(weights)
    if weighting is None:
        weighting = _weighting(book, weights)
        if len(book.weightings) >= WEIGHTINGS:
            book.weightings.clear()
        book.weightings[weights] = weighting
    multipliers, shares, half, notes = weighting
    categories = []
    failing: list[Text] = []
    numerator = 0
    for slot, (remembered, multiplier) in enumerate(zip(book.category_scores, multipliers, strict=True)):
        sums = packed & _SUMS
        packed >>= _CATEGORY
        known = remembered.get(sums)
        if known is None:
            known = _category(*book.categories[slot], sums)
            if len(remembered) >= 4096:
                remembered.clear()
            remembered[sums] = known
        category, failed = known
        categories.append(category)
        if failed is not None:
            failing.append(failed)
        numerator += multiplier * (sums >> _POINTS)
    if not half:
        failing.append(explain.NOTHING_ASSESSED)
        return tuple(categories), shares, 0, None, tuple(failing), notes
    # Exact rational arithmetic in integers: total = Σ W_c·(Σ w·p / Σ w) / Σ W_c, in tenths, half up.
    total = (20 * numerator + half) // (2 * half)
    for low, gid, title in book.grades:  # highest first
        if total >= low:
            return tuple(categories), shares, total, (gid, title), tuple(failing), notes
    failing.append(explain.below_lowest_grade(total))
    return tuple(categories), shares, total, None, tuple(failing), notes


_SUMS = (1 << _CATEGORY) - 1
_POINTS = 2 * _FIELD
_WEIGHTS = sum((_MASK << _FIELD | _MASK) << (_CATEGORY * slot) for slot in range(len(CATEGORIES)))
"""The weights scored and skipped of every category, without the points."""
KEPT = 4096
"""The most lot decisions, and totals, kept per standard."""
SUMS_SEEN = 4096
"""The most category sums, and lots, remembered as seen once per standard (plain values)."""
WEIGHTINGS = 1024
"""The most weightings remembered per standard (which criteria were scored or skipped)."""


def _keep_if_recurring(kept: dict[Any, Any], seen: set[Any], key: Any, value: Any) -> None:
    """Keep `value` under `key` once `key` recurs: the first time it is only noted as seen (most
    inspections' lots and sums are their own, and keeping every one costs more than making it).
    Both bounded: KEPT values, SUMS_SEEN keys."""
    if key in seen:
        if len(kept) >= KEPT:
            kept.clear()
        kept[key] = value
        return
    if len(seen) >= SUMS_SEEN:
        seen.clear()
    seen.add(key)


def _weighting(book: CompiledStandard, weights: int) -> Weighting:
    """What the weights scored and skipped per category give, whatever the points: each
    category's multiplier of its points in the total's numerator, the rows' shares of the total,
    half the total's denominator (0: nothing assessed), how the total was renormalised."""
    scoreds: list[tuple[int, int]] = []
    notes: list[Text] = []
    for name, weight, _ in book.categories:
        scored, skipped = (weights >> _FIELD) & _MASK, weights & _MASK
        weights >>= _CATEGORY
        scoreds.append((weight, scored))
        if not scored or skipped:
            notes.append(explain.renormalised(name, scored, scored + skipped))
    total_weight = sum(weight for weight, scored in scoreds if scored)
    if not total_weight:
        return (0,) * len(scoreds), ((0, 1),) * len(scoreds), 0, tuple(notes)
    common = lcm(*(scored for _, scored in scoreds if scored))
    return (
        tuple(weight * (common // scored) if scored else 0 for weight, scored in scoreds),
        tuple((200 * weight, scored * total_weight) if scored else (0, 1) for weight, scored in scoreds),
        total_weight * common,
        tuple(notes),
    )


def _category(name: str, weight: int, minimum: int, sums: int) -> CategoryOutcome:
    """A category's score from its sums (certify.core.tally), and why it fails."""
    points, scored, skipped = (sums >> _POINTS) & _MASK, (sums >> _FIELD) & _MASK, sums & _MASK
    if not scored:
        return tuple.__new__(CategoryScore, (name, weight, minimum, None, 0, skipped)), None
    got = (20 * points + scored) // (2 * scored)
    failed = explain.below_minimum(name, got, minimum) if got < minimum else None
    return tuple.__new__(CategoryScore, (name, weight, minimum, got, scored, scored + skipped)), failed
