"""`certify rules impact OLD NEW`: what a new version of a standard does to the stored inspections
and the certificates issued on them (read in batches; printed as it goes)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from certify.cli import Failed
from certify.config import settings
from certify.core.errors import CertifyError
from certify.core.impact import Impact
from certify.rulebook import RulebookError, bundled
from certify.services.impact import InspectionImpact, impacts
from certify.store.database import Database

OUTCOME_WORDS = {
    "unchanged": "unchanged",
    "grade_changed": "grade changes",
    "no_longer_certified": "NO LONGER CERTIFIED",
    "now_certified": "now certified",
    "depends_on_new_tests": "depends on new tests",
    "needs_facts": "cannot re-score: it needs facts the inspection does not state",
    "refused": "cannot re-score: refused",
}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "impact",
        help="re-score every stored inspection of one version under another and show the certificates that change",
        description="Re-score every inspection stored under OLD with NEW (e.g. `certify rules impact batik@2026.1 "
        "batik@2026.2`) and print, for each certificate, whether it would still be certified, its grade before and "
        "after, and the criteria that changed the outcome. Facts NEW needs that OLD did not ask are reported, not "
        "guessed; --assume states one for the whole run.",
    )
    parser.add_argument("old", metavar="OLD", help="ID@VERSION the inspections were scored under")
    parser.add_argument("new", metavar="NEW", help="ID@VERSION to re-score them under")
    parser.add_argument("--json", action="store_true", help="JSON Lines: one object per inspection, then a summary")
    parser.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="FACT=JSON",
        help="a fact NEW needs, stated for every inspection that lacks it, e.g. --assume 'markets=[\"id\"]'",
    )
    parser.add_argument("--lang", choices=("en", "id"), default="en", help="language of the reasons (default en)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        book = bundled()
        old, new = book.get(_pinned(args.old)), book.get(_pinned(args.new))
    except (RulebookError, CertifyError) as error:
        raise Failed(f"certify rules impact: {error}") from None
    if old.id != new.id:
        raise Failed(f"certify rules impact: {old.ref} and {new.ref} are different standards")
    assumed = dict(_assumption(text) for text in args.assume)
    unknown = sorted(set(assumed) - set(new.facts))
    if unknown:
        raise Failed(f"certify rules impact: {new.ref} declares no fact {', '.join(unknown)}")
    database = Database.connect(settings().database, pool_size=1)
    counts: Counter[str] = Counter()
    certificates: Counter[str] = Counter()
    try:
        for found in impacts(database=database, old=old, new=new, assumed=assumed):
            counts[found.impact.outcome] += 1
            if found.certificate is not None and found.certificate_status == "valid":
                certificates[found.impact.outcome] += 1
            if args.json:
                print(json.dumps(_record(found), ensure_ascii=False))
            elif found.certificate is not None:
                print(_line(found, args.lang))
    finally:
        database.dispose()
    summary = {"old": old.ref, "new": new.ref, "inspections": dict(counts), "valid_certificates": dict(certificates)}
    if args.assume:
        summary["assumed"] = assumed
    if args.json:
        print(json.dumps({"summary": summary}, ensure_ascii=False))
    else:
        print(_summary(summary))
    return 0


def _pinned(ref: str) -> str:
    if "@" not in ref:
        raise Failed(f"certify rules impact: name a version, e.g. {ref}@2026.1")
    return ref


def _assumption(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), json.loads(value)
    except ValueError:
        raise Failed(f'certify rules impact: --assume takes FACT=JSON (e.g. markets=["id"]), not {text!r}') from None


def _grade(certified: bool | None, grade: str | None) -> str:
    if certified is None:
        return "?"
    return f"certified {grade}" if certified else "not certified"


def _line(found: InspectionImpact, lang: str) -> str:
    i: Impact = found.impact
    head = (
        f"{found.certificate} ({found.certificate_status}) inspection {found.inspection_id}: "
        f"{_grade(i.certified_before, i.grade_before)} -> {_grade(i.certified_after, i.grade_after)}: "
        f"{OUTCOME_WORDS[i.outcome]}"
    )
    parts = []
    if i.changed:
        parts.append(f"changed by {', '.join(i.changed)}")
    if i.missing_facts:
        parts.append(f"needs {', '.join(i.missing_facts)}")
    if i.missing_measurements:
        worst = " (certified whatever they show)" if i.certified_after else ""
        parts.append(f"new tests not measured: {', '.join(i.missing_measurements)}{worst}")
    if i.dropped_facts:
        parts.append(f"facts no longer asked: {', '.join(i.dropped_facts)}")
    reasons = [getattr(reason, lang) for reason in i.reasons if i.outcome in ("no_longer_certified", "refused")]
    return head + "".join(f"; {part}" for part in parts) + "".join(f"\n    {reason}" for reason in reasons)


def _record(found: InspectionImpact) -> dict[str, Any]:
    i = found.impact
    return {
        "inspection": found.inspection_id,
        "holder": found.holder_id,
        "product": found.product_id,
        "certificate": found.certificate,
        "certificate_status": found.certificate_status,
        "outcome": i.outcome,
        "before": {"certified": i.certified_before, "grade": i.grade_before},
        "after": {"certified": i.certified_after, "grade": i.grade_after},
        "changed": list(i.changed),
        "missing_facts": list(i.missing_facts),
        "missing_measurements": list(i.missing_measurements),
        "dropped_facts": list(i.dropped_facts),
        "reasons": [{"en": r.en, "id": r.id} for r in i.reasons],
    }


def _summary(summary: dict[str, Any]) -> str:
    def counted(counts: dict[str, int]) -> str:
        return ", ".join(f"{n} {OUTCOME_WORDS[o]}" for o, n in sorted(counts.items())) or "none"

    lines = [
        f"{summary['old']} -> {summary['new']}: {sum(summary['inspections'].values())} inspection(s): "
        f"{counted(summary['inspections'])}",
        f"valid certificates: {counted(summary['valid_certificates'])}",
    ]
    if "assumed" in summary:
        lines.append(f"assumed for inspections lacking them: {json.dumps(summary['assumed'], ensure_ascii=False)}")
    return "\n".join(lines)
