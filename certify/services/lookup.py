"""A certificate from the ID a person typed: the typo answer when the check character fails."""

from __future__ import annotations

from sqlmodel import Session, select

from certify.core.certificate_id import CertificateIdError, parse
from certify.core.errors import Problem
from certify.core.text import Text
from certify.services.certificates import _NO_PDF
from certify.services.errors import Invalid, NotFound
from certify.store.tables import Certificate


def certificate_typed(
    session: Session, typed: str, *, field: str = "certificate_id", lock: bool = False
) -> Certificate:
    """The certificate a person means by `typed`; 422 naming a typo, 404 for an ID never issued."""
    try:
        canonical = str(parse(typed))
    except CertificateIdError as wrong:
        raise Invalid(wrong.text, [Problem(wrong.text.en, (field,))]) from None
    statement = select(Certificate).options(_NO_PDF).where(Certificate.certificate_id == canonical)
    row = session.exec(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise NotFound(
            Text(en=f"{canonical}: no certificate with this ID", id=f"{canonical}: tidak ada sertifikat dengan ID ini"),
            [Problem(f"{canonical}: no certificate with this ID", (field,))],
        )
    return row
