"""Probes for a load balancer or an orchestrator: `/healthz` (alive) and `/readyz` (can serve).

- `GET /healthz`: the process is up and its event loop answers. Touches nothing else, so a
  database outage does not get every process restarted at once.
- `GET /readyz`: the database answers a cheap query within `READY_TIMEOUT_S` and its schema is not
  behind this release (`certify db upgrade` has run); else 503 problem+json with Retry-After, and
  the balancer sends requests elsewhere. A schema this release does not know is taken to be a
  newer release's (a rolling upgrade migrated first): still ready, so that upgrading the database
  does not take every old process out of the balancer at once.

Both are public (no token) and answer `Cache-Control: no-store`.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import anyio
import anyio.to_thread
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy import text

from certify.api.deps import app_state
from certify.api.problems import documented
from certify.services.errors import Unavailable
from certify.store import migrate
from certify.store.database import Database

READY_TIMEOUT_S = 2.0

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    schema_revision: str


@cache
def schema_head() -> str:
    """The schema revision this release needs (read once from the migrations)."""
    return migrate.head()


@cache
def older_revisions() -> frozenset[str]:
    """The revisions this release knows that are behind its head."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config(""))
    return frozenset(script.revision for script in scripts.walk_revisions()) - {schema_head()}


def schema_revision(database: Database) -> str | None:
    """The database's schema revision, by one indexed read; None when it was never migrated."""
    with database.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if revision is None else str(revision)


@router.get("/healthz", summary="Liveness: the process is up (does not touch the database)")
async def healthz(response: Response) -> Health:
    response.headers["Cache-Control"] = "no-store"
    return Health()


@router.get(
    "/readyz",
    responses=documented(503),
    summary="Readiness: the database answers and its schema is current (503 when not)",
)
async def readyz(request: Request, response: Response) -> Readiness:
    database = app_state(request).database
    try:
        with anyio.fail_after(READY_TIMEOUT_S):
            revision = await anyio.to_thread.run_sync(schema_revision, database, abandon_on_cancel=True)
    except TimeoutError:
        raise Unavailable(f"the database did not answer within {READY_TIMEOUT_S:g} s") from None
    except Exception as error:  # any driver error means "not ready", never a 500
        raise Unavailable(f"the database does not answer ({type(error).__name__})") from None
    if revision is None or revision in older_revisions():
        raise Unavailable(
            f"the database schema is at {revision or 'nothing'}, this release needs {schema_head()}: "
            "run `certify db upgrade`"
        )
    response.headers["Cache-Control"] = "no-store"
    return Readiness(schema_revision=revision)
