"""Who the token belongs to: the first call a client makes after signing in."""

from __future__ import annotations

from fastapi import APIRouter

from certify.api.deps import CurrentUser
from certify.api.problems import documented
from certify.services.models import UserPublic

router = APIRouter(tags=["accounts"])


@router.get("/me", responses=documented(401), summary="The signed-in user")
def me(user: CurrentUser) -> UserPublic:
    return UserPublic(id=user.id, name=user.name, role=user.role, holder_id=user.holder_id)
