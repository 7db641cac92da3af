"""Property-based fuzzing of every operation in /openapi.json (schemathesis): no server error, no
status code the schema does not document, responses that match their documented schemas."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from certify.store.database import Database
from tests.api.conftest import build_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_api_answers_every_generated_request_as_documented(database: Database, app_for: Any) -> None:
    """Each operation, fuzzed signed in as an inspector (inspections) or an admin (the rest)."""
    world = build_world(database)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app_for(database))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:
        who = "inspector" if operation.path.startswith("/api/v1/inspections") else "admin"
        fuzz(operation, world[who].headers)


def fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
