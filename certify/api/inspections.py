"""Inspections from the field, and the certifier's decision on each."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Annotated
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
from fastapi import APIRouter, Header, Query, status
from fastapi.responses import JSONResponse, Response

from certify.api.deps import (
    CurrentCertifier,
    CurrentInspector,
    CurrentUser,
    DatabaseDep,
    IssuanceDep,
    StandardsDep,
    short_read,
)
from certify.api.ids import MAX_ID, InspectionId
from certify.api.problems import documented
from certify.services import decisions, inspections
from certify.services.models import (
    CertificatePublic,
    DecisionCreate,
    DecisionPublic,
    InspectionCreate,
    InspectionPublic,
)

router = APIRouter(prefix="/inspections", tags=["inspections"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="retry safely: the same key and body answer the first response again",
    ),
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=InspectionPublic,
    responses=documented(401, 403, 404, 409, 413, 422),
    summary="Submit an inspection; it is validated and scored against the standard",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "GetInspection": {
                        "operationId": "get_inspection_api_v1_inspections__inspection_id__get",
                        "parameters": {"inspection_id": "$response.body#/id"},
                    },
                    "Decide": {
                        "operationId": "decide_api_v1_inspections__inspection_id__decision_post",
                        "parameters": {"inspection_id": "$response.body#/id"},
                    },
                }
            }
        }
    },
)
async def submit_inspection(
    db: DatabaseDep,
    standards: StandardsDep,
    inspector: CurrentInspector,
    body: InspectionCreate,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    submit = partial(
        inspections.submit_inspection,
        database=db,
        standards=standards,
        inspector=inspector,
        body=body,
        idempotency_key=idempotency_key,
    )
    submission = await anyio.to_thread.run_sync(submit, limiter=_submitting())
    if submission.replayed:
        return JSONResponse(submission.inspection, status_code=201, headers={"Idempotent-Replayed": "true"})
    return Response(submission.text, status_code=201, media_type="application/json")


SUBMITTING_AT_ONCE = 2
"""Submissions scored and stored at once per worker; the others wait their turn. Each is CPU work
under the GIL with a short write (one at a time on SQLite): sixteen threads at it would take the
GIL from each other, the one holding the write lock included, and finish later than two in turn.
Reads run in the default thread pool and never wait behind them."""

_limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = WeakKeyDictionary()


def _submitting() -> anyio.CapacityLimiter:
    """The submissions' limiter of the running event loop (one per loop: a limiter's waiters belong to one)."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(SUBMITTING_AT_ONCE)
    return limiter


@router.get("", responses=documented(401, 422), summary="Inspections you may see")
def list_inspections(
    db: DatabaseDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    holder_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[InspectionPublic]:
    return inspections.list_inspections(database=db, viewer=user, limit=limit, offset=offset, holder_id=holder_id)


@router.get(
    "/{inspection_id}", response_model=InspectionPublic, responses=documented(401, 404, 422), summary="One inspection"
)
async def get_inspection(db: DatabaseDep, user: CurrentUser, inspection_id: InspectionId) -> Response:
    # On SQLite from the event loop: a phone polling its inspection while others submit would
    # otherwise wait its turn for the GIL in a thread, behind them (read p99 15 ms, not 30).
    # Written once, with the stored assessment's text as it is (`inspections.inspection_answer`):
    # a returned model would be dumped, validated again and dumped again by FastAPI.
    answer = await short_read(
        db, partial(inspections.inspection_answer, database=db, viewer=user, inspection_id=inspection_id)
    )
    return Response(answer, media_type="application/json")


@router.post(
    "/{inspection_id}/decision",
    status_code=status.HTTP_201_CREATED,
    responses=documented(401, 403, 404, 409, 413, 422, 503),
    summary="Decide: issue a certificate (answers the certificate) or refuse (the decision)",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "VerifyCertificate": {
                        "operationId": "get_certificate_api_v1_certificates__certificate_id__get",
                        "parameters": {"certificate_id": "$response.body#/certificate_id"},
                    },
                }
            }
        }
    },
)
def decide(
    db: DatabaseDep,
    standards: StandardsDep,
    certifier: CurrentCertifier,
    inspection_id: InspectionId,
    decision: DecisionCreate,
    issuance: IssuanceDep,
) -> CertificatePublic | DecisionPublic:
    return decisions.decide(
        database=db,
        standards=standards,
        certifier=certifier,
        inspection_id=inspection_id,
        decision=decision,
        issuance=issuance,
    )
