"""A holder's lot history for one product under one standard, read from the stored assessments,
and the ISO 2859-1 severity it gives the next lot (the rules themselves: certify.core.switching)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from certify.core.sampling import one_step_tighter, plan
from certify.core.switching import LotRecord, Switching, next_inspection
from certify.store.tables import Inspection

HISTORY = 50
"""Lots read back: more than any rule looks at (tightened needs 5 in a row; the score 15 lots)."""


def switching_for(session: Session, *, holder_id: int, product_id: int, standard_id: str) -> Switching:
    """The severity of inspection for the next lot of this holder's product under this standard."""
    # Only each assessment's `lot` is read back: the whole assessment (every criterion's row and
    # explanation) would be parsed for nothing, fifty times per submission.
    lots = session.exec(
        select(col(Inspection.assessment)["lot"])
        .where(
            Inspection.holder_id == holder_id,
            Inspection.product_id == product_id,
            Inspection.standard_id == standard_id,
        )
        .order_by(col(Inspection.id).desc())
        .limit(HISTORY)
    ).all()
    return next_inspection([lot_record(lot or {}) for lot in reversed(lots)])


def lot_record(lot: dict[str, Any]) -> LotRecord:
    """What the switching rules need of a stored lot decision (an assessment's `lot`)."""
    major = next((d for d in lot.get("defects", []) if d.get("class") == "major"), None)
    if major is None or major.get("aql") is None:
        return LotRecord(accepted=bool(lot.get("accepted")))
    tighter = one_step_tighter(str(major["aql"]))
    accepted_tighter = False
    if tighter is not None:
        stricter = plan(int(lot["lot_size"]), str(lot.get("level", "II")), tighter)
        accepted_tighter = int(major["found"]) <= stricter.accept
    return LotRecord(
        accepted=bool(lot.get("accepted")),
        accept_number=int(major["accept"]),
        accepted_one_step_tighter=bool(lot.get("accepted")) and accepted_tighter,
    )
