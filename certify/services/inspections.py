"""Submitting an inspection (validated and scored by the engine, stored with its assessment in one
transaction, safely retried with an Idempotency-Key) and reading inspections."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, bindparam, insert
from sqlalchemy import Text as SqlText
from sqlalchemy import cast as cast_as
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from certify.core.assessment import Assessment
from certify.core.errors import InspectionRefused, Problem
from certify.core.inspection import Inspection as CoreInspection
from certify.core.scoring import score
from certify.core.standard import Standard
from certify.core.switching import Switching
from certify.core.text import Text
from certify.services import competence, conflicts, events, idempotency, surveillance
from certify.services import evidence as evidence_store
from certify.services import standards as standard_lookup
from certify.services.assessment_json import assessment_json
from certify.services.calendar import today
from certify.services.conflicts import conflict_in_force, why
from certify.services.errors import Conflict, Forbidden, Invalid, NotFound
from certify.services.lot_history import record_columns, switching_for
from certify.services.models import EvidenceAttach, InspectionCreate, InspectionPublic
from certify.services.principal import Principal
from certify.services.publish import inspection_json, inspection_public, inspections_public
from certify.services.sampling import check_plan_unused, plan_for_inspection
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.documents import Written
from certify.store.tables import Certificate, Decision, Inspection, Product, SamplingPlan, now

INSPECT = Text(en="inspect against it", id="menginspeksi berdasarkan standar itu")


@dataclass(frozen=True, slots=True)
class Submission:
    answer: dict[str, Any] | str  # exactly as first given: replayed, as stored (parsed); new, its JSON text
    replayed: bool

    @property
    def inspection(self) -> dict[str, Any]:
        """The JSON answer, parsed."""
        if isinstance(self.answer, dict):
            return self.answer
        parsed: dict[str, Any] = json.loads(self.answer)
        return parsed

    @property
    def text(self) -> str:
        """The JSON answer, as text."""
        if isinstance(self.answer, str):
            return self.answer
        return json.dumps(self.answer, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def submit_inspection(
    *,
    database: Database,
    standards: Standards,
    inspector: Principal,
    body: InspectionCreate,
    idempotency_key: str | None = None,
) -> Submission:
    digest = idempotency.request_hash(body.model_dump(mode="json"))
    # Core statements on a bare connection, each compiled once: a submission loads no ORM object
    # (no identity map, no flush), it reads a few columns and inserts rows.
    with database.reading() as connection:
        if idempotency_key is not None:
            first = idempotency.replay(connection, user_id=inspector.id, key=idempotency_key, digest=digest)
            if first is not None:
                return Submission(first, replayed=True)
        product = _product_to_inspect(connection, inspector, body.product_id)
        standard = _standard(standards, body.standard)
        competence.check_competent(connection, user=inspector, standard_id=standard.id, doing=INSPECT)
        surveys_id = None
        if body.surveys is not None:
            with Session(bind=connection) as session:
                product_row = session.get_one(Product, product.id)
                surveys_id = surveillance.surveyed(session, typed=body.surveys, product=product_row).id
        switching = switching_for(
            connection, holder_id=product.holder_id, product_id=product.id, standard_id=standard.id
        )
        plan_row = _plan(connection, body.sampling_plan_id)
    _check_category(standard, product, body)
    assessment = _score(standard, body, switching, body.inspected_on or today())
    plan = plan_for_inspection(
        plan_row, plan_id=body.sampling_plan_id, inspector=inspector, standard=standard, lot_size=body.lot.size
    )
    # Everything stored and answered is made before the write begins: it holds SQLite's one
    # write lock for a few indexed checks and four inserts, not for the JSON or the scoring.
    lot_decision = assessment.lot.to_dict()
    written = Written(assessment_json(assessment))
    values: dict[str, Any] = {
        "product_id": product.id,
        "holder_id": product.holder_id,
        "inspector_id": inspector.id,
        "submitted_at": now(),
        "standard_id": standard.id,
        "standard_version": standard.version,
        "content_hash": assessment.content_hash,
        "lot": body.lot.model_dump(mode="json", exclude_none=True),
        "sampling_plan_id": plan.id,
        "facts": dict(body.facts),
        "measurements": dict(body.measurements),
        "defects": body.defects.model_dump(),
        "evidence": {key: list(hashes) for key, hashes in body.evidence.items()},
        "lab_reports": [report.model_dump(mode="json") for report in body.lab_reports],
        "note": body.note,
        # `json.dumps(assessment.to_dict())`, written faster, stored as written
        "assessment": written,
        "lot_decision": lot_decision,
        **record_columns(lot_decision),
        "certified": assessment.certified,
        "grade": assessment.grade,
        "total": assessment.total,
        "surveys_id": surveys_id,
    }
    # The answer reads the new row's columns by attribute, as it reads a row loaded: no ORM
    # object is made for it (its construction, instrumented, was 3 % of a submission's CPU).
    row = cast(Inspection, SimpleNamespace(id=0, **values))  # the answer's id is set once the row has one
    assert plan.id is not None
    # The answer with its id still 0 (as the row's): the id goes in once the row has one.
    answer = inspection_json(row, None, None, plan, assessment=written, as_stored=True)
    assert answer.startswith(_NO_ID)
    try:
        with database.writing() as connection:
            check_plan_unused(connection, plan_id=plan.id)
            evidence_store.check_references(
                connection,
                inspector=inspector,
                holder_id=product.holder_id,
                standard=standard,
                photos=body.evidence,
                lab_reports=body.lab_reports,
            )
            inserted = connection.execute(_INSERT, values)
            inspection_id: int = inserted.inserted_primary_key[0]  # type: ignore[index]
            text = Written(f'{{"id":{inspection_id},{answer[len(_NO_ID) :]}')
            evidence_store.link_new(
                connection, inspection_id=inspection_id, holder_id=row.holder_id, hashes=_hashes(row)
            )
            if idempotency_key is not None:
                idempotency.store(
                    connection,
                    user_id=inspector.id,
                    key=idempotency_key,
                    digest=digest,
                    answer=text,
                    inspection_id=inspection_id,
                )
            events.record(
                connection,
                actor_id=inspector.id,
                action="inspection.submitted",
                subject_type="inspection",
                subject_id=inspection_id,
                detail={"standard": standard.ref, "certified": row.certified},
            )
    except (IntegrityError, Conflict):
        if idempotency_key is None:
            raise
        # The same key was stored by a concurrent twin of this request: answer as it did.
        with database.reading() as connection:
            answer_of_twin = idempotency.replay(connection, user_id=inspector.id, key=idempotency_key, digest=digest)
        if answer_of_twin is None:
            raise
        return Submission(answer_of_twin, replayed=True)
    return Submission(text, replayed=False)


_NO_ID = '{"id":0,'


_INSERT = insert(Inspection)
_PLAN = select(SamplingPlan.__table__).where(  # type: ignore[attr-defined]  # built once, as the one below
    col(SamplingPlan.id) == bindparam("plan_id")
)
_PRODUCT = select(Product.id, Product.holder_id, Product.category).where(col(Product.id) == bindparam("product_id"))


def _plan(connection: Connection, plan_id: int) -> SamplingPlan | None:
    """The plan, read as its columns (a plan never changes once drawn): the row read, whose
    columns are read by attribute as a plan's (no ORM object made: see `submit_inspection`)."""
    return cast("SamplingPlan | None", connection.execute(_PLAN, {"plan_id": plan_id}).first())


def attach_evidence(
    *, database: Database, standards: Standards, inspector: Principal, inspection_id: int, body: EvidenceAttach
) -> InspectionPublic:
    """Name the inspection's evidence (replacing what it named): its inspector, before a decision."""
    with database.write() as session:
        row = session.get(Inspection, inspection_id)
        if row is None or row.inspector_id != inspector.id:
            raise NotFound(Text(en=f"no inspection {inspection_id}", id=f"tidak ada inspeksi {inspection_id}"))
        if session.exec(select(Decision.id).where(Decision.inspection_id == inspection_id)).first() is not None:
            message = Text(
                en=f"inspection {inspection_id} has been decided: its evidence is closed",
                id=f"inspeksi {inspection_id} sudah diputuskan: buktinya tertutup",
            )
            raise Conflict(message)
        standard = _standard(standards, f"{row.standard_id}@{row.standard_version}")
        evidence_store.check_references(
            session,
            inspector=inspector,
            holder_id=row.holder_id,
            standard=standard,
            photos=body.evidence,
            lab_reports=body.lab_reports,
        )
        row.evidence = {key: list(hashes) for key, hashes in body.evidence.items()}
        row.lab_reports = [report.model_dump(mode="json") for report in body.lab_reports]
        session.add(row)
        evidence_store.link(session, inspection_id=inspection_id, holder_id=row.holder_id, hashes=_hashes(row))
        events.record(
            session,
            actor_id=inspector.id,
            action="inspection.evidence",
            subject_type="inspection",
            subject_id=inspection_id,
            detail={"files": len(_hashes(row))},
        )
        session.flush()
        return inspections_public(session, [row])[0]


def _hashes(row: Inspection) -> list[str]:
    """Every file the inspection names: its photos and its lab reports' PDFs."""
    photos = [sha for hashes in (row.evidence or {}).values() for sha in hashes]
    return photos + [report["file"] for report in row.lab_reports or []]


_ONE_INSPECTION = (  # built once: the inspection with its decision, certificate and plan (each at most one)
    select(Inspection, Decision, Certificate, SamplingPlan)
    .outerjoin(Decision, col(Decision.inspection_id) == col(Inspection.id))
    .outerjoin(Certificate, col(Certificate.inspection_id) == col(Inspection.id))
    .outerjoin(SamplingPlan, col(SamplingPlan.id) == col(Inspection.sampling_plan_id))
    .where(col(Inspection.id) == bindparam("inspection_id"))
)


def get_inspection(*, database: Database, viewer: Principal, inspection_id: int) -> InspectionPublic:
    with database.read() as session:
        row, decision, certificate, plan = _one(session, _ONE_INSPECTION, viewer, inspection_id)
        return inspection_public(row, decision, certificate, plan)


def _one(session: Session, statement: Any, viewer: Principal, inspection_id: int) -> Any:
    """`statement`'s row for the inspection (the inspection first), if `viewer` may see it."""
    found = session.execute(statement, {"inspection_id": inspection_id}).first()
    if found is None or not may_see(viewer, found[0]):
        raise NotFound(Text(en=f"no inspection {inspection_id}", id=f"tidak ada inspeksi {inspection_id}"))
    return found


# The assessment as stored, as text (not parsed: it goes into the answer as it is), and whether
# that text is what AssessmentPublic gives back. It is on every row written since migration 0015
# (each with its lot decision): older rows may lack what the assessment gained since (the day,
# the lot's severity and switching rule, each plan's limiting quality), which AssessmentPublic
# fills in with its defaults. On PostgreSQL the column is `json`, which keeps the text as written.
_ASSESSMENT_TEXT = cast_as(col(Inspection.assessment), SqlText)
_AS_STORED = col(Inspection.lot_decision).is_not(None)
_ONE_ANSWER = _ONE_INSPECTION.add_columns(_ASSESSMENT_TEXT, _AS_STORED).options(
    defer(Inspection.assessment),  # type: ignore[arg-type]
    defer(Inspection.lot_decision),  # type: ignore[arg-type]
)


def inspection_answer(*, database: Database, viewer: Principal, inspection_id: int) -> str:
    """`get_inspection(…)` as the JSON text of the answer, the stored assessment's text in it."""
    with database.read() as session:
        row, decision, certificate, plan, assessment, as_stored = _one(session, _ONE_ANSWER, viewer, inspection_id)
        return inspection_json(row, decision, certificate, plan, assessment=assessment, as_stored=as_stored)


def list_inspections(
    *,
    database: Database,
    viewer: Principal,
    limit: int = 100,
    offset: int = 0,
    holder_id: int | None = None,
) -> list[InspectionPublic]:
    query = select(Inspection).order_by(col(Inspection.id)).offset(offset).limit(limit)
    if viewer.role == "inspector":
        query = query.where(Inspection.inspector_id == viewer.id)
    elif viewer.role == "artisan":
        query = query.where(Inspection.holder_id == viewer.holder_id)
    if holder_id is not None:
        query = query.where(Inspection.holder_id == holder_id)
    with database.read() as session:
        return inspections_public(session, list(session.exec(query)))


def may_see(viewer: Principal, row: Inspection) -> bool:
    if viewer.role == "inspector":
        return row.inspector_id == viewer.id
    if viewer.role == "artisan":
        return row.holder_id == viewer.holder_id
    return viewer.sees_everything()


@dataclass(frozen=True, slots=True)
class ProductSeen:
    """What a submission needs of its product."""

    id: int
    holder_id: int
    category: str


def _product_to_inspect(connection: Connection, inspector: Principal, product_id: int) -> ProductSeen:
    found = connection.execute(_PRODUCT, {"product_id": product_id}).first()
    if found is None:
        raise NotFound(
            Text(en=f"no product {product_id}", id=f"tidak ada produk {product_id}"),
            [Problem(f"no product {product_id}", ("product_id",))],
        )
    product = ProductSeen(*found)
    if conflicts.conflicted(connection, user_id=inspector.id, holder_id=product.holder_id):
        with Session(bind=connection) as session:  # only to say why
            conflict = conflict_in_force(session, user_id=inspector.id, holder_id=product.holder_id)
        if conflict is not None:
            raise Forbidden(
                why(
                    conflict,
                    Text(en="another inspector must inspect it", id="inspektur lain yang harus menginspeksinya"),
                )
            )
    return product


def _standard(standards: Standards, ref: str) -> Standard:
    try:
        return standard_lookup.find(standards, ref)
    except NotFound as error:
        raise Invalid(error.text, [Problem(error.detail, ("standard",))]) from None


def _check_category(standard: Standard, product: ProductSeen, body: InspectionCreate) -> None:
    covered = standard.product_categories
    if covered and product.category not in covered:
        message = Text(
            en=f"product {product.id} is {product.category!r}, which {standard.ref} does not cover "
            f"(it covers {', '.join(covered)})",
            id=f"produk {product.id} berkategori {product.category!r}, yang tidak dicakup {standard.ref} "
            f"(yang dicakup: {', '.join(covered)})",
        )
        raise Invalid(message, [Problem(message.en, ("product_id",))])
    stated = body.facts.get("product_category")
    if stated is not None and stated != product.category:
        message = Text(
            en=f"the product is {product.category!r} but the inspection states {stated!r}",
            id=f"produknya {product.category!r}, tetapi inspeksi menyatakan {stated!r}",
        )
        raise Invalid(message, [Problem(message.en, ("facts", "product_category"))])


def _score(standard: Standard, body: InspectionCreate, switching: Switching, day: date) -> Assessment:
    inspection = CoreInspection(
        facts=body.facts,
        lot=body.lot.model_dump(),
        measurements=body.measurements,
        defects=body.defects,
        inspected_on=day,
    )
    try:
        assessment = score(standard, inspection, switching=switching)
    except InspectionRefused as refused:
        count = len(refused.problems)
        raise Invalid(
            Text(
                en=f"the inspection does not fit {standard.ref}: {count} problem(s)",
                id=f"inspeksi tidak sesuai dengan {standard.ref}: {count} masalah",
            ),
            refused.problems,
        ) from None
    return assessment
