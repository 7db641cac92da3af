"""What a new version of a standard does to an inspection scored under an earlier one.

The stored inspection is re-scored under the new version as it stands: facts the new version
declares are carried over, facts it no longer declares are dropped (and named), and facts it needs
that the inspection does not state are reported, never guessed (the reviewer may state them for a
whole run: `assumed`). When only measurements of criteria new to it are missing, the inspection is
scored twice, with every missing measurement at its best and at its worst value: if even the worst
certifies it, it stays certified whatever the new tests show; if even the best does not, it is no
longer certified; otherwise it depends on the new tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from certify.core.assessment import Assessment
from certify.core.compiled import compiled
from certify.core.errors import InspectionRefused
from certify.core.inspection import Inspection
from certify.core.scoring import NO_MEASUREMENT, score
from certify.core.standard import Criterion, PassFail, Standard
from certify.core.switching import Switching
from certify.core.text import Text

Outcome = Literal[
    "unchanged",  # certified (or not) as before, same grade
    "grade_changed",
    "no_longer_certified",
    "now_certified",
    "depends_on_new_tests",  # missing new measurements decide it
    "needs_facts",  # the new version needs facts the inspection does not state
    "refused",  # a value the new version refuses (e.g. a scale that changed)
]


@dataclass(frozen=True, slots=True)
class Stored:
    """What the store holds of a scored inspection."""

    facts: Mapping[str, Any]
    lot: Mapping[str, Any]
    measurements: Mapping[str, Any]
    defects: Mapping[str, Any]
    inspected_on: date
    certified: bool
    grade: str | None
    statuses: Mapping[str, str]  # criterion → status in the stored assessment
    severity: str = "normal"


@dataclass(frozen=True, slots=True)
class Impact:
    outcome: Outcome
    certified_before: bool
    grade_before: str | None
    certified_after: bool | None  # None: cannot tell
    grade_after: str | None
    changed: tuple[str, ...] = ()  # criteria whose result differs and that decide the outcome
    missing_facts: tuple[str, ...] = ()
    dropped_facts: tuple[str, ...] = ()
    missing_measurements: tuple[str, ...] = ()
    reasons: tuple[Text, ...] = ()  # why it is not certified after, or why it cannot be re-scored


AS_BEFORE = Text(
    en="Severity of inspection as at the original inspection.", id="Tingkat pemeriksaan seperti pada inspeksi semula."
)


def rescore(new: Standard, stored: Stored, *, assumed: Mapping[str, Any] | None = None) -> Impact:
    """The impact of `new` on a stored inspection (see the module's docstring)."""
    before = (stored.certified, stored.grade)
    declared = new.facts
    facts = {name: value for name, value in stored.facts.items() if name in declared}
    for name, value in (assumed or {}).items():
        if name in declared and name not in facts:
            facts[name] = value
    dropped = tuple(sorted(name for name in stored.facts if name not in declared))
    missing = tuple(name for name in declared if name not in facts)
    if missing:
        return Impact("needs_facts", *before, None, None, missing_facts=missing, dropped_facts=dropped)
    known = compiled(new).known
    inspection = Inspection.model_validate(
        {
            "facts": facts,
            "lot": dict(stored.lot),
            "measurements": {k: v for k, v in stored.measurements.items() if k in known},
            "defects": dict(stored.defects),
            "inspected_on": stored.inspected_on,
        }
    )
    switching = Switching(stored.severity if stored.severity != "discontinued" else "normal", AS_BEFORE, 0)  # type: ignore[arg-type]
    try:
        after = score(new, inspection, switching=switching)
    except InspectionRefused as refused:
        return _bounded(new, stored, inspection, switching, refused, dropped)
    return _compared(stored, after, dropped)


def _compared(stored: Stored, after: Assessment, dropped: tuple[str, ...]) -> Impact:
    if after.certified != stored.certified:
        outcome: Outcome = "now_certified" if after.certified else "no_longer_certified"
    elif after.grade != stored.grade:
        outcome = "grade_changed"
    else:
        outcome = "unchanged"
    return Impact(
        outcome,
        stored.certified,
        stored.grade,
        after.certified,
        after.grade,
        changed=_changed(stored, after),
        dropped_facts=dropped,
        reasons=after.reasons,
    )


def _changed(stored: Stored, after: Assessment) -> tuple[str, ...]:
    """Criteria whose status differs from the stored assessment's (new criteria that now count included)."""
    return tuple(
        row.criterion
        for row in after.rows
        if row.status in ("passed", "failed")
        and stored.statuses.get(row.criterion) != row.status
        and (row.status == "failed" or stored.statuses.get(row.criterion) == "failed")
    )


def _bounded(
    new: Standard,
    stored: Stored,
    inspection: Inspection,
    switching: Switching,
    refused: InspectionRefused,
    dropped: tuple[str, ...],
) -> Impact:
    lacking = tuple(p.criterion for p in refused.problems if p.criterion is not None and p.text == NO_MEASUREMENT)
    others = [p for p in refused.problems if p.criterion not in lacking and p.path != ("measurements",)]
    if others or not lacking:
        return Impact(
            "refused",
            stored.certified,
            stored.grade,
            None,
            None,
            dropped_facts=dropped,
            reasons=tuple(p.text or Text(en=p.message, id=p.message) for p in others),
        )
    by_id = {c.id: c for c in new.criteria}
    best, worst = (
        score(
            new,
            inspection.model_copy(
                update={"measurements": {**inspection.measurements, **{c: _extreme(by_id[c], good) for c in lacking}}}
            ),
            switching=switching,
        )
        for good in (True, False)
    )
    if worst.certified:  # certified whatever the new tests show (its grade at their worst)
        impact = _compared(stored, worst, dropped)
        return Impact(
            impact.outcome,
            stored.certified,
            stored.grade,
            True,
            worst.grade,
            dropped_facts=dropped,
            missing_measurements=lacking,
        )
    if not best.certified:  # not certified whatever the new tests show
        return Impact(
            "no_longer_certified" if stored.certified else "unchanged",
            stored.certified,
            stored.grade,
            False,
            None,
            changed=_changed(stored, best),
            dropped_facts=dropped,
            missing_measurements=lacking,
            reasons=best.reasons,
        )
    return Impact(
        "depends_on_new_tests",
        stored.certified,
        stored.grade,
        None,
        None,
        dropped_facts=dropped,
        missing_measurements=lacking,
    )


def _extreme(criterion: Criterion, best: bool) -> bool | int | float:
    """The best (or worst) value a criterion's measure can take."""
    measure = criterion.measure
    if isinstance(measure, PassFail):
        return best
    ends = [band.from_ for band in measure.bands] + [measure.minimum]
    top = measure.maximum if measure.maximum is not None else max(ends)
    high = (measure.better == "higher") == best
    return top if high else measure.minimum
