"""A server for a benchmark: started on a free port of 127.0.0.1, waited for, stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60


def free_port() -> int:
    """A free port: any, or the first free one of CERTIFY_BENCH_PORTS ("18400-18449") when set."""
    first, _, last = os.environ.get("CERTIFY_BENCH_PORTS", "0-0").partition("-")
    for candidate in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port: int = probe.getsockname()[1]
            return port
    raise SystemExit(f"no free port in CERTIFY_BENCH_PORTS={os.environ['CERTIFY_BENCH_PORTS']}")


@contextmanager
def running(argv: list[str], env: dict[str, str]) -> Iterator[int]:
    """Run `argv --port PORT` until the block ends; yields PORT once it accepts connections."""
    port = int(os.environ.get("CERTIFY_BENCH_PORT") or free_port())  # a port you were given, else any
    process = subprocess.Popen([*argv, "--port", str(port)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{' '.join(argv)} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def server_cpu_seconds(port: int) -> float:
    """CPU seconds used so far by the server started with `--port PORT` and its processes (Linux)."""
    mark = f"--port\0{port}\0".encode()
    server = next(p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline(p).endswith(mark))
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in [server.name, *(c for t in (server / "task").iterdir() for c in (t / "children").read_text().split())]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _cmdline(process: Path) -> bytes:
    try:
        return (process / "cmdline").read_bytes()
    except OSError:  # gone meanwhile
        return b""
