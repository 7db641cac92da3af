"""The installed standards, by id and version."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from certify.core.errors import Problem, UnknownStandard
from certify.core.standard import Standard
from certify.resources import bundled_path
from certify.rulebook.loader import Finding, RulebookError, load_file


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


class Rulebook:
    def __init__(self, standards: Iterable[Standard]) -> None:
        ordered = sorted(standards, key=lambda s: (s.id, version_key(s.version)))
        self._by_ref = {s.ref: s for s in ordered}
        self._latest = {s.id: s for s in ordered}  # the last version of each id wins

    def get(self, ref: str) -> Standard:
        """ "ID" (its latest version) or "ID@VERSION"."""
        found = self._by_ref.get(ref) if "@" in ref else self._latest.get(ref)
        if found is None:
            known = ", ".join(self._by_ref) or "none"
            raise UnknownStandard([Problem(f"no standard {ref!r} is installed (installed: {known})", ("standard",))])
        return found

    def standards(self) -> list[Standard]:
        """Every installed version, by id then version."""
        return list(self._by_ref.values())

    def latest(self) -> list[Standard]:
        return list(self._latest.values())


def standard_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, and those under the folders named."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    return files


def load_files(files: Iterable[Path]) -> Rulebook:
    """Every file loaded and linted; one `RulebookError` lists the findings of all of them."""
    standards, findings = [], []
    for file in files:
        try:
            standard = load_file(file)
        except RulebookError as error:
            findings += error.findings
            continue
        expected = (file.parent.name, file.stem)
        if file.parent.name != "rules" and expected != (standard.id, standard.version):
            findings.append(
                Finding(str(file), 1, "file", f"holds {standard.ref}; name it {standard.id}/{standard.version}.yaml")
            )
        standards.append(standard)
    if findings:
        raise RulebookError(findings)
    return Rulebook(standards)


@cache
def bundled() -> Rulebook:
    """The standards shipped in `rules/`."""
    return load_files(standard_files([bundled_path("rules")]))
