"""The application factory: `uvicorn --factory certify.app:create_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from certify import __version__
from certify.api import holders, inspections, me, problems, standards
from certify.api.body_limit import BodyLimit
from certify.config import Settings
from certify.services.standards import Standards, bundled
from certify.store.database import Database

API_PREFIX = "/api/v1"


def create_app(
    settings: Settings | None = None, *, database: Database | None = None,
    rulebook: Standards | None = None,
) -> FastAPI:
    """The ASGI app. The database must already be migrated (`certify db upgrade`)."""
    settings = settings or Settings()
    db = database or Database.connect(settings.database, pool_size=settings.pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="certify", version=__version__, lifespan=lifespan,
        description="Quality certification for handicraft producers.",
    )
    app.state.settings = settings
    app.state.database = db
    app.state.standards = rulebook or bundled()
    problems.install(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (standards, holders, inspections, me):
        api.include_router(module.router)
    app.include_router(api)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
