"""The real server for stress tests: `python -m certify.cli serve` as a child process on 127.0.0.1
(a free port, a temporary data directory), over a fresh SQLite file or a fresh PostgreSQL
database (created and dropped here; skipped, or failed under CERTIFY_REQUIRE_POSTGRES=1, when
PostgreSQL does not answer, as tests/conftest.py does).

The server runs in its own process group, so that `kill()` is a crash of the whole service
(server and any render process) with SIGKILL: nothing is flushed, nothing is cleaned up.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from certify.core.evidence import lab_report_criteria, required_photos
from certify.rulebook import bundled
from certify.services.specimens import specimen_lab_report, specimen_photo
from certify.store import migrate
from tests.conftest import ROOT, fresh_postgres_database

START_TIMEOUT_S = 90  # a cold start imports WeasyPrint and pyHanko; CI machines can be slow


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stress: starts real servers, kills them, runs many clients at once")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """One `certify serve` (with `workers` processes) that can be started, killed and restarted."""

    database_url: str
    data_dir: Path
    workers: int = 1
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    more_env: dict[str, str] = field(default_factory=dict)  # e.g. CERTIFY_SIGNING_KEYS

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "CERTIFY_DATA_DIR": str(self.data_dir),
            "CERTIFY_DATABASE_URL": self.database_url,
            "CERTIFY_PUBLIC_URL": self.url,
            "CERTIFY_ISSUER_NAME": "Lembaga Sertifikasi Uji",
            "CERTIFY_RENDER_WORKERS": "0",  # render in the request's thread: fewer processes to start
            "CERTIFY_POOL_SIZE": "20",
            "CERTIFY_LOG_FORMAT": "json",
            **self.more_env,
        }

    def certify(self, *args: str) -> str:
        """Run a `certify` command against this server's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "certify.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"certify {' '.join(args)}: {done.stderr}"
        return done.stdout

    def start(self) -> None:
        """Start the server and wait until /readyz says the database answers."""
        self.launch()
        self.wait_until_ready()

    def launch(self) -> None:
        """Start the server without waiting for it."""
        assert self.process is None or self.process.poll() is not None
        self.starts += 1
        log = (self.data_dir / f"server-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "certify.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"certify serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        pytest.fail(f"certify serve was not ready within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the server's whole process group: a crash."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM (a graceful stop), then SIGKILL if it has not stopped within 20 s."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 30) -> str:
        log = self.data_dir / f"server-{self.starts}.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def log_lines(self) -> list[str]:
        """Every line the server wrote, over all its starts."""
        return [
            line
            for n in range(1, self.starts + 1)
            for line in (self.data_dir / f"server-{n}.log").read_text(errors="replace").splitlines()
        ]


@dataclass
class Account:
    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_users(server: Server, *people: tuple[str, str]) -> list[Account]:
    """`certify users add --role ROLE --name NAME --json` for each (role, name), all at once, as
    an admin sets up accounts."""
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        outputs = list(
            pool.map(
                lambda person: server.certify("users", "add", "--role", person[0], "--name", person[1], "--json"),
                people,
            )
        )
    made = [json.loads(output) for output in outputs]
    accounts = [Account(id=int(user["id"]), token=str(user["token"])) for user in made]
    for (role, _name), account in zip(people, accounts, strict=True):
        if role in ("inspector", "certifier"):  # competent for the standards the stress tests use
            server.certify("users", "authorise", str(account.id), "--standard", "wood", "--standard", "woven")
    return accounts


@pytest.fixture
def server_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database of `backend` (PostgreSQL: created now, dropped afterwards)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'certify.db'}"
        migrate.upgrade(url)
        yield url
        return
    with fresh_postgres_database("certify_stress") as url:
        yield url


def make_server(database_url: str, data_dir: Path, workers: int = 1) -> Iterator[Server]:
    data_dir.mkdir(parents=True, exist_ok=True)
    server = Server(database_url=database_url, data_dir=data_dir, workers=workers)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(server_database_url: str, tmp_path: Path) -> Iterator[Server]:
    """A server (not started yet) over a fresh database; stopped at the end whatever happens."""
    yield from make_server(server_database_url, tmp_path / "data")


def wood_bodies(client: httpx.Client, account: Account) -> list[dict[str, Any]]:
    """The wood standard's worked examples as served (GET /api/v1/standards/wood), each with
    the product category it needs: `{"category", "certified", "inspection"}`."""
    answer = client.get("/api/v1/standards/wood", headers=account.headers)
    assert answer.status_code == 200, answer.text
    return [
        {
            "category": example["inspection"]["facts"]["product_category"],
            "certified": bool(example["expect"]["certified"]),
            "inspection": example["inspection"],
        }
        for example in answer.json()["examples"]
    ]


def register_products(client: httpx.Client, account: Account, categories: set[str]) -> dict[str, int]:
    """A workshop with one product of each category; product ids by category."""
    holder = client.post(
        "/api/v1/holders",
        headers=account.headers,
        json={"name": "Mebel Ukir Jepara Jaya", "province": "Jawa Tengah", "crafts": ["wood"]},
    )
    assert holder.status_code == 201, holder.text
    products = {}
    for category in sorted(categories):
        made = client.post(
            f"/api/v1/holders/{holder.json()['id']}/products",
            headers=account.headers,
            json={"name": f"{category} of Jepara", "category": category},
        )
        assert made.status_code == 201, made.text
        products[category] = int(made.json()["id"])
    return products


def ready(client: httpx.Client, inspector: Account, inspection: dict[str, Any], product_id: int) -> dict[str, Any]:
    """A worked example as an inspector submits it over HTTP: a sample drawn for its lot, the lot's
    code, and the evidence its standard declares uploaded (generated photos and lab report)."""
    standard = bundled().get(str(inspection.get("standard", "wood")))
    size = inspection["lot"]["size"]
    plan = client.post(
        "/api/v1/sampling-plans", json={"standard": standard.ref, "lot_size": size}, headers=inspector.headers
    )
    assert plan.status_code == 201, plan.text

    def upload(data: bytes) -> str:
        for _ in range(20):  # 503 "every PDF reader is busy: try again" under a burst: as a phone would, again
            answer = client.post("/api/v1/evidence", files={"file": ("f", data)}, headers=inspector.headers)
            if answer.status_code != 503:
                break
            time.sleep(0.5)
        assert answer.status_code == 201, answer.text
        sha: str = answer.json()["sha256"]
        return sha

    photos = {
        key: [upload(specimen_photo(f"{key} {n}", seed=n)) for n in range(count)]
        for key, count in required_photos(standard).items()
    }
    criteria = list(lab_report_criteria(standard))
    reports = [
        {
            "criteria": criteria,
            "laboratory": "Balai Besar Kerajinan dan Batik",
            "accreditation": "KAN LP-000-IDN",
            "report_number": "LHU/1",
            "issued_on": date.today().isoformat(),
            "file": upload(specimen_lab_report(criteria, report_number="LHU/1", issued_on=date.today())),
        }
        for _ in criteria[:1]
    ]
    # a worked example dated after today (a limit not yet in force) is submitted as of today, as the service dates it
    dated = {k: v for k, v in inspection.items() if k != "inspected_on" or date.fromisoformat(str(v)) <= date.today()}
    return {
        **dated,
        "standard": standard.ref,
        "product_id": product_id,
        "lot": {**inspection["lot"], "code": f"LOT-{plan.json()['id']}"},
        "sampling_plan_id": plan.json()["id"],
        "evidence": photos,
        "lab_reports": reports,
    }
