"""`certify.core` is pure: it loads nothing of the project outside itself and no framework but pydantic."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import certify.core

CORE = Path(certify.core.__file__).parent
MODULES = sorted(f"certify.core.{path.stem}" for path in CORE.glob("*.py") if path.stem != "__init__")
FORBIDDEN = ("fastapi", "sqlmodel", "sqlalchemy", "weasyprint", "jinja2", "yaml", "httpx", "starlette", "uvicorn")

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_after_importing(modules: list[str]) -> list[str]:
    """Every module in sys.modules of a fresh interpreter that imported `modules`."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        check=True,
        cwd=CORE.parent.parent,
    ).stdout
    loaded: list[str] = json.loads(out)
    return loaded


def test_importing_every_core_module_loads_nothing_of_the_project_outside_core() -> None:
    """No certify.* module but certify itself and certify.core.* is loaded by the core."""
    loaded = _loaded_after_importing(MODULES)
    assert set(MODULES) <= set(loaded)  # the probe did import them
    project = [name for name in loaded if name.startswith("certify.") or name == "certify"]
    assert [name for name in project if name != "certify" and not name.startswith("certify.core")] == []


def test_importing_every_core_module_loads_no_web_database_pdf_or_yaml_library() -> None:
    """None of fastapi, sqlmodel, sqlalchemy, weasyprint, jinja2, yaml, httpx (or their kin) is loaded."""
    loaded = _loaded_after_importing(MODULES)
    assert "pydantic" in loaded
    assert sorted(name for name in loaded if name.split(".")[0] in FORBIDDEN) == []


def test_the_probe_would_see_a_forbidden_import() -> None:
    """The check above can fail: importing the rulebook (which reads YAML) shows yaml in sys.modules."""
    loaded = _loaded_after_importing(["certify.rulebook"])
    assert "yaml" in loaded


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_every_import_written_in_core_is_the_standard_library_pydantic_or_core() -> None:
    """Read from the source, so that an import inside a function cannot slip past the sys.modules check."""
    allowed = set(sys.stdlib_module_names) | {"pydantic", "pydantic_core", "typing_extensions"}
    offenders = {
        f"{path.name}: {name}"
        for path in sorted(CORE.glob("*.py"))
        for name in _imports(path)
        if not name.startswith("certify.core") and name.split(".")[0] not in allowed
    }
    assert sorted(offenders) == []
