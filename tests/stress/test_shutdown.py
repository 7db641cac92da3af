"""Issue 12, finding 5: a SIGTERM to `certify serve` once left its render processes running. Now
every child process (workers, upload readers, render pools, their fork servers) ends with it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.stress.conftest import Server, add_users, ready, register_products, wood_bodies

pytestmark = pytest.mark.stress


def session_processes(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session and "Z" not in (entry / "stat").read_text().split()[2]:
                    found.append(int(entry.name))
            except (OSError, ProcessLookupError):
                continue
    return found


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_sigterm_to_the_server_ends_every_child_process(server: Server) -> None:
    server.workers = 2
    server.more_env["CERTIFY_RENDER_WORKERS"] = "2"
    server.start()
    assert server.process is not None
    pid = server.process.pid
    admin, inspector, certifier = add_users(server, ("admin", "Admin"), ("inspector", "Ayu"), ("certifier", "Hendra"))
    with httpx.Client(base_url=server.url, timeout=120) as client:  # one certificate: a render pool starts
        example = next(e for e in wood_bodies(client, admin) if e["certified"])
        product = register_products(client, admin, {example["category"]})[example["category"]]
        inspection = client.post(
            "/api/v1/inspections",
            headers=inspector.headers,
            json=ready(client, inspector, example["inspection"], product),
        )
        issued = client.post(
            f"/api/v1/inspections/{inspection.json()['id']}/decision",
            headers=certifier.headers,
            json={"decision": "issue"},
        )
        assert issued.status_code == 201, issued.text
    assert len(session_processes(pid)) >= 1 + 2 + 2 * 2 + 1  # server, workers, readers, a render process
    os.kill(pid, signal.SIGTERM)  # the server alone, as a supervisor stops it
    server.process.wait(timeout=60)
    deadline = time.monotonic() + 15
    while session_processes(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(pid) == []
