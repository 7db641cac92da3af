"""The public pages of complaints: sending one from a certificate's page, and its tracking page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import ValidationError

from certify.services import complaints
from certify.services.errors import ServiceError
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STATE_WORDS = {"received": N_("Received"), "assigned": N_("Being handled"), "closed": N_("Closed")}
OUTCOME_WORDS = {"upheld": N_("Upheld"), "dismissed": N_("Dismissed")}
KIND_WORDS = {"complaint": N_("Complaint"), "appeal": N_("Appeal")}


@router.post("/complaints")
def send_complaint(
    visit: VisitDep,
    certificate_id: Annotated[str, Form(max_length=64)] = "",
    message: Annotated[str, Form(max_length=4000)] = "",
    contact: Annotated[str, Form(max_length=254)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    try:
        body = complaints.ComplaintCreate(
            certificate_id=certificate_id, message=message, contact=contact.strip() or None
        )
    except ValidationError:
        return visit.page(
            "complaint.html", status=422, problem=visit.gettext(N_("Please describe the problem.")), complaint=None
        )
    try:
        filed = complaints.file_complaint(database=visit.database, body=body)
    except ServiceError as refused:
        return visit.page(
            "complaint.html", status=refused.status, problem=getattr(refused.text, visit.language), complaint=None
        )
    return visit.redirect(f"/complaints/{filed.tracking_id}")


@router.get("/complaints/{tracking_id}")
def tracking_page(visit: VisitDep, tracking_id: str) -> Response:
    try:
        found = complaints.tracking(database=visit.database, tracking_id=tracking_id[:32])
    except ServiceError:
        return visit.page(
            "complaint.html",
            status=404,
            problem=visit.gettext(N_("No complaint or appeal has this tracking ID.")),
            complaint=None,
        )
    return visit.page(
        "complaint.html",
        problem=None,
        complaint=found,
        state_word=STATE_WORDS,
        outcome_word=OUTCOME_WORDS,
        kind_word=KIND_WORDS,
    )
