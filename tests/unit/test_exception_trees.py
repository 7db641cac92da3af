"""The docstrings that draw the exception trees name every exception of the project below their root."""

from __future__ import annotations

import importlib
import pkgutil

import certify
import certify.core.errors
import certify.services.errors
from certify.core.errors import CertifyError


def every_subclass(root: type[BaseException]) -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    for sub in root.__subclasses__():
        found |= {sub} | every_subclass(sub)
    return found


def test_every_expected_failure_is_drawn_in_the_error_modules_docstrings() -> None:
    """Each subclass of CertifyError, wherever it is defined, is named in core/errors.py's or services/errors.py's tree."""
    for module in pkgutil.walk_packages(certify.__path__, "certify."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    drawn = f"{certify.core.errors.__doc__}\n{certify.services.errors.__doc__}"
    found = {cls for cls in every_subclass(CertifyError) if cls.__module__.startswith("certify.")}
    assert len(found) >= 15
    assert sorted(cls.__name__ for cls in found if f" {cls.__name__} " not in drawn.replace("\n", " \n")) == []
