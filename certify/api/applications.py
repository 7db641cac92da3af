"""The way in: the certification agreement, applications (no account), their review by a
certifier or an admin, and the assignments of inspectors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, status
from pydantic import BaseModel

from certify.api.deps import CurrentUser, DatabaseDep, StandardsDep, app_state
from certify.api.ids import HolderId
from certify.api.problems import documented
from certify.services import agreement, applications
from certify.services.application_models import (
    ApplicationCreate,
    ApplicationDetail,
    ApplicationPublic,
    ApplicationReceived,
    AssignmentPublic,
    ReviewChecks,
    ReviewCreate,
)

router = APIRouter(tags=["applications"])
ApplicationId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Token = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/agreement", response_model=agreement.Agreement)
def current_agreement(request: Request) -> agreement.Agreement:
    """The certification agreement an applicant accepts today (its current version)."""
    return agreement.current(app_state(request).settings)


@router.get("/agreement/{version}", response_model=agreement.Agreement, responses=documented(404))
def agreement_version(request: Request, version: Annotated[str, Path(max_length=16)]) -> agreement.Agreement:
    """A published version of the certification agreement, current or not."""
    return agreement.version(app_state(request).settings, version)


@router.post(
    "/applications",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationReceived,
    responses=documented(409, 422),
)
def apply(request: Request, db: DatabaseDep, standards: StandardsDep, body: ApplicationCreate) -> ApplicationReceived:
    """A workshop applies for certification, no account needed: its products (each with the
    standard to certify it against), its target markets, and its acceptance of the current
    agreement. Follow it at the answer's tracking_url."""
    return applications.apply(database=db, standards=standards, settings=app_state(request).settings, body=body)


@router.get("/applications/tracking/{token}", response_model=ApplicationPublic, responses=documented(404))
def tracked(db: DatabaseDep, token: Token) -> ApplicationPublic:
    """The applicant's view of their application, by the secret of its tracking link."""
    return applications.tracked(database=db, token=token)


@router.get("/applications", response_model=list[ApplicationDetail], responses=documented(401, 403, 422))
def list_applications(
    db: DatabaseDep,
    user: CurrentUser,
    state: Annotated[Literal["received", "accepted", "declined"] | None, Query()] = None,
) -> list[ApplicationDetail]:
    """Certifiers and admins: applications, oldest first."""
    return applications.list_applications(database=db, viewer=user, state=state)


@router.get("/applications/{application_id}", response_model=ApplicationDetail, responses=documented(401, 403, 404))
def get_application(db: DatabaseDep, user: CurrentUser, application_id: ApplicationId) -> ApplicationDetail:
    """Certifiers and admins: an application with its contact details."""
    return applications.get_application(database=db, viewer=user, application_id=application_id)


@router.get(
    "/applications/{application_id}/checks", response_model=ReviewChecks, responses=documented(401, 403, 404, 422)
)
def review_checks(
    db: DatabaseDep,
    standards: StandardsDep,
    user: CurrentUser,
    application_id: ApplicationId,
    due_on: Annotated[date | None, Query()] = None,
) -> ReviewChecks:
    """The review's checks for a due date: scope, inspectors competent and free of conflicts."""
    return applications.checks(
        database=db, standards=standards, viewer=user, application_id=application_id, due_on=due_on
    )


@router.post(
    "/applications/{application_id}/review",
    response_model=ApplicationDetail,
    responses=documented(401, 403, 404, 409, 422),
)
def review(
    db: DatabaseDep, standards: StandardsDep, user: CurrentUser, application_id: ApplicationId, body: ReviewCreate
) -> ApplicationDetail:
    """Accept with an assignment (an inspector authorised for each product's standard on the
    due date; 403 otherwise), which creates the workshop and its products; or decline with reasons."""
    return applications.review(
        database=db, standards=standards, reviewer=user, application_id=application_id, body=body
    )


@router.get("/assignments", response_model=list[AssignmentPublic], responses=documented(401, 403))
def list_assignments(db: DatabaseDep, user: CurrentUser) -> list[AssignmentPublic]:
    """An inspector's queue (their own assignments); certifiers and admins read every one."""
    return applications.list_assignments(database=db, viewer=user)


class AcceptancePublic(BaseModel):
    version: str
    accepted_by: str
    accepted_at: datetime
    application_id: int | None


@router.get("/holders/{holder_id}/agreements", response_model=list[AcceptancePublic], responses=documented(401, 404))
def holder_agreements(db: DatabaseDep, user: CurrentUser, holder_id: HolderId) -> list[AcceptancePublic]:
    """The certification agreement's acceptances on a workshop's record: version, time, who."""
    rows = applications.acceptances(database=db, viewer=user, holder_id=holder_id)
    return [
        AcceptancePublic(
            version=r.version, accepted_by=r.accepted_by, accepted_at=r.accepted_at, application_id=r.application_id
        )
        for r in rows
    ]
