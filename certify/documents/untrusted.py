"""Uploaded PDFs are read in processes of their own, under hard limits, apart from the render pool.

Anyone may upload a file to `/verify`; reading it runs pyHanko on bytes chosen by a stranger. So:
- each reader is a separate process (`UploadReaders`, a few per server process) whose address
  space (`RLIMIT_AS`) and CPU time (`RLIMIT_CPU`, set afresh for each file) are capped by the
  kernel, and whose answer is awaited for at most `seconds` of wall-clock time: past it the
  process is killed and replaced;
- before pyHanko compares revisions (work that grows with the square of their number) the file's
  revisions, objects and nesting are counted against caps, first in the raw bytes, then as parsed;
- every stream decoded is bounded by pyHanko's decoding limits, set from `decoded_bytes`.

Any limit reached is an `UploadRefused` naming it (413 for sizes, 422 otherwise, with the text in
both languages); a damaged file is answered as such; nothing here is a 500 or a stuck worker.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import queue
import re
import resource
import signal
import sys
import threading
import zlib
from dataclasses import dataclass
from io import BytesIO
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits
from pyhanko.pdf_utils.misc import PdfDecodeLimitError, PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from certify.core.text import Text
from certify.documents.attachment import attachment_of
from certify.documents.check import PdfSignatureCheck, check_reader_signature

logger = logging.getLogger(__name__)
MiB = 1024 * 1024
START_SECONDS = 60.0
"""How long a new reader process may take to start (it imports pyHanko) before it counts as broken."""


@dataclass(frozen=True)
class UploadLimits:
    """What reading one uploaded file may cost (`CERTIFY_VERIFY_*`, see `certify.config`)."""

    seconds: float = 3.0
    cpu_seconds: int = 2
    memory_bytes: int = 256 * MiB
    decoded_bytes: int = 4 * MiB
    revisions: int = 8
    objects: int = 5000
    nesting: int = 32


@dataclass(frozen=True)
class UploadReading:
    """What a reader found: the embedded record's bytes (None: there is none) and, when asked for,
    the verdict on the PDF's signature."""

    attachment: bytes | None
    signature: PdfSignatureCheck | None


class UploadRefused(Exception):
    """A limit was reached (or the file cannot be read): `status` 413 or 422, `limit` its name."""

    def __init__(self, limit: str, status: int, text: Text) -> None:
        super().__init__(text.en)
        self.limit, self.status, self.text = limit, status, text


class UploadReadersBusy(Exception):
    """Every reader stayed busy for the whole wait: the caller answers 503 with Retry-After."""


def refusal(limit: str, limits: UploadLimits) -> UploadRefused:
    """The refusal for `limit`, its text naming the limit and its value."""
    texts: dict[str, tuple[int, Text]] = {
        "revisions": (
            422,
            Text(
                en=f"The PDF has more than {limits.revisions} revisions (incremental updates); a certificate has 2.",
                id=f"PDF ini memiliki lebih dari {limits.revisions} revisi (pembaruan inkremental); "
                "sebuah sertifikat memiliki 2.",
            ),
        ),
        "objects": (
            422,
            Text(
                en=f"The PDF holds more than {limits.objects} objects; a certificate holds far fewer.",
                id=f"PDF ini memuat lebih dari {limits.objects} objek; sebuah sertifikat memuat jauh lebih sedikit.",
            ),
        ),
        "nesting": (
            422,
            Text(
                en=f"The PDF nests arrays or dictionaries deeper than {limits.nesting} levels.",
                id=f"PDF ini menumpuk larik atau kamus lebih dalam dari {limits.nesting} tingkat.",
            ),
        ),
        "decoded_bytes": (
            413,
            Text(
                en=f"A compressed part of the PDF expands to more than {limits.decoded_bytes // 1024} KiB.",
                id=f"Sebagian PDF yang dimampatkan mengembang melebihi {limits.decoded_bytes // 1024} KiB.",
            ),
        ),
        "memory": (
            413,
            Text(
                en=f"Reading the PDF needs more than {limits.memory_bytes // MiB} MiB of memory.",
                id=f"Membaca PDF ini memerlukan lebih dari {limits.memory_bytes // MiB} MiB memori.",
            ),
        ),
        "cpu_seconds": (
            422,
            Text(
                en=f"Checking the PDF needs more than {limits.cpu_seconds} s of computing time.",
                id=f"Memeriksa PDF ini memerlukan lebih dari {limits.cpu_seconds} detik waktu komputasi.",
            ),
        ),
        "seconds": (
            422,
            Text(
                en=f"Checking the PDF took longer than {limits.seconds:g} s.",
                id=f"Memeriksa PDF ini memakan waktu lebih dari {limits.seconds:g} detik.",
            ),
        ),
        "compression": (
            422,
            Text(
                en="A compressed part of the PDF is damaged or uses a compression this service does not read.",
                id="Sebagian PDF yang dimampatkan rusak atau memakai pemampatan yang tidak dibaca layanan ini.",
            ),
        ),
        "damaged": (
            422,
            Text(
                en="The PDF is damaged: its structure cannot be read.",
                id="PDF ini rusak: strukturnya tidak dapat dibaca.",
            ),
        ),
    }
    status, text = texts[limit]
    return UploadRefused(limit, status, text)


# --- in the reader process ---------------------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)", re.DOTALL)
_BRACKETS = re.compile(rb"<<|>>|\[|\]")


def raw_counts(pdf: bytes, limits: UploadLimits) -> None:
    """Refuse on the raw bytes, before any parsing: revisions (every one but the first names the
    one before by `/Prev`; each ends with `startxref`) and objects. A few scans at memory speed:
    the server process makes them before it queues the file for a reader."""
    if max(pdf.count(b"startxref"), pdf.count(b"/Prev") + 1) > limits.revisions:
        raise refusal("revisions", limits)
    if pdf.count(b"endobj") > limits.objects:
        raise refusal("objects", limits)


def _raw_nesting(pdf: bytes, limits: UploadLimits) -> None:
    """Refuse arrays and dictionaries nested too deep, outside streams and strings, before parsing."""
    outside = _STRING.sub(b"()", _STREAM.sub(b"", pdf))
    depth = 0
    for token in _BRACKETS.finditer(outside):
        depth += 1 if token.group() in (b"[", b"<<") else -1
        if depth > limits.nesting:
            raise refusal("nesting", limits)


def _decode_limits(limits: UploadLimits) -> DecodeLimits:
    per_stream = StreamDecodeLimits(max_ratio=None, max_output_size=limits.decoded_bytes)
    return DecodeLimits(
        per_stream=per_stream,
        per_purpose={},
        document_budget=DocumentDecodeBudget(base_allowance=4 * limits.decoded_bytes, max_ratio=4),
    )


def _parsed_counts(reader: PdfFileReader, limits: UploadLimits) -> None:
    revisions = reader.xrefs.total_revisions
    if revisions > limits.revisions:
        raise refusal("revisions", limits)
    objects = sum(len(reader.xrefs.explicit_refs_in_revision(r)) for r in range(revisions))
    if objects > limits.objects:
        raise refusal("objects", limits)


def read_upload(pdf: bytes, ca_pem: bytes, *, limits: UploadLimits, check_signature: bool) -> UploadReading:
    """Read an uploaded file within `limits` (decoding, counts; not time or memory, which only the
    reader process enforces). Raises `UploadRefused`."""
    raw_counts(pdf, limits)
    _raw_nesting(pdf, limits)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False, decode_limits=_decode_limits(limits))
        _parsed_counts(reader, limits)
        attachment = attachment_of(reader)
        signature = check_reader_signature(reader, ca_pem) if check_signature else None
    except UploadRefused:
        raise
    except PdfDecodeLimitError:
        raise refusal("decoded_bytes", limits) from None
    except RecursionError:
        raise refusal("nesting", limits) from None
    except MemoryError:
        raise refusal("memory", limits) from None
    except (NotImplementedError, zlib.error):
        raise refusal("compression", limits) from None
    except (PdfError, KeyError, TypeError, ValueError, IndexError, AttributeError):
        logger.info("an uploaded PDF could not be read", exc_info=True)
        raise refusal("damaged", limits) from None
    return UploadReading(attachment=attachment, signature=signature)


def _serve(connection: Connection, limits: UploadLimits) -> None:
    """A reader process: caps its address space, then reads one file per message, each under a
    fresh CPU-time cap, until its parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is the parent's to handle
    sys.setrecursionlimit(2000)
    ceiling = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    connection.send("ready")
    while True:
        try:
            pdf, ca_pem, check_signature = connection.recv()
        except (EOFError, OSError):
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = math.ceil(used.ru_utime + used.ru_stime)
        resource.setrlimit(resource.RLIMIT_CPU, (spent + limits.cpu_seconds, resource.RLIM_INFINITY))
        try:
            answer: tuple[str, Any] = ("read", read_upload(pdf, ca_pem, limits=limits, check_signature=check_signature))
        except UploadRefused as refused:
            answer = ("refused", refused.limit)
        except MemoryError:
            answer = ("refused", "memory")
        except Exception:  # a bug in a library on hostile input: a damaged file, logged by the parent
            answer = ("failed", f"{sys.exc_info()[0]}")
        del pdf
        connection.send(answer)
        if answer == ("refused", "memory"):
            return  # a process that ran out of memory may be in any state: start a new one


def _address_space() -> int:
    """This process's current virtual memory size, in bytes."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


# --- in the server process -----------------------------------------------------------------------


class _Reader:
    def __init__(self, limits: UploadLimits) -> None:
        context = multiprocessing.get_context("forkserver")
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child, limits), daemon=True, name="certify-upload-reader"
        )
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> bool:
        if not self.ready and self.connection.poll(START_SECONDS):
            self.ready = self.connection.recv() == "ready"
        return self.ready

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class UploadReaders:
    """A few reader processes shared by the threads of a server process.

    `read()` blocks (call it from a worker thread): it waits at most `queue_seconds` for a free
    reader (else `UploadReadersBusy`), then at most `limits.seconds` for its answer (else the
    reader is killed and replaced, and the file refused naming the time limit).
    """

    def __init__(self, *, workers: int, limits: UploadLimits, queue_seconds: float = 2.0) -> None:
        self.limits, self.queue_seconds = limits, queue_seconds
        self._idle: queue.Queue[_Reader] = queue.Queue()
        self._lock = threading.Lock()
        self._all: set[_Reader] = set()
        self._closed = False
        self._workers, self._started = workers, False

    def start(self) -> None:
        """Start the reader processes (a server does when it starts; else the first upload does)."""
        with self._lock:
            started, self._started = self._started, True
        if not started:
            for _ in range(self._workers):
                self._add()

    def _add(self) -> None:
        with self._lock:
            if self._closed:
                return
            reader = _Reader(self.limits)
            self._all.add(reader)
        self._idle.put(reader)

    def _retire(self, reader: _Reader) -> None:
        reader.kill()
        with self._lock:
            self._all.discard(reader)
        self._add()

    def read(self, pdf: bytes, ca_pem: bytes, *, check_signature: bool) -> UploadReading:
        raw_counts(pdf, self.limits)  # too many revisions or objects: refused without a reader
        self.start()
        try:
            reader = self._idle.get(timeout=self.queue_seconds)
        except queue.Empty:
            raise UploadReadersBusy() from None
        try:
            answer = self._ask(reader, (pdf, ca_pem, check_signature))
        except BaseException:
            self._retire(reader)
            raise
        if answer is None or answer == ("refused", "memory") or not reader.process.is_alive():
            self._retire(reader)  # a reader that ran out of memory ends itself
        else:
            self._idle.put(reader)
        if answer is None:
            cpu = reader.process.exitcode == -signal.SIGXCPU
            logger.warning("an upload reader was stopped (%s)", "CPU time" if cpu else "time or crash")
            raise refusal("cpu_seconds" if cpu else "seconds", self.limits)
        kind, value = answer
        if kind == "refused":
            raise refusal(value, self.limits)
        if kind == "failed":
            logger.warning("an upload reader failed on a file: %s", value)
            raise refusal("damaged", self.limits)
        assert isinstance(value, UploadReading)
        return value

    def _ask(self, reader: _Reader, job: tuple[bytes, bytes, bool]) -> tuple[str, Any] | None:
        """The reader's answer, or None when it did not give one in time (or died)."""
        if not reader.wait_ready():
            return None
        try:
            reader.connection.send(job)
            if not reader.connection.poll(self.limits.seconds):
                return None
            answer: tuple[str, Any] = reader.connection.recv()
        except (EOFError, OSError):
            reader.process.join(timeout=1)
            return None
        return answer

    def close(self) -> None:
        """Stop every reader process now (a file being read is abandoned)."""
        with self._lock:
            self._closed = True
            readers, self._all = list(self._all), set()
        for reader in readers:
            reader.kill()


_shared: dict[tuple[int, UploadLimits, float], UploadReaders] = {}
_shared_lock = threading.Lock()


def shared_upload_readers(*, workers: int, limits: UploadLimits, queue_seconds: float) -> UploadReaders:
    """This process's readers for these settings (one set for every app in the process)."""
    with _shared_lock:
        key = (workers, limits, queue_seconds)
        if key not in _shared:
            _shared[key] = UploadReaders(workers=workers, limits=limits, queue_seconds=queue_seconds)
        return _shared[key]


def close_shared_upload_readers() -> None:
    """Stop every reader process of this process (on shutdown)."""
    with _shared_lock:
        readers = list(_shared.values())
        _shared.clear()
    for each in readers:
        each.close()
