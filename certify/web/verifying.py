"""The issuer's keys and issuance for the pages, and verification results as template data.

Uses the app's `state.keys` / `state.issuance` when the app set them; otherwise makes them once
from the app's settings and keeps them on the app.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from certify.services import verification
from certify.services.certificates import Issuance, render_here
from certify.services.keys import IssuerKeys

if TYPE_CHECKING:
    from certify.web.visit import Visit

_lock = threading.Lock()


def keys(visit: Visit) -> IssuerKeys:
    state = visit.request.app.state
    found = getattr(state, "keys", None)
    if isinstance(found, IssuerKeys):
        return found
    with _lock:
        return keys_unlocked(visit)


def issuance(visit: Visit) -> Issuance:
    state = visit.request.app.state
    found = getattr(state, "issuance", None)
    if isinstance(found, Issuance):
        return found
    with _lock:
        made = getattr(state, "web_issuance", None)
        if made is None:
            settings = state.settings
            made = state.web_issuance = Issuance(
                keys=keys_unlocked(visit), issuer_name=settings.issuer_name,
                public_url=settings.public_url, render=render_here)
    return made


def keys_unlocked(visit: Visit) -> IssuerKeys:
    state = visit.request.app.state
    found = getattr(state, "keys", None)
    if isinstance(found, IssuerKeys):
        return found
    if getattr(state, "web_keys", None) is None:
        state.web_keys = IssuerKeys.from_settings(state.settings)
    made: IssuerKeys = state.web_keys
    return made


def by_id(*, visit: Visit, certificate_id: str, now: datetime) -> dict[str, Any]:
    """What `GET /api/v1/certificates/{id}` answers, as a dict; raises the ID errors or NotFound."""
    result = verification.verify_certificate(db=visit.database, certificate_id=certificate_id,
                                             keys=keys(visit), now=now)
    answer: dict[str, Any] = result.model_dump(mode="json")
    return answer


async def by_pdf(*, visit: Visit, content: bytes, max_bytes: int, now: datetime) -> dict[str, Any]:
    """What `POST /api/v1/verify` answers for this file, as a dict (checked off the event loop)."""
    issuer = keys(visit)
    result = await run_in_threadpool(
        lambda: verification.verify_pdf(db=visit.database, pdf=content, keys=issuer, ca_pem=issuer.ca_pem,
                                        now=now, max_bytes=max_bytes))
    answer: dict[str, Any] = result.model_dump(mode="json")
    return answer
