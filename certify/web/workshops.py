"""The back office's workshop pages (admins and inspectors): register and edit a workshop, its
consent to publish evidence (admins), and register its products in a category an installed
standard covers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import Response
from pydantic import ValidationError

from certify.api.ids import HolderId
from certify.core.standard import Standard
from certify.services import evidence, holders
from certify.services.errors import Invalid
from certify.services.models import HolderCreate, HolderPublic, ProductCreate
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import Registrar, Visit

router = APIRouter(route_class=PageRoute, include_in_schema=False)
TEXT = Annotated[str, Form(max_length=4000)]
FIELD_NAMES = {
    "name": N_("Name"),
    "province": N_("Province"),
    "region": N_("Regency or city"),
    "address": N_("Address"),
    "crafts": N_("Crafts"),
    "owner": N_("Owner"),
    "contact": N_("Contact (phone or e-mail)"),
    "category": N_("Category"),
    "description": N_("Description"),
}
PROBLEMS = {
    "missing": N_("required"),
    "string_too_short": N_("required"),
    "too_short": N_("name at least one"),
    "string_too_long": N_("too long"),
    "too_long": N_("too many"),
    "string_pattern_mismatch": N_("holds characters that cannot be printed here"),
}
CRAFT_PATTERN = N_("use lower-case words such as batik or weaving")


@router.get("/workshops")
def workshop_list(visit: Registrar, done: str = "") -> Response:
    found = holders.list_holders(database=visit.database, viewer=visit.user)
    return visit.page("workshops.html", workshops=found, done=done)


@router.get("/workshops/new")
def new_workshop(visit: Registrar) -> Response:
    return visit.page("workshop_edit.html", holder=None, form={}, problems=[], **_product_context(visit, None))


def _workshop_form(
    name: TEXT = "",
    province: TEXT = "",
    region: TEXT = "",
    address: TEXT = "",
    crafts: TEXT = "",
    owner: TEXT = "",
    contact: TEXT = "",
) -> dict[str, str]:
    """The workshop's fields as the form posts them (registering and editing alike)."""
    return {"name": name, "province": province, "region": region, "address": address} | {
        "crafts": crafts,
        "owner": owner,
        "contact": contact,
    }


WorkshopForm = Annotated[dict[str, str], Depends(_workshop_form)]


@router.post("/workshops")
def register_workshop(visit: Registrar, form: WorkshopForm, csrf: Annotated[str, Form()] = "") -> Response:
    visit.check_csrf(csrf)
    try:
        body = _holder_body(form)
    except ValidationError as wrong:
        return _form_again(visit, None, form, _problems(visit, wrong))
    made = holders.create_holder(database=visit.database, actor=visit.user, holder=body)
    return visit.redirect(f"/workshops/{made.id}?done=created")


@router.get("/workshops/{holder_id}")
def workshop(visit: Registrar, holder_id: HolderId, done: str = "") -> Response:
    found = holders.get_holder(database=visit.database, viewer=visit.user, holder_id=holder_id)
    return visit.page(
        "workshop_edit.html",
        holder=found,
        form=_form_of(found),
        problems=[],
        done=done,
        **_product_context(visit, found),
    )


@router.post("/workshops/{holder_id}")
def edit_workshop(
    visit: Registrar, holder_id: HolderId, form: WorkshopForm, csrf: Annotated[str, Form()] = ""
) -> Response:
    visit.check_csrf(csrf)
    found = holders.get_holder(database=visit.database, viewer=visit.user, holder_id=holder_id)
    try:
        body = _holder_body(form)
    except ValidationError as wrong:
        return _form_again(visit, found, form, _problems(visit, wrong))
    holders.update_holder(database=visit.database, actor=visit.user, holder_id=holder_id, holder=body)
    return visit.redirect(f"/workshops/{holder_id}?done=saved")


@router.post("/workshops/{holder_id}/consent")
def consent(
    visit: Registrar,
    holder_id: HolderId,
    publish: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    evidence.set_consent(database=visit.database, actor=visit.user, holder_id=holder_id, publish=publish == "yes")
    return visit.redirect(f"/workshops/{holder_id}?done=consent")


@router.post("/workshops/{holder_id}/products")
def add_product(
    visit: Registrar,
    holder_id: HolderId,
    name: TEXT = "",
    category: Annotated[str, Form(max_length=64)] = "",
    description: TEXT = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit.check_csrf(csrf)
    found = holders.get_holder(database=visit.database, viewer=visit.user, holder_id=holder_id)
    try:
        body = ProductCreate(name=name, category=category, description=description.strip() or None)
    except ValidationError as wrong:
        return _form_again(visit, found, _form_of(found), _problems(visit, wrong), product={"name": name})
    try:
        holders.create_product(
            database=visit.database, actor=visit.user, holder_id=holder_id, product=body, standards=visit.standards
        )
    except Invalid as refused:
        problem = getattr(refused.text, visit.language)
        return _form_again(visit, found, _form_of(found), [problem], product={"name": name})
    return visit.redirect(f"/workshops/{holder_id}?done=product#products")


def _holder_body(form: dict[str, str]) -> HolderCreate:
    crafts = [c.strip().lower().replace(" ", "_") for c in form["crafts"].split(",") if c.strip()]
    optional = {k: form[k].strip() or None for k in ("region", "address", "owner", "contact")}
    return HolderCreate(name=form["name"], province=form["province"], crafts=crafts, **optional)


def _form_of(holder: HolderPublic) -> dict[str, str]:
    return {
        "name": holder.name,
        "province": holder.province,
        "region": holder.region or "",
        "address": holder.address or "",
        "crafts": ", ".join(holder.crafts),
        "owner": holder.owner or "",
        "contact": holder.contact or "",
    }


def _problems(visit: Visit, wrong: ValidationError) -> list[str]:
    """Each problem as "Field: what is wrong", in the page's language."""
    said = []
    for error in wrong.errors():
        field = next((str(part) for part in error["loc"] if isinstance(part, str)), "")
        what = CRAFT_PATTERN if field == "crafts" and error["type"] == "string_pattern_mismatch" else None
        what = what or PROBLEMS.get(error["type"], N_("not valid"))
        said.append(f"{visit.gettext(FIELD_NAMES.get(field, field))}: {visit.gettext(what)}")
    return list(dict.fromkeys(said))


def _form_again(
    visit: Visit,
    holder: HolderPublic | None,
    form: dict[str, str],
    problems: list[str],
    product: dict[str, str] | None = None,
) -> Response:
    return visit.page(
        "workshop_edit.html",
        status=422,
        holder=holder,
        form=form,
        problems=problems,
        done="",
        typed_product=product or {},
        **_product_context(visit, holder),
    )


def _product_context(visit: Visit, holder: HolderPublic | None) -> dict[str, Any]:
    """The workshop's products and the categories to choose from, grouped by standard."""
    latest: dict[str, Standard] = {}
    for standard in visit.standards.standards():
        if standard.id not in latest or standard.version > latest[standard.id].version:
            latest[standard.id] = standard
    groups = [(latest[sid], known) for sid, known in sorted(holders.categories(visit.standards).items()) if known]
    products = holders.list_products(database=visit.database, viewer=visit.user, holder_id=holder.id) if holder else []
    return {"category_groups": groups, "products": products}
