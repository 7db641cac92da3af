"""Issue 12, finding 5 (the rest): public read routes are rate-limited, every answer says nosniff,
/docs and /redoc are fenced by a CSP and serve their scripts from certify, HSTS over https, text logs escape control
characters, and `certify audit` paces itself and waits out Retry-After."""

from __future__ import annotations

import http.server
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.cli.audit import http_fetch
from certify.config import Settings
from certify.observability import TextFormatter
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import World


@pytest.fixture
def reads_limited(database: Database, tmp_path: Path, rulebook: Rulebook) -> Iterator[TestClient]:
    """A burst of 3 public reads and one per 100 s after it."""
    settings = Settings(data_dir=tmp_path, public_read_rate_per_second=0.01, public_read_rate_burst=3)
    with TestClient(create_app(settings, database=database, rulebook=rulebook)) as client:
        yield client


@pytest.mark.parametrize("path", ["/api/v1/log/tree-head", "/api/v1/standards", "/directory.json"])
def test_public_read_routes_are_rate_limited_429_with_retry_after(reads_limited: TestClient, path: str) -> None:
    """The log, the standards and the directory were not limited at all: now 429 past the burst."""
    assert all(reads_limited.get(path).status_code == 200 for _ in range(3))
    refused = reads_limited.get(path)
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 100
    assert refused.headers["content-type"] == "application/problem+json"


def test_the_directory_page_past_its_limit_is_a_429_page(reads_limited: TestClient) -> None:
    for _ in range(3):
        reads_limited.get("/directory")
    refused = reads_limited.get("/directory", headers={"Accept-Language": "id"})
    assert refused.status_code == 429 and refused.headers["content-type"].startswith("text/html")
    assert "Terlalu banyak permintaan" in refused.text


def test_every_answer_says_nosniff_json_problems_and_pdfs_alike(client: TestClient, world: World) -> None:
    answers = [
        client.get("/api/v1/standards"),
        client.get("/api/v1/certificates/IDC-2026-0000-0000-0"),
        client.get("/healthz"),
        client.get("/openapi.json"),
        client.get("/.well-known/jwks.json"),
        client.get("/api/v1/me", headers=world["admin"].headers),
    ]
    assert [a.headers.get("x-content-type-options") for a in answers] == ["nosniff"] * len(answers)


@pytest.mark.parametrize(("path", "script"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
def test_docs_has_a_csp_no_framing_and_its_scripts_from_certify(client: TestClient, path: str, script: str) -> None:
    """No third-party script: the page's scripts come from certify (a pinned package), its inline
    script only by hash, and it cannot be framed."""
    page = client.get(path)
    policy = dict(part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";"))
    assert page.status_code == 200 and policy["frame-ancestors"] == "'none'"
    assert policy["script-src"].startswith("'self'") and "unsafe" not in policy["script-src"]
    assert page.headers["x-frame-options"] == "DENY"
    assert f'src="/docs-assets/{script}"' in page.text and "https://" not in page.text.split("<body>")[1]
    assert client.get(f"/docs-assets/{script}").status_code == 200


def test_hsts_is_sent_over_https_only(database: Database, tmp_path: Path, rulebook: Rulebook) -> None:
    app = create_app(Settings(data_dir=tmp_path), database=database, rulebook=rulebook)
    with TestClient(app, base_url="https://testserver") as secure, TestClient(app) as plain:
        assert secure.get("/healthz").headers["strict-transport-security"].startswith("max-age=")
        assert "strict-transport-security" not in plain.get("/healthz").headers


def test_text_logs_escape_control_characters_so_no_line_can_be_forged() -> None:
    """`GET /%0A2026 INFO ... 200` once wrote a second, forged line under --log-format text."""
    record = logging.LogRecord(
        "certify.request",
        logging.INFO,
        __file__,
        1,
        "GET %s 404",
        ("/x\n2026-12-05 INFO certify.request [-] GET /admin 200\x1b[2J",),
        None,
    )
    record.request_id = "-"
    line = TextFormatter().format(record)
    assert "\n" not in line and "\x1b" not in line and "\\n2026" in line and "\\x1b" in line


class _Busy(http.server.BaseHTTPRequestHandler):
    """Answers 429 with Retry-After: 1 to the first request, 200 after."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Busy.seen.append(self.path)
        if len(_Busy.seen) == 1:
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.end_headers()
            return
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_certify_audit_waits_out_retry_after_and_paces_itself() -> None:
    """Past the server's limit the audit once reported 42 false failures: now it waits the
    Retry-After and asks again, and spaces its requests to at most 8 a second."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    slept: list[float] = []
    try:
        fetch = http_fetch(f"http://127.0.0.1:{server.server_address[1]}", sleep=slept.append, clock=lambda: 100.0)
        assert fetch("/api/v1/log/tree-head") == (200, {"ok": True})
        assert fetch("/api/v1/log/tree-head") == (200, {"ok": True})
    finally:
        server.shutdown()
        server.server_close()
    assert len(_Busy.seen) == 3
    assert 1.0 in slept  # the Retry-After
    assert slept.count(1 / 8) >= 2  # paced: the clock did not move between requests
