"""A workshop's public contact as buyers see it beside a certificate: the holder's current
contact (it is not part of the signed record, so a changed phone number shows at once)."""

from __future__ import annotations

from sqlmodel import col, select

from certify.store.database import Database
from certify.store.tables import Certificate, Holder


def contact_of(*, database: Database, certificate_id: str) -> str | None:
    query = (
        select(Holder.contact)
        .join(Certificate, col(Certificate.holder_id) == col(Holder.id))
        .where(col(Certificate.certificate_id) == certificate_id)
    )
    with database.read() as session:
        return session.exec(query).first()
