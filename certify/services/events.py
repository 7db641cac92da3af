"""The event record: appended in the same transaction as the change it describes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert
from sqlmodel import Session

from certify.store.tables import Event, now

_APPEND = insert(Event)


def record(
    session: Session | Connection,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int,
    detail: dict[str, Any] | None = None,
) -> None:
    """The event, written at once as one INSERT in the caller's transaction (no object for the
    session to flush)."""
    row = {
        "at": now(),
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail or {},
    }
    session.execute(_APPEND, row)
