"""Dependencies, each declared once as an `Annotated` alias: the database, the standards, and who
is asking (`CurrentUser`, `CurrentInspector`, …). No dependency holds a database session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from certify.services import accounts
from certify.services.errors import Forbidden, Unauthenticated
from certify.services.principal import Principal, Role
from certify.services.standards import Standards
from certify.store.database import Database

bearer = HTTPBearer(auto_error=False, description="an API token from `certify users add`")


def database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def standards(request: Request) -> Standards:
    book: Standards = request.app.state.standards
    return book


DatabaseDep = Annotated[Database, Depends(database)]
StandardsDep = Annotated[Standards, Depends(standards)]


def current_user(
    db: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("sign in: send `Authorization: Bearer <token>`")
    user = accounts.authenticate(database=db, token=credentials.credentials)
    if user is None:
        if accounts.token_expired(database=db, token=credentials.credentials):
            raise Unauthenticated("this token has expired: ask an administrator for a new one "
                                  "(`certify users token`)")
        raise Unauthenticated("this token is unknown or has been revoked")
    return user


CurrentUser = Annotated[Principal, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[Principal], Principal]:
    def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}; you are {user.role}")
        return user

    return check


CurrentInspector = Annotated[Principal, Depends(require_role("inspector"))]
CurrentCertifier = Annotated[Principal, Depends(require_role("certifier"))]
HolderEditor = Annotated[Principal, Depends(require_role("admin", "inspector"))]
