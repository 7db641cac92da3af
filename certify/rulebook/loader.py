"""Reads and lints standard files into core models; every error names file, line and criterion.

Two passes, as Cloud Custodian does: humane structural messages from the YAML and pydantic
(unknown key, missing key, wrong type), then the whole-standard checks of `certify.core.lint`, then
the worked examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from certify.core.errors import Problem, RuleError
from certify.core.lint import lint
from certify.core.standard import Standard
from certify.rulebook.examples import check_examples
from certify.rulebook.titles import share as share_titles
from certify.rulebook.yamlfile import Located, YamlError, load


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint error: `FILE:LINE: WHERE: message`, WHERE a criterion id or the file's section."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.where}: {self.message}"


class RulebookError(RuleError):
    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__([Problem(str(f)) for f in findings])

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)


def load_file(path: Path, *, run_examples: bool = True) -> Standard:
    """The standard in `path`, linted (and its examples run); `RulebookError` lists every finding."""
    name = str(path)
    try:
        located = load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise RulebookError([Finding(name, 1, "file", f"cannot read: {error}")]) from None
    except YamlError as error:
        raise RulebookError([Finding(name, error.line, "file", error.message)]) from None
    standard = _validate(located, name)
    share_titles(standard)
    problems = lint(standard)
    if not problems and run_examples:
        problems = check_examples(standard)
    if problems:
        raise RulebookError([_finding(name, located, standard.model_dump(by_alias=True), p) for p in problems])
    return standard


def _validate(located: Located, name: str) -> Standard:
    if not isinstance(located.data, dict):
        raise RulebookError([Finding(name, 1, "file", "a standard is a mapping of keys (id, version, criteria, …)")])
    try:
        return Standard.model_validate(located.data)
    except ValidationError as error:
        problems = _humane(error, located.data)
        raise RulebookError([_finding(name, located, located.data, p) for p in problems]) from None


def _humane(error: ValidationError, data: dict[str, Any]) -> list[Problem]:
    """pydantic's errors as one plain sentence each, at the path that exists in the file."""
    found = []
    details = error.errors()
    locations = [tuple(d["loc"]) for d in details]
    for detail, loc in zip(details, locations, strict=True):
        if detail["type"] in ("too_short", "union_tag_invalid") and any(
            other[: len(loc)] == loc and other != loc for other in locations
        ):
            continue  # a container's complaint about a child already reported
        path = _existing_path(data, loc)
        last = loc[-1] if loc else ""
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = f"unknown key {last!r}"
        elif kind == "missing":
            message = f"missing key {last!r}"
        elif kind == "string_type" and last == "version":
            message = 'version must be a quoted string, e.g. "2026.1"'
        else:
            message = f"{'.'.join(map(str, path[-2:]))}: {detail['msg']}" if path else detail["msg"]
        found.append(Problem(message, path))
    return found


def _existing_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The part of pydantic's `loc` that names places in the data (it adds union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
            path.append(part)
    return tuple(path)


def _finding(name: str, located: Located, data: dict[str, Any], problem: Problem) -> Finding:
    return Finding(name, located.line(problem.path), problem.criterion or _section(data, problem.path), problem.message)


def _section(data: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """Where in the file a problem lies, for problems that are not about a criterion."""
    if len(path) >= 2 and path[0] == "criteria" and isinstance(path[1], int):
        criteria = data.get("criteria") or []
        item = criteria[path[1]] if path[1] < len(criteria) else None
        return str(item.get("id", f"criteria[{path[1]}]")) if isinstance(item, dict) else f"criteria[{path[1]}]"
    if len(path) >= 2 and path[0] == "examples" and isinstance(path[1], int):
        examples = data.get("examples") or []
        item = examples[path[1]] if path[1] < len(examples) else None
        named = item.get("name") if isinstance(item, dict) else None
        return f"example {named!r}" if named else f"examples[{path[1]}]"
    return (str(path[0]) if path else "") or "standard"
