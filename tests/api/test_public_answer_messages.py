"""The middleware's fast path (`send_answer`) and the route's `answer_response` send the same
messages: a buyer's answer must not depend on which of the two served it."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Message

from certify.api.public_answers import answer_response, send_answer
from certify.services.verification import PublicAnswer

ETAG = '"3f2a9c"'
ANSWER = PublicAnswer(body=b'{"status":"valid","certificate_id":"ID-2026-000001"}', etag=ETAG)


def sent_by_send_answer(if_none_match: str | None) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []

    async def send(message: Message) -> None:
        messages.append(dict(message))

    asyncio.run(send_answer(ANSWER, if_none_match, send))
    return messages


def sent_by_the_route(if_none_match: str | None) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []

    async def send(message: Message) -> None:
        messages.append(dict(message))

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    response = answer_response(ANSWER, if_none_match)
    asyncio.run(response({"type": "http", "method": "GET", "headers": []}, receive, send))
    return messages


def comparable(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages with their headers' names lower-cased (HTTP names are case-insensitive)."""
    return [
        {**m, "headers": [(k.lower(), v) for k, v in m["headers"]]} if "headers" in m else {**m, "more_body": False}
        for m in messages
    ]


def test_a_full_answer_and_a_not_modified_are_the_same_from_both() -> None:
    for if_none_match in (None, ETAG, f"W/{ETAG}", '"other"', "*"):
        sent = comparable(sent_by_send_answer(if_none_match))
        assert sent == comparable(sent_by_the_route(if_none_match)), if_none_match
    assert sent_by_send_answer(None)[0]["status"] == 200
    assert sent_by_send_answer(ETAG)[0]["status"] == 304


@given(st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)))
def test_any_if_none_match_gets_the_same_messages_from_both(if_none_match: str | None) -> None:
    assert comparable(sent_by_send_answer(if_none_match)) == comparable(sent_by_the_route(if_none_match))
