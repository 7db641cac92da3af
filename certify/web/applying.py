"""The public pages of the way in: the certification agreement, the application form (no
account, phone first, Indonesian first) and the applicant's tracking page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from certify.api.deps import app_state
from certify.services import agreement, applications
from certify.services.application_models import ApplicationCreate
from certify.services.errors import ServiceError
from certify.web.craft_words import CATEGORY_WORDS, MARKET_WORDS
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import Visit, VisitDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PRODUCT_ROWS = 3
STATE_WORDS = {"received": N_("Received, being reviewed"), "accepted": N_("Accepted"), "declined": N_("Declined")}
FIELD_WORDS = {
    "workshop": N_("Workshop name"),
    "owner": N_("Owner"),
    "province": N_("Province"),
    "region": N_("Regency or city"),
    "address": N_("Address"),
    "contact_name": N_("Your name"),
    "email": N_("E-mail"),
    "phone": N_("Phone (WhatsApp)"),
    "products": N_("Products"),
    "markets": N_("Where you want to sell"),
    "accept_agreement": N_("The certification agreement"),
    "agreement_version": N_("The certification agreement"),
}


@router.get("/agreement")
def agreement_page(visit: VisitDep, version: str = "") -> Response:
    settings = app_state(visit.request).settings
    current = agreement.current(settings)
    shown = agreement.version(settings, version[:16]) if version else current
    return visit.page("agreement.html", agreement=shown, current=current, versions=list(agreement.versions(settings)))


def _form_context(visit: Visit) -> dict[str, Any]:
    settings = app_state(visit.request).settings
    return {
        "standards": list(applications.current_standards(visit.standards).values()),
        "markets": applications.markets(visit.standards),
        "agreement": agreement.current(settings),
        "category_word": CATEGORY_WORDS,
        "market_word": MARKET_WORDS,
        "rows": PRODUCT_ROWS,
    }


@router.get("/apply")
def apply_form(visit: VisitDep) -> Response:
    return visit.page("apply.html", values={}, chosen_markets=["id"], problems=[], **_form_context(visit))


@router.post("/apply")
async def apply(visit: VisitDep, request: Request) -> Response:
    form = await request.form()
    values = {name: str(value) for name, value in form.multi_items() if isinstance(value, str)}
    visit.check_csrf(values.get("csrf"))
    products = []
    for row in range(PRODUCT_ROWS):
        name, kind = values.get(f"product_{row}", "").strip(), values.get(f"kind_{row}", "")
        if name or kind:
            standard, _, category = kind.partition(":")
            products.append({"name": name, "standard": standard, "category": category})
    body = {
        "workshop": values.get("workshop", ""),
        "owner": values.get("owner", "").strip() or None,
        "province": values.get("province", ""),
        "region": values.get("region", "").strip() or None,
        "address": values.get("address", ""),
        "contact_name": values.get("contact_name", ""),
        "email": values.get("email", "").strip() or None,
        "phone": values.get("phone", "").strip() or None,
        "products": products,
        "markets": [str(m) for m in form.getlist("markets") if isinstance(m, str)],
        "agreement_version": values.get("agreement_version", ""),
        "accept_agreement": values.get("accept_agreement") == "yes",
        "language": visit.language,
    }
    problems: list[str] = []
    try:
        received = applications.apply(
            database=visit.database,
            standards=visit.standards,
            settings=app_state(request).settings,
            body=ApplicationCreate.model_validate(body),
        )
        return visit.redirect(f"/applications/{received.token}")
    except ValidationError as invalid:
        problems = _said(visit, invalid)
    except ServiceError as refused:
        problems = [getattr(refused.text, visit.language)]
    markets = [str(m) for m in form.getlist("markets")]
    return visit.page(
        "apply.html", status=422, values=values, chosen_markets=markets, problems=problems, **_form_context(visit)
    )


def _said(visit: Visit, invalid: ValidationError) -> list[str]:
    """Each invalid field once, by the name the form shows it under."""
    said: list[str] = []
    for error in invalid.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field == "products" and len(error["loc"]) >= 3:
            row = int(error["loc"][1]) + 1 if isinstance(error["loc"][1], int) else 1
            text = visit.gettext(N_("Product %(row)s: give its name and what it is")) % {"row": row}
        elif field == "accept_agreement":
            text = visit.gettext(N_("Read the certification agreement and tick that you accept it."))
        elif field == "products":
            text = visit.gettext(N_("Name at least one product and what it is."))
        elif field == "markets":
            text = visit.gettext(N_("Choose at least one place where you want to sell."))
        else:
            text = visit.gettext(FIELD_WORDS.get(field, field)) + ": " + visit.gettext(N_("missing or not valid"))
        if text not in said:
            said.append(text)
    return said


@router.get("/applications/{token}")
def tracking_page(visit: VisitDep, token: str) -> Response:
    try:
        found = applications.tracked(database=visit.database, token=token[:64])
    except ServiceError:
        return visit.page(
            "application.html",
            status=404,
            application=None,
            problem=visit.gettext(N_("No application has this tracking link. Check that the link is complete.")),
        )
    titles = {s.id: s.title for s in applications.current_standards(visit.standards).values()}
    return visit.page(
        "application.html",
        application=found,
        problem=None,
        state_word=STATE_WORDS,
        category_word=CATEGORY_WORDS,
        market_word=MARKET_WORDS,
        standard_title=titles,
        link=applications.tracking_url(app_state(visit.request).settings, token[:64]),
    )
