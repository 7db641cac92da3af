"""A certifier's decision on a scored inspection: issue a certificate, or refuse.

Impartiality (ISO/IEC 17065): the certifier did not inspect (four eyes) and declared no conflict of
interest with the holder. One decision per inspection; only a certified assessment is issued.
Issuing numbers the certificate from the year's counter in the same transaction.
"""

from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from certify.core.errors import Problem
from certify.services import events
from certify.services import standards as standard_lookup
from certify.services.conflicts import conflict_in_force, today, why
from certify.services.errors import Conflict, Forbidden, NotFound
from certify.services.models import CertificatePublic, DecisionCreate, DecisionPublic
from certify.services.principal import Principal
from certify.services.publish import certificate_public, decision_public
from certify.services.standards import Standards
from certify.store import serials
from certify.store.database import Database
from certify.store.tables import Certificate, Decision, Inspection

DEFAULT_VALIDITY_MONTHS = 12


def decide(
    *, database: Database, standards: Standards, certifier: Principal, inspection_id: int,
    decision: DecisionCreate,
) -> CertificatePublic | DecisionPublic:
    try:
        with database.write() as session:
            inspection = session.get(Inspection, inspection_id)
            if inspection is None:
                raise NotFound(f"no inspection {inspection_id}")
            _check_impartial(session, certifier, inspection)
            if session.exec(
                select(Decision.id).where(Decision.inspection_id == inspection_id)
            ).first() is not None:
                raise _already_decided(inspection_id)
            if decision.decision == "issue" and not inspection.certified:
                message = ("only a certified assessment can be issued: this one is not "
                           "certified (its assessment lists the reasons)")
                raise Conflict(message, [Problem(message, ("decision",))])
            row = Decision(inspection_id=inspection_id, certifier_id=certifier.id,
                           outcome=decision.decision, note=decision.note)
            session.add(row)
            session.flush()  # a concurrent decision on the same inspection fails here
            assert row.id is not None
            events.record(session, actor_id=certifier.id, action=f"decision.{decision.decision}",
                          subject_type="inspection", subject_id=inspection_id,
                          detail={"decision_id": row.id})
            if decision.decision == "refuse":
                return decision_public(row)
            certificate = _issue(session, standards, inspection, row)
            assert certificate.id is not None
            events.record(session, actor_id=certifier.id, action="certificate.issued",
                          subject_type="certificate", subject_id=certificate.id,
                          detail={"serial": certificate.serial})
            return certificate_public(certificate, row)
    except IntegrityError:
        raise _already_decided(inspection_id) from None


def _already_decided(inspection_id: int) -> Conflict:
    return Conflict(
        f"inspection {inspection_id} has already been decided; one decision per inspection"
    )


def _check_impartial(session: Session, certifier: Principal, inspection: Inspection) -> None:
    if inspection.inspector_id == certifier.id:
        raise Forbidden("you inspected this lot: another certifier must decide (four-eyes rule)")
    conflict = conflict_in_force(session, user_id=certifier.id, holder_id=inspection.holder_id)
    if conflict is not None:
        raise Forbidden(f"{why(conflict)}: another certifier must decide")


def _issue(
    session: Session, standards: Standards, inspection: Inspection, decision: Decision
) -> Certificate:
    assert inspection.id is not None and decision.id is not None
    day = today()
    number = serials.next_number(session, day.year)
    certificate = Certificate(
        serial=serials.serial(day.year, number), year=day.year, number=number,
        inspection_id=inspection.id, decision_id=decision.id,
        holder_id=inspection.holder_id, product_id=inspection.product_id,
        standard_id=inspection.standard_id, standard_version=inspection.standard_version,
        content_hash=inspection.content_hash, grade=inspection.grade or "", total=inspection.total,
        issued_at=decision.decided_at, valid_from=day,
        valid_until=add_months(day, _validity_months(standards, inspection)),
    )
    session.add(certificate)
    session.flush()
    return certificate


def _validity_months(standards: Standards, inspection: Inspection) -> int:
    ref = f"{inspection.standard_id}@{inspection.standard_version}"
    try:
        return standard_lookup.find(standards, ref).validity_months
    except NotFound:
        return DEFAULT_VALIDITY_MONTHS


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
