"""`certify rules check|test|list|example|schema`: for the people who write, test and try standards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from certify.cli import Failed, impact
from certify.core.compiled import compiled
from certify.core.errors import CertifyError
from certify.core.standard import Standard
from certify.resources import bundled_path
from certify.rulebook import RulebookError, bundled, load_file, load_files, standard_files
from certify.rulebook.examples import run_examples
from certify.rulebook.loader import Finding


def register(subparsers: Any) -> None:
    rules = subparsers.add_parser(
        "rules",
        help="the standards: check and test a file, list the installed ones, print a worked example",
        description="Standards are YAML files, one per version (rules/README.md tells how to write one).",
    )
    commands = rules.add_subparsers(dest="rules_command", required=True)
    for name, run, help_text in (
        ("check", _check, "lint standard files (the bundled ones when no path is given)"),
        ("test", _test, "run the worked examples of standard files"),
    ):
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a standard file or a folder of them")
        parser.set_defaults(run=run)
    listing = commands.add_parser("list", help="the installed standards")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=_list)
    example = commands.add_parser(
        "example",
        help="print a worked example's inspection as JSON, ready for `certify score`",
        description="Print the inspection of one of a standard's worked examples, e.g. "
        "`certify rules example batik 2 > inspection.json && certify score --standard batik inspection.json`.",
    )
    example.add_argument("standard", metavar="STANDARD", help="e.g. batik or batik@2026.1")
    example.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="the example's number (1, 2, …) or name (default 1; the list goes to stderr)",
    )
    example.set_defaults(run=_example)
    commands.add_parser("schema", help="the JSON Schema of a standard file, for an editor").set_defaults(run=_schema)
    impact.register(commands)


def _files(paths: list[Path]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise Failed(f"certify rules: no such file or folder: {', '.join(missing)}")
    files = standard_files(paths or [bundled_path("rules")])
    if not files:
        raise Failed("certify rules: no standard files (*.yaml) found")
    return files


def _check(args: argparse.Namespace) -> int:
    files = _files(args.paths)
    try:
        load_files(files)
    except RulebookError as error:
        raise Failed(_findings(error.findings)) from None
    print(f"{len(files)} standard file(s) ok")
    return 0


def _findings(findings: list[Finding]) -> str:
    return "\n".join(str(f) for f in findings) + f"\n{len(findings)} problem(s)"


def _test(args: argparse.Namespace) -> int:
    failed = passed = 0
    for file in _files(args.paths):
        try:
            standard = load_file(file, run_examples=False)
        except RulebookError as error:
            print(_findings(error.findings))
            failed += 1
            continue
        for result in run_examples(standard):
            if result.passed:
                passed += 1
                grade = result.assessment.grade if result.assessment else None
                print(f"PASS {standard.ref} example {result.index + 1} {result.example.name!r} (grade {grade})")
            else:
                failed += 1
                print(f"FAIL {standard.ref} example {result.index + 1} {result.example.name!r}")
                for difference in result.differences:
                    print(f"     {difference.criterion + ': ' if difference.criterion else ''}{difference.message}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _installed() -> list[Standard]:
    try:
        return bundled().standards()
    except RulebookError as error:
        raise Failed(_findings(error.findings)) from None


def _list(args: argparse.Namespace) -> int:
    standards = _installed()
    if args.json:
        print(json.dumps([_summary(s) for s in standards], ensure_ascii=False, indent=2))
        return 0
    for s in standards:
        print(f"{s.ref:<24} {len(s.criteria):>3} criteria  {s.title.en} / {s.title.id}")
    return 0


def _summary(standard: Standard) -> dict[str, Any]:
    return {
        "id": standard.id,
        "version": standard.version,
        "title": {"en": standard.title.en, "id": standard.title.id},
        "criteria": len(standard.criteria),
        "examples": len(standard.examples),
        "product_categories": list(standard.product_categories),
        "content_hash": compiled(standard).content_hash,
    }


def _example(args: argparse.Namespace) -> int:
    try:
        standard = bundled().get(args.standard)
    except (RulebookError, CertifyError) as error:
        raise Failed(f"certify rules example: {error}") from None
    examples = standard.examples
    wanted = (args.name or "1").strip().casefold()
    for number, example in enumerate(examples, 1):
        if wanted in (str(number), example.name.casefold()):
            if args.name is None:  # which one this is, and the others, where a person reads them
                for other, each in enumerate(examples, 1):
                    outcome = "certified" if each.expect.certified else "not certified"
                    print(f"{'*' if other == number else ' '}{other:>2}  {each.name}  ({outcome})", file=sys.stderr)
            print(json.dumps({"standard": standard.ref, **example.inspection}, ensure_ascii=False, indent=2))
            return 0
    raise Failed(
        f"certify rules example: {standard.ref} has no example {args.name!r}; "
        f"give a number from 1 to {len(examples)} or a name (`certify rules example {standard.id}` lists them)"
    )


def _schema(args: argparse.Namespace) -> int:
    schema = Standard.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "certify standard"
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
