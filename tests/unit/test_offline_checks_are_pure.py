"""`certify verify` and `certify audit` check offline: they and `certify.proofs` load no service,
no database and no web framework."""

from __future__ import annotations

import pytest

from tests.unit.test_core_is_pure import _loaded_after_importing

LAYERS_ABOVE = ("certify.services", "certify.store", "certify.api", "certify.web")
FRAMEWORKS = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "uvicorn")


@pytest.mark.parametrize("module", ["certify.cli.verify", "certify.cli.audit", "certify.proofs"])
def test_the_offline_checks_load_no_service_database_or_web_framework(module: str) -> None:
    """Importing the command (or the checks) in a fresh interpreter loads none of those layers."""
    loaded = _loaded_after_importing([module])
    assert module in loaded
    assert [name for name in loaded if name.startswith(LAYERS_ABOVE)] == []
    assert [name for name in loaded if name.split(".")[0] in FRAMEWORKS] == []


def test_the_probe_would_see_a_service_loaded() -> None:
    """The check above can fail: the service's log loads certify.services and sqlalchemy."""
    loaded = _loaded_after_importing(["certify.services.log"])
    assert "certify.services.log" in loaded and "sqlalchemy" in loaded
