"""Complaints and appeals (ISO/IEC 17065 §7.13).

Anyone, without an account, may complain about a certificate; a holder's artisan may appeal a
refusal, a suspension or a withdrawal. Each gets a tracking ID and a due date, is assigned to a
certifier who had no part in the decision complained of (refused otherwise), and ends with a
recorded outcome and a public answer. An upheld complaint may suspend the certificate in the same
step; an upheld appeal against a suspension or withdrawal reinstates it. Both changes go through
the one path of status changes (`certificates._change`): history, event, log leaf, outbox.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from certify.core import lifecycle
from certify.core.certificate_id import ALPHABET
from certify.core.errors import Problem
from certify.core.text import Text
from certify.services import directory, events
from certify.services.calendar import day_of
from certify.services.certificates import _NO_PDF, _change
from certify.services.conflicts import conflict_in_force
from certify.services.errors import Conflict, Forbidden, Invalid, NotFound
from certify.services.lookup import certificate_typed
from certify.services.models import Input, LongText
from certify.services.principal import Principal
from certify.store.database import Database
from certify.store.tables import Certificate, Complaint, Decision, Event, Inspection, User

DAYS_TO_ANSWER = 30
Message = LongText


class ComplaintCreate(Input):
    certificate_id: str = Field(min_length=1, max_length=64)
    message: Message = Field(min_length=1, description="what is wrong (not empty)")
    contact: str | None = Field(default=None, max_length=254, description="how to reach you (optional)")


class AppealCreate(Input):
    certificate_id: str | None = Field(default=None, max_length=64, description="a suspended or withdrawn certificate")
    inspection_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="a refused inspection")
    message: Message = Field(min_length=1)


class Assignment(Input):
    certifier_id: int = Field(ge=1, le=2**31 - 1)


class Outcome(Input):
    outcome: Literal["upheld", "dismissed"]
    answer: Message = Field(min_length=1, description="the public answer")
    suspend: bool = Field(default=False, description="an upheld complaint: suspend the certificate in the same step")


class Filed(BaseModel):
    tracking_id: str


class ComplaintPublic(BaseModel):
    """What the tracking page shows: never who complained or who handles it."""

    tracking_id: str
    kind: Literal["complaint", "appeal"]
    certificate_id: str | None
    state: Literal["received", "assigned", "closed"]
    filed_on: date
    due_on: date
    outcome: Literal["upheld", "dismissed"] | None
    answer: str | None


def _tracking_id() -> str:
    return "TRK-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def file_complaint(*, database: Database, body: ComplaintCreate, now: datetime | None = None) -> Filed:
    at = now or datetime.now(UTC)
    with database.write() as session:
        certificate = certificate_typed(session, body.certificate_id)
        row = Complaint(
            tracking_id=_tracking_id(),
            kind="complaint",
            certificate_ref=certificate.id,
            message=body.message,
            contact=body.contact,
            filed_at=at,
            due_on=at.date() + timedelta(days=DAYS_TO_ANSWER),
        )
        return _file(session, row, actor_id=None)


def file_appeal(*, database: Database, artisan: Principal, body: AppealCreate, now: datetime | None = None) -> Filed:
    at = now or datetime.now(UTC)
    if (body.certificate_id is None) == (body.inspection_id is None):
        raise Invalid("name either certificate_id (a suspension or withdrawal) or inspection_id (a refusal)")
    with database.write() as session:
        if body.certificate_id is not None:
            certificate = certificate_typed(session, body.certificate_id)
            holder_id, inspection_id, ref = certificate.holder_id, None, certificate.id
            if certificate.status not in ("suspended", "withdrawn"):
                raise Conflict(
                    Text(
                        en=f"{certificate.certificate_id} is {certificate.status}: only a suspension or a withdrawal is appealed",
                        id=f"{certificate.certificate_id} berstatus {certificate.status}: hanya pembekuan atau pencabutan yang dapat dibanding",
                    )
                )
        else:
            inspection = session.get(Inspection, body.inspection_id)
            decision = session.exec(select(Decision).where(Decision.inspection_id == body.inspection_id)).first()
            if inspection is None:
                raise NotFound(
                    Text(en=f"no inspection {body.inspection_id}", id=f"tidak ada inspeksi {body.inspection_id}")
                )
            holder_id, inspection_id, ref = inspection.holder_id, inspection.id, None
            if decision is None or decision.outcome != "refuse":
                raise Conflict(
                    Text(
                        en=f"inspection {body.inspection_id} was not refused: only a refusal is appealed",
                        id=f"inspeksi {body.inspection_id} tidak ditolak: hanya penolakan yang dapat dibanding",
                    )
                )
        if artisan.role != "artisan" or artisan.holder_id != holder_id:
            raise Forbidden(
                Text(
                    en="only an artisan of the holder may appeal its decisions",
                    id="hanya perajin pemegang sertifikat yang dapat mengajukan banding atas keputusannya",
                )
            )
        row = Complaint(
            tracking_id=_tracking_id(),
            kind="appeal",
            certificate_ref=ref,
            inspection_id=inspection_id,
            message=body.message,
            filed_by=artisan.id,
            filed_at=at,
            due_on=at.date() + timedelta(days=DAYS_TO_ANSWER),
        )
        return _file(session, row, actor_id=artisan.id)


def _file(session: Session, row: Complaint, *, actor_id: int | None) -> Filed:
    session.add(row)
    session.flush()
    assert row.id is not None
    events.record(
        session, actor_id=actor_id, action=f"{row.kind}.filed", subject_type="complaint", subject_id=row.id, detail={}
    )
    return Filed(tracking_id=row.tracking_id)


def tracking(*, database: Database, tracking_id: str) -> ComplaintPublic:
    with database.read() as session:
        row = _find(session, tracking_id)
        certificate = session.get(Certificate, row.certificate_ref) if row.certificate_ref else None
        state: Literal["received", "assigned", "closed"] = (
            "closed" if row.closed_at else "assigned" if row.assignee_id else "received"
        )
        return ComplaintPublic(
            tracking_id=row.tracking_id,
            kind="appeal" if row.kind == "appeal" else "complaint",
            certificate_id=None if certificate is None else certificate.certificate_id,
            state=state,
            filed_on=row.filed_at.date(),
            due_on=row.due_on,
            outcome="upheld" if row.outcome == "upheld" else "dismissed" if row.outcome else None,
            answer=row.answer,
        )


def _find(session: Session, tracking_id: str, *, lock: bool = False) -> Complaint:
    statement = select(Complaint).where(Complaint.tracking_id == tracking_id.strip().upper())
    row = session.exec(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise NotFound(
            Text(en=f"no complaint or appeal {tracking_id}", id=f"tidak ada pengaduan atau banding {tracking_id}")
        )
    return row


def involved(session: Session, row: Complaint) -> set[int]:
    """Everyone who had a part in the decision complained of: who inspected, who decided, who
    changed the certificate's status, and who surveyed it."""
    people: set[int] = set()
    inspection_ids: set[int] = set()
    if row.inspection_id is not None:
        inspection_ids.add(row.inspection_id)
    if row.certificate_ref is not None:
        certificate = session.get(Certificate, row.certificate_ref)
        assert certificate is not None
        inspection_ids.add(certificate.inspection_id)
        inspection_ids |= set(
            session.exec(select(Inspection.id).where(Inspection.surveys_id == row.certificate_ref)).all()
        ) - {None}  # type: ignore[arg-type]
        actors = session.exec(
            select(Event.actor_id).where(Event.subject_type == "certificate", Event.subject_id == row.certificate_ref)
        ).all()
        people |= {a for a in actors if a is not None}
    if inspection_ids:
        people |= set(session.exec(select(Inspection.inspector_id).where(col(Inspection.id).in_(inspection_ids))).all())
        people |= set(
            session.exec(select(Decision.certifier_id).where(col(Decision.inspection_id).in_(inspection_ids))).all()
        )
    return people


def assign(*, database: Database, actor: Principal, tracking_id: str, body: Assignment) -> ComplaintPublic:
    """An admin or certifier assigns it to a certifier who had no part in the decision."""
    if actor.role not in ("admin", "certifier"):
        raise Forbidden("assigning complaints and appeals needs the role admin or certifier")
    with database.write() as session:
        row = _find(session, tracking_id, lock=True)
        if row.closed_at is not None:
            raise Conflict(Text(en=f"{row.tracking_id} is closed", id=f"{row.tracking_id} sudah ditutup"))
        certifier = session.get(User, body.certifier_id)
        if certifier is None or certifier.role != "certifier":
            raise Invalid(
                f"user {body.certifier_id} is not a certifier", [Problem("not a certifier", ("certifier_id",))]
            )
        holder_id = _holder_of(session, row)
        if body.certifier_id in involved(session, row) or conflict_in_force(
            session, user_id=body.certifier_id, holder_id=holder_id
        ):
            raise Forbidden(
                Text(
                    en=f"{certifier.name} had a part in the decision complained of (or a conflict of interest): "
                    "assign an uninvolved certifier",
                    id=f"{certifier.name} terlibat dalam keputusan yang diadukan (atau memiliki konflik kepentingan): "
                    "tugaskan sertifikator yang tidak terlibat",
                )
            )
        row.assignee_id = body.certifier_id
        session.add(row)
        assert row.id is not None
        events.record(
            session,
            actor_id=actor.id,
            action=f"{row.kind}.assigned",
            subject_type="complaint",
            subject_id=row.id,
            detail={"certifier_id": body.certifier_id},
        )
    return tracking(database=database, tracking_id=tracking_id)


def _holder_of(session: Session, row: Complaint) -> int:
    if row.certificate_ref is not None:
        certificate = session.get(Certificate, row.certificate_ref)
        assert certificate is not None
        return certificate.holder_id
    inspection = session.get(Inspection, row.inspection_id)
    assert inspection is not None
    return inspection.holder_id


def close(
    *, database: Database, certifier: Principal, tracking_id: str, body: Outcome, now: datetime | None = None
) -> ComplaintPublic:
    """The assignee records the outcome and the public answer; an upheld complaint may suspend
    the certificate, an upheld appeal reinstates it, in the same transaction."""
    at = now or datetime.now(UTC)
    with database.write() as session:
        row = _find(session, tracking_id, lock=True)
        if row.assignee_id != certifier.id:
            raise Forbidden(
                Text(
                    en="only the certifier it is assigned to records its outcome",
                    id="hanya sertifikator yang ditugaskan yang mencatat hasilnya",
                )
            )
        if row.closed_at is not None:
            raise Conflict(Text(en=f"{row.tracking_id} is already closed", id=f"{row.tracking_id} sudah ditutup"))
        if body.outcome == "upheld" and row.certificate_ref is not None and (body.suspend or row.kind == "appeal"):
            _act_on_certificate(session, row, certifier, body, at)
        row.outcome, row.answer, row.closed_at = body.outcome, body.answer, at
        session.add(row)
        assert row.id is not None
        events.record(
            session,
            actor_id=certifier.id,
            action=f"{row.kind}.{body.outcome}",
            subject_type="complaint",
            subject_id=row.id,
            detail={"suspend": body.suspend},
        )
    return tracking(database=database, tracking_id=tracking_id)


def _act_on_certificate(session: Session, row: Complaint, certifier: Principal, body: Outcome, at: datetime) -> None:
    statement = select(Certificate).options(_NO_PDF).where(Certificate.id == row.certificate_ref)
    certificate = session.exec(statement.with_for_update()).one()
    status = lifecycle.current_status(stored=certificate.status, valid_until=certificate.valid_until, today=day_of(at))
    if row.kind == "appeal":
        step, reason = lifecycle.appeal_move(status), "appeal upheld"
    else:
        step, reason = lifecycle.move(status, "suspend"), "complaint upheld"
    if step is None:
        raise Conflict(lifecycle.refusal(certificate.certificate_id or "", status, "suspend", certificate.valid_until))
    _change(session, certificate, to=step.to, event=step.event, actor_id=certifier.id, at=at, reason=reason)
    directory.refresh(session, certificate.holder_id)
