"""Hostile PDFs for the verification upload, built from raw bytes (fast, no PDF library).

Used by the tests (tests/api/test_hostile_uploads.py, tests/stress/test_hostile_flood.py) and by
bench/hostile.py.
"""

from __future__ import annotations

import re
import zlib

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
    return raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 3 0 R] >> >> >>"
           % ATTACHMENT,
        2: b"<< /Type /Pages /Kids [] /Count 0 >>",
        3: b"<< /Type /Filespec /F (%s) /EF << /F 4 0 R >> >>" % ATTACHMENT,
        4: stream_object,
    })


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
            size, root, previous, start)
        previous = start
    return bytes(out)


def deep_nesting(depth: int = 100_000) -> bytes:
    """An attachment name tree nested `depth` arrays deep."""
    return raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names "
           + b"[" * depth + b"]" * depth + b" >> >> >>",
        2: b"<< /Type /Pages /Kids [] /Count 0 >>",
    })


MALFORMED: dict[str, bytes] = {
    "attachment_not_a_stream": with_attachment(b"<< /Length 3 >>"),
    "attachment_an_integer": with_attachment(b"42"),
    "attachment_corrupt_flate": with_attachment(stream(b"not flate at all", filters=b"/Filter /FlateDecode")),
    "attachment_truncated_flate": with_attachment(
        stream(zlib.compress(b"{" * 5000)[:40], filters=b"/Filter /FlateDecode")),
    "attachment_unsupported_filter": with_attachment(stream(b"\x80\x0b\x60", filters=b"/Filter /LZWDecode")),
    "attachment_unknown_filter": with_attachment(stream(b"abc", filters=b"/Filter /NoSuchDecode")),
    "attachment_bad_predictor": with_attachment(
        stream(zlib.compress(b"{}"), filters=b"/Filter /FlateDecode /DecodeParms << /Predictor 2 >>")),
    "names_not_an_array": raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names 7 >> >> >>",
        2: b"<< /Type /Pages /Kids [] /Count 0 >>"}),
    "deep_nesting": deep_nesting(),
}
"""Files that once answered 500: each must now be a 4xx or a "not authentic" answer."""
