"""`certify audit --server URL [--state FILE]`: a monitor of the public log that anyone can run.

It fetches the latest signed tree head and checks its signature against the server's JWKS; checks
that it extends the last head seen (kept in FILE, JSON; none on a first run) by a consistency
proof; downloads every leaf and recomputes the root; and asks the registry for the current status
of every certificate in the log, which must be the status its last event left it in ("expired"
agrees with "valid": expiry is computed, not logged). Exit 0 when all holds, 1 with one line per
discrepancy. FILE is updated only when the log itself checks out (signature, consistency, root).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from certify.cli import Failed
from certify.ledger import leaf_hash, root
from certify.proofs import SignedTreeHead, heads_consistent, statuses_agree, tree_head_holds

TIMEOUT_S = 30
PER_SECOND = 8.0
"""Requests a second the audit makes: under the server's default public limit (10 a second)."""
RETRIES = 10
MAX_WAIT_S = 60.0
Fetch = Callable[[str], tuple[int, Any]]
"""GET a path of the server: (HTTP status, the JSON body or None)."""


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser(
        "audit", help="monitor a service: its public log grows without rewriting history, statuses match it"
    )
    audit.add_argument("--server", required=True, help="the service's address, e.g. https://certify.example")
    audit.add_argument("--state", type=Path, help="JSON file keeping the last tree head seen")
    audit.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    server = str(args.server).rstrip("/")
    if urllib.parse.urlsplit(server).scheme not in ("http", "https"):
        raise Failed(f"certify audit: --server must be an http(s) address, not {server!r}")
    discrepancies = audit(fetch=http_fetch(server), state=args.state)
    for line in discrepancies:
        print(line)
    if not discrepancies:
        print(f"ok: the log of {server} checks out")
    return 1 if discrepancies else 0


def audit(*, fetch: Fetch, state: Path | None) -> list[str]:
    """Every discrepancy found, one line each; none when the log and the registry agree."""
    jwks = _json(fetch, "/.well-known/jwks.json")
    try:
        head = SignedTreeHead.model_validate(_json(fetch, "/api/v1/log/tree-head"))
    except ValidationError as error:
        return [f"the tree head is not a tree head: {error.errors()[0]['msg']}"]
    if not tree_head_holds(head, jwks):
        return [f"the tree head of {head.size} leaves is not signed by a published key in force at {head.timestamp}"]
    found = _consistent_with_last(fetch, head, state)
    leaves, missing = _leaves(fetch, head.size)
    found += missing
    if not missing and root([leaf_hash(data) for data in leaves]) != _b64(head.root_hash):
        found.append(
            f"the {head.size} leaves do not hash to the signed root: a logged event was altered, removed or moved"
        )
    log_holds = not found
    found += _status_discrepancies(fetch, leaves)
    if log_holds and state is not None:
        state.write_text(head.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return found


def _consistent_with_last(fetch: Fetch, head: SignedTreeHead, state: Path | None) -> list[str]:
    if state is None or not state.exists():
        return []
    try:
        last = SignedTreeHead.model_validate_json(state.read_text(encoding="utf-8"))
    except (ValidationError, OSError) as error:
        raise Failed(f"certify audit: {state} does not hold a tree head: {error}".splitlines()[0]) from error
    seen = f"the head of {last.size} leaves seen at {last.timestamp}"
    if head.size < last.size:
        return [f"the log shrank: {head.size} leaves now, after {seen}"]
    if last.size == 0:
        return []
    if head.size == last.size:
        proof: list[str] = []
    else:
        body = _json(fetch, f"/api/v1/log/proof/consistency?first={last.size}&second={head.size}")
        proof = body.get("proof", []) if isinstance(body, dict) else []
    if not heads_consistent(last, head, proof):
        return [f"the tree head of {head.size} leaves does not extend {seen}: history was rewritten"]
    return []


def _leaves(fetch: Fetch, size: int) -> tuple[list[bytes], list[str]]:
    """The data of leaves 0..size-1, and a discrepancy if the server skips one."""
    leaves: list[bytes] = []
    while len(leaves) < size:
        start = len(leaves)
        body = _json(fetch, f"/api/v1/log/leaves?start={start}&end={size}")
        page = body.get("leaves", []) if isinstance(body, dict) else []
        if not isinstance(page, list):
            return leaves, [f"the log's leaves from {start} are not a list"]
        for leaf in page:
            if not isinstance(leaf, dict) or not isinstance(leaf.get("data", ""), str):
                return leaves, [f"leaf {len(leaves)} is not a leaf (an object with its index and data)"]
            if leaf.get("index") != len(leaves):
                return leaves, [f"leaf {len(leaves)} is missing from the log (the server skips to {leaf.get('index')})"]
            leaves.append(_b64(leaf.get("data", "")))
        if not page:
            return leaves, [f"leaf {start} is missing from the log (the server has none from there to {size})"]
    return leaves, []


def _status_discrepancies(fetch: Fetch, leaves: list[bytes]) -> list[str]:
    """Certificates whose current status is not what their last logged event says."""
    last: dict[str, str] = {}
    for index, data in enumerate(leaves):
        try:
            event = json.loads(data)
            last[str(event["certificate_id"])] = str(event["status"])
        except (ValueError, KeyError, TypeError):
            return [f"leaf {index} is not a certificate event"]
    found = []
    for certificate_id, logged in last.items():
        status, body = fetch(f"/api/v1/certificates/{urllib.parse.quote(certificate_id)}")
        current = body.get("status") if isinstance(body, dict) else None
        if status == 404:
            found.append(f"{certificate_id}: in the log as {logged}, unknown to the registry")
        elif status != 200 or not isinstance(current, str):
            found.append(f"{certificate_id}: the registry answers {status} without a status")
        elif not statuses_agree(logged, current):
            found.append(f"{certificate_id}: the registry says {current}, the log says {logged}")
    return found


def _json(fetch: Fetch, path: str) -> Any:
    status, body = fetch(path)
    if status != 200:
        raise Failed(f"certify audit: GET {path} answered {status}")
    return body


def http_fetch(
    server: str,
    *,
    per_second: float = PER_SECOND,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Fetch:
    """GET over HTTP(S) with the standard library; a server that cannot be reached fails (exit 1).

    Paced: at most `per_second` requests a second (below the server's default public limit), and
    a 429 or 503 with `Retry-After` is waited out and asked again (up to `RETRIES` times, each
    wait at most `MAX_WAIT_S`), so that a long log is audited, not reported as failures."""
    last = [-math.inf]

    def fetch(path: str) -> tuple[int, Any]:
        url = server + path
        for _ in range(RETRIES + 1):
            sleep(max(0.0, last[0] + 1 / per_second - clock()))
            last[0] = clock()
            request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked in _run
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - http(s) only
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                wait = _retry_after(error.headers.get("Retry-After")) if error.code in (429, 503) else None
                if wait is None:
                    return error.code, None
                sleep(wait)
            except (urllib.error.URLError, OSError, ValueError) as error:
                raise Failed(f"certify audit: GET {url} failed: {error}".splitlines()[0]) from error
        raise Failed(f"certify audit: GET {url}: the server stayed busy after {RETRIES} waits")

    return fetch


def _retry_after(value: str | None) -> float | None:
    """Seconds a `Retry-After` of whole seconds asks for (at most `MAX_WAIT_S`), None without one."""
    if value is None or not value.strip().isascii() or not value.strip().isdigit():
        return None
    return min(float(value.strip()), MAX_WAIT_S)


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError):
        return b""
