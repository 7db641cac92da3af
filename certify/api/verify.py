"""`POST /verify`: is this PDF one the issuer issued, unaltered? Always a 200 for a file.

A file larger than `CERTIFY_VERIFY_MAX_BYTES` is not read: the answer is `authentic: false`,
"too large" (by `BodyLimits`, which also keeps every other route to `CERTIFY_MAX_BODY_BYTES`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from certify.api.body_limit import BodyLimit
from certify.api.problems import documented
from certify.services.certificates import Issuance
from certify.services.verification import PdfVerification, pdf_answer, verify_pdf
from certify.store.database import Database

router = APIRouter(tags=["certificates"])
MULTIPART_SLACK = 64 * 1024
"""Room for the multipart envelope around the file."""


@router.post(
    "/verify", response_model=PdfVerification, responses=documented(422, 429),
    summary="Upload a certificate PDF (field `file`): authentic or not, why, and its current status",
)
def verify_upload(
    request: Request, file: Annotated[UploadFile, File(description="the certificate PDF")],
) -> Response:
    issuance: Issuance = request.app.state.issuance
    db: Database = request.app.state.database
    limit: int = request.app.state.settings.verify_max_bytes
    content = file.file.read(limit + 1)
    answer = verify_pdf(db=db, pdf=content, keys=issuance.keys, ca_pem=issuance.keys.ca_pem,
                        now=datetime.now(UTC), max_bytes=limit)
    return Response(answer.model_dump_json(), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


class BodyLimits:
    """`BodyLimit` for every route but `POST <verify_path>`, whose body may hold a file up to
    `verify_max_bytes`; a larger one is answered "too large" (200) without being read."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, verify_path: str, verify_max_bytes: int) -> None:
        self.default = BodyLimit(app, max_bytes=max_bytes)
        self.verify = BodyLimit(app, max_bytes=verify_max_bytes + MULTIPART_SLACK, refuse=_too_large)
        self.verify_path = verify_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == self.verify_path:
            await self.verify(scope, receive, send)
        else:
            await self.default(scope, receive, send)


async def _too_large(scope: Scope, send: Send) -> None:
    body = pdf_answer("too_large").model_dump_json().encode()
    await send({
        "type": "http.response.start", "status": 200,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})
