"""The public answer of `GET /api/v1/certificates/{id}`: built once, served again while unchanged.

`PublicAnswers` answers that route before the router is walked (the route table is long, and a
marketplace polls thousands of certificates), inside the rate limits, the verification gate and
the request log. Anything it does not answer (another path or method, an ID that is not a
certificate's) goes on to the app, whose route answers the same way and says what is wrong.

Every answer carries a strong `ETag` and `Cache-Control: no-cache` (a cache may keep it, but must
ask again each time: a status can change at any moment); `If-None-Match` naming the current ETag
is a 304 without a body. The row is read on every request, so no answer is older than the row
(`certify.services.verification.public_answer`); on PostgreSQL, as one prepared statement on an
autocommit connection from the event loop (`public_answer_on_loop`, `certify.store.row_reads`),
a worker thread only when the answer must be built.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from certify.api.deps import AppState, short_read
from certify.core.certificate_id import CertificateIdError
from certify.services.errors import NotFound
from certify.services.verification import PublicAnswer, etag_matches, public_answer, public_answer_on_loop

CACHE_CONTROL = "no-cache"
"""Kept, but asked again each time: the status can change (a certifier, the jobs worker, a date)."""
LONGEST_ID = 64  # as the route's path parameter allows


async def answer_for(state: AppState, certificate_id: str) -> PublicAnswer:
    """The public answer of `certificate_id` as typed; raises `CertificateIdError` or `NotFound`."""
    db, keys, reads = state.database, state.issuance.keys, state.row_reads
    if reads is not None:  # PostgreSQL, inside the lifespan: one round trip on the loop
        now = datetime.now(UTC)
        return await public_answer_on_loop(db=db, reads=reads, certificate_id=certificate_id, keys=keys, now=now)
    return await short_read(db, partial(_answer, state, certificate_id))  # SQLite: on the loop


def _answer(state: AppState, certificate_id: str) -> PublicAnswer:
    keys = state.issuance.keys
    return public_answer(db=state.database, certificate_id=certificate_id, keys=keys, now=datetime.now(UTC))


def answer_response(answer: PublicAnswer, if_none_match: str | None) -> Response:
    """200 with the answer, or 304 when `If-None-Match` names its ETag; both with the validators."""
    headers = {"ETag": answer.etag, "Cache-Control": CACHE_CONTROL}
    if etag_matches(if_none_match, answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)


class PublicAnswers:
    """Pure ASGI middleware: `GET {api_prefix}/certificates/{id}` answered from the app's state
    (`app.state.certify`) without routing; the rest, and every refusal, by the app."""

    def __init__(self, app: ASGIApp, *, api_prefix: str) -> None:
        self.app = app
        self.prefix = f"{api_prefix}/certificates/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        typed = scope["path"][len(self.prefix) :]
        if not typed or len(typed) > LONGEST_ID or "/" in typed:
            await self.app(scope, receive, send)
            return
        try:
            answer = await answer_for(scope["app"].state.certify, typed)
        except (CertificateIdError, NotFound):  # the route says why, as a problem document
            await self.app(scope, receive, send)
            return
        if_none_match = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        await send_answer(answer, None if if_none_match is None else if_none_match.decode("latin-1"), send)


_CACHE_CONTROL = (b"cache-control", CACHE_CONTROL.encode("latin-1"))
_JSON = (b"content-type", b"application/json")


async def send_answer(answer: PublicAnswer, if_none_match: str | None, send: Send) -> None:
    """`answer_response`'s messages (the same status, headers in the same order, and body), sent
    without building a `Response`."""
    etag = (b"etag", answer.etag.encode("latin-1"))
    if etag_matches(if_none_match, answer.etag):
        await send({"type": "http.response.start", "status": 304, "headers": [etag, _CACHE_CONTROL]})
        await send({"type": "http.response.body", "body": b""})
        return
    length = (b"content-length", str(len(answer.body)).encode("latin-1"))
    await send({"type": "http.response.start", "status": 200, "headers": [etag, _CACHE_CONTROL, length, _JSON]})
    await send({"type": "http.response.body", "body": answer.body})
