"""The result of scoring: its own explanation, one row per criterion.

Scores are integers in tenths of a point (`total_tenths`) and decimal strings in JSON; no floats.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import Any, NamedTuple, overload

from certify.core.explain import tenths
from certify.core.limiting_quality import LimitingQuality, limiting_quality
from certify.core.sampling import Plan
from certify.core.text import Text


@dataclass(frozen=True, slots=True)
class Verdict:
    """One outcome a criterion can have, with its explanation: fixed when the standard is compiled."""

    criterion: str
    category: str
    title: Text
    status: str  # passed | failed | not_applicable | not_assessed
    rule: str  # the rule applied, e.g. "12.1–15 % → 60 points; passes from 50"
    points: int | None
    weight: int
    knockout: bool
    reason: Text
    slot: int  # the category's place in CATEGORIES, for summing without lookups
    weighted: int  # points × weight (0 when not scored)
    tally: int  # what it adds to its category's sums, packed: see certify.core.tally
    fails_product: bool  # a knockout, failed
    product_failure: Text | None  # then: the reason the product is not certified
    variant: int = 0  # which bands judged it: 1 the criterion's own, 2… its variants (0: none)


class Row(NamedTuple):
    """What one criterion made of the inspection: its verdict, the input, and (through `shares`,
    one per category, common to the rows of an assessment) its share of the total."""

    verdict: Verdict
    input: bool | int | float | None
    shares: Sequence[tuple[int, int]]  # per category: (200·W_c, Σw_c·ΣW); (0, 1) when not scored

    @property
    def contribution_hundredths(self) -> int:
        """This row's share of the total, in hundredths of a point: 100·W_c·w·p / (Σw_c·ΣW), half up."""
        scale, denominator = self.shares[self.verdict.slot]
        return (scale * self.verdict.weighted + denominator) // (2 * denominator)

    @property
    def criterion(self) -> str:
        return self.verdict.criterion

    @property
    def category(self) -> str:
        return self.verdict.category

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def points(self) -> int | None:
        return self.verdict.points

    @property
    def weight(self) -> int:
        return self.verdict.weight

    @property
    def knockout(self) -> bool:
        return self.verdict.knockout

    @property
    def reason(self) -> Text:
        return self.verdict.reason

    def to_dict(self) -> dict[str, Any]:
        v, c = self.verdict, self.contribution_hundredths
        return {
            "criterion": v.criterion,
            "category": v.category,
            "title": {"en": v.title.en, "id": v.title.id},
            "status": v.status,
            "input": self.input,
            "rule": v.rule,
            "points": v.points,
            "weight": v.weight,
            "contribution": f"{c // 100}.{c % 100:02d}",
            "knockout": v.knockout,
            "reason": {"en": v.reason.en, "id": v.reason.id},
        }


class Rows(Sequence[Row]):
    """An assessment's rows, kept as its verdicts and inputs side by side (one list each, shared
    `shares`): each `Row` is made when it is read."""

    __slots__ = ("inputs", "shares", "verdicts")

    def __init__(
        self,
        verdicts: Sequence[Verdict],
        inputs: Sequence[bool | int | float | None],
        shares: Sequence[tuple[int, int]],
    ) -> None:
        self.verdicts, self.inputs, self.shares = verdicts, inputs, shares

    def __len__(self) -> int:
        return len(self.verdicts)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Row, ...]: ...
    def __getitem__(self, index: int | slice) -> Row | tuple[Row, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        return Row(self.verdicts[index], self.inputs[index], self.shares)

    def __iter__(self) -> Iterator[Row]:
        return map(_NEW, repeat(Row), zip(self.verdicts, self.inputs, repeat(self.shares)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        """Equal rows have equal verdicts, inputs and shares: hashed by them (the shares are a list,
        filled once when scored, so that a row itself is not hashable), an Assessment is too."""
        return hash((tuple(self.verdicts), tuple(self.inputs), tuple(self.shares)))

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"


_NEW = tuple.__new__  # NamedTuple's own __new__ is a Python function; this is the C one


class CategoryScore(NamedTuple):
    category: str
    weight: int
    minimum_tenths: int
    score_tenths: int | None  # None: no criterion of it applied or was assessed
    assessed_weight: int  # criterion weight behind the score
    applicable_weight: int  # criterion weight that applied (assessed or not)

    @property
    def passed(self) -> bool:
        return self.score_tenths is None or self.score_tenths >= self.minimum_tenths

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "weight": self.weight,
            "score": None if self.score_tenths is None else tenths(self.score_tenths),
            "minimum": tenths(self.minimum_tenths),
            "passed": self.passed,
            "assessed_weight": self.assessed_weight,
            "applicable_weight": self.applicable_weight,
        }


class DefectClass(NamedTuple):
    name: str  # critical | major | minor
    aql: str | None  # None for critical: none allowed
    plan: Plan
    found: int

    @property
    def accepted(self) -> bool:
        return self.found <= self.plan.accept

    @property
    def limiting_quality(self) -> LimitingQuality:
        """The share of defectives this plan still accepts 10 % of the time."""
        return limiting_quality(self.plan.sample_size, self.plan.accept, self.plan.lot_size)

    def to_dict(self) -> dict[str, Any]:
        plan, lq = self.plan, self.limiting_quality
        return {
            "class": self.name,
            "aql": self.aql,
            "code_letter": plan.code_letter,
            "plan_letter": plan.plan_letter,
            "sample_size": plan.sample_size,
            "pieces_to_inspect": plan.pieces_to_inspect,
            "inspect_all": plan.inspect_all,
            "accept": plan.accept,
            "reject": plan.reject,
            "found": self.found,
            "accepted": self.accepted,
            "limiting_quality": {"percent": lq.percent, "method": lq.method},
        }


class LotDecision(NamedTuple):
    lot_size: int
    level: str
    classes: tuple[DefectClass, ...]
    severity: str  # normal | tightened | discontinued (ISO 2859-1 switching rules)
    switching_rule: Text  # the rule that set the severity

    @property
    def accepted(self) -> bool:
        return self.severity != "discontinued" and all(defects.accepted for defects in self.classes)

    def to_dict(self) -> dict[str, Any]:
        rule = self.switching_rule
        return {
            "lot_size": self.lot_size,
            "level": self.level,
            "accepted": self.accepted,
            "severity": self.severity,
            "switching_rule": {"en": rule.en, "id": rule.id},
            "defects": [defects.to_dict() for defects in self.classes],
        }


class Assessment(NamedTuple):
    standard_id: str
    standard_version: str
    content_hash: str
    rows: Rows
    categories: tuple[CategoryScore, ...]
    lot: LotDecision
    total_tenths: int
    grade: str | None
    grade_title: Text | None
    certified: bool
    reasons: tuple[Text, ...]  # every reason it is not certified
    notes: tuple[Text, ...]  # how the total was renormalised, when it was
    inspected_on: date | None  # the day whose criteria and limits were applied

    @property
    def total(self) -> str:
        return tenths(self.total_tenths)

    @property
    def knockouts_failed(self) -> tuple[str, ...]:
        return tuple(r.criterion for r in self.rows if r.knockout and r.status == "failed")

    def row(self, criterion: str) -> Row:
        return next(row for row in self.rows if row.criterion == criterion)

    def to_dict(self) -> dict[str, Any]:
        title = self.grade_title
        return {
            "standard": {
                "id": self.standard_id,
                "version": self.standard_version,
                "content_hash": self.content_hash,
            },
            "inspected_on": None if self.inspected_on is None else self.inspected_on.isoformat(),
            "certified": self.certified,
            "grade": None if title is None else {"id": self.grade, "title": {"en": title.en, "id": title.id}},
            "total": self.total,
            "categories": [category.to_dict() for category in self.categories],
            "knockouts_failed": list(self.knockouts_failed),
            "lot": self.lot.to_dict(),
            "reasons": [{"en": r.en, "id": r.id} for r in self.reasons],
            "notes": [{"en": n.en, "id": n.id} for n in self.notes],
            "criteria": [row.to_dict() for row in self.rows],
        }
