"""`certify score --standard ID[@VERSION] INSPECTION.json [--explain]`."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from certify.cli import Failed, UsageError
from certify.core.assessment import Assessment
from certify.core.errors import CertifyError
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.rulebook import RulebookError, bundled


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score", help="score an inspection (a JSON file) against a standard and explain every point"
    )
    parser.add_argument("--standard", required=True, metavar="ID[@VERSION]", help="e.g. batik or batik@2026.1")
    parser.add_argument("inspection", type=Path, metavar="INSPECTION.json")
    parser.add_argument("--explain", action="store_true", help="a readable table instead of JSON")
    parser.add_argument("--lang", choices=("en", "id"), default="en", help="language of --explain (default en)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    body = _read(args.inspection)
    named = body.pop("standard", None)
    body.pop("product_id", None)  # an API body scores as it is
    body.pop("note", None)
    body.setdefault("inspected_on", datetime.now(UTC).date().isoformat())  # as the service dates a submission
    try:
        standard = bundled().get(args.standard)
    except (RulebookError, CertifyError) as error:
        raise Failed(f"certify score: {error}") from None
    if named is not None and named not in (standard.id, standard.ref, args.standard):
        raise UsageError(
            f"certify score: {args.inspection} names standard {named!r}, but --standard is {args.standard!r}"
        )
    try:
        assessment = score(standard, Inspection.model_validate(body))
    except ValidationError as error:
        lines = [f"  {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise Failed(f"certify score: {args.inspection} is not a valid inspection:\n" + "\n".join(lines)) from None
    except CertifyError as error:
        lines = [f"  {p.said(args.lang)}" for p in error.problems]
        raise Failed(f"certify score: refused against {standard.ref}:\n" + "\n".join(lines)) from None
    print(
        _table(assessment, args.lang)
        if args.explain
        else json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2)
    )
    return 0


def _read(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"certify score: no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise Failed(f"certify score: cannot read {path}: {error}") from None
    except json.JSONDecodeError as error:
        raise Failed(f"certify score: {path}:{error.lineno}: not JSON: {error.msg}") from None
    if not isinstance(body, dict):
        raise Failed(f"certify score: {path} must hold a JSON object (facts, lot, measurements, defects)")
    return body


def _table(a: Assessment, lang: str) -> str:
    def say(text: Any) -> str:
        return str(getattr(text, lang))

    lines = [f"{a.standard_id}@{a.standard_version}  {a.content_hash[:19]}…", ""]
    lines.append(
        f"{'criterion':<10} {'category':<9} {'status':<14} {'input':>7} {'points':>6} {'w':>3} {'contrib':>7}  reason"
    )
    for row in a.rows:
        value = "" if row.input is None else str(row.input).lower()
        points = "" if row.points is None else str(row.points)
        contribution = f"{row.contribution_hundredths / 100:.2f}" if row.points is not None else ""
        lines.append(
            f"{row.criterion:<10} {row.category:<9} {row.status:<14} {value:>7} {points:>6} {row.weight:>3} "
            f"{contribution:>7}  {say(row.reason)}"
        )
    lines.append("")
    for c in a.categories:
        shown = "n/a" if c.score_tenths is None else f"{c.score_tenths / 10:.1f}"
        mark = "ok" if c.passed else "BELOW MINIMUM"
        lines.append(
            f"{c.category:<10} weight {c.weight:>3}  score {shown:>5}  minimum {c.minimum_tenths / 10:.1f}  {mark}"
        )
    for d in a.lot.classes:
        p = d.plan
        verdict = "accepted" if d.accepted else "REJECTED"
        lines.append(
            f"lot {a.lot.lot_size}, {d.name:<8} code {p.code_letter} plan {p.plan_letter}: inspect {p.pieces_to_inspect}, "
            f"Ac {p.accept} Re {p.reject}, found {d.found}: {verdict}"
        )
    lines += ["", f"total {a.total}  grade {a.grade or '-'}  certified {'yes' if a.certified else 'no'}"]
    lines += [f"  - {say(reason)}" for reason in a.reasons]
    lines += [f"  note: {say(note)}" for note in a.notes]
    return "\n".join(lines)
