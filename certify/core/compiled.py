"""A standard compiled once into plain functions and precomputed explanations, for fast scoring."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from certify.core import explain, tally
from certify.core.assessment import CategoryScore, LotDecision, Verdict
from certify.core.conditions import Predicate, compile_condition
from certify.core.hashing import content_hash
from certify.core.sampling import Plan, critical_plan, one_step_tighter, plan
from certify.core.standard import CATEGORIES, Criterion, Fact, PassFail, Ranged, Standard, Variant
from certify.core.text import Text
from certify.core.unrolled import RowsOf, unroll

Judge = Callable[[Any], Verdict | Text]  # the verdict on a measurement, or why the value is refused
# The categories' scores, the rows' shares of the total, the total, the grade (id, title), why the
# categories or the total fail, how the total was renormalised.
Totals = tuple[
    tuple[CategoryScore, ...],
    tuple[tuple[int, int], ...],
    int,
    tuple[str, Text] | None,
    tuple[Text, ...],
    tuple[Text, ...],
]
# A category's score from its sums, and why it fails (below its minimum).
CategoryOutcome = tuple[CategoryScore, Text | None]
# What the weights scored and skipped give (certify.core.scoring): per category, its points'
# multiplier in the total; the rows' shares of the total; half its denominator; the notes.
Weighting = tuple[tuple[int, ...], tuple[tuple[int, int], ...], int, tuple[Text, ...]]
Select = Callable[[Any, int], int]  # (facts, date bucket) → 0: not applicable, 1: own bands, 2…: a variant


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    id: str
    optional: bool
    boolean: bool  # measured pass/fail (true/false), not on a scale
    memo: dict[Any, Verdict]  # verdicts on values seen before, shared with `judge`
    criterion: Criterion
    applies: Predicate | None
    judge: Judge
    not_applicable: Verdict
    not_assessed: Verdict
    memos: tuple[dict[Any, Verdict], ...]  # by `select`'s answer: 0 and 1 the criterion's own bands
    judges: tuple[Judge, ...]
    select: Select | None  # None: no variants or dates, `applies` alone decides
    # By `select`'s answer, the row's verdict on each value measured before, final (not applicable;
    # not assessed when unmeasured and optional): read only for values of the criterion's kind.
    seen: tuple[dict[Any, Verdict], ...]


@dataclass(frozen=True, slots=True)
class CompiledStandard:
    standard: Standard
    content_hash: str
    criteria: tuple[CompiledCriterion, ...]  # in id order: scoring never depends on file order
    grades: tuple[tuple[int, str, Text], ...]  # (from, in tenths; id; title), highest first
    categories: tuple[tuple[str, int, int], ...]  # in CATEGORIES order: name, weight, minimum in tenths
    known: frozenset[str]  # criterion ids
    fact_checks: dict[str, Callable[[Any], Any]]  # fact → its value as conditions read it, or INVALID
    plans: dict[tuple[int, bool], tuple[Plan, Plan, Plan]]  # (lot size, tightened) → plans (a bounded cache)
    fact_order: tuple[str, ...]  # the declared facts, in order: the key of `applicability`
    # facts → which apply, and the verdicts seen under them (a bounded cache)
    applicability: dict[tuple[Any, ...], tuple[tuple[bool | int, ...], tuple[dict[Any, Verdict], ...]]]
    rows_of: RowsOf  # the per-criterion pass, written out for these criteria (certify.core.unrolled)
    ids: tuple[str, ...]  # the criteria's ids, in id order
    booleans: tuple[bool, ...]  # whether each is measured pass/fail
    kinds: set[tuple[type, ...]]  # the kinds of measurements found to fit the criteria (a bounded cache)
    lots: dict[tuple[Any, ...], tuple[LotDecision, tuple[Text, ...]]]  # lot, defects, severity → decision (bounded)
    totals: dict[int, Totals]  # category sums (certify.core.tally) → what they give (certify.core.scoring; bounded)
    sums_seen: set[int]  # category sums seen once: what they give is kept when they recur (bounded)
    lots_seen: set[tuple[Any, ...]]  # lots seen once (the key of `lots`): kept when they recur (bounded)
    category_scores: tuple[dict[int, CategoryOutcome], ...]  # per category: its sums → what they give (bounded)
    weightings: dict[int, Weighting]  # the weights scored and skipped → what they give (bounded)
    dates: tuple[date, ...]  # the days on which some criterion or variant starts or stops applying

    def bucket(self, day: date | None) -> int:
        """Which stretch between the standard's dates `day` falls in (0 when it has none)."""
        return 0 if day is None else bisect_right(self.dates, day)


def compiled(standard: Standard) -> CompiledStandard:
    """The compiled form of a standard, made once and kept with it (read from pydantic's private
    storage directly: its attribute hook costs more than a whole criterion's scoring)."""
    private: dict[str, Any] = standard.__pydantic_private__  # type: ignore[assignment]
    cached: CompiledStandard | None = private.get("_compiled")
    if cached is None:
        cached = _compile(standard)
        standard._compiled = cached
    return cached


def _compile(standard: Standard) -> CompiledStandard:
    dates = _dates(standard)
    criteria = tuple(_criterion(c, standard, dates) for c in sorted(standard.criteria, key=lambda c: c.id))
    grades = sorted(((round(g.from_ * 10), g.id, g.title) for g in standard.grades), key=lambda g: -g[0])
    return CompiledStandard(
        standard=standard,
        content_hash=content_hash(standard),
        criteria=criteria,
        grades=tuple(grades),
        categories=tuple(
            (name, standard.categories[name].weight, round(standard.categories[name].minimum * 10))
            for name in CATEGORIES
        ),
        known=frozenset(c.id for c in standard.criteria),
        fact_checks={name: _fact_check(fact) for name, fact in standard.facts.items()},
        plans={},
        fact_order=tuple(standard.facts),
        applicability={},
        rows_of=unroll(criteria, name=standard.ref),
        ids=tuple(c.id for c in criteria),
        booleans=tuple(c.boolean for c in criteria),
        kinds=set(),
        lots={},
        totals={},
        sums_seen=set(),
        lots_seen=set(),
        category_scores=tuple({} for _ in CATEGORIES),
        weightings={},
        dates=dates,
    )


def _dates(standard: Standard) -> tuple[date, ...]:
    """Every day on which something starts applying or stops (the day after its last)."""
    found: set[date] = set()
    spans = [(c.effective_from, c.effective_until) for c in standard.criteria]
    spans += [(v.effective_from, v.effective_until) for c in standard.criteria for v in c.variants]
    for start, end in spans:
        if start is not None:
            found.add(start)
        if end is not None:
            found.add(end + timedelta(days=1))
    return tuple(sorted(found))


def _in_force(item: Criterion | Variant, dates: tuple[date, ...]) -> tuple[bool, ...]:
    """For each stretch between the standard's dates, whether `item` is in force in it."""
    starts: list[date | None] = [None, *dates]  # stretch b begins on starts[b] (None: the beginning)
    low, high = item.effective_from, item.effective_until
    return tuple(
        (low is None or (start is not None and start >= low)) and (high is None or start is None or start <= high)
        for start in starts
    )


def _criterion(c: Criterion, standard: Standard, dates: tuple[date, ...]) -> CompiledCriterion:
    memo: dict[Any, Verdict] = {}
    own = _judge(c, memo, None)
    memos: list[dict[Any, Verdict]] = [memo, memo]
    judges: list[Judge] = [own, own]
    for number, variant in enumerate(c.variants, start=2):
        memos.append({})
        judges.append(_judge(c, memos[-1], (number, variant)))
    applies = compile_condition(c.applies_when)
    dated = c.effective_from is not None or c.effective_until is not None
    not_applicable = _verdict(c, "not_applicable", "", None, explain.not_applicable_when(c, titled_facts(standard)))
    not_assessed = _verdict(c, "not_assessed", "", None, explain.not_assessed(c.category))
    seen: list[dict[Any, Verdict]] = [{None: not_applicable}]
    seen += [{None: not_assessed} if c.optional else {} for _ in judges[1:]]
    return CompiledCriterion(
        id=c.id,
        optional=c.optional,
        boolean=isinstance(c.measure, PassFail),
        memo=memo,
        criterion=c,
        applies=applies,
        judge=own,
        not_applicable=not_applicable,
        not_assessed=not_assessed,
        memos=tuple(memos),
        judges=tuple(judges),
        select=_select(c, applies, dates) if c.variants or dated else None,
        seen=tuple(seen),
    )


def _select(c: Criterion, applies: Predicate | None, dates: tuple[date, ...]) -> Select:
    in_force = _in_force(c, dates)
    variants = [(compile_condition(v.when), _in_force(v, dates)) for v in c.variants]

    def select(facts: Any, bucket: int) -> int:
        if not in_force[bucket] or (applies is not None and not applies(facts)):
            return 0
        for number, (when, active) in enumerate(variants, start=2):
            if active[bucket] and (when is None or when(facts)):
                return number
        return 1

    return select


INVALID = object()
NONE = type(None)


def _fact_check(fact: Fact) -> Callable[[Any], Any]:
    """A function giving a fact's value as conditions read it (sets as frozensets), or INVALID."""
    allowed = frozenset(fact.values)
    low, high = fact.minimum, fact.maximum
    if fact.type == "enum":
        return lambda v: v if v.__class__ is str and v in allowed else INVALID
    if fact.type == "set":
        return lambda v: frozenset(v) if v.__class__ is list and allowed.issuperset(v) else INVALID
    if fact.type == "bool":
        return lambda v: v if v is True or v is False else INVALID

    def number(v: Any) -> Any:
        within = (
            (v.__class__ is int or v.__class__ is float) and (low is None or v >= low) and (high is None or v <= high)
        )
        return v if within else INVALID

    return number


def lot_plans(book: CompiledStandard, lot_size: int, tightened: bool = False) -> tuple[Plan, Plan, Plan]:
    """The ISO 2859-1 plans of a lot under the standard's policy: critical, major, minor."""
    found = book.plans.get((lot_size, tightened))
    if found is None:
        major, minor = inspected_aqls(book, tightened)
        level = book.standard.sampling.level
        found = (critical_plan(lot_size, level), plan(lot_size, level, major), plan(lot_size, level, minor))
        if len(book.plans) >= 4096:
            book.plans.clear()
        book.plans[(lot_size, tightened)] = found
    return found


def inspected_aqls(book: CompiledStandard, tightened: bool) -> tuple[str, str]:
    """The AQL columns of Table 2-A used for major and minor defects. Under tightened inspection
    ISO 2859-1 has its own Table 2-B, which is not transcribed here: its plans are approximated by
    the normal plan one AQL step tighter (the same sample size, a smaller Ac), and the
    assessment says so."""
    policy = book.standard.sampling
    if not tightened:
        return policy.major_aql, policy.minor_aql
    return (
        one_step_tighter(policy.major_aql) or policy.major_aql,
        one_step_tighter(policy.minor_aql) or policy.minor_aql,
    )


def _verdict(c: Criterion, status: str, rule: str, points: int | None, reason: Text, variant: int = 0) -> Verdict:
    return Verdict(
        criterion=c.id,
        category=c.category,
        title=c.title,
        status=status,
        rule=rule,
        points=points,
        weight=c.weight,
        knockout=c.knockout,
        reason=reason,
        slot=CATEGORIES.index(c.category),
        weighted=0 if points is None else points * c.weight,
        tally=tally.pack(
            CATEGORIES.index(c.category),
            weighted=0 if points is None else points * c.weight,
            scored=0 if points is None else c.weight,
            skipped=c.weight if status == "not_assessed" else 0,
            failed=c.knockout and status == "failed",
        ),
        fails_product=c.knockout and status == "failed",
        product_failure=explain.knockout_failed(c.id, c.title) if c.knockout and status == "failed" else None,
        variant=variant,
    )


def _judge(criterion: Criterion, memo: dict[Any, Verdict], variant: tuple[int, Variant] | None) -> Judge:
    """The judge of the criterion's own bands (`variant` None) or of one of its variants."""
    measure = criterion.measure
    if isinstance(measure, PassFail):  # a linted pass/fail criterion has no variants
        return _pass_fail_judge(criterion, memo)
    assert isinstance(measure, Ranged)
    if variant is None:
        context = explain.own_bands_context(criterion) if criterion.variants else None
        return _ranged_judge(criterion, measure, memo, context, 1)
    number, chosen = variant
    banded = measure.model_copy(update={"bands": chosen.bands})
    return _ranged_judge(criterion, banded, memo, explain.variant_context(chosen), number)


def _pass_fail_judge(criterion: Criterion, memo: dict[Any, Verdict]) -> Judge:
    rule = "yes → 100 points, no → 0"
    memo[True] = _verdict(criterion, "passed", rule, 100, explain.pass_fail_reason(True, criterion.knockout))
    memo[False] = _verdict(criterion, "failed", rule, 0, explain.pass_fail_reason(False, criterion.knockout))

    def judge(value: Any) -> Verdict | Text:
        if value is True or value is False:
            return memo[value]
        return Text(
            en=f"takes true or false (pass/fail), not {value!r}",
            id=f"diisi ya atau tidak (lulus/gagal), bukan {value!r}",
        )

    return judge


def _ranged_judge(
    criterion: Criterion, measure: Ranged, memo: dict[Any, Verdict], context: Text | None, variant: int
) -> Judge:
    pass_points = criterion.pass_points
    bands = sorted(measure.bands, key=lambda band: band.from_, reverse=True)
    table = tuple(
        (
            band.from_ - 1e-9,
            _verdict(
                criterion,
                "passed" if band.points >= pass_points else "failed",
                explain.in_context(context, explain.band_rule(band, measure, pass_points)),
                band.points,
                explain.reason_in_context(context, explain.band_reason(band, measure, pass_points, criterion.knockout)),
                variant,
            ),
        )
        for band in bands
    )
    low, high, step = measure.minimum, measure.maximum, measure.step
    whole = measure.kind == "count"
    unit = f" {measure.unit}" if measure.unit else ""
    scale = explain.span(low, high, measure.unit)

    def judge(value: Any) -> Verdict | Text:
        kind = value.__class__
        if kind is int or kind is float:
            known = memo.get(value)
            if known is not None:
                return known
            verdict = _judge_number(value)
            if len(memo) < 1024 and not isinstance(verdict, Text):
                memo[value] = verdict
            return verdict
        return Text(
            en=f"takes a number ({measure.kind}), not {value!r}", id=f"diisi angka ({measure.kind}), bukan {value!r}"
        )

    def _judge_number(value: int | float) -> Verdict | Text:
        if whole and not (isinstance(value, int) or value.is_integer()):
            return Text(
                en=f"takes a whole number (a count), not {value!r}",
                id=f"diisi bilangan bulat (hitungan), bukan {value!r}",
            )
        if value < low or (high is not None and value > high):
            return Text(en=f"{value!r} is outside the scale {scale.en}", id=f"{value!r} di luar skala {scale.id}")
        steps = (value - low) / step
        if abs(steps - round(steps)) > 1e-6:
            return Text(
                en=f"{value!r} is not on the scale's step of {explain.number(step)}{unit}",
                id=f"{value!r} tidak sesuai kelipatan skala {explain.number(step)}{unit}",
            )
        for start, verdict in table:
            if value >= start:
                return verdict
        raise AssertionError("a linted scale covers every value on it")  # pragma: no cover

    return judge


def titled_facts(standard: Standard) -> dict[str, Fact]:
    """The standard's facts, each value with its title (the file's own, else the shared one), so
    that a condition reads in words: "Kategori produk adalah mainan", not `toy`."""
    titled = {}
    for name, fact in standard.facts.items():
        titles = {value: title for value in fact.values if (title := standard.value_title(name, value)) is not None}
        titled[name] = fact if titles == fact.value_titles else fact.model_copy(update={"value_titles": titles})
    return titled
