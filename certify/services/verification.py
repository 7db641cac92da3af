"""Verification: by ID (the JSON API, the `/verify/{id}` page, `certify verify --server`) and by
uploading the PDF.

`verify_certificate` reads one row (no PDF bytes) and shows what the signed record says, the
status now, the public status history and the checks, each "valid", "invalid" or "unknown" —
never "valid" for what could not be checked. The signature checks depend only on the row's ID,
signature, record and key, so their results are cached per process (bounded), keyed by all four.

`verify_pdf` says whether a file is a PDF this issuer issued, unaltered: `authentic` only when
its SHA-256 is an issued PDF's and its embedded record's signature checks. Anything else is
`authentic: false` with a reason (an answer, not an error).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Any, Literal, LiteralString

import anyio.to_thread
from pydantic import BaseModel, Field
from sqlalchemy import Engine, bindparam, cast, literal_column, select
from sqlalchemy import Text as SqlText
from sqlmodel import col

from certify.config import Settings
from certify.config import settings as environment_settings
from certify.core.certificate_id import CertificateIdError, parse
from certify.core.lifecycle import current_status, expiry_instant, local_day
from certify.core.text import Text
from certify.documents.untrusted import (
    UploadLimits,
    UploadReaders,
    UploadReadersBusy,
    UploadReading,
    UploadRefused,
    shared_upload_readers,
)
from certify.ledger.sql import _SIZE_ROW, log_size
from certify.proofs import Check, attachment_parts, signed_record_checks
from certify.services import log
from certify.services.errors import Invalid, NotFound, TooLarge, Unavailable
from certify.services.keys import IssuerKeys
from certify.signing import KeyRing
from certify.signing.jwk import rfc3339
from certify.store.database import Database
from certify.store.row_reads import RowReadFailed, RowReads
from certify.store.tables import Certificate

Status = Literal["valid", "suspended", "withdrawn", "expired", "superseded"]
Keys = KeyRing | IssuerKeys | Mapping[str, object]
"""The issuer's keys (`app.state.keys`), its key ring, or a JWKS (e.g. downloaded from
`/.well-known/jwks.json`)."""


class LocalText(BaseModel):
    en: str
    id: str


class Checks(BaseModel):
    signature: Check = Field(description="the record's Ed25519 signature under the published key")
    key_valid_at_issuance: Check = Field(description="the key was the issuer's signing key at the decision")
    status: Check = Field(description="valid when the certificate is in force today")
    log_inclusion: Check = Field(default="unknown", description="the issuance and every change are in the public log")


class StatusChange(BaseModel):
    status: Status
    at: str = Field(description="RFC 3339 UTC")
    reason: str | None
    successor: str | None = Field(description="the certificate ID that superseded this one")


class HolderShown(BaseModel):
    name: str
    region: str


class ProductShown(BaseModel):
    name: str
    category: str


class StandardShown(BaseModel):
    id: str
    version: str
    content_hash: str
    title: LocalText


class GradeShown(BaseModel):
    id: str
    title: LocalText


class IssuerShown(BaseModel):
    name: str
    url: str


class VerificationResult(BaseModel):
    """A certificate as anyone may see it: what it prints, its status now, and the checks."""

    certificate_id: str
    status: Status
    holder: HolderShown
    product: ProductShown
    standard: StandardShown
    grade: GradeShown
    total: str = Field(description="total score, a decimal string")
    scores: dict[str, str | None] = Field(description="score per category, decimal strings")
    decided_at: str
    valid_from: date
    valid_until: date
    issuer: IssuerShown
    successor: str | None = Field(description="set when superseded: the newer certificate's ID")
    record: dict[str, Any] = Field(description="the signed record, as signed")
    signature: str = Field(description="Ed25519 signature (base64url) of the record's RFC 8785 JSON")
    key_id: str
    pdf_sha256: str | None = Field(description="SHA-256 (hex) of the issued PDF")
    history: list[StatusChange]
    checks: Checks


class PdfVerification(BaseModel):
    """The answer to an uploaded file: authentic or not, why, and the certificate it names."""

    authentic: bool
    code: Literal[
        "authentic",
        "not_a_pdf",
        "too_large",
        "not_a_certificate",
        "record_signature_invalid",
        "altered",
        "appended",
        "other_issuer",
        "not_issued",
    ]
    reason: LocalText
    pdf_sha256: str | None
    certificate: VerificationResult | None = None


# --- by ID ----------------------------------------------------------------------------------------


def lookup_id(text: str) -> str:
    """The canonical ID of what a person typed; raises `MalformedId` or `CheckMismatch`."""
    canonical = _canonical.get(text)
    if canonical is None:  # parsed once: a sixth of an answer served again was parsing its ID
        canonical = str(parse(text))
        _remember(_canonical, text, canonical, ANSWERS)
    return canonical


_canonical: dict[str, str] = {}
"""The canonical ID of each text lately typed (a pure function of it, bounded as `_answers`)."""


_BY_ID = select(
    col(Certificate.certificate_id),
    col(Certificate.status),
    col(Certificate.valid_until),
    cast(col(Certificate.record), SqlText),
    col(Certificate.signature),
    col(Certificate.key_id),
    col(Certificate.pdf_sha256),
    cast(col(Certificate.history), SqlText),
    select(log_size.c.size).where(log_size.c.id == literal_column(str(int(_SIZE_ROW)))).scalar_subquery(),
).where(col(Certificate.certificate_id) == bindparam("certificate_id"))
"""One query, one row, no PDF bytes: the whole read path of a verification (with the log's size,
which keys the cached log check)."""


@lru_cache(maxsize=4)
def _by_id_sql(engine: Engine) -> tuple[str, bool]:
    """`_BY_ID` compiled for `engine`'s DB-API driver: (SQL, whether parameters are positional)."""
    compiled = _BY_ID.compile(dialect=engine.dialect)
    return str(compiled), engine.dialect.paramstyle in ("qmark", "format", "numeric")


def _fetch(db: Database, certificate_id: str) -> tuple[Any, ...] | None:
    """The row of `certificate_id`, through a DB-API connection (no ORM, no BEGIN)."""
    sql, positional = _by_id_sql(db.engine)
    return db.row(sql, (certificate_id,) if positional else {"certificate_id": certificate_id})


def verify_certificate(*, db: Database, certificate_id: str, keys: Keys, now: datetime) -> VerificationResult:
    """The certificate `certificate_id` (as typed: normalised and checked first) as anyone may
    see it. Raises `MalformedId`, `CheckMismatch` (probably a typo) or `NotFound` (never issued)."""
    canonical = lookup_id(certificate_id)
    return _verified(db, canonical, _row(db, canonical), keys=keys, now=now)


def _row(db: Database, canonical: str) -> tuple[Any, ...]:
    row = _fetch(db, canonical)
    if row is None:
        raise NotFound(f"{canonical}: no certificate with this ID")
    return row


def _verified(db: Database, canonical: str, row: tuple[Any, ...], *, keys: Keys, now: datetime) -> VerificationResult:
    result = _result(row[:8], keys=keys, now=now)
    jwks = published(keys)
    # The log is append-only: its size names its content. One entry per certificate, replaced
    # when the log grows, so a growing log leaves no dead entries behind.
    key = (row[8], result.status, hashlib.sha256(row[3].encode()).digest(), result.pdf_sha256, _kids(jwks))
    remembered = _log_checks.get(canonical)
    cached = remembered[1] if remembered is not None and remembered[0] == key else None
    if cached is None:
        cached = log.log_inclusion(  # against a signed head of the latest tree
            database=db,
            keys=log.ring_of(keys),
            jwks=jwks,
            certificate_id=canonical,
            record=result.record,
            pdf_sha256=result.pdf_sha256,
            status=result.status,
            now=now,
            interval=getattr(keys, "checkpoint_seconds", 60.0),
        )
        if cached != "unknown":  # "unknown": no key ring to sign a head with, this time only
            _remember(_log_checks, canonical, (key, cached))
    result.checks.log_inclusion = cached
    return result


@dataclass(frozen=True, slots=True)
class PublicAnswer:
    """The public answer of `GET /certificates/{id}`, serialized, and its entity tag."""

    body: bytes
    etag: str  # a strong validator, quoted: '"…"'


def public_answer(*, db: Database, certificate_id: str, keys: Keys, now: datetime) -> PublicAnswer:
    """`verify_certificate`'s answer as JSON bytes, built once and served again while nothing it
    says has changed. Every call reads the certificate's row (one query, no PDF): the answer is
    kept under everything it is made of (the stored status and history, the status today, the
    record, signature, key, PDF digest, the log's size, the published keys), so any change,
    whoever makes it and in whichever process (a certifier, the jobs worker, surveillance, an
    appeal, midnight passing the expiry date), makes a new answer: none older than the row."""
    canonical = lookup_id(certificate_id)
    row = _row(db, canonical)
    key = _answer_key(row, hashlib.sha256(row[3].encode()).digest(), keys=keys, now=now)
    remembered = _answers.get(canonical)
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    result = _verified(db, canonical, row, keys=keys, now=now)
    body = result.model_dump_json().encode()
    answer = PublicAnswer(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:40]}"')
    if result.checks.log_inclusion != "unknown" and result.status == key[0] and key[-1] == _kids(published(keys)):
        _answers.pop(canonical, None)  # re-inserted last: the oldest entries go first
        _remember(_answers, canonical, (key, answer), ANSWERS)
    return answer


async def public_answer_on_loop(
    *, db: Database, reads: RowReads, certificate_id: str, keys: Keys, now: datetime
) -> PublicAnswer:
    """`public_answer` on PostgreSQL, from the event loop: one prepared read of the row with the
    record as its SHA-256 (computed by the server, so the record's text does not travel), the
    same key as `public_answer`'s; the answer kept under that key when there is one, else
    `public_answer` in a worker thread (which reads the row again and keeps the new answer).
    The read is sent after the request arrived, in its own transaction, as `public_answer`'s:
    no answer is older than the row, whichever server changed it."""
    canonical = lookup_id(certificate_id)
    build = partial(public_answer, db=db, certificate_id=canonical, keys=keys, now=now)
    try:
        row = await reads.row(_FINGERPRINT, canonical)
    except RowReadFailed:  # through the engine's pool, as before: its errors are the app's to answer
        return await anyio.to_thread.run_sync(build)
    if row is None:
        raise NotFound(f"{canonical}: no certificate with this ID")
    remembered = _answers.get(canonical)
    if remembered is not None and remembered[0] == _answer_key(row, row[3], keys=keys, now=now):
        return remembered[1]
    return await anyio.to_thread.run_sync(build)


_FINGERPRINT: LiteralString = (
    "SELECT certificate_id, status, valid_until, sha256(convert_to(CAST(record AS TEXT), 'UTF8')),"
    " signature, key_id, pdf_sha256, CAST(history AS TEXT),"
    " (SELECT size FROM log_size WHERE id = 1)"
    " FROM certificates WHERE certificate_id = ANY(%s)"
)
"""`_BY_ID` on PostgreSQL with the record's SHA-256 in place of the record (the log's size row is
`_SIZE_ROW`), for several IDs at once (`RowReads` gathers the requests that arrive together)."""


def _answer_key(row: tuple[Any, ...], record_sha256: bytes, *, keys: Keys, now: datetime) -> tuple[Any, ...]:
    """What a public answer is made of: the status today, the row (the record as its digest),
    the published keys."""
    valid_until = row[2] if isinstance(row[2], date) else date.fromisoformat(row[2])
    status = current_status(stored=row[1], valid_until=valid_until, today=local_day(now, environment_settings().zone))
    return (status, *row[1:3], bytes(record_sha256), *row[4:9], _kids(published(keys)))


ANSWERS = 10_000
"""Public answers kept per process (about 5 KB each): the certificates asked about most lately."""
_answers: dict[str, tuple[tuple[Any, ...], PublicAnswer]] = {}


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names `etag` (weak comparison, RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


_log_checks: dict[str, tuple[tuple[Any, ...], Check]] = {}


def _result(row: tuple[Any, ...], *, keys: Keys, now: datetime) -> VerificationResult:
    certificate_id, stored, valid_until, record_text, signature, key_id, pdf_sha256, history_text = row
    record: dict[str, Any] = json.loads(record_text)
    history = json.loads(history_text) if history_text else []
    if isinstance(valid_until, str):
        valid_until = date.fromisoformat(valid_until)
    zone = environment_settings().zone
    status = current_status(stored=stored, valid_until=valid_until, today=local_day(now, zone))
    if status == "expired":
        history.append(
            {
                "status": "expired",
                "at": rfc3339(expiry_instant(valid_until, zone)),
                "reason": "the validity period ended",
                "successor": None,
            }
        )
    jwks = published(keys)
    if isinstance(key_id, str) and key_id not in {kid for kid, _ in _kids(jwks)}:
        jwks = refreshed(keys)
    signature_check, key_check = record_checks(
        certificate_id=certificate_id,
        record_text=record_text,
        record=record,
        signature=signature,
        key_id=key_id,
        jwks=jwks,
    )
    successor = next((h["successor"] for h in reversed(history) if h.get("successor")), None)
    return VerificationResult(
        certificate_id=certificate_id,
        status=status,
        holder=record["holder"],
        product=record["product"],
        standard=record["standard"],
        grade=record["grade"],
        total=record["total"],
        scores=record["scores"],
        decided_at=record["decided_at"],
        valid_from=record["valid_from"],
        valid_until=record["valid_until"],
        issuer=record["issuer"],
        successor=successor,
        record=record,
        signature=signature,
        key_id=key_id,
        pdf_sha256=pdf_sha256,
        history=history,
        checks=Checks(
            signature=signature_check,
            key_valid_at_issuance=key_check,
            status="valid" if status == "valid" else "invalid",
        ),
    )


def published(keys: Keys) -> Mapping[str, object]:
    """The JWKS of `keys`; a key ring's read at most once a second (keys are only ever added,
    and a retired key's end is after every record it signed)."""
    ring = keys.ring if isinstance(keys, IssuerKeys) else keys
    if not isinstance(ring, KeyRing):
        return ring
    at = time.monotonic()
    cached = _jwks.get(id(ring))
    if cached is None or at - cached[0] > JWKS_SECONDS or cached[1] is not ring:
        cached = (at, ring, ring.jwks())
        _jwks[id(ring)] = cached
    return cached[2]


def refreshed(keys: Keys) -> Mapping[str, object]:
    """The JWKS of `keys` read now (a record names a key newer than the cached JWKS)."""
    _jwks.clear()
    return published(keys)


JWKS_SECONDS = 1.0
_jwks: dict[int, tuple[float, KeyRing, Mapping[str, object]]] = {}


def _kids(jwks: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        return ()
    return tuple((str(k.get("kid")), str(k.get("valid_until"))) for k in keys if isinstance(k, Mapping))


def _remember(cache: dict[Any, Any], key: Any, value: Any, size: int | None = None) -> None:
    if len(cache) >= (CACHE_SIZE if size is None else size):
        cache.pop(next(iter(cache)))
    cache[key] = value


def record_checks(
    *,
    certificate_id: str,
    record_text: str,
    record: Mapping[str, Any],
    signature: str,
    key_id: str,
    jwks: Mapping[str, object],
) -> tuple[Check, Check]:
    """(signature, key valid at issuance) of a stored record; cached by ID, signature, record
    and key, and by the published keys (a rotation changes them)."""
    digest = hashlib.sha256(record_text.encode()).digest()
    key = (certificate_id, signature, digest, key_id, _kids(jwks))
    cached = _cache.get(key)
    if cached is not None:
        return cached
    result = signed_record_checks(
        record=record, signature=signature, jwks=jwks, certificate_id=certificate_id, key_id=key_id
    )
    _remember(_cache, key, result)
    return result


CACHE_SIZE = 200_000
_cache: dict[tuple[Any, ...], tuple[Check, Check]] = {}


# --- by PDF ---------------------------------------------------------------------------------------

REASONS: dict[str, Text] = {
    "authentic": Text(
        en="This is the PDF issued for this certificate, unaltered, and its record's signature checks.",
        id="Ini PDF yang diterbitkan untuk sertifikat ini, tanpa perubahan, dan tanda tangan rekamannya sah.",
    ),
    "not_a_pdf": Text(en="The file is not a PDF.", id="Berkas ini bukan PDF."),
    "too_large": Text(
        en="The file is too large to be a certificate of this issuer.",
        id="Berkas terlalu besar untuk sebuah sertifikat dari penerbit ini.",
    ),
    "not_a_certificate": Text(
        en="The PDF carries no certificate record of this issuer.",
        id="PDF ini tidak memuat rekaman sertifikat dari penerbit ini.",
    ),
    "record_signature_invalid": Text(
        en="The record inside the PDF is not signed by this issuer's keys: altered, or from another issuer.",
        id="Rekaman di dalam PDF tidak ditandatangani dengan kunci penerbit ini: diubah, atau dari penerbit lain.",
    ),
    "altered": Text(
        en="This PDF differs from the one issued: it was edited or re-saved after issuance.",
        id="PDF ini berbeda dari yang diterbitkan: diubah atau disimpan ulang setelah terbit.",
    ),
    "appended": Text(
        en="Changes were appended to the PDF after it was signed; it is not the one issued.",
        id="Ada perubahan yang ditambahkan ke PDF setelah ditandatangani; ini bukan PDF yang diterbitkan.",
    ),
    "other_issuer": Text(
        en="The PDF was not signed by this issuer.", id="PDF ini tidak ditandatangani oleh penerbit ini."
    ),
    "not_issued": Text(
        en="No certificate PDF with this content was issued here.",
        id="Tidak ada PDF sertifikat dengan isi ini yang diterbitkan di sini.",
    ),
}


def pdf_answer(
    code: str, *, pdf_sha256: str | None = None, certificate: VerificationResult | None = None
) -> PdfVerification:
    text = REASONS[code]
    return PdfVerification(
        authentic=code == "authentic",
        code=code,
        reason=LocalText(en=text.en, id=text.id),
        pdf_sha256=pdf_sha256,
        certificate=certificate,
    )


def upload_limits(settings: Settings) -> UploadLimits:
    """The limits on reading one uploaded PDF (`CERTIFY_VERIFY_*`)."""
    return UploadLimits(
        seconds=settings.verify_seconds,
        cpu_seconds=settings.verify_cpu_seconds,
        memory_bytes=settings.verify_memory_mb * 1024 * 1024,
        decoded_bytes=settings.verify_max_decoded_bytes,
        revisions=settings.verify_max_revisions,
        objects=settings.verify_max_objects,
        nesting=settings.verify_max_nesting,
    )


def upload_readers(settings: Settings) -> UploadReaders:
    """This process's reader processes for uploads, as `settings` configure them."""
    return shared_upload_readers(
        workers=settings.verify_workers, limits=upload_limits(settings), queue_seconds=settings.verify_queue_seconds
    )


BUSY = Text(
    en="Too many files are being checked right now; try again in a moment.",
    id="Terlalu banyak berkas sedang diperiksa saat ini; coba lagi sebentar lagi.",
)


def _read(readers: UploadReaders, pdf: bytes, ca_pem: bytes, *, check_signature: bool) -> UploadReading:
    """`readers.read`, its refusals as service errors (413, 422; 503 when every reader is busy)."""
    try:
        return readers.read(pdf, ca_pem, check_signature=check_signature)
    except UploadRefused as refused:
        raise (TooLarge if refused.status == 413 else Invalid)(refused.text) from None
    except UploadReadersBusy:
        raise Unavailable(BUSY) from None


def verify_pdf(
    *,
    db: Database,
    pdf: bytes,
    keys: Keys,
    ca_pem: bytes,
    now: datetime,
    max_bytes: int,
    readers: UploadReaders,
) -> PdfVerification:
    """Whether `pdf` is a certificate PDF issued here, unaltered; with the certificate it names.

    The file is read by one of `readers` (a separate process, under limits); a limit reached is
    `TooLarge` (413) or `Invalid` (422) naming it, every reader busy `Unavailable` (503). Call it
    off the event loop: it waits for the reader.
    """
    if len(pdf) > max_bytes:
        return pdf_answer("too_large")
    if not pdf.startswith(b"%PDF-"):
        return pdf_answer("not_a_pdf")
    digest = hashlib.sha256(pdf).hexdigest()
    jwks = published(keys)
    with db.engine.connect() as connection:
        issued = connection.execute(
            select(col(Certificate.certificate_id)).where(col(Certificate.pdf_sha256) == digest)
        ).first()
    reading = _read(readers, pdf, ca_pem, check_signature=issued is None)
    parts = None
    if reading.attachment is not None:
        parts = attachment_parts(reading.attachment)
    named = issued[0] if issued else (str(parts[0].get("certificate_id")) if parts else None)
    certificate = _known(db, named, keys, now)  # the keys, not their JWKS: they sign a fresh tree head
    if parts is None:
        code = "not_a_certificate"
        if issued is None and reading.signature is not None and not reading.signature.trusted:
            code = "other_issuer"
        return pdf_answer(code, pdf_sha256=digest)
    record, signature, _proof = parts
    signed, _key = signed_record_checks(record=record, signature=signature, jwks=jwks)
    if signed != "valid":
        return pdf_answer("record_signature_invalid", pdf_sha256=digest, certificate=certificate)
    if issued is not None:
        return pdf_answer("authentic", pdf_sha256=digest, certificate=certificate)
    check = reading.signature
    assert check is not None  # asked for: the file is not the one issued
    if not check.intact:
        code = "altered"
    elif not check.covers_whole_file:
        code = "appended"
    elif not check.trusted:
        code = "other_issuer"
    else:
        code = "not_issued"
    return pdf_answer(code, pdf_sha256=digest, certificate=certificate)


def _known(db: Database, certificate_id: str | None, keys: Keys, now: datetime) -> VerificationResult | None:
    """The certificate an uploaded file names, if there is one (the name comes from the file)."""
    if certificate_id is None:
        return None
    try:
        return verify_certificate(db=db, certificate_id=certificate_id, keys=keys, now=now)
    except (NotFound, CertificateIdError):
        return None
