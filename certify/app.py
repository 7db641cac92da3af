"""The application factory: `uvicorn --factory certify.app:create_app`."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial

from fastapi import APIRouter, FastAPI

from certify import __version__
from certify.api import (
    applications,
    authorisations,
    categories,
    certificates,
    complaints,
    credentials,
    docs,
    evidence,
    health,
    holders,
    inspections,
    me,
    problems,
    standards,
    verify,
    wellknown,
)
from certify.api import log as transparency_log
from certify.api.deps import AppState
from certify.api.headers import security_headers
from certify.api.public_answers import PublicAnswers
from certify.config import Settings
from certify.documents.untrusted import close_shared_upload_readers
from certify.observability import RequestLog
from certify.ratelimit import PublicLimits, PublicRateLimit, VerificationGate
from certify.services import checkpoints, log
from certify.services.certificates import Issuance
from certify.services.rendering import close_shared_renderers
from certify.services.standards import Standards, bundled
from certify.services.verification import upload_readers
from certify.services.worker import Worker
from certify.store.database import Database
from certify.store.row_reads import RowReads
from certify.web import buyers
from certify.web.router import router as pages

API_PREFIX = "/api/v1"
logger = logging.getLogger(__name__)


def _last_checkpoint(state: AppState) -> None:
    """On shutdown: sign the head of the log as it is, so nothing appended stays unsigned."""
    ring = log.ring_of(state.keys)
    if ring is None:
        return
    try:
        checkpoints.checkpoint(database=state.database, keys=ring, now=datetime.now(UTC))
    except Exception:  # a shutdown goes on whatever happens; the next start's first read signs it
        logger.exception("the shutdown checkpoint could not be signed")


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    rulebook: Standards | None = None,
) -> FastAPI:
    """The ASGI app. The database must already be migrated (`certify db upgrade`)."""
    settings = settings or Settings()
    db = database or Database.connect(settings.database, pool_size=settings.pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        jobs_worker = Worker(database=db, settings=settings)
        if db.dialect == "postgresql":  # the public answer's read, on this loop
            state.row_reads = RowReads(
                db.engine.url.render_as_string(hide_password=False), connections=settings.public_read_connections
            )
        if database is None:
            state.upload_readers.start()
            jobs_worker.start()  # the due work and the outbox, periodically
            # What startup made (the app, the standards and their compiled tables, templates) is
            # kept for the process's life: out of the collector's reach, a full collection walks
            # only what requests made (a read's p99 during submissions: 150 ms with, 30 without).
            gc.collect()
            gc.freeze()
        yield
        jobs_worker.stop()
        if state.row_reads is not None:
            reads, state.row_reads = state.row_reads, None
            await reads.close()
        _last_checkpoint(state)
        if database is None:  # a server's app (tests share the processes of one test run)
            close_shared_upload_readers()
            close_shared_renderers()
            db.dispose()

    app = FastAPI(
        title="certify",
        version=__version__,
        lifespan=lifespan,
        description="Quality certification for handicraft producers.",
        docs_url=None,
        redoc_url=None,  # certify.api.docs: served from certify, under a CSP
    )
    docs.install(app)
    app.state.certify = state = AppState(
        settings=settings,
        database=db,
        standards=rulebook or bundled(),
        issuance=Issuance.from_settings(settings),  # keys made on first start
        upload_readers=upload_readers(settings),
    )
    categories.document(app, state.standards)
    problems.install(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (standards, holders, inspections, evidence, me, authorisations, applications):
        api.include_router(module.router)
    api.include_router(transparency_log.router)
    api.include_router(certificates.router)
    api.include_router(credentials.router)
    api.include_router(verify.router)
    api.include_router(complaints.router)
    app.include_router(api)
    app.include_router(pages)
    app.include_router(wellknown.router)
    app.include_router(health.router)
    app.add_middleware(PublicAnswers, api_prefix=API_PREFIX)  # innermost: inside every limit and the log
    app.add_middleware(
        verify.BodyLimits,
        max_bytes=settings.max_body_bytes,
        verify_max_bytes=settings.verify_max_bytes,
        uploads={f"{API_PREFIX}/verify": verify.too_large, "/verify/pdf": buyers.too_large},
        evidence={
            f"{API_PREFIX}{evidence.EVIDENCE_PATH}": (
                settings.evidence_max_bytes,
                evidence.too_large_for(settings.evidence_max_bytes),
            ),
            **{
                path: (settings.evidence_max_bytes, evidence.too_large_for(settings.evidence_max_bytes))
                for path in ("/inspect/submit", "/inspect/plan", "/inspect/evidence")
            },
        },
    )
    app.add_middleware(
        PublicLimits,
        api_prefix=API_PREFIX,
        verifications=lambda inner: PublicRateLimit(
            VerificationGate(
                inner,
                limit=settings.verify_concurrency,
                api_prefix=API_PREFIX,
                api_refusal=verify.busy,
                page_refusal=buyers.busy,
            ),
            per_second=settings.public_rate_per_second,
            burst=settings.public_rate_burst,
            api_prefix=API_PREFIX,
            api_refusal=verify.too_many,
            page_refusal=buyers.too_many,
        ),
        reads=lambda inner: PublicRateLimit(
            inner,
            per_second=settings.public_read_rate_per_second,
            burst=settings.public_read_rate_burst,
            api_prefix=API_PREFIX,
            reads=True,
            api_refusal=partial(verify.too_many, what="requests"),
            page_refusal=buyers.too_many_reads,
        ),
    )
    # outermost: every answer, a 413 too, has its id, its log line and the security headers
    app.add_middleware(RequestLog, headers=security_headers)
    return app
