"""Stateful fuzzing over the whole OpenAPI (schemathesis): sequences of calls that follow the
documented links (holder → product → inspection → decision → certificate) get no server error,
no undocumented status code and no response outside its documented schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import select

from certify.store.database import Database
from certify.store.tables import Product
from tests.api.conftest import World, build_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
LINKED = {
    ("/api/v1/holders", "POST"): {"GetHolder", "CreateProduct"},
    ("/api/v1/holders/{holder_id}/products", "POST"): {"GetProduct", "SubmitInspection"},
    ("/api/v1/inspections", "POST"): {"GetInspection", "Decide"},
    ("/api/v1/inspections/{inspection_id}/decision", "POST"): {"VerifyCertificate"},
}


def caller(path: str, method: str) -> str:
    """Who makes a call: the role its operation is for (an admin for the rest)."""
    if path == "/api/v1/inspections" and method == "POST":
        return "inspector"
    if path.endswith("/decision") or (path.startswith("/api/v1/certificates/") and method == "POST"):
        return "certifier"
    return "admin"


def test_the_published_schema_links_each_created_resource_to_its_next_steps(database: Database, app_for: Any) -> None:
    """Every POST that creates something names, as OpenAPI links, the operations that use its id."""
    schema = app_for(database).openapi()
    for (path, method), links in LINKED.items():
        answer = schema["paths"][path][method.lower()]["responses"]["201"]
        assert set(answer["links"]) == links
        for link in answer["links"].values():
            assert any(
                operation.get("operationId") == link["operationId"]
                for operations in schema["paths"].values()
                for operation in operations.values()
            )


def test_call_sequences_following_the_links_are_answered_as_documented(database: Database, app_for: Any) -> None:
    """A state machine over every operation, chaining created ids along the links, each call made
    by the role it is for: no server error and every response as the schema documents it."""
    world: World = build_world(database)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app_for(database))
    # Valid requests, so that chains get far along the links; invalid ones (bodies that are not
    # even UTF-8 among them) are fuzzed operation by operation in test_schemathesis.py.
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])

    class Calls(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": world[caller(case.path, case.method.upper())].headers}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    # Derandomized (as every hypothesis test is in CI), and the lock pins hypothesis and
    # schemathesis, so a run is the same each time. Whether a run chains a product under a holder
    # it made itself is still chance from one release to the next: 25 and 50 sequences did not
    # with the locked versions, 75 did.
    Calls.run(
        settings=settings(
            max_examples=75,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    with database.read() as session:
        made_here = [p for p in session.exec(select(Product)) if p.holder_id not in world.holders.values()]
    assert made_here, "no product was registered under a holder the run itself created (links unused)"
