"""The committed locks install what pyproject.toml asks for: every dependency pinned, at a
version its specifier admits, with hashes; the service's lock pins what the tests' lock pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")
PYTHON_311 = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.7"}


def pins(lock: str) -> dict[str, list[tuple[Version, str]]]:
    """Name → (version, marker) of every pin in `lock`; a name may be pinned per platform."""
    found: dict[str, list[tuple[Version, str]]] = {}
    lines = (ROOT / lock).read_text().splitlines()
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            name, version, marker = match.groups()
            assert "--hash=sha256:" in lines[number + 1], f"{lock}: {name} has no hash"
            found.setdefault(canonicalize_name(name), []).append((Version(version), marker or ""))
    return found


def requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ()), ("requirements-test.lock", ("test",))])
def test_every_dependency_is_pinned_at_a_version_pyproject_admits(lock: str, extras: tuple[str, ...]) -> None:
    locked = pins(lock)
    for requirement in requirements(*extras):
        if requirement.marker is not None and not requirement.marker.evaluate(PYTHON_311):
            continue
        versions = [version for version, _ in locked.get(canonicalize_name(requirement.name), [])]
        assert versions, f"{lock} does not pin {requirement.name}: run `bash .ci/refresh-lock`"
        assert all(requirement.specifier.contains(v, prereleases=True) for v in versions), (
            f"{lock} pins {requirement.name} {versions}, outside pyproject.toml's {requirement.specifier}: "
            "run `bash .ci/refresh-lock`"
        )


def test_the_service_lock_pins_what_the_test_lock_pins() -> None:
    """The service installed alone runs on the versions the tests ran on."""
    service, tested = pins("requirements.lock"), pins("requirements-test.lock")
    assert set(service) <= set(tested)
    for name, versions in service.items():
        assert versions == tested[name], f"{name}: {versions} in requirements.lock, {tested[name]} in the test lock"


def test_the_locks_name_the_build_backend_pyproject_pins() -> None:
    """pip builds certify with the backend `[build-system]` pins, at one exact version; the locks
    say which, so that changing it means refreshing them."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    assert all("==" in requirement for requirement in requires)
    for lock in ("requirements.lock", "requirements-test.lock"):
        line = f"# build backend (pyproject.toml [build-system]): {' '.join(requires)}"
        assert line in (ROOT / lock).read_text().splitlines(), f"{lock}: run `bash .ci/refresh-lock`"
