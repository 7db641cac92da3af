"""Work that falls due acts by itself: reminders before a surveillance or an expiry, the automatic
suspension of a certificate whose surveillance is overdue past its grace, and recorded expiry.

Each is a row of `due_actions`, written when the certificate is issued or surveyed (unique per
certificate, kind and instant). `run_due` takes the rows due by `now` in batches: on PostgreSQL
with `SELECT … FOR UPDATE SKIP LOCKED` (several servers take disjoint batches; no other queue to
run, back up and monitor: the rows live and commit with the certificates they change), on SQLite
under the single writer. An action's effect (status change, log leaf, outbox rows) and its `done`
mark commit in one transaction: a server killed mid-batch commits nothing of it, the rows are
taken again, and nothing is done twice. An action whose reason has gone (the certificate was
surveyed, withdrawn, superseded meanwhile) is marked `moot`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from certify.core import lifecycle
from certify.core.text import Text
from certify.services import directory, outbox
from certify.services.calendar import day_of
from certify.services.certificates import _NO_PDF, _change
from certify.store.database import Database
from certify.store.tables import Certificate, DueAction, User

BATCH = 500


@dataclass
class JobReport:
    applied: int = 0
    moot: int = 0

    @property
    def total(self) -> int:
        return self.applied + self.moot


def run_due(*, database: Database, now: datetime, batch: int = BATCH) -> JobReport:
    """Every action due by `now`, each exactly once, in batches of `batch`."""
    report = JobReport()
    while True:
        with database.write() as session:
            query = (
                select(DueAction)
                .where(col(DueAction.done_at).is_(None), col(DueAction.due_at) <= now)
                .order_by(col(DueAction.due_at), col(DueAction.id))
                .limit(batch)
            )
            if database.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            actions = list(session.exec(query).all())
            if not actions:
                return report
            certificates = _lock(session, {a.certificate_ref for a in actions})
            for action in actions:
                applied = _apply(session, action, certificates[action.certificate_ref], now)
                action.done_at, action.outcome = now, "applied" if applied else "moot"
                session.add(action)
                report.applied += applied
                report.moot += not applied
            for holder_id in {c.holder_id for c in certificates.values()}:
                directory.refresh(session, holder_id)


def _lock(session: Session, ids: set[int]) -> dict[int, Certificate]:
    """The certificates of a batch, locked in id order (two servers never wait on each other
    in a cycle: the log's row is taken only after)."""
    statement = (
        select(Certificate).options(_NO_PDF).where(col(Certificate.id).in_(sorted(ids))).order_by(col(Certificate.id))
    )
    return {row.id: row for row in session.exec(statement.with_for_update()).all() if row.id is not None}


def _apply(session: Session, action: DueAction, certificate: Certificate, now: datetime) -> bool:
    status = lifecycle.current_status(stored=certificate.status, valid_until=certificate.valid_until, today=day_of(now))
    if action.kind == "surveillance_overdue":
        step = lifecycle.overdue_move(status)
        if step is None or certificate.surveillance_due != action.about:
            return False
        reason = lifecycle.OVERDUE_REASON.en
    elif action.kind == "expiry":
        step = lifecycle.expiry_move(certificate.status)
        if step is None:
            return False
        reason = "validity ended"
    else:
        return _remind(session, action, certificate, status, now)
    _change(session, certificate, to=step.to, event=step.event, actor_id=None, at=now, reason=reason)
    return True


def _remind(session: Session, action: DueAction, certificate: Certificate, status: str, now: datetime) -> bool:
    """A reminder to the holder's artisans and the certifiers who have an e-mail address."""
    surveillance = action.kind == "surveillance_reminder"
    if status not in lifecycle.LIVE or (surveillance and certificate.surveillance_due != action.about):
        return False
    text = reminder_text(certificate.certificate_id or "", action.about, surveillance=surveillance)
    people = session.exec(
        select(User.email).where(
            col(User.email).is_not(None),
            (col(User.holder_id) == certificate.holder_id) | (col(User.role) == "certifier"),
        )
    ).all()
    for address in sorted({a for a in people if a}):
        outbox.enqueue(
            session,
            kind=f"reminder.{'surveillance' if surveillance else 'expiry'}",
            channel="email",
            recipient=address,
            payload={"subject": f"{text.id} / {text.en}", "text": f"{text.id}\n\n{text.en}\n"},
            at=now,
        )
    return True


def reminder_text(certificate_id: str, on: date, *, surveillance: bool) -> Text:
    day = on.isoformat()
    if surveillance:
        return Text(
            en=f"Certificate {certificate_id}: its surveillance inspection falls due on {day}.",
            id=f"Sertifikat {certificate_id}: inspeksi pengawasannya jatuh tempo pada {day}.",
        )
    return Text(
        en=f"Certificate {certificate_id} expires after {day}: apply for renewal before then.",
        id=f"Sertifikat {certificate_id} kedaluwarsa setelah {day}: ajukan pembaruan sebelum itu.",
    )
