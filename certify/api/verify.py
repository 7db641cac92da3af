"""`POST /verify`: is this PDF one the issuer issued, unaltered? A 200 for a file that can be read.

A file larger than `CERTIFY_VERIFY_MAX_BYTES` is not read: the answer is `authentic: false`,
"too large" (by `BodyLimits`, which also keeps every other route to `CERTIFY_MAX_BODY_BYTES`).
A file read past one of the reading limits (`CERTIFY_VERIFY_*`: revisions, objects, nesting,
decoded size, memory, time) is a 413 or 422 problem naming the limit; when every reading process
stays busy, a 503 with Retry-After.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from certify.api.body_limit import BODILESS, BodyLimit, Refusal
from certify.api.deps import app_state
from certify.api.problems import documented, problem_response
from certify.services.verification import PdfVerification, pdf_answer, verify_pdf

router = APIRouter(tags=["certificates"])
MULTIPART_SLACK = 64 * 1024
"""Room for the multipart envelope around the file."""


@router.post(
    "/verify",
    response_model=PdfVerification,
    responses=documented(413, 422, 429, 503),
    summary="Upload a certificate PDF (field `file`): authentic or not, why, and its current status",
)
def verify_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="the certificate PDF")],
) -> Response:
    state = app_state(request)
    issuance, db, limit = state.issuance, state.database, state.settings.verify_max_bytes
    content = file.file.read(limit + 1)
    answer = verify_pdf(
        db=db,
        pdf=content,
        keys=issuance.keys,
        ca_pem=issuance.keys.ca_pem,
        now=datetime.now(UTC),
        max_bytes=limit,
        readers=state.upload_readers,
    )
    return Response(answer.model_dump_json(), media_type="application/json", headers={"Cache-Control": "no-store"})


class BodyLimits:
    """`BodyLimit` for every route but the uploads (`POST` to a path of `uploads`), whose body may
    hold a certificate PDF up to `verify_max_bytes`; a larger one gets that path's own refusal
    without being read."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        verify_max_bytes: int,
        uploads: Mapping[str, Refusal],
        evidence: Mapping[str, tuple[int, Refusal]] | None = None,
    ) -> None:
        self.app = app
        self.default = BodyLimit(app, max_bytes=max_bytes)
        self.uploads = {
            path: BodyLimit(app, max_bytes=verify_max_bytes + MULTIPART_SLACK, refuse=refuse)
            for path, refuse in uploads.items()
        }
        for path, (limit, refuse) in (evidence or {}).items():  # photos and lab reports: their own limit
            self.uploads[path] = BodyLimit(app, max_bytes=limit + MULTIPART_SLACK, refuse=refuse)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODILESS:  # as `BodyLimit` does, one call sooner
            await self.app(scope, receive, send)
            return
        upload = self.uploads.get(scope["path"]) if scope["method"] == "POST" else None
        await (upload or self.default)(scope, receive, send)


async def too_large(scope: Scope, send: Send) -> None:
    """The API's answer to a file past the limit: `authentic: false`, code "too_large" (200)."""
    body = pdf_answer("too_large").model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def too_many(request: Request, wait: int, *, what: str = "verifications") -> Response:
    """The API's answer past a public rate limit (verifications, or with `what="requests"` the
    other public reads): 429 problem+json with `Retry-After`."""
    return problem_response(
        request,
        429,
        f"too many {what} from this address; try again in {wait} s",
        slug="rate-limited",
        headers={"Retry-After": str(wait)},
    )


def busy(request: Request, wait: int) -> Response:
    """The API's answer past the cap on verifications at once: 503 problem+json with `Retry-After`."""
    return problem_response(
        request,
        503,
        "too many verifications are being made right now; try again in a moment",
        slug="unavailable",
        headers={"Retry-After": str(wait)},
    )
