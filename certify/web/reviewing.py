"""Pages behind sign-in for the way in: certifiers and admins review applications (checks,
accept with an assignment, decline with reasons); an inspector's queue of assignments, each
opening the inspection form with its product and standard chosen."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import ValidationError

from certify.api.ids import MAX_ID
from certify.services import applications
from certify.services.application_models import DECLINE_REASONS, ReviewCreate
from certify.services.errors import ServiceError
from certify.web.applying import STATE_WORDS
from certify.web.craft_words import CATEGORY_WORDS, MARKET_WORDS
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import Inspector, Visit, member

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reviewer = Annotated[Visit, member("certifier", "admin")]
ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/review")
def review_list(visit: Reviewer) -> Response:
    found = applications.list_applications(database=visit.database, viewer=visit.user)
    waiting = [a for a in found if a.state == "received"]
    done = [a for a in reversed(found) if a.state != "received"][:50]
    return visit.page("review_list.html", waiting=waiting, done=done, state_word=STATE_WORDS)


def _review_page(
    visit: Visit, application_id: int, due_on: date | None, *, problem: str | None = None, status: int = 200
) -> Response:
    found = applications.get_application(database=visit.database, viewer=visit.user, application_id=application_id)
    checks = applications.checks(
        database=visit.database,
        standards=visit.standards,
        viewer=visit.user,
        application_id=application_id,
        due_on=due_on,
    )
    return visit.page(
        "review.html",
        status=status,
        a=found,
        checks=checks,
        problem=problem,
        state_word=STATE_WORDS,
        category_word=CATEGORY_WORDS,
        market_word=MARKET_WORDS,
        reasons=DECLINE_REASONS,
        standard_title=_titles(visit),
    )


def _titles(visit: Visit) -> dict[str, Any]:
    """Each installed standard's title (a `Text`) by its ID."""
    return {s.id: s.title for s in applications.current_standards(visit.standards).values()}


@router.get("/review/{application_id}")
def review_page(visit: Reviewer, application_id: ApplicationId, due_on: date | None = None) -> Response:
    return _review_page(visit, application_id, due_on)


@router.post("/review/{application_id}")
async def review(visit: Reviewer, request: Request, application_id: ApplicationId) -> Response:
    form = await request.form()
    visit.check_csrf(str(form.get("csrf") or ""))
    decision = str(form.get("decision") or "")
    raw = {
        "decision": decision,
        "inspector_id": str(form.get("inspector_id") or "") or None,
        "due_on": str(form.get("due_on") or "") or None,
        "reasons": [str(r) for r in form.getlist("reasons")],
        "note": str(form.get("note") or "").strip() or None,
    }
    due_on = None
    try:
        body = ReviewCreate.model_validate(raw)
        due_on = body.due_on
        applications.review(
            database=visit.database,
            standards=visit.standards,
            reviewer=visit.user,
            application_id=application_id,
            body=body,
        )
    except ValidationError as invalid:
        fields = ", ".join(sorted({str(e["loc"][0]) for e in invalid.errors() if e["loc"]}))
        problem = visit.gettext(N_("Missing or invalid: ")) + fields
        return _review_page(visit, application_id, due_on, problem=problem, status=422)
    except ServiceError as refused:
        return _review_page(
            visit, application_id, due_on, problem=getattr(refused.text, visit.language), status=refused.status
        )
    return visit.redirect(f"/review/{application_id}")


@router.get("/assignments")
def assignments(visit: Inspector) -> Response:
    mine = applications.list_assignments(database=visit.database, viewer=visit.user)
    return visit.page(
        "assignments.html",
        waiting=[a for a in mine if a.inspection_id is None],
        done=[a for a in mine if a.inspection_id is not None],
        category_word=CATEGORY_WORDS,
        standard_title=_titles(visit),
    )
