"""Certificate serial numbers: a counter row per year, bumped in the issuing transaction.

`INSERT … ON CONFLICT DO UPDATE … RETURNING` takes the row's lock until the transaction ends, so
concurrent issuers queue; a rolled-back issuance rolls its number back too: unique, no gaps.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from certify.store.tables import SerialCounter


def next_number(session: Session, year: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    last = col(SerialCounter.last)
    statement = (
        insert(SerialCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": last + 1})
        .returning(last)
    )
    number: int = session.exec(statement).scalar_one()
    return number


def serial(year: int, number: int) -> str:
    return f"{year}-{number:06d}"
