"""The suspension and revocation Bitstring Status Lists, kept in `status_lists` and written in
the transaction of the status change (the certificate's row is locked first, then the log's,
then the list's: the order every status change takes)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from certify.credentials import statuslist
from certify.credentials.statuslist import Purpose
from certify.store.tables import StatusList


def record_status(session: Session, *, index: int, status: str, at: datetime) -> None:
    """Set or clear certificate `index`'s bits in both lists for its new `status`."""
    for purpose, value in statuslist.purpose_of(status).items():
        row = session.exec(select(StatusList).where(StatusList.purpose == purpose).with_for_update()).first()
        if row is None:
            if not value:
                continue
            row = StatusList(purpose=purpose, bits=b"", updated_at=at)
        if statuslist.bit(row.bits, index) == value:
            continue
        row.bits = statuslist.with_bit(row.bits, index, value)
        row.updated_at = at
        session.add(row)


def current(session: Session, purpose: Purpose) -> tuple[bytes, datetime | None]:
    """The bits of list `purpose` and when they last changed (None: no bit was ever set)."""
    row = session.get(StatusList, purpose)
    if row is None:
        return b"", None
    return row.bits, row.updated_at
