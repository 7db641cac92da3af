"""Re-score every stored inspection of one version of a standard under another, in batches (the
memory used does not grow with the number of inspections), with the certificate each one has."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select

from certify.core.impact import Impact, Stored, rescore
from certify.core.standard import Standard
from certify.store.database import Database
from certify.store.tables import Certificate
from certify.store.tables import Inspection as InspectionRow

BATCH = 500


@dataclass(frozen=True, slots=True)
class InspectionImpact:
    inspection_id: int
    holder_id: int
    product_id: int
    certificate: str | None  # its serial, when one was issued
    certificate_status: str | None
    impact: Impact


def impacts(
    *, database: Database, old: Standard, new: Standard, assumed: Mapping[str, Any] | None = None, batch: int = BATCH
) -> Iterator[InspectionImpact]:
    """Each stored inspection scored under `old`, re-scored under `new`, in id order."""
    after = 0
    while True:
        with database.read() as session:
            rows = session.exec(
                select(InspectionRow)
                .where(
                    InspectionRow.standard_id == old.id,
                    InspectionRow.standard_version == old.version,
                    col(InspectionRow.id) > after,
                )
                .order_by(col(InspectionRow.id))
                .limit(batch)
            ).all()
            if not rows:
                return
            ids = [row.id for row in rows]
            certificates = {
                c.inspection_id: (c.serial, c.status)
                for c in session.exec(select(Certificate).where(col(Certificate.inspection_id).in_(ids)))
            }
            found = [
                InspectionImpact(
                    inspection_id=row.id,  # type: ignore[arg-type]
                    holder_id=row.holder_id,
                    product_id=row.product_id,
                    certificate=certificates.get(row.id, (None, None))[0],  # type: ignore[arg-type]
                    certificate_status=certificates.get(row.id, (None, None))[1],  # type: ignore[arg-type]
                    impact=rescore(new, stored(row), assumed=assumed),
                )
                for row in rows
            ]
            after = rows[-1].id  # type: ignore[assignment]
        yield from found


def stored(row: InspectionRow) -> Stored:
    """What the engine needs of a stored inspection; its date is the one its assessment applied,
    or the day it was submitted (assessments made before inspections were dated)."""
    assessment = row.assessment
    day = assessment.get("inspected_on")
    return Stored(
        facts=row.facts,
        lot=row.lot,
        measurements=row.measurements,
        defects=row.defects,
        inspected_on=date.fromisoformat(day) if day else row.submitted_at.date(),
        certified=row.certified,
        grade=row.grade,
        statuses={c["criterion"]: c["status"] for c in assessment.get("criteria", [])},
        severity=assessment.get("lot", {}).get("severity", "normal"),
    )
