"""A holder's lot history for one product under one standard, read from the stored lot records,
and the ISO 2859-1 severity it gives the next lot (the rules themselves: certify.core.switching)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Connection, bindparam, case, func
from sqlmodel import Session, col, select

from certify.core.sampling import one_step_tighter, plan
from certify.core.switching import LotRecord, Switching, next_inspection
from certify.store.tables import Inspection

HISTORY = 50
"""Lots read back: more than any rule looks at (tightened needs 5 in a row; the score 15 lots)."""


_LOTS = (  # built once; read along the ix_inspections_lot_history index, newest first
    select(
        col(Inspection.lot_accepted),
        col(Inspection.lot_accept_number),
        col(Inspection.lot_accepted_tighter),
        # Only a row stored before its lot record had columns of its own is read as JSON.
        case(
            (
                col(Inspection.lot_accepted).is_(None),
                func.coalesce(col(Inspection.lot_decision), col(Inspection.assessment)["lot"], type_=JSON),
            ),
            else_=None,
        ),
    )
    .where(
        col(Inspection.holder_id) == bindparam("holder_id"),
        col(Inspection.product_id) == bindparam("product_id"),
        col(Inspection.standard_id) == bindparam("standard_id"),
    )
    .order_by(col(Inspection.id).desc())
    .limit(HISTORY)
)


def switching_for(session: Session | Connection, *, holder_id: int, product_id: int, standard_id: str) -> Switching:
    """The severity of inspection for the next lot of this holder's product under this standard."""
    # Each lot is read as its three numbers (`record_columns`, stored with it): no JSON is parsed
    # fifty times per submission. Older rows: from their lot decision, or their assessment's `lot`.
    found = session.execute(_LOTS, {"holder_id": holder_id, "product_id": product_id, "standard_id": standard_id})
    lots = [
        lot_record(stored or {}) if accepted is None else LotRecord(bool(accepted), accept_number or 0, bool(tighter))
        for accepted, accept_number, tighter, stored in found
    ]
    lots.reverse()
    return next_inspection(lots)


def record_columns(lot: dict[str, Any]) -> dict[str, Any]:
    """The lot record of a lot decision, as the inspection's columns that hold it."""
    record = lot_record(lot)
    return {
        "lot_accepted": record.accepted,
        "lot_accept_number": record.accept_number,
        "lot_accepted_tighter": record.accepted_one_step_tighter,
    }


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
