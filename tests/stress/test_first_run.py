"""The README's first command as a new user runs it: `certify demo` (twice), then `certify serve`
on a port of their choosing; QR codes that point at that port, and a stop that leaves nothing
running. Each test works in its own folder, as a fresh checkout's `./data` would."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.stress.conftest import START_TIMEOUT_S, free_port

SIGN_IN = re.compile(r"^\s+(\d+) (\w+)\s+.+?\s+(\S+)\s+(\S+)\s+(cfy_\S+)$")


def environment(data: Path) -> dict[str, str]:
    """The user's environment: no CERTIFY_* settings but the data folder (the default is ./data)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CERTIFY_")}
    return {**env, "CERTIFY_DATA_DIR": str(data)}


def certify(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "certify.cli", *args],
        env=environment(data),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def tokens(demo_output: str) -> dict[str, str]:
    """The API token `certify demo` printed for the first user of each role."""
    found: dict[str, str] = {}
    for line in demo_output.splitlines():
        match = SIGN_IN.match(line)
        if match:
            found.setdefault(match.group(2), match.group(5))
    return found


def session_processes(session: int) -> list[str]:
    """The processes still in the server's session (the server started it): `pid command`."""
    listing = subprocess.run(["ps", "-e", "-o", "pid=,sid=,args="], capture_output=True, text=True, check=True)
    return [line.strip() for line in listing.stdout.splitlines() if line.split()[1] == str(session)]


def qr_url(pdf: bytes, folder: Path) -> str:
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(folder / "certificate.pdf"), str(folder / "page")],
        check=True,
        timeout=60,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(folder / "page.png")], capture_output=True, text=True, check=True, timeout=60
    )
    return decoded.stdout.strip()


def issue_one(client: httpx.Client, certifier: dict[str, str]) -> str:
    """Issue a certificate for one of the demo's inspections awaiting a decision (the first one
    this certifier has no conflict with): rendered and signed by the server's render processes."""
    queue = client.get("/api/v1/inspections", headers=certifier).json()
    for inspection in queue:
        if inspection["decision"] is None and inspection["certified"]:
            answer = client.post(
                f"/api/v1/inspections/{inspection['id']}/decision",
                headers=certifier,
                json={"decision": "issue", "note": "checked"},
            )
            if answer.status_code == 201:
                return str(answer.json()["certificate_id"])
    raise AssertionError("no inspection of the demo's could be certified")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def served(data: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, dict[str, str]]]:
    """`certify demo --port P`, then `certify serve --port P --workers 2`, rendering in processes."""
    port = free_port()
    demo = certify(data, "demo", "--port", str(port))
    assert demo.returncode == 0, demo.stderr
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "certify.cli", "serve", "--port", str(port), "--workers", "2"],
        env=environment(data),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, (data / "serve.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "certify serve did not start"
            time.sleep(0.2)
        yield process, port, tokens(demo.stdout)
    finally:  # whatever the test left running, the server's whole process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_command_one_runs_twice_keeping_the_data_and_leaving_no_stray_file(data: Path) -> None:
    """The second `certify demo` keeps what the first loaded, says so in one line, exits 0 (so
    `&& certify serve` starts) and tells again how to try it; only the database and keys remain."""
    first = certify(data, "demo")
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""  # no warning reaches the user
    assert "IDC-" in first.stdout and "http://127.0.0.1:8000/" in first.stdout and "certify password" in first.stdout
    second = certify(data, "demo")
    assert second.returncode == 0, second.stderr
    kept = [line for line in second.stdout.splitlines() if "already holds" in line]
    assert len(kept) == 1 and "5 workshop(s)" in kept[0] and "--reset" in kept[0]
    assert "certify password" in second.stdout and "IDC-" in second.stdout
    assert sorted(path.name for path in data.iterdir()) == ["certify.db", "keys"]


def test_demo_reset_loads_the_demo_afresh(data: Path) -> None:
    """`--reset` empties the database and loads one workshop per craft again, with new passwords."""
    first = certify(data, "demo")
    again = certify(data, "demo", "--reset")
    assert again.returncode == 0, again.stderr
    assert tokens(again.stdout) and tokens(again.stdout) != tokens(first.stdout)
    listing = certify(data, "users", "list")
    assert listing.stdout.count("admin") == 1  # not two demos on top of each other


def test_serve_without_an_issuer_name_on_fresh_keys_is_refused_naming_the_variable(data: Path) -> None:
    """A certification body must name itself; and listening beyond this machine with a loopback
    public URL is warned about in one line."""
    done = certify(data, "serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert "warning" in lines[0] and "CERTIFY_PUBLIC_URL" in lines[0]
    assert lines[1].startswith("certify serve: set CERTIFY_ISSUER_NAME")


def test_serve_on_a_port_puts_that_port_in_every_qr_code(
    served: tuple[subprocess.Popen[bytes], int, dict[str, str]], tmp_path: Path
) -> None:
    """With CERTIFY_PUBLIC_URL unset, the demo's certificates and one issued by the running server
    point at http://127.0.0.1:PORT/verify/ID; the PDF CA names the issuer."""
    _, port, token = served
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=60) as client:
        certifier = {"Authorization": f"Bearer {token['certifier']}"}
        issued = issue_one(client, certifier)
        pdf = client.get(f"/api/v1/certificates/{issued}/pdf", headers=certifier)
        assert pdf.status_code == 200
        assert qr_url(pdf.content, tmp_path) == f"{base}/verify/{issued}"
        ca = client.get("/.well-known/certify-ca.pem").text
    from cryptography import x509

    from certify.config import DEMO_ISSUER_NAME
    from certify.documents.pdf_ca import organisation

    assert organisation(x509.load_pem_x509_certificate(ca.encode())) == DEMO_ISSUER_NAME


@pytest.mark.parametrize("stop", ["SIGTERM to the server", "Ctrl-C in its terminal"])
def test_stopping_the_server_ends_every_process_it_started_within_10_s(
    served: tuple[subprocess.Popen[bytes], int, dict[str, str]], stop: str
) -> None:
    """After a certificate was rendered (so the render processes run), a stop leaves no process
    of the server's behind: no worker, render process, fork server or resource tracker."""
    process, port, token = served
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        issue_one(client, {"Authorization": f"Bearer {token['certifier']}"})
    started = session_processes(process.pid)
    assert len(started) >= 5, started  # the server, 2 workers, their render processes
    if stop == "SIGTERM to the server":
        os.kill(process.pid, signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 10
    assert process.wait(timeout=10) in (0, -signal.SIGTERM, -signal.SIGINT)  # reaped: not a zombie of ours
    while session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(process.pid) == []
