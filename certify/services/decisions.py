"""A certifier's decision on a scored inspection: issue a certificate, or refuse.

Impartiality (ISO/IEC 17065): the certifier did not inspect (four eyes) and declared no conflict of
interest with the holder. One decision per inspection; only a certified assessment is issued.
Issuing makes the complete certificate in the same transaction (`certificates.issue_certificate`:
serial, ID, signed record, signed PDF): the answer is the certificate with its `certificate_id`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from certify.core.errors import Problem
from certify.core.standard import Standard
from certify.core.text import Text
from certify.services import competence, events, surveillance
from certify.services import standards as standard_lookup
from certify.services.certificates import Issuance, default_issuance, issue_certificate
from certify.services.certified import check_complete
from certify.services.conflicts import conflict_in_force, why
from certify.services.errors import Conflict, Forbidden, NotFound
from certify.services.models import CertificatePublic, DecisionCreate, DecisionPublic
from certify.services.principal import Principal
from certify.services.publish import certificate_public, decision_public
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.tables import Decision, Holder, Inspection, Product, User

DECIDE = Text(en="decide on an inspection against it", id="memutuskan inspeksi berdasarkan standar itu")


def decide(
    *,
    database: Database,
    standards: Standards,
    certifier: Principal,
    inspection_id: int,
    decision: DecisionCreate,
    issuance: Issuance | None = None,
    now: datetime | None = None,
) -> CertificatePublic | DecisionPublic:
    """Record the decision; issuing answers the complete certificate (`issuance`: keys and
    renderer; by default configured from the environment, rendering in this process; `now`: the
    instant of a surveillance decision, for operators' back-dating tests; issuance ignores it)."""
    try:
        with database.write() as session:
            inspection = session.get(Inspection, inspection_id)
            if inspection is None:
                raise NotFound(Text(en=f"no inspection {inspection_id}", id=f"tidak ada inspeksi {inspection_id}"))
            _check_impartial(session, certifier, inspection)
            competence.check_competent(session, user=certifier, standard_id=inspection.standard_id, doing=DECIDE)
            if session.exec(select(Decision.id).where(Decision.inspection_id == inspection_id)).first() is not None:
                raise _already_decided(inspection_id)
            _check_kind(inspection, decision)
            if decision.decision == "issue" and not inspection.certified:
                message = Text(
                    en="only a certified assessment can be issued: this one is not certified (its "
                    "assessment lists the reasons)",
                    id="hanya penilaian yang lulus yang dapat diterbitkan sertifikatnya: penilaian ini "
                    "tidak lulus (alasannya tercantum di penilaian)",
                )
                raise Conflict(message, [Problem(message.en, ("decision",))])
            if decision.decision == "issue":
                check_complete(inspection, _installed(standards, inspection), at=datetime.now(UTC))
            row = Decision(
                inspection_id=inspection_id, certifier_id=certifier.id, outcome=decision.decision, note=decision.note
            )
            session.add(row)
            session.flush()  # a concurrent decision on the same inspection fails here
            assert row.id is not None
            events.record(
                session,
                actor_id=certifier.id,
                action=f"decision.{decision.decision}",
                subject_type="inspection",
                subject_id=inspection_id,
                detail={"decision_id": row.id},
            )
            if decision.decision in ("keep", "suspend", "withdraw"):
                row.decided_at = now or row.decided_at  # a surveillance's time (issuance signs the true one)
                surveillance.decide_surveillance(
                    session=session,
                    standards=standards,
                    issuance=issuance or default_issuance(),
                    inspection=inspection,
                    decision=row,
                    outcome=decision.decision,
                    at=row.decided_at,
                )
                return decision_public(row)
            if decision.decision == "refuse":
                return decision_public(row)
            certificate = issue_certificate(
                session=session,
                issuance=issuance or default_issuance(),
                standards=standards,
                inspection=inspection,
                decision=row,
            )
            return certificate_public(certificate, row)
    except IntegrityError:  # a concurrent decision on the same inspection, or a change it collided with
        with database.read() as session:
            decided = session.exec(select(Decision.id).where(Decision.inspection_id == inspection_id)).first()
        if decided is not None:
            raise _already_decided(inspection_id) from None
        raise Conflict(
            Text(
                en=f"the decision on inspection {inspection_id} collided with another change and was not "
                "recorded; send it again",
                id=f"keputusan atas inspeksi {inspection_id} bertabrakan dengan perubahan lain dan tidak "
                "tercatat; kirim sekali lagi",
            )
        ) from None


def _installed(standards: Standards, inspection: Inspection) -> Standard | None:
    try:
        return standard_lookup.find(standards, f"{inspection.standard_id}@{inspection.standard_version}")
    except NotFound:
        return None


def _check_kind(inspection: Inspection, decision: DecisionCreate) -> None:
    """A first inspection is issued or refused; a surveillance keeps, suspends or withdraws."""
    surveying = inspection.surveys_id is not None
    if surveying != (decision.decision in ("keep", "suspend", "withdraw")):
        message = (
            Text(
                en="a surveillance inspection is decided keep, suspend or withdraw",
                id="inspeksi pengawasan diputuskan dengan mempertahankan, membekukan, atau mencabut sertifikatnya",
            )
            if surveying
            else Text(
                en="a first inspection is decided issue or refuse",
                id="inspeksi pertama diputuskan dengan menerbitkan atau menolak sertifikat",
            )
        )
        raise Conflict(message, [Problem(message.en, ("decision",))])


def _already_decided(inspection_id: int) -> Conflict:
    return Conflict(
        Text(
            en=f"inspection {inspection_id} has already been decided; one decision per inspection",
            id=f"inspeksi {inspection_id} sudah diputuskan; satu keputusan untuk setiap inspeksi",
        )
    )


def _check_impartial(session: Session, certifier: Principal, inspection: Inspection) -> None:
    if inspection.inspector_id == certifier.id:
        raise Forbidden(
            Text(
                en="you inspected this lot: another certifier must decide (four-eyes rule)",
                id="Anda yang menginspeksi lot ini: sertifikator lain yang harus memutuskan (prinsip empat mata)",
            )
        )
    conflict = conflict_in_force(session, user_id=certifier.id, holder_id=inspection.holder_id)
    if conflict is not None:
        raise Forbidden(
            why(conflict, Text(en="another certifier must decide", id="sertifikator lain yang harus memutuskan"))
        )


def awaiting_decision(*, database: Database, limit: int = 200) -> list[tuple[Inspection, str, str, str]]:
    """Inspections without a decision, oldest first, with holder, product and inspector names."""
    query = (
        select(Inspection, Holder.name, Product.name, User.name)
        .join(Holder, col(Holder.id) == col(Inspection.holder_id))
        .join(Product, col(Product.id) == col(Inspection.product_id))
        .join(User, col(User.id) == col(Inspection.inspector_id))
        .outerjoin(Decision, col(Decision.inspection_id) == col(Inspection.id))
        .where(col(Decision.id).is_(None))
        .order_by(col(Inspection.id))
        .limit(limit)
    )
    with database.read() as session:
        return [(row, holder, product, inspector) for row, holder, product, inspector in session.exec(query)]
