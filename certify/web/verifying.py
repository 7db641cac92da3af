"""The issuer's keys and issuance for the pages (the app's, as the API uses them), and
verification results as template data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from certify.api.deps import app_state
from certify.services import evidence, verification
from certify.services.certificates import Issuance
from certify.services.certified import first_lot_photo
from certify.services.keys import IssuerKeys

if TYPE_CHECKING:
    from certify.web.visit import Visit


def keys(visit: Visit) -> IssuerKeys:
    return app_state(visit.request).keys


def issuance(visit: Visit) -> Issuance:
    return app_state(visit.request).issuance


def published_photo(*, visit: Visit, record: dict[str, Any]) -> str | None:
    """The SHA-256 of the certificate's lot photo when its holder consented to publish it."""
    sha = first_lot_photo(record)
    if sha is None:
        return None
    with visit.database.read() as session:
        return sha if evidence.may_read(session, None, sha) else None


def by_id(*, visit: Visit, certificate_id: str, now: datetime) -> dict[str, Any]:
    """What `GET /api/v1/certificates/{id}` answers, as a dict; raises the ID errors or NotFound."""
    result = verification.verify_certificate(
        db=visit.database, certificate_id=certificate_id, keys=keys(visit), now=now
    )
    answer: dict[str, Any] = result.model_dump(mode="json")
    return answer


async def by_pdf(*, visit: Visit, content: bytes, max_bytes: int, now: datetime) -> dict[str, Any]:
    """What `POST /api/v1/verify` answers for this file, as a dict (checked off the event loop)."""
    issuer = keys(visit)
    result = await run_in_threadpool(
        lambda: verification.verify_pdf(
            db=visit.database,
            pdf=content,
            keys=issuer,
            ca_pem=issuer.ca_pem,
            now=now,
            max_bytes=max_bytes,
            readers=app_state(visit.request).upload_readers,
        )
    )
    answer: dict[str, Any] = result.model_dump(mode="json")
    return answer
