"""Competence: an admin authorises inspectors and certifiers per standard, with from/until dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from certify.api.deps import CurrentUser, DatabaseDep, StandardsDep, require_role
from certify.api.problems import documented
from certify.services import competence
from certify.services.principal import Principal

router = APIRouter(tags=["competence"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CurrentAdmin = Annotated[Principal, Depends(require_role("admin"))]


@router.post(
    "/users/{user_id}/authorisations",
    status_code=status.HTTP_201_CREATED,
    response_model=competence.AuthorisationPublic,
    responses=documented(401, 403, 404, 422),
)
def authorise(
    db: DatabaseDep, standards: StandardsDep, admin: CurrentAdmin, user_id: UserId, body: competence.AuthorisationCreate
) -> competence.AuthorisationPublic:
    """Authorise an inspector or a certifier for a standard (every version of it) over a period."""
    return competence.authorise(database=db, standards=standards, user_id=user_id, body=body, actor_id=admin.id)


@router.get(
    "/users/{user_id}/authorisations",
    response_model=list[competence.AuthorisationPublic],
    responses=documented(401, 403, 404),
)
def list_authorisations(db: DatabaseDep, user: CurrentUser, user_id: UserId) -> list[competence.AuthorisationPublic]:
    """A user's authorisations: admins and certifiers read anyone's, inspectors their own."""
    return competence.list_authorisations(database=db, viewer=user, user_id=user_id)
