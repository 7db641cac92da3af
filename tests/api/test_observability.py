"""Every request has an id (the caller's when well-formed), echoed back and written in one
structured log line with method, path, status and duration; the server's logs are JSON lines."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import textwrap
import uuid

import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient

from certify.api.headers import security_headers
from certify.observability import JsonFormatter, RequestIdFilter, RequestLog, new_request_id
from tests.api.conftest import MAX_BODY, World

GENERATED = re.compile(r"[0-9a-f]{32}")


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "certify.request"]


def test_each_answer_carries_a_new_request_id_when_the_caller_sends_none(client: TestClient) -> None:
    """Two requests, two different generated ids, in the X-Request-ID response header."""
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


def test_a_well_formed_incoming_request_id_is_kept(client: TestClient) -> None:
    """A proxy's id is echoed as it came, so one id follows a request through every hop."""
    answer = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:req.42_x"})
    assert answer.headers["x-request-id"] == "lb-7f3a:req.42_x"


@pytest.mark.parametrize("sent", ["has space", "x" * 129, 'quote"d', "semi;colon", "<script>"])
def test_a_malformed_incoming_request_id_is_replaced(client: TestClient, sent: str) -> None:
    """An id that could forge or break a log line is not trusted: a fresh one is made."""
    answer = client.get("/healthz", headers={"X-Request-ID": sent})
    assert GENERATED.fullmatch(answer.headers["x-request-id"])


def test_one_log_line_per_request_names_method_path_status_duration_and_id(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The line holds the request's fields; the query string (it may hold secrets) is left out."""
    with caplog.at_level(logging.INFO, logger="certify.request"):
        answer = client.get("/api/v1/holders?limit=5", headers={**world["admin"].headers, "X-Request-ID": "abc-1"})
    [line] = _request_lines(caplog)
    assert answer.status_code == 200
    assert (line.method, line.path, line.status, line.request_id) == ("GET", "/api/v1/holders", 200, "abc-1")  # type: ignore[attr-defined]
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0  # type: ignore[attr-defined]
    entry = json.loads(JsonFormatter().format(line))
    assert entry["logger"] == "certify.request" and entry["level"] == "info"
    assert {k: entry[k] for k in ("request_id", "method", "path", "status")} == {
        "request_id": "abc-1",
        "method": "GET",
        "path": "/api/v1/holders",
        "status": 200,
    }
    assert "limit" not in json.dumps(entry)


def test_a_request_refused_before_any_route_still_has_its_id_and_log_line(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A 413 from the body limit is answered with the id and logged with its status."""
    big = {"name": "x" * (MAX_BODY + 1), "province": "Bali", "crafts": ["wood"]}
    with caplog.at_level(logging.INFO, logger="certify.request"):
        answer = client.post("/api/v1/holders", json=big, headers=world["admin"].headers)
    assert answer.status_code == 413
    [line] = _request_lines(caplog)
    assert line.status == 413  # type: ignore[attr-defined]
    assert line.request_id == answer.headers["x-request-id"]  # type: ignore[attr-defined]


def _failing_app() -> FastAPI:
    app = FastAPI()
    work_log = logging.getLogger("certify.test.work")

    @app.get("/work")
    def work() -> dict[str, str]:
        work_log.warning("working on it")
        return {"done": "yes"}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    app.add_middleware(RequestLog)
    return app


def test_log_lines_written_while_serving_a_request_carry_its_id(caplog: pytest.LogCaptureFixture) -> None:
    """A line a route writes (in the thread pool) is stamped with the id of the request it serves."""
    caplog.handler.addFilter(RequestIdFilter())  # as `certify serve`'s handler has
    with TestClient(_failing_app()) as client, caplog.at_level(logging.INFO):
        answer = client.get("/work", headers={"X-Request-ID": "trace-9"})
        outside = logging.LogRecord("certify.test.work", logging.INFO, __file__, 1, "idle", None, None)
        caplog.handler.filter(outside)
    [work] = [r for r in caplog.records if r.name == "certify.test.work"]
    assert answer.headers["x-request-id"] == "trace-9"
    assert json.loads(JsonFormatter().format(work))["request_id"] == "trace-9"
    assert "request_id" not in json.loads(JsonFormatter().format(outside))


def test_an_unhandled_error_is_logged_as_a_500_error_line(caplog: pytest.LogCaptureFixture) -> None:
    """A route that raises: the request line says 500, at level error."""
    with TestClient(_failing_app(), raise_server_exceptions=False) as client, caplog.at_level(logging.INFO):
        assert client.get("/boom").status_code == 500
    [line] = _request_lines(caplog)
    assert line.status == 500 and line.levelno == logging.ERROR  # type: ignore[attr-defined]


_SERVER_LOGGING = textwrap.dedent("""
    import logging, logging.config, sys
    from certify.observability import log_config
    logging.config.dictConfig(log_config(log_format=sys.argv[1], level="info"))
    logging.getLogger("uvicorn.error").info("Started server process")
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger("certify.api").exception("unexpected error on GET /x")
""")


def test_the_server_logging_writes_one_json_object_per_line() -> None:
    """`certify serve`'s configuration: uvicorn's and certify's lines are JSON, tracebacks inside."""
    done = subprocess.run(
        [sys.executable, "-c", _SERVER_LOGGING, "json"], capture_output=True, text=True, check=True, timeout=60
    )
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(e["logger"], e["level"]) for e in lines] == [("uvicorn.error", "info"), ("certify.api", "error")]
    assert "ValueError: bad" in lines[1]["exception"]


def test_the_server_logging_can_be_plain_text() -> None:
    """`--log-format text`: readable lines, not JSON."""
    done = subprocess.run(
        [sys.executable, "-c", _SERVER_LOGGING, "text"], capture_output=True, text=True, check=True, timeout=60
    )
    first = done.stderr.splitlines()[0]
    assert first.endswith("INFO uvicorn.error [-] Started server process")


def test_a_generated_request_id_is_a_random_version_4_uuid() -> None:
    """The id made for a request without one is `uuid.uuid4().hex`'s shape: 32 hex digits of a
    version-4, RFC 4122 UUID, a new one each time."""
    made = [new_request_id() for _ in range(200)]
    assert all(GENERATED.fullmatch(one) for one in made) and len(set(made)) == len(made)
    assert {uuid.UUID(hex=one).version for one in made} == {4}
    assert {uuid.UUID(hex=one).variant for one in made} == {uuid.RFC_4122}


def test_the_headers_every_answer_carries_are_added_with_the_request_id_unless_the_answer_has_its_own() -> None:
    """`RequestLog(headers=…)`: nosniff (and HSTS over https) after the answer's own headers and
    before the request id, in one pass; a header the route set itself is not added twice."""
    app = FastAPI()

    @app.get("/own")
    def own() -> Response:
        return Response(b"{}", headers={"X-Content-Type-Options": "nosniff", "X-Request-ID": "forged"})

    @app.get("/plain")
    def plain() -> Response:
        return Response(b"{}")

    app.add_middleware(RequestLog, headers=security_headers)
    with TestClient(app) as client, TestClient(app, base_url="https://testserver") as secure:
        kept = client.get("/own", headers={"X-Request-ID": "abc"})
        added = client.get("/plain")
        over_https = secure.get("/plain")
    assert kept.headers.get_list("x-content-type-options") == ["nosniff"]
    assert kept.headers.get_list("x-request-id") == ["abc"]
    assert "strict-transport-security" not in added.headers
    assert list(added.headers)[-2:] == ["x-content-type-options", "x-request-id"]
    assert list(over_https.headers)[-3:] == ["x-content-type-options", "strict-transport-security", "x-request-id"]
