"""The HTTP edge shared by `api/` and `web/`, each dependency declared once as an `Annotated`
alias: the typed app state (database, standards, issuance, keys), who is asking (`CurrentUser`,
`OptionalUser`, `CurrentInspector`, …), a canonical certificate ID from the path (or 404), and
the PDF download. No dependency holds a database session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, TypeVar

import anyio.to_thread
from fastapi import Depends, Path, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from certify.config import Settings
from certify.core.certificate_id import CertificateIdError, parse
from certify.documents.untrusted import UploadReaders
from certify.services import accounts
from certify.services.certificates import Issuance
from certify.services.credentials import Issuer
from certify.services.errors import Forbidden, NotFound, Unauthenticated
from certify.services.keys import IssuerKeys
from certify.services.principal import Principal, Role
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.row_reads import RowReads

T = TypeVar("T")

bearer = HTTPBearer(auto_error=False, description="an API token from `certify users add`")


@dataclass
class AppState:
    """What the app's requests share, set once by `create_app` (`app.state.certify`)."""

    settings: Settings
    database: Database
    standards: Standards
    issuance: Issuance  # replaceable, e.g. by a test's failing renderer
    upload_readers: UploadReaders  # the processes that read uploaded PDFs under limits
    row_reads: RowReads | None = None  # PostgreSQL: one-row reads on the loop, open during the lifespan

    @property
    def keys(self) -> IssuerKeys:
        return self.issuance.keys

    @property
    def credential_issuer(self) -> Issuer:
        """Who signs Verifiable Credentials: the issuance's keys, address and time zone."""
        return Issuer(keys=self.issuance.keys, public_url=self.issuance.public_url, zone=self.issuance.zone)


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.certify
    return state


# The dependencies that only read the app's state are `async def`: FastAPI runs a plain `def`
# dependency in the thread pool, a hop (and a wait for a thread) per dependency per request.


async def _app_state(request: Request) -> AppState:
    return app_state(request)


async def database(request: Request) -> Database:
    return app_state(request).database


async def standards(request: Request) -> Standards:
    return app_state(request).standards


async def issuance(request: Request) -> Issuance:
    return app_state(request).issuance


async def issuer_keys(request: Request) -> IssuerKeys:
    return app_state(request).keys


AppStateDep = Annotated[AppState, Depends(_app_state)]
DatabaseDep = Annotated[Database, Depends(database)]
StandardsDep = Annotated[Standards, Depends(standards)]
IssuanceDep = Annotated[Issuance, Depends(issuance)]
IssuerKeysDep = Annotated[IssuerKeys, Depends(issuer_keys)]

CertificateIdPath = Annotated[
    str, Path(min_length=1, max_length=64, description="as printed or typed: IDC-2026-7KQ3-9XHD-P")
]


async def canonical_certificate_id(certificate_id: CertificateIdPath) -> str:
    """The path's certificate ID as typed, made canonical; 404 saying why it is none (a typo, by
    its check character, or not the shape of an ID)."""
    try:
        return str(parse(certificate_id))
    except CertificateIdError as error:
        raise NotFound(error.text) from None


CertificateId = Annotated[str, Depends(canonical_certificate_id)]
"""A `{certificate_id}` path parameter, canonical (or the request is a 404)."""


def pdf_download(pdf: bytes, certificate_id: str) -> Response:
    """The issued PDF as a private download named after its (canonical) certificate ID."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{certificate_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


async def bearer_of(state: AppState, token: str) -> accounts.Bearer:
    """Who sends `token`, read on every request (nothing cached: a revocation is seen at once).
    On SQLite from the event loop (a local file read: quicker than a trip to a thread), on
    PostgreSQL as one prepared read on the loop (`RowReads`), a worker thread only without it."""
    db, reads = state.database, state.row_reads
    if reads is not None:  # PostgreSQL, inside the lifespan
        return await accounts.bearer_on_loop(database=db, reads=reads, token=token)
    return await short_read(db, partial(accounts.bearer, database=db, token=token))


async def short_read(db: Database, read: Callable[[], T]) -> T:
    """`read()`, a read of a few rows: on SQLite from the event loop (a local file read, quicker
    than a trip to a thread, and no wait for the GIL behind the threads busy with submissions),
    on PostgreSQL in a worker thread (a network round trip must not hold the loop)."""
    if db.dialect == "sqlite":
        return read()
    return await anyio.to_thread.run_sync(read)


async def current_user(
    state: AppStateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("sign in: send `Authorization: Bearer <token>`")
    user = await bearer_of(state, credentials.credentials)
    if user == "expired":
        raise Unauthenticated("this token has expired: ask an administrator for a new one (`certify users token`)")
    if user is None:
        raise Unauthenticated("this token is unknown or has been revoked")
    return user


CurrentUser = Annotated[Principal, Depends(current_user)]


async def optional_user(
    state: AppStateDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal | None:
    """Who is asking, or None (no token, or one that is unknown, revoked or expired)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    user = await bearer_of(state, credentials.credentials)
    return user if isinstance(user, Principal) else None


OptionalUser = Annotated[Principal | None, Depends(optional_user)]


def require_role(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(user: CurrentUser) -> Principal:  # no I/O: no thread-pool hop
        if user.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}; you are {user.role}")
        return user

    return check


CurrentInspector = Annotated[Principal, Depends(require_role("inspector"))]
CurrentCertifier = Annotated[Principal, Depends(require_role("certifier"))]
HolderEditor = Annotated[Principal, Depends(require_role("admin", "inspector"))]
