"""Pages behind sign-in: an assessment (every role, scoped), the artisan's workshop, the
certifier's queue and certificates, and their actions."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from certify.api.deps import CertificateId, app_state, pdf_download
from certify.api.ids import InspectionId
from certify.core.lifecycle import Action, move, refusal
from certify.core.text import Text
from certify.services import applications, certificate_search, certificates, decisions, directory, holders, inspections
from certify.services.errors import Conflict, NotFound
from certify.services.models import (
    REASON_LENGTH,
    AssessmentPublic,
    CriterionResultPublic,
    DecisionCreate,
    InspectionPublic,
)
from certify.web import verifying
from certify.web.i18n import N_
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
    titles = {standard.ref: standard.title for standard in visit.standards.standards()}
    return visit.page("queue.html", waiting=waiting, titles=titles)


@router.post("/inspections/{inspection_id}/decision")
def decide(
    visit: Certifier,
    inspection_id: InspectionId,
    decision: Annotated[Literal["issue", "refuse"], Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    confirmed: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    if confirmed != "yes":  # the confirmation step: what the decision does, before it is made
        found = inspections.get_inspection(database=visit.database, viewer=visit.user, inspection_id=inspection_id)
        holder = holders.get_holder(database=visit.database, viewer=visit.user, holder_id=found.holder_id)
        product = holders.get_product(database=visit.database, viewer=visit.user, product_id=found.product_id)
        return visit.page(
            "decision_confirm.html",
            inspection=found,
            holder=holder.name,
            product=product.name,
            decision=decision,
            note=note,
        )
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
def certificate_list(
    visit: Certifier,
    q: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    standard: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: str = "",
) -> Response:
    status = status if status in certificate_search.STATUSES else ""
    standard_ids = sorted({s.id for s in visit.standards.standards()})
    standard = standard if standard in standard_ids else ""
    found = certificate_search.find_certificates(
        database=visit.database, text=q, status=status, standard=standard, page=page
    )
    kept = {k: v for k, v in (("q", q.strip()), ("status", status), ("standard", standard)) if v}

    def page_url(number: int) -> str:
        return "/certificates?" + urlencode({**kept, "page": number})

    return visit.page(
        "certificates.html",
        found=found,
        q=q,
        chosen_status=status,
        standard=standard,
        statuses=certificate_search.STATUSES,
        standard_ids=standard_ids,
        previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if found.has_next else None,
        done=done,
    )


ACTION_WORDS = {
    "suspend": N_("Suspend"),
    "reinstate": N_("Reinstate"),
    "withdraw": N_("Withdraw"),
}


def _confirm_page(visit: Certifier, certificate_id: str, action: Action, reason: str, status: int = 200) -> Response:
    listed = certificate_search.one(database=visit.database, certificate_id=certificate_id)
    if listed is None:
        raise NotFound(Text(en=f"no certificate {certificate_id}", id=f"tidak ada sertifikat {certificate_id}"))
    if move(listed.current_status, action) is None:
        raise Conflict(refusal(certificate_id, listed.current_status, action, listed.valid_until))
    return visit.page(
        "certificate_confirm.html",
        status=status,
        c=listed,
        action=action,
        action_word=ACTION_WORDS[action],
        reason=reason,
    )


@router.get("/certificates/{certificate_id}/{action}")
def confirm_status_change(visit: Certifier, certificate_id: CertificateId, action: Action) -> Response:
    """The confirmation step: what the action does, and that the reason is published as written."""
    return _confirm_page(visit, certificate_id, action, "")


@router.post("/certificates/{certificate_id}/{action}")
def change_status(
    visit: Certifier,
    certificate_id: CertificateId,
    action: Action,
    reason: Annotated[str, Form(max_length=REASON_LENGTH)] = "",
    confirmed: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    if confirmed != "yes" or not reason.strip():  # not from the confirmation page: show it, act on nothing
        return _confirm_page(visit, certificate_id, action, reason.strip(), status=200 if confirmed != "yes" else 422)
    certificates.change_status(
        database=visit.database, actor=visit.user, certificate_id=certificate_id, action=action, reason=reason.strip()
    )
    return visit.redirect(f"/certificates?{urlencode({'q': certificate_id, 'done': action})}")
