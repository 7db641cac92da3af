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
from certify.core.text import Text
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
        _table(assessment, args.lang, standard.title)
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


# The table's words in each language: headings, statuses, categories, verdicts.
_WORDS = {
    "en": {
        "criterion": "criterion",
        "category": "category",
        "status": "status",
        "input": "input",
        "points": "points",
        "w": "w",
        "contrib": "contrib",
        "reason": "reason",
        "passed": "passed",
        "failed": "failed",
        "not_applicable": "not applicable",
        "not_assessed": "not assessed",
        "missing": "missing",
        "materials": "materials",
        "finish": "finish",
        "packaging": "packaging",
        "critical": "critical",
        "major": "major",
        "minor": "minor",
        "yes": "yes",
        "no": "no",
        "n/a": "n/a",
        "weight": "weight",
        "score": "score",
        "minimum": "minimum",
        "ok": "ok",
        "below": "BELOW MINIMUM",
        "lot": "lot {size}, {name} code {code} plan {plan}: inspect {pieces}, Ac {ac} Re {re}, found {found}: {verdict}",
        "accepted": "accepted",
        "rejected": "REJECTED",
        "total": "total {total}  grade {grade}  certified {certified}",
        "note": "note",
    },
    "id": {
        "criterion": "kriteria",
        "category": "kategori",
        "status": "status",
        "input": "isian",
        "points": "poin",
        "w": "b",
        "contrib": "sumbangan",
        "reason": "alasan",
        "passed": "lulus",
        "failed": "tidak lulus",
        "not_applicable": "tidak berlaku",
        "not_assessed": "tidak dinilai",
        "missing": "belum diisi",
        "materials": "bahan",
        "finish": "hasil akhir",
        "packaging": "kemasan",
        "critical": "kritis",
        "major": "mayor",
        "minor": "minor",
        "yes": "ya",
        "no": "tidak",
        "n/a": "t/b",
        "weight": "bobot",
        "score": "skor",
        "minimum": "minimum",
        "ok": "memenuhi",
        "below": "DI BAWAH MINIMUM",
        "lot": "lot {size}, {name} kode {code} rencana {plan}: periksa {pieces}, Ac {ac} Re {re}, ditemukan {found}: {verdict}",
        "accepted": "diterima",
        "rejected": "DITOLAK",
        "total": "total {total}  tingkat mutu {grade}  tersertifikasi {certified}",
        "note": "catatan",
    },
}


def _decimal(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "id" else text


def _table(a: Assessment, lang: str, title: Text) -> str:
    words = _WORDS[lang]

    def say(text: Any) -> str:
        return str(getattr(text, lang))

    def shown(value: bool | float | None) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return words["yes" if value else "no"]
        return _decimal(f"{value:g}" if isinstance(value, float) else str(value), lang)

    status_width = max(len(words[s]) for s in ("passed", "failed", "not_applicable", "not_assessed")) + 1
    category_width = max(len(words[c]) for c in ("materials", "finish", "packaging")) + 1
    named = f"{a.standard_id}@{a.standard_version}" if lang == "en" else f"{title.id} versi {a.standard_version}"
    lines = [f"{named}  {a.content_hash[:19]}…", ""]
    lines.append(
        f"{words['criterion']:<10} {words['category']:<{category_width}} {words['status']:<{status_width}} "
        f"{words['input']:>7} {words['points']:>6} {words['w']:>3} {words['contrib']:>9}  {words['reason']}"
    )
    for row in a.rows:
        points = "" if row.points is None else str(row.points)
        contribution = _decimal(f"{row.contribution_hundredths / 100:.2f}", lang) if row.points is not None else ""
        lines.append(
            f"{row.criterion:<10} {words[row.category]:<{category_width}} {words[row.status]:<{status_width}} "
            f"{shown(row.input):>7} {points:>6} {row.weight:>3} {contribution:>9}  {say(row.reason)}"
        )
    lines.append("")
    for c in a.categories:
        score = words["n/a"] if c.score_tenths is None else _decimal(f"{c.score_tenths / 10:.1f}", lang)
        mark = words["ok"] if c.passed else words["below"]
        minimum = _decimal(f"{c.minimum_tenths / 10:.1f}", lang)
        lines.append(
            f"{words[c.category]:<{category_width}} {words['weight']} {c.weight:>3}  {words['score']} {score:>5}  "
            f"{words['minimum']} {minimum}  {mark}"
        )
    for d in a.lot.classes:
        p = d.plan
        lines.append(
            words["lot"].format(
                size=a.lot.lot_size,
                name=f"{words[d.name]:<6}",
                code=p.code_letter,
                plan=p.plan_letter,
                pieces=p.pieces_to_inspect,
                ac=p.accept,
                re=p.reject,
                found=d.found,
                verdict=words["accepted" if d.accepted else "rejected"],
            )
        )
    grade = "-" if a.grade is None else say(a.grade_title) if a.grade_title is not None else a.grade
    total = words["total"].format(
        total=_decimal(str(a.total), lang), grade=grade, certified=words["yes" if a.certified else "no"]
    )
    lines += ["", total]
    lines += [f"  - {say(reason)}" for reason in a.reasons]
    lines += [f"  {words['note']}: {say(note)}" for note in a.notes]
    return "\n".join(lines)
