"""Sampling plans: the service draws the pieces of a lot at random, so nobody chooses them.

How many pieces and under which code letter is pure (`certify.core.sample`); the draw uses the
operating system's random source (`random.SystemRandom`), and the plan is stored with who drew it
and when, so the inspection that names it shows which pieces were inspected.
"""

from __future__ import annotations

import random

from sqlalchemy import Connection, bindparam
from sqlmodel import Session, col, select

from certify.core.errors import Problem
from certify.core.sample import SampleSize, sample_size
from certify.core.standard import Standard
from certify.core.text import Text
from certify.services import standards as standard_lookup
from certify.services.errors import Conflict, Forbidden, Invalid, NotFound
from certify.services.models import SamplingPlanCreate, SamplingPlanPublic
from certify.services.principal import Principal
from certify.services.publish import plan_public
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.tables import Inspection, SamplingPlan

_system_random = random.SystemRandom()


def draw(size: SampleSize) -> list[int]:
    """`size.size` distinct piece numbers of 1..lot size, drawn by the OS's random source, in order."""
    return sorted(_system_random.sample(range(1, size.lot_size + 1), size.size))


def draw_plan(
    *, database: Database, standards: Standards, inspector: Principal, body: SamplingPlanCreate
) -> SamplingPlanPublic:
    if inspector.role != "inspector":
        raise Forbidden(
            Text(en="only inspectors draw sampling plans", id="hanya inspektur yang menarik rencana sampel")
        )
    try:
        standard = standard_lookup.find(standards, body.standard)
    except NotFound as error:
        raise Invalid(error.text, [Problem(error.detail, ("standard",))]) from None
    size = sample_size(standard, body.lot_size)
    with database.write() as session:
        row = SamplingPlan(
            drawn_by=inspector.id,
            standard_id=standard.id,
            standard_version=standard.version,
            lot_size=body.lot_size,
            code_letter=size.code_letter,
            sample_size=size.size,
            pieces=draw(size),
        )
        session.add(row)
        session.flush()
        return plan_public(row)


def plan_of(*, database: Database, inspector: Principal, plan_id: int) -> SamplingPlanPublic | None:
    """A plan this inspector drew, or None."""
    with database.read() as session:
        row = session.get(SamplingPlan, plan_id)
        return plan_public(row) if row is not None and row.drawn_by == inspector.id else None


def plan_for_inspection(
    row: SamplingPlan | None, *, plan_id: int, inspector: Principal, standard: Standard, lot_size: int
) -> SamplingPlan:
    """The plan an inspection names (`row`, as read; a plan never changes once drawn): drawn by
    this inspector, for this standard and lot size; else a 422 saying which. Whether another
    inspection names it is `check_plan_unused`, inside the write."""
    if row is None or row.drawn_by != inspector.id:
        message = Text(
            en=f"no sampling plan {plan_id} drawn by you: draw one with POST /api/v1/sampling-plans",
            id=f"tidak ada rencana sampel {plan_id} yang Anda tarik: tarik dengan POST /api/v1/sampling-plans",
        )
        raise Invalid(message, [Problem(message.en, ("sampling_plan_id",))])
    if (row.standard_id, row.standard_version, row.lot_size) != (standard.id, standard.version, lot_size):
        message = Text(
            en=f"sampling plan {plan_id} was drawn for a lot of {row.lot_size} under "
            f"{row.standard_id}@{row.standard_version}, not {lot_size} under {standard.ref}",
            id=f"rencana sampel {plan_id} ditarik untuk lot {row.lot_size} menurut "
            f"{row.standard_id}@{row.standard_version}, bukan {lot_size} menurut {standard.ref}",
        )
        raise Invalid(message, [Problem(message.en, ("sampling_plan_id",))])
    return row


_NAMED_BY = select(Inspection.id).where(col(Inspection.sampling_plan_id) == bindparam("plan_id"))


def check_plan_unused(session: Session | Connection, *, plan_id: int) -> None:
    """A 409 when another inspection already names the plan (one indexed look-up)."""
    used = session.execute(_NAMED_BY, {"plan_id": plan_id}).scalar()
    if used is not None:
        message = Text(
            en=f"sampling plan {plan_id} is already the plan of inspection {used}: draw a new one",
            id=f"rencana sampel {plan_id} sudah dipakai inspeksi {used}: tarik yang baru",
        )
        raise Conflict(message, [Problem(message.en, ("sampling_plan_id",))])
