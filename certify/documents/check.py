"""Check a certificate PDF's own signature: intact, by our CA, and covering the whole file.

A signature that covers only an earlier revision is rejected: an incremental update appended
after signing can change what a page shows and still be reported "signature valid" by some
readers.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import cms, pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfDecodeLimitError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import (
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import ValidationContext

from certify.core.text import Text

logger = logging.getLogger(__name__)

ACCEPTED = Text(
    id="Tanda tangan PDF utuh, dari penerbit ini, dan mencakup seluruh berkas.",
    en="The PDF signature is intact, by this issuer, and covers the whole file.",
)
NOT_A_PDF = Text(id="Berkas ini bukan PDF.", en="The file is not a PDF.")
UNREADABLE = Text(id="Berkas PDF rusak atau tidak terbaca.", en="The PDF is damaged or unreadable.")
UNSIGNED = Text(id="PDF ini tidak bertanda tangan.", en="The PDF carries no signature.")
SEVERAL = Text(id="PDF ini memuat lebih dari satu tanda tangan.", en="The PDF carries more than one signature.")
ALTERED = Text(
    id="Isi PDF telah diubah setelah ditandatangani.",
    en="The PDF's content was altered after signing.",
)
APPENDED = Text(
    id="Ada perubahan yang ditambahkan setelah tanda tangan; tanda tangan tidak mencakup seluruh berkas.",
    en="Changes were appended after signing; the signature does not cover the whole file.",
)
UNTRUSTED = Text(id="PDF ini tidak ditandatangani oleh penerbit ini.", en="The PDF was not signed by this issuer.")


@dataclass(frozen=True)
class PdfSignatureCheck:
    """The verdict on a PDF's signature; `valid` only when every part of it holds."""

    valid: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    reason: Text
    signed_at: datetime | None = None


def _rejected(reason: Text) -> PdfSignatureCheck:
    return PdfSignatureCheck(valid=False, intact=False, trusted=False, covers_whole_file=False, reason=reason)


def _trust_root(ca_pem: bytes) -> asn1_x509.Certificate:
    _, _, der = pem.unarmor(ca_pem)
    return asn1_x509.Certificate.load(der)


def _container_is_exact(contents: bytes) -> bool:
    """The signature container is canonical DER and zero padding, with no field left unchecked.

    The /Contents hole is the one part of a signed PDF its signature cannot cover, and a CMS
    container holds a few fields no signature covers either (the versions, the list of digest
    algorithms). A byte changed in any of them must still count as a change: the padding must
    be zeros, the DER canonical, the versions 1 and the digest list exactly the signer's.
    """
    container = cms.ContentInfo.load(contents, strict=False)
    length = len(container.dump())
    if container.dump(force=True) != contents[:length] or contents[length:].strip(b"\x00"):
        return False
    signed_data = container["content"]
    signer_infos = signed_data["signer_infos"]
    return (
        signed_data["version"].native == "v1"
        and len(signer_infos) == 1
        and signer_infos[0]["version"].native == "v1"
        and [algorithm.dump() for algorithm in signed_data["digest_algorithms"]]
        == [signer_infos[0]["digest_algorithm"].dump()]
    )


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def check_pdf_signature(pdf: bytes, ca_pem: bytes) -> PdfSignatureCheck:
    """Whether `pdf` carries one intact signature, chaining to `ca_pem`, over the whole file.

    Offline (no revocation fetching). It blocks: call it off the event loop (`asyncio.to_thread`).
    pyHanko runs an event loop of its own, so where one already runs in this thread (a caller's
    mistake, or a library that keeps one, such as Playwright's sync API) the check runs in a
    thread of its own rather than misreport the file.
    """
    if _loop_running():
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_check, pdf, ca_pem).result()
    return _check(pdf, ca_pem)


def _check(pdf: bytes, ca_pem: bytes) -> PdfSignatureCheck:
    if not pdf.startswith(b"%PDF-"):
        return _rejected(NOT_A_PDF)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
    except Exception:  # untrusted bytes: pyHanko's failures are not all typed
        logger.info("PDF signature check could not read the file", exc_info=True)
        return _rejected(UNREADABLE)
    return check_reader_signature(reader, ca_pem)


LIMITS = (PdfDecodeLimitError, RecursionError, MemoryError)
"""Failures that are a limit reached, not a verdict on the file: `check_reader_signature` lets them
through, for the caller that set the limits (`certify.documents.untrusted`) to name them."""


def check_reader_signature(reader: PdfFileReader, ca_pem: bytes) -> PdfSignatureCheck:
    """`check_pdf_signature` of a file already opened (with the caller's decoding limits)."""
    context = ValidationContext(trust_roots=[_trust_root(ca_pem)], allow_fetching=False)
    try:
        signatures = reader.embedded_regular_signatures
        if not signatures:
            return _rejected(UNSIGNED)
        if len(signatures) > 1:
            return _rejected(SEVERAL)
        if not _container_is_exact(signatures[0].pkcs7_content):
            return _rejected(ALTERED)
        status = validate_pdf_signature(signatures[0], context)
    except LIMITS:
        raise
    except Exception:  # untrusted bytes reach pyHanko and asn1crypto, whose failures are not all typed
        logger.info("PDF signature check could not read the file", exc_info=True)
        return _rejected(UNREADABLE)
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted = bool(status.trusted)
    reason = ACCEPTED
    if not trusted:
        reason = UNTRUSTED
    if not whole:
        reason = APPENDED
    if not intact:
        reason = ALTERED
    return PdfSignatureCheck(
        valid=intact and whole and trusted,
        intact=intact,
        trusted=trusted,
        covers_whole_file=whole,
        reason=reason,
        signed_at=status.signer_reported_dt,
    )
