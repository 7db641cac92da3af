"""Hypothesis profiles for the unit tests, chosen by HYPOTHESIS_PROFILE (default `dev`).

`ci` (what `.ci/run` sets) derandomises, so a CI run is reproducible, and prints the blob that
replays a failure; neither profile has a deadline: no test may depend on timing. Both keep the
health checks that tests/conftest.py's `certify` profile suppresses.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SUPPRESSED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=_SUPPRESSED)
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, print_blob=True, suppress_health_check=_SUPPRESSED
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
