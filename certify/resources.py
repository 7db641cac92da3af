"""Where the top-level `rules/` and `templates/` folders are: inside an installed wheel
(`certify/_data/…`, carried there by pyproject's force-include) or beside the package in a checkout."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(name: str) -> Path:
    """The bundled folder `name` ("rules", "templates" or "agreement")."""
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name
