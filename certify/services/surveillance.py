"""Surveillance (ISO/IEC 17065 §7.9): an inspection that names the certificate it surveys, and
the certifier's decision on it, which keeps the certificate valid (a logged event; a late one
reinstates a certificate suspended for an overdue surveillance), suspends or withdraws it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from certify.core import lifecycle
from certify.core.errors import Problem
from certify.core.lifecycle import SurveillanceOutcome
from certify.core.text import Text
from certify.services import directory, schedule
from certify.services.calendar import day_of, today
from certify.services.certificates import _NO_PDF, Issuance, _change, scheme_of
from certify.services.errors import Conflict
from certify.services.lookup import certificate_typed
from certify.services.standards import Standards
from certify.store.tables import Certificate, Decision, Inspection, Product

SURVEILLANCE_REASONS = {
    "keep": "surveillance kept",
    "suspend": "surveillance: suspended",
    "withdraw": "surveillance: withdrawn",
}


def surveyed(session: Session, *, typed: str, product: Product) -> Certificate:
    """The certificate a new surveillance inspection names; refused unless live and of `product`."""
    row = certificate_typed(session, typed, field="surveys")
    status = lifecycle.current_status(stored=row.status, valid_until=row.valid_until, today=today())
    if row.product_id != product.id:
        message = Text(
            en=f"{row.certificate_id} is not a certificate of product {product.id}",
            id=f"{row.certificate_id} bukan sertifikat produk {product.id}",
        )
        raise Conflict(message, [Problem(message.en, ("surveys",))])
    if status not in lifecycle.LIVE:
        message = lifecycle.refusal(row.certificate_id or typed, status, "suspend", row.valid_until)
        raise Conflict(
            Text(en=f"no surveillance: {message.en}", id=f"tidak ada pengawasan: {message.id}"),
            [Problem(f"no surveillance: {message.en}", ("surveys",))],
        )
    return row


def decide_surveillance(
    *,
    session: Session,
    standards: Standards,
    issuance: Issuance,
    inspection: Inspection,
    decision: Decision,
    outcome: SurveillanceOutcome,
    at: datetime,
) -> None:
    """Apply a surveillance decision to the certificate surveyed, in the decision's transaction."""
    assert inspection.surveys_id is not None
    statement = select(Certificate).options(_NO_PDF).where(Certificate.id == inspection.surveys_id)
    row = session.exec(statement.with_for_update()).one()
    status = lifecycle.current_status(stored=row.status, valid_until=row.valid_until, today=day_of(at))
    step = lifecycle.surveillance_move(status, outcome)
    if step is None:
        raise Conflict(
            lifecycle.refusal(
                row.certificate_id or "", status, "suspend" if outcome != "withdraw" else "withdraw", row.valid_until
            )
        )
    if outcome == "keep":
        row.surveillances_kept += 1
        schedule.plan_surveillance(
            session,
            certificate=row,
            scheme=scheme_of(standards, inspection),
            days_before=issuance.reminder_days,
            zone=issuance.zone,
        )
    reason = SURVEILLANCE_REASONS[outcome]  # public; the inspection and the note are in the event record
    _change(session, row, to=step.to, event=step.event, actor_id=decision.certifier_id, at=at, reason=reason)
    directory.refresh(session, row.holder_id)
