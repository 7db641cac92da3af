"""The warnings policy: certify's own warnings are errors in the tests; a third-party
deprecation is silenced by its exact message alone, and none reaches a user of the CLI."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
from cryptography.utils import CryptographyDeprecationWarning

import certify


def test_a_warning_from_certify_itself_is_an_error_in_the_tests() -> None:
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old", DeprecationWarning, "certify/core/scoring.py", 1, module="certify.core.scoring")


def test_only_the_exact_pyhanko_message_is_silenced() -> None:
    """Another deprecation from cryptography, even raised in pyHanko, still surfaces."""
    exact = "DSA is deprecated and support will be removed in a future release"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        import importlib

        importlib.reload(certify)  # its filter goes on top of the default above
        warnings.warn_explicit(exact, CryptographyDeprecationWarning, "pyhanko/sign/x.py", 1, module="pyhanko.sign.x")
        warnings.warn_explicit(
            "SHA1 is deprecated", CryptographyDeprecationWarning, "pyhanko/sign/x.py", 1, module="pyhanko.sign.x"
        )
    assert [str(w.message) for w in seen] == ["SHA1 is deprecated"]


def test_no_warning_reaches_a_user_of_the_cli() -> None:
    """`certify verify --help` imports pyHanko and cryptography, as every PDF check does."""
    done = subprocess.run(
        [sys.executable, "-m", "certify.cli", "verify", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == ""
