"""Two machines over one PostgreSQL: two `certify serve` processes, each with its own data and key
directory, given the same CERTIFY_SIGNING_KEYS (exported once by `certify keys export-secret`)
and started together on a database nobody has migrated yet.

What must hold: both start (one migrates, the other waits its turn); both publish the same keys
and PDF CA; a certificate issued on one verifies on the other, PDF included; a status changed on
one is what the other says at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, fresh_postgres_database
from tests.stress.conftest import Server, add_users, make_server, ready, register_products, wood_bodies

pytestmark = [pytest.mark.stress, pytest.mark.postgres]

PUBLIC_URL = "https://sertifikat.example.id"  # one address for buyers, whichever machine answers


def export_secret(key_dir: Path) -> str:
    """`certify keys export-secret` on the admin machine that holds the key directory."""
    done = subprocess.run(
        [sys.executable, "-m", "certify.cli", "keys", "export-secret"],
        env={**os.environ, "CERTIFY_KEY_DIR": str(key_dir)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def machines(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    """Machines a and b, started at the same moment on an empty database."""
    secret = export_secret(tmp_path / "admin-keys")
    with ExitStack() as stack:
        url = stack.enter_context(fresh_postgres_database("certify_machines", migrated=False))
        a, b = (stack.enter_context(contextmanager(make_server)(url, tmp_path / name)) for name in "ab")
        for server in (a, b):
            server.more_env = {"CERTIFY_SIGNING_KEYS": secret, "CERTIFY_PUBLIC_URL": PUBLIC_URL}
            server.launch()
        for server in (a, b):
            server.wait_until_ready()
        yield a, b


def test_two_machines_share_keys_certificates_and_statuses(machines: tuple[Server, Server]) -> None:
    a, b = machines
    for published in ("/.well-known/jwks.json", "/.well-known/certify-ca.pem"):
        assert httpx.get(a.url + published).content == httpx.get(b.url + published).content
    admin, inspector, certifier, other_certifier = add_users(
        a,
        ("admin", "Admin"),
        ("inspector", "Ayu Lestari"),
        ("certifier", "Hendra Gunawan"),
        ("certifier", "Siti Rahmawati"),
    )
    with httpx.Client(base_url=a.url, timeout=120) as on_a, httpx.Client(base_url=b.url, timeout=120) as on_b:
        example = next(e for e in wood_bodies(on_a, admin) if e["certified"])
        product = register_products(on_a, admin, {example["category"]})[example["category"]]
        inspection = on_a.post(
            "/api/v1/inspections",
            headers=inspector.headers,
            json=ready(on_a, inspector, example["inspection"], product),
        )
        assert inspection.status_code == 201, inspection.text
        issued = on_a.post(
            f"/api/v1/inspections/{inspection.json()['id']}/decision",
            headers=certifier.headers,
            json={"decision": "issue"},
        )
        assert issued.status_code == 201, issued.text
        certificate_id = issued.json()["certificate_id"]

        seen_on_b = on_b.get(f"/api/v1/certificates/{certificate_id}").json()
        assert seen_on_b["checks"] == {
            "signature": "valid",
            "key_valid_at_issuance": "valid",
            "status": "valid",
            "log_inclusion": "valid",
        }
        pdf = on_a.get(f"/api/v1/certificates/{certificate_id}/pdf", headers=certifier.headers)
        assert pdf.status_code == 200
        upload = on_b.post("/api/v1/verify", files={"file": ("certificate.pdf", pdf.content, "application/pdf")})
        assert upload.json()["authentic"] is True, upload.json()

        suspended = on_b.post(
            f"/api/v1/certificates/{certificate_id}/suspend",
            headers=other_certifier.headers,
            json={"reason": "complaint under review"},
        )
        assert suspended.status_code == 200, suspended.text
        assert on_a.get(f"/api/v1/certificates/{certificate_id}").json()["status"] == "suspended"
