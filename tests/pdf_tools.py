"""Tools from outside certify that check its PDFs: poppler's pdfsig over an NSS trust store
holding only the service's CA (certutil), OpenSSL for CRLs, and a local RFC 3161 time-stamp
authority (`openssl ts -reply` behind an HTTP server on 127.0.0.1, ports 18900-18999)."""

from __future__ import annotations

import http.server
import re
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

TSA_PORTS = range(18900, 19000)


def pdfsig(pdf: bytes, ca_pem: bytes, folder: Path) -> str:
    """What pdfsig says of `pdf` with the CA `ca_pem` (alone) trusted."""
    store = folder / "nss"
    store.mkdir(exist_ok=True)
    (folder / "ca.pem").write_bytes(ca_pem)
    subprocess.run(["certutil", "-N", "-d", f"sql:{store}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{store}", "-n", "certify-ca", "-t", "CT,C,C", "-i", str(folder / "ca.pem")],
        check=True,
        capture_output=True,
    )
    (folder / "signed.pdf").write_bytes(pdf)
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{store}", str(folder / "signed.pdf")], capture_output=True, text=True, timeout=60
    )
    return done.stdout + done.stderr


def pdfsig_signing_time(report: str) -> datetime:
    """The "Signing Time" pdfsig printed (`Dec 05 2026 23:41:10`, in the TZ the test runs in: UTC)."""
    found = re.search(r"Signing Time: (.+)", report)
    assert found, report
    return datetime.strptime(found.group(1).strip(), "%b %d %Y %H:%M:%S")


def _free_port() -> int:
    for port in TSA_PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18900-18999")


TSA_CONFIG = """
[ tsa ]
default_tsa = local
[ local ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@contextmanager
def local_tsa() -> Iterator[tuple[str, list[bytes]]]:
    """A real RFC 3161 time-stamp authority: OpenSSL answers each request the HTTP server gets.
    Yields its URL and the list of requests it answered."""
    with tempfile.TemporaryDirectory(prefix="certify-tsa-") as name:
        folder = Path(name)
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", str(folder / "tsa.key"), "-out", str(folder / "tsa.pem"), "-days", "2",
                "-subj", "/O=certify tests/CN=local time-stamp authority",
                "-addext", "extendedKeyUsage=critical,timeStamping", "-addext", "keyUsage=critical,digitalSignature",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (folder / "serial").write_text("01\n")
        (folder / "tsa.cnf").write_text(TSA_CONFIG.format(dir=folder))
        answered: list[bytes] = []
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    (folder / "query.tsq").write_bytes(query)
                    subprocess.run(
                        [
                            "openssl", "ts", "-reply", "-config", str(folder / "tsa.cnf"),
                            "-queryfile", str(folder / "query.tsq"), "-out", str(folder / "reply.tsr"),
                        ],
                        check=True,
                        capture_output=True,
                    )  # fmt: skip
                    reply = (folder / "reply.tsr").read_bytes()
                    answered.append(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args: object) -> None:
                """Quiet."""

        server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/tsa", answered
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
