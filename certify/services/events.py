"""The event record: appended in the same transaction as the change it describes."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from certify.store.tables import Event


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        Event(
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail or {},
        )
    )
