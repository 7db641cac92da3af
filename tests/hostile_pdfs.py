"""Hostile PDFs for the verification upload, built from raw bytes (fast, no PDF library).

Used by the tests (tests/api/test_hostile_uploads.py, tests/stress/test_hostile_flood.py) and by
bench/hostile.py.
"""

from __future__ import annotations

import os
import re
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ATTACHMENT = b"certificate-record.json"
MiB = 1024 * 1024


def raw_pdf(objects: dict[int, bytes], *, root: int = 1) -> bytes:
    """A one-revision PDF holding `objects` (number -> body between `obj` and `endobj`)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


def with_attachment(stream_object: bytes) -> bytes:
    """A PDF whose embedded file named like a certificate's record is object 4 (`stream_object`)."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 3 0 R] >> >> >>" % ATTACHMENT,
            2: b"<< /Type /Pages /Kids [] /Count 0 >>",
            3: b"<< /Type /Filespec /F (%s) /EF << /F 4 0 R >> >>" % ATTACHMENT,
            4: stream_object,
        }
    )


def stream(data: bytes, *, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def flate_bomb(inflated: int = 256 * MiB) -> bytes:
    """An attachment of `inflated` zero bytes, Flate-compressed (256 MiB: about 254 KB)."""
    compressor = zlib.compressobj(9)
    chunk = bytes(MiB)
    data = b"".join(compressor.compress(chunk) for _ in range(inflated // MiB)) + compressor.flush()
    return with_attachment(stream(data, filters=b"/Filter /FlateDecode"))


def many_revisions(pdf: bytes, revisions: int) -> bytes:
    """`pdf` with `revisions` incremental updates appended, each one empty (changing nothing, so that a
    signature check must compare every revision with the signed one)."""
    out = bytearray(pdf)
    previous = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    root = re.findall(rb"/Root\s+(\d+)\s+0\s+R", pdf)[-1]
    size = max(int(s) for s in re.findall(rb"/Size\s+(\d+)", pdf))
    for _ in range(revisions):
        start = len(out)
        out += b"xref\n0 0\ntrailer\n<< /Size %d /Root %s 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            size,
            root,
            previous,
            start,
        )
        previous = start
    return bytes(out)


def deep_nesting(depth: int = 100_000) -> bytes:
    """An attachment name tree nested `depth` arrays deep."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names "
            + b"[" * depth
            + b"]" * depth
            + b" >> >> >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>",
        }
    )


MALFORMED: dict[str, bytes] = {
    "attachment_not_a_stream": with_attachment(b"<< /Length 3 >>"),
    "attachment_an_integer": with_attachment(b"42"),
    "attachment_corrupt_flate": with_attachment(stream(b"not flate at all", filters=b"/Filter /FlateDecode")),
    "attachment_truncated_flate": with_attachment(
        stream(zlib.compress(b"{" * 5000)[:40], filters=b"/Filter /FlateDecode")
    ),
    "attachment_unsupported_filter": with_attachment(stream(b"\x80\x0b\x60", filters=b"/Filter /LZWDecode")),
    "attachment_unknown_filter": with_attachment(stream(b"abc", filters=b"/Filter /NoSuchDecode")),
    "attachment_bad_predictor": with_attachment(
        stream(zlib.compress(b"{}"), filters=b"/Filter /FlateDecode /DecodeParms << /Predictor 2 >>")
    ),
    "names_not_an_array": raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names 7 >> >> >>",
            2: b"<< /Type /Pages /Kids [] /Count 0 >>",
        }
    ),
    "deep_nesting": deep_nesting(),
}
"""Files that once answered 500: each must now be a 4xx or a "not authentic" answer."""


# --- a flood of them against a running server ------------------------------------------------------


@dataclass
class FloodFigures:
    """What a flood saw: every hostile answer's status and time, /healthz's and the genuine file's."""

    statuses: Counter[int] = field(default_factory=Counter)
    busy_without_retry_after: int = 0
    times: list[float] = field(default_factory=list)
    health_times: list[float] = field(default_factory=list)
    health_failures: int = 0
    genuine: list[tuple[int, bool, float]] = field(default_factory=list)  # status, authentic, seconds
    rss_before: int = 0
    rss_after: int = 0
    rss_peak: int = 0


def server_rss(pid: int) -> int:
    """Memory (bytes) of process `pid` and every process of its session (its workers, the render
    and reader processes): the sum of their proportional set sizes (pages shared between processes
    counted once)."""
    session = os.getsid(pid)
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != session:
                continue
            rollup = (entry / "smaps_rollup").read_text()
        except (OSError, ProcessLookupError):
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def flood(
    url: str,
    *,
    pid: int,
    files: list[bytes],
    genuine: bytes,
    seconds: float = 10.0,
    clients: int = 20,
    timeout: float = 30.0,
) -> FloodFigures:
    """`clients` threads uploading `files` in turn to `url`/api/v1/verify for `seconds`, while one
    thread asks /healthz every 0.2 s and another verifies `genuine` every second."""
    figures = FloodFigures(rss_before=server_rss(pid))
    figures.rss_peak = figures.rss_before
    end = time.monotonic() + seconds
    lock = threading.Lock()

    def hostile(index: int) -> None:
        with httpx.Client(base_url=url, timeout=timeout) as client:
            turn = index
            while time.monotonic() < end:
                started = time.perf_counter()
                answer = client.post("/api/v1/verify", files={"file": ("c.pdf", files[turn % len(files)])})
                with lock:
                    figures.statuses[answer.status_code] += 1
                    figures.busy_without_retry_after += (
                        answer.status_code == 503 and "retry-after" not in answer.headers
                    )
                    figures.times.append(time.perf_counter() - started)
                turn += 1

    def health() -> None:
        with httpx.Client(base_url=url, timeout=timeout) as client:
            while time.monotonic() < end:
                started = time.perf_counter()
                try:
                    ok = client.get("/healthz").status_code == 200
                except httpx.TransportError:
                    ok = False
                figures.health_times.append(time.perf_counter() - started)
                figures.health_failures += not ok
                figures.rss_peak = max(figures.rss_peak, server_rss(pid))
                time.sleep(0.2)

    def genuine_checks() -> None:
        with httpx.Client(base_url=url, timeout=timeout) as client:
            while time.monotonic() < end:
                started = time.perf_counter()
                answer = client.post("/api/v1/verify", files={"file": ("c.pdf", genuine)})
                authentic = answer.status_code == 200 and answer.json()["authentic"] is True
                figures.genuine.append((answer.status_code, authentic, time.perf_counter() - started))
                time.sleep(1.0)

    threads = [threading.Thread(target=hostile, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=health), threading.Thread(target=genuine_checks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(1.0)  # let the server settle: what it still holds is what it kept
    figures.rss_after = server_rss(pid)
    return figures
