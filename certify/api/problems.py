"""RFC 9457 problem details: every error the API gives, rendered by one set of handlers.

Each problem names what is at fault in `errors`: a JSON pointer into the body (`pointer`), a
query or path `parameter`, a `header`, and the `criterion` of the standard when there is one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from certify.core.errors import CertifyError
from certify.core.errors import Problem as CoreProblem
from certify.services.errors import ServiceError, Unavailable

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("certify.api")


class ProblemItem(BaseModel):
    detail: str
    pointer: str | None = Field(default=None, description='JSON pointer into the body: "#/lot/size"')
    parameter: str | None = None
    header: str | None = None
    criterion: str | None = None


class Problem(BaseModel):
    type: str = Field(description="a URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemItem] = []


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    body = {
        "type": f"urn:certify:problem:{slug or phrase.lower().replace(' ', '-')}",
        "title": title or phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "errors": list(errors),
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _item(problem: CoreProblem) -> dict[str, Any]:
    item: dict[str, Any] = {"detail": problem.message}
    if problem.path:
        item["pointer"] = "#/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in problem.path)
    if problem.criterion:
        item["criterion"] = problem.criterion
    return item


def _validation_item(error: dict[str, Any]) -> dict[str, Any]:
    where, *path = error["loc"]
    item: dict[str, Any] = {"detail": error["msg"]}
    if where == "body":
        item["pointer"] = "#/" + "/".join(str(part) for part in path)
    elif where == "header":
        item["header"] = str(path[0]) if path else ""
    else:
        item["parameter"] = ".".join(str(part) for part in path)
    return item


async def _service_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    errors = [_item(p) for p in error.problems if p.path or p.criterion]
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    if isinstance(error, Unavailable):
        headers = {"Retry-After": "1"}
    return problem_response(
        request, error.status, error.detail, slug=error.slug, title=error.title, errors=errors, headers=headers
    )


async def _certify_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CertifyError)
    return problem_response(request, 422, str(error), slug="invalid", errors=[_item(p) for p in error.problems])


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = [_validation_item(dict(e)) for e in error.errors()]
    where = "; ".join(f"{i.get('pointer') or i.get('parameter') or i.get('header')}: {i['detail']}" for i in items[:5])
    return problem_response(
        request, 422, f"the request is not valid: {where}", slug="invalid", title="Invalid input", errors=items
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    if error.status_code == 400 and error.__cause__ is not None:
        # FastAPI's "There was an error parsing the body": a body that could not be read at all is
        # invalid input like any other (422, as for malformed JSON), said plainly.
        kind = request.headers.get("content-type", "no content type")
        why = (
            "it is not UTF-8 text"
            if isinstance(error.__cause__, UnicodeDecodeError)
            else f"it is not well-formed {kind.split(';')[0]}"
        )
        return problem_response(
            request,
            422,
            f"the request body cannot be read: {why}",
            slug="invalid",
            title="Invalid input",
            errors=[{"detail": why, "pointer": "#"}],
        )
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    return problem_response(request, error.status_code, detail, headers=dict(error.headers) if error.headers else None)


async def _busy(request: Request, error: Exception) -> JSONResponse:
    log.warning("database busy: %s", error)
    return problem_response(
        request, 503, "the database is busy; try again in a moment", slug="unavailable", headers={"Retry-After": "1"}
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(request, 500, "something went wrong on our side; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(CertifyError, _certify_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem statuses a route can answer (429 and 503 with Retry-After)."""
    return {status: _documented(status) for status in statuses}


def _documented(status: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "model": Problem,
        "description": HTTPStatus(status).phrase,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in (429, 503):
        entry["headers"] = {
            "Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}}
        }
    return entry
