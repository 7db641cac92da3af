"""Pages behind sign-in: an assessment (every role, scoped), the artisan's workshop, the
certifier's queue and certificates, and their actions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form
from fastapi.responses import Response

from certify.api.deps import CertificateId, app_state, pdf_download
from certify.api.ids import InspectionId
from certify.core.lifecycle import Action
from certify.services import applications, certificates, decisions, directory, holders, inspections
from certify.services.models import (
    REASON_LENGTH,
    AssessmentPublic,
    CriterionResultPublic,
    DecisionCreate,
    InspectionPublic,
)
from certify.web import verifying
from certify.web.routing import PageRoute
from certify.web.visit import Artisan, Certifier, Staff

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def fix_first(assessment: AssessmentPublic) -> list[CriterionResultPublic]:
    """What to fix first: failed knockouts, then failed criteria by the score they cost."""
    failed = [row for row in assessment.criteria if row.status == "failed"]

    def cost(row: CriterionResultPublic) -> tuple[int, int]:
        lost = (100 - (row.points or 0)) * row.weight
        return (0 if row.knockout else 1, -lost)

    return sorted(failed, key=cost)


def _assessment_context(found: InspectionPublic) -> dict[str, Any]:
    rows = found.assessment.criteria
    return {
        "inspection": found,
        "a": found.assessment,
        "fix": fix_first(found.assessment),
        "passed": [r for r in rows if r.status == "passed"],
        "others": [r for r in rows if r.status not in ("passed", "failed")],
    }


@router.get("/inspections/{inspection_id}")
def assessment(visit: Staff, inspection_id: InspectionId) -> Response:
    found = inspections.get_inspection(database=visit.database, viewer=visit.user, inspection_id=inspection_id)
    holder = holders.get_holder(database=visit.database, viewer=visit.user, holder_id=found.holder_id)
    product = holders.get_product(database=visit.database, viewer=visit.user, product_id=found.product_id)
    return visit.page("assessment.html", holder=holder.name, product=product.name, **_assessment_context(found))


@router.get("/my")
def workshop(visit: Artisan) -> Response:
    mine = inspections.list_inspections(database=visit.database, viewer=visit.user, limit=1000)
    holder_id = visit.user.holder_id or 0
    holder = holders.get_holder(database=visit.database, viewer=visit.user, holder_id=holder_id)
    products = {
        p.id: p.name for p in holders.list_products(database=visit.database, viewer=visit.user, holder_id=holder_id)
    }
    return visit.page(
        "my.html",
        inspections=list(reversed(mine)),
        products=products,
        holder=holder.name,
        certificates=directory.list_certificates(database=visit.database, holder_id=visit.user.holder_id),
        agreements=applications.acceptances(database=visit.database, viewer=visit.user, holder_id=holder_id),
        public_url=app_state(visit.request).settings.public_url.rstrip("/"),
    )


@router.get("/certificates/{certificate_id}.pdf")
def certificate_pdf(visit: Staff, certificate_id: CertificateId) -> Response:
    return pdf_download(
        certificates.certificate_pdf(database=visit.database, viewer=visit.user, certificate_id=certificate_id),
        certificate_id,
    )


@router.get("/queue")
def queue(visit: Certifier) -> Response:
    waiting = decisions.awaiting_decision(database=visit.database)
    return visit.page("queue.html", waiting=waiting)


@router.post("/inspections/{inspection_id}/decision")
def decide(
    visit: Certifier,
    inspection_id: InspectionId,
    decision: Annotated[Literal["issue", "refuse"], Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    decisions.decide(
        database=visit.database,
        standards=visit.standards,
        certifier=visit.user,
        inspection_id=inspection_id,
        decision=DecisionCreate(decision=decision, note=note or None),
        issuance=verifying.issuance(visit),
    )
    return visit.redirect(f"/inspections/{inspection_id}")


@router.get("/certificates")
def certificate_list(visit: Certifier) -> Response:
    return visit.page("certificates.html", certificates=directory.list_certificates(database=visit.database))


@router.post("/certificates/{certificate_id}/{action}")
def change_status(
    visit: Certifier,
    certificate_id: CertificateId,
    action: Action,
    reason: Annotated[str, Form(min_length=1, max_length=REASON_LENGTH)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    certificates.change_status(
        database=visit.database, actor=visit.user, certificate_id=certificate_id, action=action, reason=reason.strip()
    )
    return visit.redirect("/certificates")
