"""PAdES signature of a certificate PDF with the service's ECDSA P-256 signing certificate.

Deterministic: the same PDF and keys give the same signed bytes. Four things pyHanko would
otherwise take from the clock or from randomness are pinned:
- the signing time (`/M`) is the document's own creation date (the decision date);
- the ECDSA signature uses RFC 6979 deterministic nonces;
- the modification date pyHanko writes into the Info dictionary and XMP is that same date;
- the second half of the trailer `/ID` is derived from the unsigned file instead of random bytes.
Only the signing certificate travels in the signature (not the CA: verifiers trust the published
one), so every byte of the signature container is checked by one signature or another.
The signature is a certification signature that allows no changes, so PDF readers flag any
later edit; it is invisible (the page already prints the record's signature fingerprint).
"""

import hashlib
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import DocumentMetadata
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko_certvalidator.registry import SimpleCertificateStore

from certify.documents.pdf_ca import PdfSigningKeys, pdf_signing_keys

SIGNATURE_FIELD = "CertifySignature"
SIGNATURE_REASON = "Sertifikat diterbitkan / Certificate issued"
SIGNATURE_BYTES_RESERVED = 4096
"""Room for the CMS container (the P-256 signing certificate, attributes, signature: about 0.9 kB);
reserving it skips pyHanko's estimate, a second dry-run signature."""
_DIGESTS: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


class _DeterministicEcdsaSigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with RFC 6979 nonces instead of random ones."""

    def __init__(self, keys: PdfSigningKeys) -> None:
        der = serialization.Encoding.DER
        pkcs8 = keys.signer_key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ca = asn1_x509.Certificate.load(keys.ca_certificate.public_bytes(der))
        super().__init__(
            signing_cert=asn1_x509.Certificate.load(keys.signer_certificate.public_bytes(der)),
            signing_key=asn1_keys.PrivateKeyInfo.load(pkcs8),
            cert_registry=SimpleCertificateStore.from_certs([ca]),  # type: ignore[no-untyped-call]
            embed_roots=False,
        )
        self._key = keys.signer_key

    def sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        algorithm = ec.ECDSA(_DIGESTS[digest_algorithm], deterministic_signing=True)
        return self._key.sign(data, algorithm)


class _PinnedModificationDate(DocumentMetadata):
    """Document metadata whose modification date stays put: pyHanko sets it to "now" before
    every write, which would stamp the clock into the Info dictionary and the XMP packet."""

    def __init__(self, modified: datetime) -> None:
        self._modified = modified
        super().__init__()

    @property
    def last_modified(self) -> datetime:
        return self._modified

    @last_modified.setter
    def last_modified(self, value: object) -> None:
        """Ignored: the modification date is the one given at creation."""


class _DeterministicWriter(IncrementalPdfFileWriter):
    """An incremental writer that takes nothing from the clock or from randomness.

    The modification date (and the signing time) is the document's creation date, i.e. the
    decision date. The new trailer /ID half derives from the first: WeasyPrint's first half is
    an MD5 of every object in the file, so it already names the content.
    """

    def __init__(self, pdf: bytes) -> None:
        super().__init__(BytesIO(pdf))
        self.signing_time = _creation_date(self.prev) or datetime.now(UTC)
        self._meta = _PinnedModificationDate(self.signing_time)

    @classmethod
    def _handle_id(cls, prev: Any) -> Any:
        try:
            first = prev.trailer["/ID"][0]
        except KeyError:
            return super()._handle_id(prev)  # type: ignore[no-untyped-call]
        if isinstance(first, generic.TextStringObject):
            first = generic.ByteStringObject(first.original_bytes)
        second = hashlib.sha256(b"certify-signed\x00" + bytes(first)).digest()[:16]
        return generic.ArrayObject([first, generic.ByteStringObject(second)])


class _PinnedTimeSigner(signers.PdfSigner):
    """A PdfSigner whose signing session uses a given time instead of the clock."""

    def __init__(self, *args: Any, signing_time: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, *args: Any, **kwargs: Any) -> PdfSigningSession:
        session: PdfSigningSession = super().init_signing_session(*args, **kwargs)
        session.system_time = self._signing_time
        return session


def _creation_date(reader: Any) -> datetime | None:
    try:
        stamp = str(reader.trailer["/Info"]["/CreationDate"])
    except KeyError:
        return None
    parsed: datetime = generic.parse_pdf_date(stamp)
    return parsed


@lru_cache(maxsize=4)
def _signer(key_dir: Path) -> _DeterministicEcdsaSigner:
    """The signer for `key_dir`, loaded once per process (the key files never change)."""
    return _DeterministicEcdsaSigner(pdf_signing_keys(key_dir))


def sign_pdf(pdf: bytes, *, key_dir: Path) -> bytes:
    """`pdf` with a PAdES certification signature by the service's signing certificate.

    The keys are created in `key_dir` on first use. Call it off the event loop (pyHanko runs
    its own): in the render pool, or through `asyncio.to_thread`.
    """
    writer = _DeterministicWriter(pdf)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=SIGNATURE_REASON,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    signer = _PinnedTimeSigner(metadata, signer=_signer(key_dir.resolve()), signing_time=writer.signing_time)
    signed: BytesIO = signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES_RESERVED)
    return signed.getvalue()
