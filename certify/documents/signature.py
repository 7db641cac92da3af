"""PAdES signature of a certificate PDF with the service's ECDSA P-256 signing certificate.

The signing time is true: the clock's, when the PDF is signed (seconds after the decision). With
an RFC 3161 time-stamp authority configured (CERTIFY_TSA_URL) the signature also carries its
time-stamp token (PAdES B-T), which pyHanko requests and checks (status, nonce, digest). Without
one, the certificate's `issued` leaf in the public log and the signed tree head covering it are
the time anchor, and the verification page says so.

Reproducible from what is kept: given the same PDF, keys and signing time (read back from a
signed PDF), `sign_pdf` writes the same bytes; nothing else is taken from the clock or chance:
- the ECDSA signature uses RFC 6979 deterministic nonces;
- the modification date pyHanko writes into the Info dictionary and XMP is the document's own
  creation date (the decision's instant);
- the second half of the trailer `/ID` is derived from the unsigned file instead of random bytes.
Only the signing certificate travels in the signature (not the CA: verifiers trust the published
one), so every byte of the signature container is checked by one signature or another.
The signature is a certification signature that allows no changes, so PDF readers flag any
later edit; it is invisible (the page already prints the record's signature fingerprint).
"""

import asyncio
import hashlib
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import DocumentMetadata
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from certify.documents.pdf_ca import PdfSigningKeys, pdf_signing_keys, signer_version

SIGNATURE_FIELD = "CertifySignature"
SIGNATURE_REASON = "Sertifikat diterbitkan / Certificate issued"
SIGNATURE_BYTES_RESERVED = 4096
"""Room for the CMS container (the P-256 signing certificate, attributes, signature: about 0.9 kB);
reserving it skips pyHanko's estimate, a second dry-run signature."""
TIMESTAMPED_BYTES_RESERVED = 16384
"""With a time-stamp token (the TSA's certificates and signature) as an unsigned attribute."""
TSA_SECONDS = 10
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

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Iterator[CMSAttributeProvider]:
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if isinstance(provider, SigningCertificateV2Provider):
                provider = self._signing_certificate
            yield provider

    @cached_property
    def _signing_certificate(self) -> "_PreparedSigningCertificate":
        return _PreparedSigningCertificate(self.signing_cert)


class _PreparedSigningCertificate(SigningCertificateV2Provider):
    """The signing-certificate-v2 attribute (which certificate signs), built once per signer:
    asn1crypto re-encodes its nested parts hundreds of times while pyHanko builds it, more than
    half of signing a PDF. Each signature reads a fresh copy of the same DER bytes."""

    def __init__(self, signing_cert: asn1_x509.Certificate) -> None:
        super().__init__(signing_cert)
        self._der: bytes = as_signing_certificate_v2(signing_cert).dump()

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self._der)


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

    The modification date is the document's creation date, i.e. the decision's instant. The new trailer /ID half derives from the first: WeasyPrint's first half is
    an MD5 of every object in the file, so it already names the content.
    """

    def __init__(self, pdf: bytes) -> None:
        super().__init__(BytesIO(pdf))
        self._meta = _PinnedModificationDate(_creation_date(self.prev) or datetime.now(UTC))

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


class UrllibTimeStamper(TimeStamper):
    """pyHanko's RFC 3161 client (it builds the request with a nonce and checks the answer) over
    the standard library's HTTP, so the service needs no extra HTTP client for it."""

    def __init__(self, url: str, timeout: float = TSA_SECONDS) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.url, self.timeout = url, timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def post() -> tsp.TimeStampResp:
            # S310: the URL is CERTIFY_TSA_URL, checked to be http(s) by the settings
            request = urllib.request.Request(self.url, data=req.dump(), headers=set_tsp_headers({}), method="POST")  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                    if answer.headers.get("Content-Type") != "application/timestamp-reply":
                        raise TimestampRequestError("the time-stamp authority's answer is not a timestamp-reply")
                    return tsp.TimeStampResp.load(answer.read(1024 * 1024))
            except OSError as error:
                raise TimestampRequestError(f"the time-stamp authority {self.url} did not answer: {error}") from error

        return await asyncio.to_thread(post)


class _PinnedTimeSigner(signers.PdfSigner):
    """A PdfSigner whose signing session uses the time it is given: taken from the clock once by
    `sign_pdf`, or read back from a signed PDF to reproduce it."""

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
def _loaded_signer(key_dir: Path, version: int) -> _DeterministicEcdsaSigner:
    return _DeterministicEcdsaSigner(pdf_signing_keys(key_dir))


def _signer(key_dir: Path) -> _DeterministicEcdsaSigner:
    """The signer for `key_dir`, loaded once per process and again after a rotation."""
    version = signer_version(key_dir)
    if not version:
        pdf_signing_keys(key_dir)  # made on first use
        version = signer_version(key_dir)
    return _loaded_signer(key_dir, version)


def signing_time(pdf: bytes) -> datetime | None:
    """The signing time a signed PDF's signature states (`/M`), or None."""
    try:
        reader = PdfFileReader(BytesIO(pdf))
        stamp = reader.embedded_signatures[0].sig_object.get("/M")
    except (IndexError, PdfReadError, KeyError, ValueError):
        return None
    return None if stamp is None else generic.parse_pdf_date(str(stamp))


def sign_pdf(pdf: bytes, *, key_dir: Path, at: datetime | None = None, tsa_url: str | None = None) -> bytes:
    """`pdf` with a PAdES certification signature by the service's signing certificate, signed
    now (or `at`, to reproduce a signature whose time is known), time-stamped by `tsa_url`.

    The keys are created in `key_dir` on first use. Call it off the event loop (pyHanko runs
    its own): in the render pool, or through `asyncio.to_thread`. A time-stamp authority that
    does not answer raises `TimestampRequestError` (nothing is signed).
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
    signer = _PinnedTimeSigner(
        metadata,
        signer=_signer(key_dir.resolve()),
        signing_time=(at or datetime.now(UTC)).replace(microsecond=0),
        timestamper=UrllibTimeStamper(tsa_url) if tsa_url else None,
    )
    reserved = TIMESTAMPED_BYTES_RESERVED if tsa_url else SIGNATURE_BYTES_RESERVED
    signed: BytesIO = signer.sign_pdf(writer, bytes_reserved=reserved)
    return signed.getvalue()
