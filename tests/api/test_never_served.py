"""Key files and the database are never served: every way of asking for them, traversals and
encoded traversals included, answers 404 with none of their bytes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS = [
    "/data/certify.db",
    "/certify.db",
    "/data/keys",
    "/keys",
    "/keys/",
    "/static/../../data/certify.db",
    "/static/..%2f..%2fdata%2fcertify.db",
    "/static/%2e%2e%2f%2e%2e%2fdata%2fcertify.db",
    "/static/%2e%2e/%2e%2e/data/certify.db",
    "/static/..%5c..%5cdata%5ccertify.db",
    "/static/%2e%2e",
    "/static/.%2e",
    "/static/..",
    "/static/%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/static/....//....//data/certify.db",
    "/static/../pages/error.html",
    "/static/%2e%2e%2fpages%2ferror.html",
    "/templates/pages/error.html",
    "/.well-known/../keys",
    "/.well-known/%2e%2e/keys",
    "/.well-known/..%2fkeys%2f",
    "/.well-known/../data/certify.db",
    "/api/v1/../../data/certify.db",
    "/verify/..%2f..%2fdata%2fcertify.db",
    "/static/certify.db",
    "/static/%2e%2e%2fcertify.db",
]


def _raw_get(app: Any, raw_path: str) -> tuple[int, bytes]:
    """GET exactly `raw_path`, as uvicorn hands it on (percent-decoded, dot segments kept): a
    client library would normalise the traversals away before they reach the server."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("10.9.8.7", 5555),
        "server": ("testserver", 80),
    }
    answer: dict[str, Any] = {"body": b"", "asked": False}

    async def run() -> None:
        done = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if not answer["asked"]:
                answer["asked"] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # the client goes away only once the answer is complete
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
                if not message.get("more_body", False):
                    done.set()

        await app(scope, receive, send)

    asyncio.run(run())
    return answer["status"], answer["body"]


def _secrets(key_dir: Path, *data_dirs: Path) -> dict[str, bytes]:
    """Every key file and every database file (with its journal and WAL) that holds any bytes, by
    path (an empty WAL has nothing to leak; ./data may hold a database of `certify demo`'s)."""
    files = [path for path in key_dir.rglob("*") if path.is_file()]
    for folder in data_dirs:
        files += [path for path in folder.rglob("*.db*") if path.is_file()]
    found = {str(path): path.read_bytes() for path in files}
    return {path: content for path, content in found.items() if content}


def test_key_files_and_the_database_are_never_served(
    database: Database,
    tmp_path: Path,
    rulebook: Rulebook,
    backend: str,
) -> None:
    """Each attempt is a 404, and no answer holds a private key, the database or a fragment of them."""
    settings = Settings(data_dir=tmp_path)
    app = create_app(settings, database=database, rulebook=rulebook)
    with TestClient(app) as client:  # the keys exist once the key set has been served
        assert client.get("/.well-known/jwks.json").status_code == 200
    key_files = [path.name for path in settings.keys_dir.rglob("*") if path.is_file()]
    assert key_files, "the service made its keys"
    secrets = _secrets(settings.keys_dir, tmp_path, ROOT / "data")
    assert all(path in secrets for path in map(str, settings.keys_dir.rglob("*.pem")))
    if backend == "sqlite":
        assert any(name.endswith("certify.db") for name in secrets)
    attempts = (
        ATTEMPTS
        + [f"/keys/{name}" for name in key_files]
        + [f"/static/..%2f..%2f{settings.keys_dir.name}%2f{name}" for name in key_files]
        + [f"/.well-known/../keys/{name}" for name in key_files]
    )
    for attempt in attempts:
        status, body = _raw_get(app, attempt)
        assert status == 404, attempt
        assert b"PRIVATE KEY" not in body and b"SQLite format 3" not in body, attempt
        for name, content in secrets.items():
            for start in range(0, len(content), 4096):
                piece = content[start : start + 48]
                if len(piece) == 48 and len(set(piece)) > 8:
                    assert piece not in body, (attempt, name)


def test_the_static_route_still_serves_its_own_files(
    database: Database,
    tmp_path: Path,
    rulebook: Rulebook,
) -> None:
    """The same raw requests reach real static files: the 404s above are refusals, not a broken probe."""
    app = create_app(Settings(data_dir=tmp_path), database=database, rulebook=rulebook)
    css = ROOT / "templates" / "static" / "site.css"
    assert _raw_get(app, "/static/site.css") == (200, css.read_bytes())
    assert _raw_get(app, "/static/site%2ecss") == (200, css.read_bytes())
