"""Rows to output models: what a reader of the API gets, and nothing more."""

from __future__ import annotations

from typing import Any, cast

from sqlmodel import Session, col, select

from certify.services.models import (
    AssessmentPublic,
    CertificatePublic,
    DecisionOutcome,
    DecisionPublic,
    InspectionPublic,
    SamplingPlanPublic,
    StandardPin,
)
from certify.store.tables import Certificate, Decision, Inspection, SamplingPlan


def decision_public(row: Decision) -> DecisionPublic:
    assert row.id is not None
    return DecisionPublic(
        id=row.id,
        inspection_id=row.inspection_id,
        decision=cast(DecisionOutcome, row.outcome),
        note=row.note,
        decided_by=row.certifier_id,
        decided_at=row.decided_at,
    )


def certificate_public(row: Certificate, decision: Decision) -> CertificatePublic:
    assert row.id is not None
    return CertificatePublic(
        id=row.id,
        serial=row.serial,
        certificate_id=row.certificate_id,
        status=row.status,
        inspection_id=row.inspection_id,
        holder_id=row.holder_id,
        product_id=row.product_id,
        standard=StandardPin(id=row.standard_id, version=row.standard_version, content_hash=row.content_hash),
        grade=row.grade,
        total=row.total,
        issued_at=row.issued_at,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        decision=decision_public(decision),
    )


def plan_public(row: SamplingPlan) -> SamplingPlanPublic:
    assert row.id is not None
    return SamplingPlanPublic(
        id=row.id,
        standard=f"{row.standard_id}@{row.standard_version}",
        lot_size=row.lot_size,
        code_letter=row.code_letter,
        sample_size=row.sample_size,
        pieces=list(row.pieces),
        drawn_at=row.drawn_at,
    )


def inspection_public(
    row: Inspection, decision: Decision | None, certificate: Certificate | None, plan: SamplingPlan | None = None
) -> InspectionPublic:
    return _public(row, decision, certificate, plan, _assessment(row.assessment))


def _public(
    row: Inspection,
    decision: Decision | None,
    certificate: Certificate | None,
    plan: SamplingPlan | None,
    assessment: AssessmentPublic,
) -> InspectionPublic:
    assert row.id is not None
    return InspectionPublic(
        id=row.id,
        product_id=row.product_id,
        holder_id=row.holder_id,
        inspector_id=row.inspector_id,
        submitted_at=row.submitted_at,
        standard=StandardPin(id=row.standard_id, version=row.standard_version, content_hash=row.content_hash),
        lot=row.lot,
        sampling_plan=None if plan is None else plan_public(plan),
        facts=row.facts,
        measurements=row.measurements,
        defects=row.defects,
        evidence=row.evidence or {},
        lab_reports=row.lab_reports or [],
        note=row.note,
        certified=row.certified,
        grade=row.grade,
        total=row.total,
        assessment=assessment,
        decision=None if decision is None else decision_public(decision),
        certificate=None if certificate is None or decision is None else certificate_public(certificate, decision),
    )


def _assessment(stored: dict[str, Any] | str) -> AssessmentPublic:
    """The stored assessment: a document read back, or the text just written (`Written`)."""
    if isinstance(stored, str):
        return AssessmentPublic.model_validate_json(stored)
    return AssessmentPublic.model_validate(stored)


_FIELDS = list(InspectionPublic.model_fields)
_BEFORE = set(_FIELDS[: _FIELDS.index("assessment")])
_AFTER = set(_FIELDS[_FIELDS.index("assessment") + 1 :])
_UNREAD = AssessmentPublic.model_construct()  # type: ignore[call-arg]  # no field: never written out
"""Stands for the assessment in an answer written around it (never written out itself)."""


def inspection_json(
    row: Inspection,
    decision: Decision | None,
    certificate: Certificate | None,
    plan: SamplingPlan | None,
    *,
    assessment: str,
    as_stored: bool,
) -> str:
    """`inspection_public(…).model_dump_json()`, with `assessment`, the row's assessment as stored
    (JSON text), for its assessment. When `as_stored` (the stored text is what `AssessmentPublic`
    gives back: a new row, or one of `inspections._AS_STORED`) that text goes in as it is: parsed,
    validated and written again it was a third of a submission's CPU and most of a read's answer.
    The JSON a client parses is the same; only the spaces and escapes of the assessment's text differ
    (tests/api/test_inspection_answers.py)."""
    if not as_stored:
        return _public(
            row, decision, certificate, plan, AssessmentPublic.model_validate_json(assessment)
        ).model_dump_json()
    public = _public(row, decision, certificate, plan, _UNREAD)
    before = public.model_dump_json(include=_BEFORE)
    after = public.model_dump_json(include=_AFTER)
    return f'{before[:-1]},"assessment":{assessment},{after[1:]}'


def inspections_public(session: Session, rows: list[Inspection]) -> list[InspectionPublic]:
    """Each inspection with its decision and certificate, in three queries whatever the count."""
    ids = [row.id for row in rows]
    if not ids:
        return []
    decisions = {d.inspection_id: d for d in session.exec(select(Decision).where(col(Decision.inspection_id).in_(ids)))}
    certificates = {
        c.inspection_id: c for c in session.exec(select(Certificate).where(col(Certificate.inspection_id).in_(ids)))
    }
    plan_ids = [row.sampling_plan_id for row in rows if row.sampling_plan_id is not None]
    plans = (
        {p.id: p for p in session.exec(select(SamplingPlan).where(col(SamplingPlan.id).in_(plan_ids)))}
        if plan_ids
        else {}
    )
    return [
        inspection_public(
            row,
            decisions.get(row.id or 0),
            certificates.get(row.id or 0),
            plans.get(row.sampling_plan_id or 0),
        )
        for row in rows
    ]
