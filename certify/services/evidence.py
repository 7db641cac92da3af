"""Evidence: photos and lab-report PDFs, stored once by SHA-256 in the database, read by those
entitled to them.

Upload: a photo (recognised by its bytes) is re-encoded (`certify.documents.photos`); a PDF is
read in the sandboxed upload readers (`certify.documents.untrusted`: time, CPU and memory capped)
and stored as sent. The answer names the SHA-256 of the stored bytes: the same upload again
answers the same hash and stores nothing new. Anything else is a 415; a damaged file or one that
is not what it claims a 422; too large a 413. Nothing already stored is changed.

Who reads a file: whoever uploaded it; the inspector of an inspection that names it; certifiers
and admins, for a file an inspection names; the holder's artisans, for their inspections'; the
public, for a certified inspection's files when its holder consented to publish them. Anyone
else gets the same 404 as for a hash that names nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BindParameter, Connection, Exists, bindparam, delete, exists, insert, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from certify.core.errors import Problem
from certify.core.evidence import LOT
from certify.core.standard import Standard
from certify.core.text import Text
from certify.documents.photos import PhotoRefused, photo_format, reencode
from certify.documents.untrusted import UploadReaders, UploadReadersBusy, UploadRefused
from certify.services import calendar
from certify.services.errors import Forbidden, Invalid, NotFound, TooLarge, Unavailable, Unsupported
from certify.services.models import EvidencePublic, LabReportCreate
from certify.services.principal import Principal
from certify.store.database import Database
from certify.store.tables import Certificate, EvidenceFile, EvidenceUpload, Holder, Inspection, InspectionEvidence

PDF = "application/pdf"


@dataclass(frozen=True, slots=True)
class PhotoLimits:
    max_bytes: int
    max_pixels: int
    long_edge: int
    keep_gps: bool


def upload(
    *, database: Database, uploader: Principal, data: bytes, limits: PhotoLimits, readers: UploadReaders | None
) -> EvidencePublic:
    """Store a photo or lab-report PDF (see the module's docstring) and say what was stored."""
    if uploader.role != "inspector":
        raise Forbidden(Text(en="only inspectors upload evidence", id="hanya inspektur yang mengunggah bukti"))
    if len(data) > limits.max_bytes:
        raise too_large(limits.max_bytes)
    stored = _prepared(data, limits, readers)
    _record(database, stored, uploader)
    return EvidencePublic(
        sha256=stored.sha256, media_type=stored.media_type, bytes=stored.size, width=stored.width, height=stored.height
    )


def _record(database: Database, stored: EvidenceFile, uploader: Principal) -> None:
    """The file, once, and that `uploader` uploaded it, once: the same bytes again store nothing,
    and twins of an upload at once (a retry storm, two inspectors' copies of one report) each
    insert-or-skip both rows, so none of them fails whoever commits first."""
    with database.write() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(EvidenceFile).values(**stored.model_dump()).on_conflict_do_nothing())
        upload = {"sha256": stored.sha256, "user_id": uploader.id, "uploaded_at": datetime.now(UTC)}
        session.execute(insert(EvidenceUpload).values(**upload).on_conflict_do_nothing())


def too_large(max_bytes: int) -> TooLarge:
    return TooLarge(
        Text(
            en=f"the file is larger than {max_bytes // 1024} KiB (CERTIFY_EVIDENCE_MAX_BYTES)",
            id=f"berkas lebih besar dari {max_bytes // 1024} KiB (CERTIFY_EVIDENCE_MAX_BYTES)",
        )
    )


def _prepared(data: bytes, limits: PhotoLimits, readers: UploadReaders | None) -> EvidenceFile:
    if photo_format(data) is not None:
        try:
            photo = reencode(data, max_pixels=limits.max_pixels, long_edge=limits.long_edge, keep_gps=limits.keep_gps)
        except PhotoRefused as refused:
            raise (TooLarge if refused.status == 413 else Invalid)(refused.text) from None
        return _file(photo.content, photo.media_type, photo.width, photo.height)
    if data.lstrip(b"\x00\t\n\r ")[:5] == b"%PDF-":
        _check_pdf(data, readers)
        return _file(data, PDF, None, None)
    raise Unsupported(
        Text(
            en="evidence is a photo (JPEG, PNG or WebP) or a lab report (PDF); this file is none of them",
            id="bukti berupa foto (JPEG, PNG atau WebP) atau laporan laboratorium (PDF); berkas ini bukan keduanya",
        )
    )


def _check_pdf(data: bytes, readers: UploadReaders | None) -> None:
    """A real PDF, read in bounded time and memory by the sandboxed readers."""
    if readers is None:
        raise Unavailable(
            Text(en="lab reports cannot be read here: no PDF reader", id="laporan lab tidak dapat dibaca di sini")
        )
    try:
        readers.read(data, b"", check_signature=False)
    except UploadRefused as refused:
        raise (TooLarge if refused.status == 413 else Invalid)(refused.text) from None
    except UploadReadersBusy:
        raise Unavailable(
            Text(en="every PDF reader is busy: try again", id="semua pembaca PDF sedang sibuk: coba lagi")
        ) from None


def _file(content: bytes, media_type: str, width: int | None, height: int | None) -> EvidenceFile:
    return EvidenceFile(
        sha256=hashlib.sha256(content).hexdigest(),
        media_type=media_type,
        size=len(content),
        width=width,
        height=height,
        content=content,
    )


# --- reading -------------------------------------------------------------------------------------


def read(*, database: Database, viewer: Principal | None, sha256: str) -> EvidenceFile:
    """The stored file, for a viewer entitled to it (module docstring); else 404 as if absent."""
    with database.read() as session:
        if may_read(session, viewer, sha256):
            found = session.get(EvidenceFile, sha256)
            if found is not None:
                session.expunge(found)
                return found
    raise no_such_file(sha256)


def no_such_file(sha256: str) -> NotFound:
    return NotFound(Text(en=f"no evidence {sha256}", id=f"tidak ada bukti {sha256}"))


def may_read(session: Session, viewer: Principal | None, sha256: str) -> bool:
    named = select(InspectionEvidence.inspection_id).where(InspectionEvidence.sha256 == sha256)
    if viewer is None:
        public = (
            select(Certificate.id)
            .join(Holder, col(Holder.id) == col(Certificate.holder_id))
            .where(
                col(Certificate.inspection_id).in_(named),
                col(Certificate.certificate_id).is_not(None),
                col(Holder.publish_evidence).is_(True),
            )
        )
        return session.exec(public).first() is not None
    uploaded = select(EvidenceUpload.id).where(EvidenceUpload.sha256 == sha256, EvidenceUpload.user_id == viewer.id)
    if session.exec(uploaded).first() is not None:
        return True
    if viewer.sees_everything():
        return session.exec(named).first() is not None
    if viewer.role == "inspector":
        query = select(Inspection.id).where(col(Inspection.id).in_(named), Inspection.inspector_id == viewer.id)
    else:
        query = select(Inspection.id).where(col(Inspection.id).in_(named), Inspection.holder_id == viewer.holder_id)
    return session.exec(query).first() is not None


# --- naming evidence in an inspection -------------------------------------------------------------


_HASHES: BindParameter[str] = bindparam("hashes", expanding=True)


def _linked_to_another_holder(below: bool) -> Exists:
    """Whether an upload's file is named by an inspection of a holder below (or above) :holder_id:
    a range read of the (sha256, holder_id) index, never every inspection that named a shared
    file (`holder_id != x` would walk them all)."""
    other = (
        col(InspectionEvidence.holder_id) < bindparam("holder_id")
        if below
        else (col(InspectionEvidence.holder_id) > bindparam("holder_id"))
    )
    return exists().where(col(InspectionEvidence.sha256) == col(EvidenceUpload.sha256), other)


_MINE = (  # built once: of the files named, those this inspector uploaded, each with its kind and
    # whether another holder's inspection names it, in one statement
    select(
        EvidenceUpload.sha256,
        EvidenceFile.media_type,
        or_(_linked_to_another_holder(below=True), _linked_to_another_holder(below=False)),
    )
    .outerjoin(EvidenceFile, col(EvidenceFile.sha256) == col(EvidenceUpload.sha256))
    .where(col(EvidenceUpload.sha256).in_(_HASHES), col(EvidenceUpload.user_id) == bindparam("user_id"))
)
_LINK = insert(InspectionEvidence)


def check_references(
    session: Session | Connection,
    *,
    inspector: Principal,
    holder_id: int,
    standard: Standard,
    photos: dict[str, list[str]],
    lab_reports: list[LabReportCreate],
) -> None:
    """Every file named is one this inspector uploaded, of the right kind, not another holder's; the
    keys are the lot or the standard's criteria; a lab report is not dated in the future. One 422
    lists every offender (a file that names nothing is told as such, whoever else uploaded it)."""
    problems: list[Problem] = []
    known = {c.id for c in standard.criteria}
    for key in photos:
        if key != LOT and key not in known:
            problems.append(
                _problem(
                    f"unknown criterion {key!r} in {standard.ref}",
                    f"kriteria {key!r} tidak ada di {standard.ref}",
                    ("evidence", key),
                )
            )
    today = calendar.today()
    for index, report in enumerate(lab_reports):
        for name in report.criteria:
            if name not in known:
                problems.append(
                    _problem(
                        f"unknown criterion {name!r} in {standard.ref}",
                        f"kriteria {name!r} tidak ada di {standard.ref}",
                        ("lab_reports", index, "criteria"),
                    )
                )
        if report.issued_on > today:
            problems.append(
                _problem(
                    f"issued_on {report.issued_on} is in the future",
                    f"tanggal laporan {report.issued_on:%d-%m-%Y} belum tiba",
                    ("lab_reports", index, "issued_on"),
                )
            )
    wanted: list[tuple[str, str, tuple[str | int, ...]]] = [
        (sha, "photo", ("evidence", key, i)) for key, hashes in photos.items() for i, sha in enumerate(hashes)
    ]
    wanted += [(report.file, "pdf", ("lab_reports", i, "file")) for i, report in enumerate(lab_reports)]
    hashes = {sha for sha, _, _ in wanted}
    found = (
        session.execute(_MINE, {"hashes": sorted(hashes), "user_id": inspector.id, "holder_id": holder_id}).all()
        if hashes
        else []
    )
    mine = {sha for sha, _, _ in found}
    kinds = {sha: kind for sha, kind, _ in found}
    others = {sha for sha, _, elsewhere in found if elsewhere}
    for sha, kind, path in wanted:
        if sha not in mine:
            problems.append(
                _problem(
                    f"no evidence {sha} uploaded by you: upload it first",
                    f"belum ada bukti {sha} yang Anda unggah: unggah dulu",
                    path,
                )
            )
        elif sha in others:
            problems.append(
                _problem(
                    f"evidence {sha} belongs to another holder's inspection",
                    f"bukti {sha} milik inspeksi pemegang lain",
                    path,
                )
            )
        elif (kinds.get(sha) == PDF) != (kind == "pdf"):
            problems.append(
                _problem(
                    f"evidence {sha} is {'a PDF' if kind == 'photo' else 'a photo'}, not "
                    f"{'a photo' if kind == 'photo' else 'a lab report PDF'}",
                    f"bukti {sha} berupa {'PDF' if kind == 'photo' else 'foto'}, bukan "
                    f"{'foto' if kind == 'photo' else 'laporan lab (PDF)'}",
                    path,
                )
            )
    if problems:
        raise Invalid(
            Text(
                en=f"the evidence named does not fit: {len(problems)} problem(s)",
                id=f"bukti yang disebut tidak sesuai: {len(problems)} masalah",
            ),
            problems,
        )


def _problem(en: str, id: str, path: tuple[str | int, ...]) -> Problem:
    return Problem.told(Text(en=en, id=id), path)


def link(session: Session, *, inspection_id: int, holder_id: int, hashes: Iterable[str]) -> None:
    """Record which files the inspection names (replacing what it named before)."""
    session.execute(delete(InspectionEvidence).where(col(InspectionEvidence.inspection_id) == inspection_id))
    link_new(session, inspection_id=inspection_id, holder_id=holder_id, hashes=hashes)


def link_new(session: Session | Connection, *, inspection_id: int, holder_id: int, hashes: Iterable[str]) -> None:
    """Record which files a new inspection names (it named none before): one INSERT of every row."""
    rows = [{"inspection_id": inspection_id, "sha256": sha, "holder_id": holder_id} for sha in sorted(set(hashes))]
    if rows:
        session.execute(_LINK, rows)


# --- consent --------------------------------------------------------------------------------------


def set_consent(*, database: Database, actor: Principal, holder_id: int, publish: bool) -> bool:
    """The holder's artisans (or an admin) say whether the public may see their certified lots' evidence."""
    if actor.role not in ("admin", "artisan"):
        raise Forbidden(
            Text(
                en="only the holder's artisans or an admin decide what is published",
                id="hanya artisan pemegang atau admin yang memutuskan apa yang diterbitkan",
            )
        )
    if actor.role == "artisan" and actor.holder_id != holder_id:
        raise NotFound(Text(en=f"no holder {holder_id}", id=f"tidak ada pemegang {holder_id}"))
    with database.write() as session:
        holder = session.get(Holder, holder_id)
        if holder is None:
            raise NotFound(Text(en=f"no holder {holder_id}", id=f"tidak ada pemegang {holder_id}"))
        holder.publish_evidence = publish
        session.add(holder)
    return publish
