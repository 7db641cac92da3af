"""Hostile uploads against `certify serve --workers 2` (SQLite, demo data) on 127.0.0.1.

Prints, for one run on this machine:
- yardsticks: /healthz and a genuine certificate PDF verified on the idle server;
- the cost of the worst files still accepted (each at a limit: revisions, objects, nesting,
  decoded size, the upload size);
- a flood: 20 clients uploading a 3,000-revision PDF and a Flate bomb for 10 s (issue 12's
  "Done when"): the server's memory before, at its peak and after, the answers' statuses and
  times, /healthz and a genuine PDF verified during the flood.

    python bench/hostile.py [--seconds 10] [--clients 20] [--port 19150]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile_pdfs  # noqa: E402

MiB = 1024 * 1024


def start(port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CERTIFY_DATA_DIR": str(data_dir),
        "CERTIFY_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "CERTIFY_PUBLIC_RATE_PER_SECOND": "0",
    }  # one client address: the flood is not a rate-limit test
    subprocess.run(
        [sys.executable, "-m", "certify.cli", "demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "certify.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("certify serve did not start")


def timed(client: httpx.Client, content: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    status = client.post("/api/v1/verify", files={"file": ("c.pdf", content)}).status_code
    return status, time.perf_counter() - started


def at_the_limits(genuine: bytes) -> dict[str, bytes]:
    """Files that every limit still lets through, each as costly as that limit allows."""
    big = os.urandom(9 * MiB)
    inflating = zlib.compress(bytes(4 * MiB - 1024), 9)
    objects = {n: b"<< /N %d >>" % n for n in range(3, 4990)}
    objects |= {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    return {
        "genuine, 6 empty updates appended (8 revisions)": hostile_pdfs.many_revisions(genuine, 6),
        "4,990 objects": hostile_pdfs.raw_pdf(objects),
        "nesting 32 deep (28 arrays in 4 dictionaries)": hostile_pdfs.deep_nesting(28),
        "attachment inflating to 4 MiB - 1 KiB": hostile_pdfs.with_attachment(
            hostile_pdfs.stream(inflating, filters=b"/Filter /FlateDecode")
        ),
        "9 MiB of random attachment": hostile_pdfs.with_attachment(hostile_pdfs.stream(big)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=19150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="certify-hostile-") as folder:
        data = Path(folder)
        process = start(args.port, data)
        try:
            url = f"http://127.0.0.1:{args.port}"
            with sqlite3.connect(data / "certify.db") as db:
                genuine = bytes(db.execute("SELECT pdf FROM certificates LIMIT 1").fetchone()[0])
            with httpx.Client(base_url=url, timeout=60) as client:
                for _ in range(3):  # readers started and warm in both workers
                    timed(client, genuine)
                health = []
                for _ in range(50):
                    started = time.perf_counter()
                    client.get("/healthz")
                    health.append(time.perf_counter() - started)
                verify = [timed(client, genuine)[1] for _ in range(20)]
                print(f"yardstick_healthz_p50_ms: {statistics.median(health) * 1000:.2f}")
                print(f"yardstick_genuine_verify_p50_ms: {statistics.median(verify) * 1000:.1f}")
                print(f"yardstick_genuine_verify_max_ms: {max(verify) * 1000:.1f}")
                for name, content in at_the_limits(genuine).items():
                    runs = [timed(client, content) for _ in range(3)]
                    print(
                        f"accepted_at_limit[{name}]: status {runs[0][0]}, "
                        f"{statistics.median(t for _, t in runs) * 1000:.0f} ms (median of 3), "
                        f"{len(content) // 1024} KB"
                    )
            files = [hostile_pdfs.many_revisions(genuine, 3000), hostile_pdfs.flate_bomb()]
            print(
                f"flood_files: {len(files[0]) // 1024} KB of 3,002 revisions, "
                f"{len(files[1]) // 1024} KB Flate bomb (256 MiB inflated)"
            )
            figures = hostile_pdfs.flood(
                url, pid=process.pid, files=files, genuine=genuine, seconds=args.seconds, clients=args.clients
            )
            times = sorted(figures.times)
            print(
                f"flood_requests: {len(times)} in {args.seconds:g} s from {args.clients} clients; "
                f"statuses {dict(figures.statuses)} (503 without Retry-After: {figures.busy_without_retry_after})"
            )
            print(
                f"flood_answer_p50_ms: {statistics.median(times) * 1000:.0f}, "
                f"p99_ms: {times[int(len(times) * 0.99)] * 1000:.0f}, max_ms: {times[-1] * 1000:.0f}"
            )
            print(
                f"flood_rss_mb: before {figures.rss_before / MiB:.0f}, peak {figures.rss_peak / MiB:.0f}, "
                f"after {figures.rss_after / MiB:.0f}"
            )
            print(
                f"flood_healthz: {len(figures.health_times)} asked, {figures.health_failures} failed, "
                f"max_ms {max(figures.health_times) * 1000:.0f}"
            )
            print(
                "flood_genuine: "
                + ", ".join(
                    f"{status}{' authentic' if ok else ''} {seconds * 1000:.0f} ms"
                    for status, ok, seconds in figures.genuine
                )
            )
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
