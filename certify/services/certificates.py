"""Certificates: issuance (ID, signed record, signed PDF) and the lifecycle after it.

Issuance happens inside the decision's write transaction, all or nothing: the serial, a fresh
ID, the record signed with Ed25519 over RFC 8785 JSON, the `issued` log leaf with its proof, the
PDF rendered and PAdES-signed (in the render processes when a server runs, never on the event
loop), its SHA-256, the `pdf` log leaf, and the supersession of the holder's earlier certificate
for the product. If any step fails the transaction rolls back: no decision, no serial, no
certificate, no leaf.

The lifecycle after it (which action moves which status where, and why the others are a 409)
is pure, in `certify.core.lifecycle`; where the PDF is rendered, in `certify.services.rendering`.
Each change is an event (who, why) in `events`, a leaf in the log, and an entry in the public
`history` (status, time, reason, successor: never who).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from certify.config import Settings
from certify.config import settings as environment_settings
from certify.core import lifecycle, printable
from certify.core import scheme as scheme_rules
from certify.core.certificate_id import new_certificate_id
from certify.core.lifecycle import Action, local_day
from certify.core.standard import Scheme, Standard
from certify.core.text import Text
from certify.documents import CategoryScores, CertificateView
from certify.documents.render import CertificateTooLong
from certify.documents.view import Attribute, CoveredLot, SamplingView
from certify.ledger.sql import RememberingNodeStore, SqlNodeStore
from certify.services import directory, events, log, outbox, schedule, status_lists
from certify.services import standards as standard_lookup
from certify.services.certified import RECORD_FORMAT_2, certified_fields, first_lot_photo
from certify.services.conflicts import conflict_in_force, why
from certify.services.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from certify.services.keys import IssuerKeys
from certify.services.models import AssessmentPublic
from certify.services.photo_print import printed_photo
from certify.services.principal import Principal
from certify.services.rendering import RenderPdf, render_here, render_in_pool, shared_renderer
from certify.services.standards import Standards
from certify.services.titles import as_written, category_title
from certify.signing import canonical_json
from certify.signing.jwk import rfc3339
from certify.store import serials
from certify.store.database import Database
from certify.store.tables import Certificate, Decision, Holder, Inspection, Product

logger = logging.getLogger(__name__)

RECORD_TYPE = "certify.certificate/1"


class CertificateNotMade(ServiceError):
    """The PDF could not be rendered or signed; nothing was issued."""

    status, title, slug = 503, "Certificate not issued: try again", "certificate-not-issued"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Issuance:
    """What issuing needs beyond the database: keys, the issuer's name and address, a renderer."""

    keys: IssuerKeys
    issuer_name: str
    public_url: str
    render: RenderPdf
    reminder_days: tuple[int, ...] = (30, 7)  # reminders before a surveillance or an expiry
    zone: tzinfo = UTC
    tsa_url: str | None = None
    clock: Callable[[], datetime] = utc_now  # the decision's instant

    @classmethod
    def from_settings(cls, settings: Settings, *, render: RenderPdf | None = None) -> Issuance:
        if render is None:
            workers = settings.render_workers
            render = render_in_pool(shared_renderer(workers)) if workers else render_here
        return cls(
            keys=IssuerKeys.from_settings(settings),
            issuer_name=settings.issuer,
            public_url=settings.public_url,
            render=render,
            reminder_days=settings.reminders,
            zone=settings.zone,
            tsa_url=settings.tsa_url,
        )

    def verify_url(self, certificate_id: str) -> str:
        return f"{self.public_url.rstrip('/')}/verify/{certificate_id}"


@cache
def default_issuance() -> Issuance:
    """Issuance configured from the environment (`CERTIFY_*`), rendering in this process."""
    return Issuance.from_settings(environment_settings(), render=render_here)


# --- issuance -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signed:
    """A certificate's record as signed: its ID, the serial number, the instant and the key."""

    certificate_id: str
    number: int
    at: datetime
    record: dict[str, Any]
    signature: str
    key_id: str
    record_sha256: str  # of the record's canonical JSON, the bytes signed: what the `issued` leaf holds


def issue_certificate(
    *,
    session: Session,
    issuance: Issuance,
    standards: Standards,
    inspection: Inspection,
    decision: Decision,
) -> Certificate:
    """The complete certificate for an issued decision, in the caller's write transaction."""
    assert inspection.id is not None and decision.id is not None
    signed = _sign_record(session, issuance, standards, inspection)
    decision.decided_at = signed.at
    session.add(decision)
    earlier = _live_certificates_of(session, inspection)  # locked before the log's row, as in _change
    photo = printed_photo(session, holder_id=inspection.holder_id, sha256=first_lot_photo(signed.record))
    condition = scheme_rules.condition(scheme_of(standards, inspection))
    category = category_title(_installed(standards, inspection), str(signed.record["product"]["category"]))
    nodes = RememberingNodeStore(session)  # the log's border, read once for both leaves and the proof
    pdf = _render_pdf(
        issuance,
        signed,
        attachment=_log_issuance(session, issuance, signed, nodes),
        photo=photo,
        condition=condition,
        category=category,
    )
    certificate = _store(session, inspection, decision, signed, pdf, nodes)
    schedule.plan(
        session,
        certificate=certificate,
        scheme=scheme_of(standards, inspection),
        days_before=issuance.reminder_days,
        zone=issuance.zone,
    )
    for old in earlier:
        _change(
            session,
            old,
            to="superseded",
            event="superseded",
            actor_id=decision.certifier_id,
            at=signed.at,
            reason=f"superseded by {signed.certificate_id}",
            successor=certificate,
        )
    directory.refresh(session, certificate.holder_id)
    return certificate


def _sign_record(session: Session, issuance: Issuance, standards: Standards, inspection: Inspection) -> Signed:
    """The year's next serial, a fresh ID, and the record signed."""
    holder = session.get(Holder, inspection.holder_id)
    product = session.get(Product, inspection.product_id)
    assert holder is not None and product is not None
    with issuance.keys.ring.signing() as signer:
        at = issuance.clock()  # stamped while the key is held: it cannot be retired before
        day = local_day(at, issuance.zone)  # the issuer's calendar day
        number = serials.next_number(session, day.year)
        certificate_id = _fresh_id(session, day.year)
        record = certificate_record(
            certificate_id=certificate_id,
            serial=serials.serial(day.year, number),
            holder=holder,
            product=product,
            inspection=inspection,
            standards=standards,
            decided_at=at,
            decided_on=day,
            valid_until=lifecycle.valid_until(day, _validity_months(standards, inspection)),
            issuer_name=issuance.issuer_name,
            issuer_url=issuance.public_url,
            key_id=signer.kid,
            certified=certified_fields(session, inspection, _installed(standards, inspection)),
        )
        canonical = canonical_json(record)  # made once: signed, then hashed for the log
        signature = signer.sign_canonical(canonical)
        return Signed(certificate_id, number, at, record, signature, signer.kid, hashlib.sha256(canonical).hexdigest())


def _log_issuance(session: Session, issuance: Issuance, signed: Signed, nodes: SqlNodeStore) -> bytes:
    """The `issued` leaf appended; what the PDF carries: the record, its signature, the leaf's proof."""
    leaf = log.append_event(
        session,
        certificate_id=signed.certificate_id,
        event="issued",
        at=signed.at,
        record_sha256=signed.record_sha256,
        pdf_sha256=None,
        status="valid",
        store=nodes,
    )
    proof = log.issuance_proof(session, leaf_index=leaf, keys=issuance.keys.ring, now=signed.at, store=nodes)
    return canonical_json({"record": signed.record, "signature": signed.signature, "log": proof})


def _render_pdf(
    issuance: Issuance,
    signed: Signed,
    *,
    attachment: bytes,
    photo: str | None = None,
    condition: Text | None = None,
    category: Text | None = None,
) -> bytes:
    """The signed PDF; `Invalid` when deciding again would fail again (what the certificate cannot
    print), `CertificateNotMade` (nothing is issued, try again) otherwise; each failure logged."""
    try:
        time_stamped = {"tsa_url": issuance.tsa_url} if issuance.tsa_url else {}
        return issuance.render(
            certificate=certificate_view(
                signed.record, signed.signature, photo=photo, condition=condition, category=category
            ),
            attachment=attachment,
            verify_url=issuance.verify_url(signed.certificate_id),
            key_dir=issuance.keys.key_dir,
            **time_stamped,
        )
    except (ValidationError, CertificateTooLong) as error:
        logger.warning(
            "certificate %s not issued: the certificate cannot print it: %s",
            signed.certificate_id,
            str(error).replace("\n", " "),
        )
        raise Invalid(
            Text(
                en=f"the certificate cannot be printed: {_unprintable(error)}; correct it, then decide again",
                id=f"sertifikat tidak dapat dicetak: {_unprintable(error)}; perbaiki, lalu putuskan lagi",
            )
        ) from error
    except Exception as error:
        logger.exception("certificate %s not issued: the PDF could not be made", signed.certificate_id)
        raise CertificateNotMade(
            Text(
                en=f"the certificate PDF could not be made ({type(error).__name__}); nothing was issued: decide again",
                id=f"PDF sertifikat tidak dapat dibuat ({type(error).__name__}); tidak ada yang diterbitkan: "
                "putuskan lagi",
            )
        ) from error


def _store(
    session: Session, inspection: Inspection, decision: Decision, signed: Signed, pdf: bytes, nodes: SqlNodeStore
) -> Certificate:
    """The certificate's row with its PDF, the `pdf` leaf of the log, and the event."""
    assert inspection.id is not None and decision.id is not None
    record, at = signed.record, signed.at
    pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate = Certificate(
        serial=record["serial"],
        year=at.year,
        number=signed.number,
        inspection_id=inspection.id,
        decision_id=decision.id,
        holder_id=inspection.holder_id,
        product_id=inspection.product_id,
        standard_id=inspection.standard_id,
        standard_version=inspection.standard_version,
        content_hash=inspection.content_hash,
        grade=inspection.grade or "",
        total=inspection.total,
        issued_at=at,
        valid_from=date.fromisoformat(record["valid_from"]),
        valid_until=date.fromisoformat(record["valid_until"]),
        status="valid",
        certificate_id=signed.certificate_id,
        record=record,
        signature=signed.signature,
        key_id=signed.key_id,
        pdf=pdf,
        pdf_sha256=pdf_sha256,
        history=[{"status": "valid", "at": rfc3339(at), "reason": None, "successor": None}],
    )
    session.add(certificate)
    session.flush()
    assert certificate.id is not None
    log.append_event(
        session,
        certificate_id=signed.certificate_id,
        event="pdf",
        at=at,
        record_sha256=None,
        pdf_sha256=pdf_sha256,
        status="valid",
        store=nodes,
    )
    events.record(
        session,
        actor_id=decision.certifier_id,
        action="certificate.issued",
        subject_type="certificate",
        subject_id=certificate.id,
        detail={
            "serial": certificate.serial,
            "certificate_id": signed.certificate_id,
            "pdf_sha256": pdf_sha256,
            "key_id": signed.key_id,
        },
    )
    return certificate


def certificate_record(
    *,
    certificate_id: str,
    serial: str,
    holder: Holder,
    product: Product,
    inspection: Inspection,
    standards: Standards,
    decided_at: datetime,
    decided_on: date,
    valid_until: date,
    issuer_name: str,
    issuer_url: str,
    key_id: str,
    certified: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record a certificate's signature covers: what it prints, no floats (decimal strings).

    With `certified` (`certify.services.certified.certified_fields`: the lot, attributes, sample,
    defects, evidence) the record is of format 2; without, of format 1 (as issued before them)."""
    assessment = AssessmentPublic.model_validate(inspection.assessment)
    grade = inspection.grade or ""
    grade_title = {"en": grade, "id": grade} if assessment.grade is None else assessment.grade.title.model_dump()
    title = _standard_title(standards, inspection)
    record = {
        "type": RECORD_TYPE if certified is None else RECORD_FORMAT_2,
        "certificate_id": certificate_id,
        "serial": serial,
        "holder": {"name": holder.name, "region": holder_region(holder)},
        "product": {"name": product.name, "category": product.category},
        "standard": {
            "id": inspection.standard_id,
            "version": inspection.standard_version,
            "content_hash": inspection.content_hash,
            "title": {"en": title.en, "id": title.id},
        },
        "grade": {"id": grade, "title": grade_title},
        "total": inspection.total,
        "scores": {category.category: category.score for category in assessment.categories},
        "decided_at": rfc3339(decided_at),
        "valid_from": decided_on.isoformat(),
        "valid_until": valid_until.isoformat(),
        "issuer": {"name": issuer_name, "url": issuer_url},
        "key_id": key_id,
        **_sampling(assessment),
    }
    return record if certified is None else {**record, **certified}


def _sampling(assessment: AssessmentPublic) -> dict[str, Any]:
    """The lot's ISO 2859-1 severity and each plan's limiting quality, when the assessment has them."""
    limits = {d.defect_class: d.limiting_quality.percent for d in assessment.lot.defects if d.limiting_quality}
    if not limits:
        return {}
    return {"sampling": {"severity": assessment.lot.severity, "limiting_quality": limits}}


def certificate_view(
    record: dict[str, Any],
    signature: str,
    *,
    photo: str | None = None,
    condition: Text | None = None,
    category: Text | None = None,
) -> CertificateView:
    """What the PDF prints, from the signed record (`photo`: the lot's photo as a data: URI, when
    the holder consented to publish it; `condition`: the scheme's condition, e.g. surveillance;
    `category`: the product category as its standard titles it, else its code as written)."""
    scores = record["scores"]
    category = category or as_written(str(record["product"]["category"]))
    return CertificateView(
        issuer_name=record["issuer"]["name"],
        certificate_id=record["certificate_id"],
        holder_name=record["holder"]["name"],
        holder_region=record["holder"]["region"],
        product_name=record["product"]["name"],
        product_category=category,
        standard_id=record["standard"]["id"],
        standard_title=Text(**record["standard"]["title"]),
        standard_version=record["standard"]["version"],
        grade=Text(**record["grade"]["title"]),
        scores=CategoryScores(**{name: scores.get(name) for name in ("materials", "finish", "packaging")}),
        total_score=record["total"],
        decided_on=date.fromisoformat(record["valid_from"]),
        decided_at=datetime.fromisoformat(record["decided_at"]),
        valid_from=date.fromisoformat(record["valid_from"]),
        valid_until=date.fromisoformat(record["valid_until"]),
        signature_fingerprint=signature_fingerprint(signature),
        key_id=record["key_id"],
        covered=covered_view(record, photo),
        condition=condition,
        sampling=_sampling_view(record.get("sampling")),
    )


def covered_view(record: dict[str, Any], photo: str | None) -> CoveredLot | None:
    """What a format-2 record says the certificate covers, as printed; None for older formats."""
    lot = record.get("lot")
    if not isinstance(lot, dict):
        return None
    meaning = record.get("grade_meaning")
    return CoveredLot(
        lot_code=lot.get("code") or "—",
        quantity=lot["quantity"],
        inspected_on=date.fromisoformat(record["inspected_on"]),
        attributes=[Attribute(title=Text(**a["title"]), value=Text(**a["value"])) for a in record["attributes"]],
        sample_size=None if record.get("sample") is None else record["sample"]["size"],
        defects=record["defects"],
        grade_meaning=None if meaning is None else Text(**meaning),
        photo=photo,
    )


def _sampling_view(sampling: dict[str, Any] | None) -> SamplingView | None:
    if not sampling:
        return None
    limits = sampling.get("limiting_quality", {})
    return SamplingView(severity=sampling["severity"], major_lq=limits.get("major"), minor_lq=limits.get("minor"))


def signature_fingerprint(signature: str) -> str:
    """A short fingerprint a person can compare: 16 hex digits of the signature's SHA-256."""
    digest = hashlib.sha256(signature.encode("ascii")).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def _unprintable(error: Exception) -> str:
    """What of a certificate does not fit, as the fields the holder and product were entered with."""
    if isinstance(error, ValidationError):
        invisible = sorted({str(e["loc"][0]) for e in error.errors() if e.get("loc") and "invisible" in e["msg"]})
        if invisible:
            return ", ".join(invisible) + " holds invisible formatting characters (bidi controls) that reorder print"
        fields = sorted({str(e["loc"][0]) for e in error.errors() if e.get("loc")})
        return ", ".join(fields) + " longer than a certificate prints (120 characters)"
    return "its texts do not fit on one page"


def holder_region(holder: Holder) -> str:
    return f"{holder.region}, {holder.province}" if holder.region else holder.province


def _fresh_id(session: Session, year: int) -> str:
    while True:  # 40 random bits: a collision is rare, and checked
        candidate = str(new_certificate_id(year))
        taken = session.exec(select(Certificate.id).where(Certificate.certificate_id == candidate)).first()
        if taken is None:
            return candidate


def _standard_title(standards: Standards, inspection: Inspection) -> Text:
    try:
        return standard_lookup.find(standards, f"{inspection.standard_id}@{inspection.standard_version}").title
    except NotFound:
        return Text(en=inspection.standard_id, id=inspection.standard_id)


def _installed(standards: Standards, inspection: Inspection) -> Standard | None:
    try:
        return standard_lookup.find(standards, f"{inspection.standard_id}@{inspection.standard_version}")
    except NotFound:
        return None


def scheme_of(standards: Standards, inspection: Inspection) -> Scheme | None:
    """The scheme of the standard an inspection was scored against (None: it declares none)."""
    standard = _installed(standards, inspection)
    return None if standard is None else standard.scheme


def _validity_months(standards: Standards, inspection: Inspection) -> int:
    try:
        return standard_lookup.find(
            standards, f"{inspection.standard_id}@{inspection.standard_version}"
        ).validity_months
    except NotFound:
        return lifecycle.DEFAULT_VALIDITY_MONTHS


_NO_PDF = defer(Certificate.pdf)  # type: ignore[arg-type]  # a status change never reads the PDF bytes


def _live_certificates_of(session: Session, inspection: Inspection) -> list[Certificate]:
    """The holder's certificates for the product that a new one supersedes, locked."""
    statement = (
        select(Certificate)
        .options(_NO_PDF)
        .where(
            Certificate.product_id == inspection.product_id,
            Certificate.holder_id == inspection.holder_id,
            col(Certificate.status).in_(("valid", "suspended")),
        )
    )
    return list(session.exec(statement.with_for_update()).all())


# --- lifecycle ------------------------------------------------------------------------------------


def change_status(
    *,
    database: Database,
    actor: Principal,
    certificate_id: str,
    action: Action,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Suspend, reinstate or withdraw a certificate, with a reason; 409 when it makes no sense.

    `certificate_id` is canonical (see `verification.lookup_id`). A certifier with a declared
    conflict of interest with the holder may not act (403).
    """
    at = now or datetime.now(UTC)
    refused = printable.refusal("the reason", reason)
    if refused is not None:
        raise Invalid(refused)
    with database.write() as session:
        statement = select(Certificate).options(_NO_PDF).where(Certificate.certificate_id == certificate_id)
        row = session.exec(statement.with_for_update()).first()
        if row is None:
            raise NotFound(
                Text(
                    en=f"{certificate_id}: no certificate with this ID",
                    id=f"{certificate_id}: tidak ada sertifikat dengan ID ini",
                )
            )
        conflict = conflict_in_force(session, user_id=actor.id, holder_id=row.holder_id)
        if conflict is not None:
            raise Forbidden(
                why(
                    conflict,
                    Text(
                        en="another certifier must act on this certificate",
                        id="sertifikator lain yang harus menanganinya",
                    ),
                )
            )
        today = local_day(at, environment_settings().zone)
        status = lifecycle.current_status(stored=row.status, valid_until=row.valid_until, today=today)
        step = lifecycle.move(status, action)
        if step is None:
            raise Conflict(lifecycle.refusal(certificate_id, status, action, row.valid_until))
        _change(session, row, to=step.to, event=step.event, actor_id=actor.id, at=at, reason=reason)
        directory.refresh(session, row.holder_id)


def _change(
    session: Session,
    row: Certificate,
    *,
    to: str,
    event: str,
    actor_id: int | None,
    at: datetime,
    reason: str,
    successor: Certificate | None = None,
) -> None:
    """The one path of every status change (manual, automatic, surveillance, appeal): the public
    history, the event, the log leaf, and the outbox rows that announce it to subscribers."""
    assert row.id is not None and row.certificate_id is not None
    before = row.status
    row.status = to
    entry = {
        "status": to,
        "at": rfc3339(at),
        "reason": reason,
        "successor": None if successor is None else successor.certificate_id,
    }
    row.history = [*row.history, entry]  # a new list: SQLAlchemy sees a changed JSON column
    if successor is not None:
        row.superseded_by_id = successor.id
    session.add(row)
    events.record(
        session,
        actor_id=actor_id,
        action=f"certificate.{event}",
        subject_type="certificate",
        subject_id=row.id,
        detail={
            "certificate_id": row.certificate_id,
            "from": before,
            "to": to,
            "reason": reason,
            **({"successor": successor.certificate_id} if successor else {}),
        },
    )
    log.append_event(
        session, certificate_id=row.certificate_id, event=event, at=at, record_sha256=None, pdf_sha256=None, status=to
    )
    outbox.certificate_event(
        session,
        certificate=row,
        event=event,
        status=to,
        at=at,
        reason=reason,
        successor=None if successor is None else successor.certificate_id,
    )
    status_lists.record_status(session, index=row.id, status=to, at=at)


# --- the PDF --------------------------------------------------------------------------------------


def certificate_pdf(*, database: Database, viewer: Principal | None, certificate_id: str) -> bytes:
    """The issued PDF, for the holder's artisans, certifiers and admins; 404 to anyone else."""
    with database.read() as session:
        found = session.exec(
            select(Certificate.holder_id, Certificate.pdf).where(Certificate.certificate_id == certificate_id)
        ).first()
    if found is None or found[1] is None or viewer is None:
        raise NotFound(
            Text(
                en=f"{certificate_id}: no certificate with this ID",
                id=f"{certificate_id}: tidak ada sertifikat dengan ID ini",
            )
        )
    holder_id, pdf = found
    if not (viewer.sees_everything() or (viewer.role == "artisan" and viewer.holder_id == holder_id)):
        raise NotFound(
            Text(
                en=f"{certificate_id}: no certificate with this ID",
                id=f"{certificate_id}: tidak ada sertifikat dengan ID ini",
            )
        )
    return bytes(pdf)
