"""Scheduling what falls due for a certificate (see `certify.services.jobs`, which runs it): its
expiry when issued, and each next surveillance when issued or surveyed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, tzinfo

from sqlalchemy import insert
from sqlmodel import Session

from certify.core import scheme as schedule
from certify.core.standard import Scheme
from certify.store.tables import Certificate, DueAction


def plan(
    session: Session,
    *,
    certificate: Certificate,
    scheme: Scheme | None,
    days_before: Iterable[int],
    zone: tzinfo = UTC,
) -> None:
    """Schedule what falls due for a new certificate: its expiry and its first surveillance, at
    midnights of the issuer's time zone `zone`."""
    days = tuple(days_before)
    actions = schedule.expiry_actions(valid_until=certificate.valid_until, days_before=days, zone=zone)
    _add(session, certificate, actions)
    plan_surveillance(session, certificate=certificate, scheme=scheme, days_before=days, zone=zone)


def plan_surveillance(
    session: Session,
    *,
    certificate: Certificate,
    scheme: Scheme | None,
    days_before: Iterable[int],
    zone: tzinfo = UTC,
) -> None:
    """The next surveillance after the ones kept: its date on the certificate, its actions queued."""
    due = schedule.surveillance_due(
        scheme=scheme,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        kept=certificate.surveillances_kept,
    )
    certificate.surveillance_due = due
    session.add(certificate)
    if due is not None and scheme is not None:
        _add(
            session,
            certificate,
            schedule.surveillance_actions(due=due, grace_days=scheme.grace_days, days_before=days_before, zone=zone),
        )


def _add(session: Session, certificate: Certificate, actions: list[schedule.Due]) -> None:
    assert certificate.id is not None
    rows = [{"certificate_ref": certificate.id, "kind": a.kind, "due_at": a.at, "about": a.on} for a in actions]
    if rows:
        session.execute(insert(DueAction), rows)
