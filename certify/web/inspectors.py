"""The inspector's pages: choose holder, product and standard; facts; the criteria; submit."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from certify.api import evidence as evidence_api
from certify.api.deps import app_state
from certify.api.ids import MAX_ID, IdQuery
from certify.core.compiled import compiled, lot_plans
from certify.core.evidence import lab_report_criteria, required_photos
from certify.core.standard import Standard
from certify.core.text import Text
from certify.services import competence, evidence, holders, inspections, sampling
from certify.services import standards as standard_lookup
from certify.services.calendar import today
from certify.services.conflicts import conflict_in_force, why
from certify.services.errors import Invalid, ServiceError
from certify.services.models import InspectionCreate, ProductPublic, SamplingPlanCreate, SamplingPlanPublic
from certify.web import inspection_form, offline_form
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import Inspector, Visit

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_LOT = offline_form.MAX_LOT
SHA256 = re.compile(r"[0-9a-f]{64}")
ANOTHER_INSPECTOR = Text(en="another inspector must inspect it", id="inspektur lain yang harus menginspeksinya")


def standards_for(visit: Visit, product: ProductPublic) -> list[Standard]:
    """The latest version of each installed standard that covers the product's category."""
    latest: dict[str, Standard] = {}
    for standard in visit.standards.standards():
        covers = not standard.product_categories or product.category in standard.product_categories
        if covers and (standard.id not in latest or standard.version > latest[standard.id].version):
            latest[standard.id] = standard
    return sorted(latest.values(), key=lambda s: s.id)


@router.get("/inspect")
def choose(visit: Inspector, holder: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    found = holders.list_holders(database=visit.database, viewer=visit.user)
    chosen = next((h for h in found if h.id == holder), None)
    products = []
    if chosen is not None:
        products = [
            (p, standards_for(visit, p))
            for p in holders.list_products(database=visit.database, viewer=visit.user, holder_id=chosen.id)
        ]
    mine = inspections.list_inspections(database=visit.database, viewer=visit.user, limit=1000)
    refusal = None
    if chosen is not None:
        with visit.database.read() as session:
            conflict = conflict_in_force(session, user_id=visit.user.id, holder_id=chosen.id)
        refusal = None if conflict is None else str(getattr(why(conflict, ANOTHER_INSPECTOR), visit.language))
    return visit.page(
        "inspect_choose.html",
        holders=found,
        chosen=chosen,
        products=products,
        refusal=refusal,
        recent=list(reversed(mine))[:10],
    )


def _context(visit: Visit, product: int, standard: str) -> tuple[ProductPublic, Standard]:
    found = holders.get_product(database=visit.database, viewer=visit.user, product_id=product)
    return found, standard_lookup.find(visit.standards, standard)


def refusal(visit: Visit, product: ProductPublic, standard: Standard) -> str | None:
    """Why this inspector may not inspect the product to the standard today, if they may not: a
    declared conflict of interest with its holder, or no authorisation for the standard. Asked
    before the form opens, so that nobody fills in a form the service will refuse."""
    with visit.database.read() as session:
        conflict = conflict_in_force(session, user_id=visit.user.id, holder_id=product.holder_id)
        if conflict is not None:
            return str(getattr(why(conflict, ANOTHER_INSPECTOR), visit.language))
        try:
            competence.check_competent(session, user=visit.user, standard_id=standard.id, doing=inspections.INSPECT)
        except ServiceError as refused:
            return str(getattr(refused.text, visit.language))
    return None


def _refused(visit: Visit, product: ProductPublic, reason: str) -> Response:
    return visit.page("inspect_refused.html", status=403, product=product, reason=reason)


@router.get("/inspect/new")
def facts_step(visit: Inspector, product: IdQuery, standard: str) -> Response:
    found, chosen = _context(visit, product, standard)
    refused = refusal(visit, found, chosen)
    if refused is not None:
        return _refused(visit, found, refused)
    return visit.page("inspect_facts.html", product=found, standard=chosen, values={}, wrong=[])


@router.get("/inspect/criteria")
def criteria_step(visit: Inspector, request: Request, product: IdQuery, standard: str) -> Response:
    found, chosen = _context(visit, product, standard)
    refused = refusal(visit, found, chosen)
    if refused is not None:
        return _refused(visit, found, refused)
    form = _multi(request.query_params.multi_items())
    facts, wrong = inspection_form.facts_from_form(chosen, form, found.category)
    if wrong:
        return visit.page("inspect_facts.html", status=422, product=found, standard=chosen, values=form, wrong=wrong)
    return _criteria_page(visit, found, chosen, facts, values={}, key=str(uuid.uuid4()))


def _criteria_page(
    visit: Visit,
    product: ProductPublic,
    standard: Standard,
    facts: dict[str, Any],
    *,
    values: dict[str, list[str]],
    key: str,
    problems: list[tuple[tuple[str | int, ...], str]] | None = None,
    status: int = 200,
    plan: SamplingPlanPublic | None = None,
) -> Response:
    errors, general = inspection_form.placed(problems or [])
    return visit.page(
        "inspect_form.html",
        status=status,
        product=product,
        standard=standard,
        facts=facts,
        facts_json=json.dumps(facts, ensure_ascii=False, sort_keys=True),
        groups=inspection_form.applicable(standard, facts, today()),
        values=values,
        errors=errors,
        problems=general,
        idempotency_key=key,
        plan=plan,
        photos_wanted=required_photos(standard),
        answer_words=inspection_form.answer_words,
        lab_criteria=lab_report_criteria(standard),
    )


Form = tuple[dict[str, list[str]], dict[str, list[bytes]]]


async def _form_with_files(request: Request) -> Form:
    """The posted form's text fields and its files' bytes (empty file inputs left out), read on
    the event loop; the body's size is bounded before (CERTIFY_EVIDENCE_MAX_BYTES)."""
    fields: dict[str, list[str]] = {}
    files: dict[str, list[bytes]] = {}
    for name, value in (await request.form()).multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
        elif value.filename:
            files.setdefault(name, []).append(await value.read())
    return fields, files


def _plan_of(visit: Visit, form: dict[str, list[str]]) -> SamplingPlanPublic | None:
    """The sampling plan the form names (drawn earlier by this inspector), if any."""
    plan_id = inspection_form.number_value(_one(form, "sampling_plan_id"))
    if plan_id is None or plan_id != int(plan_id) or not 1 <= plan_id <= MAX_ID:
        return None
    return sampling.plan_of(database=visit.database, inspector=visit.user, plan_id=int(plan_id))


@router.post("/inspect/plan")
def draw_plan(visit: Inspector, posted: Annotated[Form, Depends(_form_with_files)]) -> Response:
    """Draw the lot's sample at random (the button beside the lot size) and show the form again."""
    form, _files = posted
    visit.check_csrf(_one(form, "csrf"))
    found, chosen, facts = _submitted_context(visit, form)
    size = inspection_form.number_value(_one(form, "lot_size"))
    key = _one(form, "idempotency_key")[:255] or str(uuid.uuid4())
    if size is None or size != int(size) or not 1 <= size <= MAX_LOT:
        problem = (("lot", "size"), visit.gettext(N_("Type the number of pieces in the lot (a whole number from 1).")))
        return _criteria_page(visit, found, chosen, facts, values=form, problems=[problem], key=key, status=422)
    plan = sampling.draw_plan(
        database=visit.database,
        standards=visit.standards,
        inspector=visit.user,
        body=SamplingPlanCreate(standard=chosen.ref, lot_size=int(size)),
    )
    values = {**form, "sampling_plan_id": [str(plan.id)]}
    return _criteria_page(visit, found, chosen, facts, values=values, key=key, plan=plan)


def _submitted_context(visit: Visit, form: dict[str, list[str]]) -> tuple[ProductPublic, Standard, dict[str, Any]]:
    product_id = inspection_form.number_value(_one(form, "product_id")) or 0
    if not (product_id == int(product_id) and 1 <= product_id <= MAX_ID):
        raise Invalid(
            Text(en="the form names no product: start again", id="formulir tidak menyebut produk: mulai lagi")
        )
    found, chosen = _context(visit, int(product_id), _one(form, "standard"))
    facts = inspection_form.facts_json_value(_one(form, "facts_json"))
    if facts is None:
        raise Invalid(
            Text(
                en="the form's facts (facts_json) are unreadable: start again",
                id="fakta di formulir (facts_json) tidak terbaca: mulai lagi",
            )
        )
    return found, chosen, facts


def _evidence(
    visit: Visit, chosen: Standard, form: dict[str, list[str]], files: dict[str, list[bytes]]
) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """The photos by key and the lab report as the service names them: files posted with the form
    are uploaded here; files the form's script uploaded before (`sha.` + the file field's name,
    from /inspect/evidence) are named by their SHA-256."""
    state = app_state(visit.request)
    limits = evidence_api.limits_of(state)

    def stored(data: bytes) -> str:
        return evidence.upload(
            database=visit.database, uploader=visit.user, data=data, limits=limits, readers=state.upload_readers
        ).sha256

    hashes = {
        name.removeprefix("sha."): [h for h in values if SHA256.fullmatch(h)]
        for name, values in form.items()
        if name.startswith("sha.")
    }
    for name, contents in files.items():
        hashes.setdefault(name, []).extend(stored(data) for data in contents)
    photos = {
        name.removeprefix("photos."): found for name, found in hashes.items() if name.startswith("photos.") and found
    }
    reports: list[dict[str, Any]] = []
    report_files = hashes.get("lab_report_file") or []
    if report_files:
        reports.append(
            {
                "criteria": form.get("lab_report_criteria") or list(lab_report_criteria(chosen)),
                "laboratory": _one(form, "lab_laboratory"),
                "accreditation": _one(form, "lab_accreditation"),
                "report_number": _one(form, "lab_report_number"),
                "issued_on": _one(form, "lab_issued_on"),
                "file": report_files[-1],
            }
        )
    return photos, reports


Problems = list[tuple[tuple[str | int, ...], str]]


def _checked_counts(visit: Visit, form: dict[str, list[str]]) -> tuple[dict[str, Any], Problems]:
    """The lot size and the defect counts, and what is wrong with them (each beside its field)."""
    counts: dict[str, Any] = {}
    problems: Problems = []
    for name, path in COUNTS.items():
        typed = _one(form, name).strip()
        number = inspection_form.number_value(typed) if typed else None
        if not typed:
            problems.append((path, visit.gettext(REQUIRED[name == "lot_size"])))
        elif number is None or number != int(number) or number < (1 if name == "lot_size" else 0):
            problems.append((path, visit.gettext(WHOLE_NUMBER)))  # unreadable: never taken as 0
        else:
            counts[name] = int(number)
    return counts, problems


COUNTS: dict[str, tuple[str | int, ...]] = {
    "lot_size": ("lot", "size"),
    "defects_critical": ("defects", "critical"),
    "defects_major": ("defects", "major"),
    "defects_minor": ("defects", "minor"),
}
REQUIRED = {
    True: N_("Required: the number of pieces in the lot."),
    False: N_("Required: type 0 when none were found."),
}
WHOLE_NUMBER = N_("Type a whole number, such as 0, 3 or 12.")
NOT_A_NUMBER = N_("Type a number, such as 12 or 0,5.")
NOT_ACCEPTED = N_("This value is not accepted: check it.")


def _said(visit: Visit, refused: ServiceError) -> Problems:
    """A refusal's problems, each where it is (a path into the inspection) and in the page's
    language where the service says it in both; the refusal's own words when it names no field."""
    said: Problems = []
    for problem in refused.problems:
        path = problem.path or (("measurements", problem.criterion) if problem.criterion else ())
        if problem.text is not None:
            said.append((path, str(getattr(problem.text, visit.language))))
        elif path and inspection_form.field_of_path(path) is not None:
            said.append((path, problem.message))
        else:
            said.append(((), str(getattr(refused.text, visit.language))))
    return list(dict.fromkeys(said))


@router.post("/inspect/submit")
def submit(visit: Inspector, posted: Annotated[Form, Depends(_form_with_files)]) -> Response:
    form, files = posted
    visit.check_csrf(_one(form, "csrf"))
    found, chosen, facts = _submitted_context(visit, form)
    plan = _plan_of(visit, form)
    groups = inspection_form.applicable(chosen, facts)
    measurements, wrong = inspection_form.measurements_from_form(groups, form)
    key = _one(form, "idempotency_key")[:255] or str(uuid.uuid4())
    counts, problems = _checked_counts(visit, form)
    problems += [(("measurements", criterion), visit.gettext(NOT_A_NUMBER)) for criterion in wrong]
    if plan is None:
        problems.append(
            (("sampling_plan_id",), visit.gettext(N_("Draw the sample first: the button below the lot size.")))
        )
    if not problems:
        try:
            photos, reports = _evidence(visit, chosen, form, files)
            body = InspectionCreate.model_validate(
                {
                    "product_id": found.id,
                    "standard": chosen.ref,
                    "sampling_plan_id": plan.id if plan else 0,
                    "facts": facts,
                    "lot": {"size": counts["lot_size"], "code": _one(form, "lot_code")},
                    "measurements": measurements,
                    "note": _one(form, "note") or None,
                    "defects": {cls: counts[f"defects_{cls}"] for cls in ("critical", "major", "minor")},
                    "evidence": photos,
                    "lab_reports": reports,
                }
            )
            done = inspections.submit_inspection(
                database=visit.database, standards=visit.standards, inspector=visit.user, body=body, idempotency_key=key
            )
            return visit.redirect(f"/inspections/{done.inspection['id']}")
        except ValidationError as invalid:
            problems = [(tuple(e["loc"]), visit.gettext(NOT_ACCEPTED)) for e in invalid.errors()]
        except ServiceError as refused:
            problems = _said(visit, refused)
    return _criteria_page(visit, found, chosen, facts, values=form, problems=problems, key=key, status=422, plan=plan)


@router.get("/inspect/sample.json")
def sample(visit: Inspector, standard: str, lot: int) -> Response:
    """The ISO 2859-1 sample of a lot of `lot` pieces under the standard's sampling policy."""
    if not 1 <= lot <= MAX_LOT:
        raise Invalid(f"a lot has 1 to {MAX_LOT} pieces")
    chosen = standard_lookup.find(visit.standards, standard)
    plans = lot_plans(compiled(chosen), lot)
    return JSONResponse(
        {
            "lot_size": lot,
            "pieces_to_inspect": max(p.pieces_to_inspect for p in plans),
            **{
                cls: {"sample_size": p.pieces_to_inspect, "accept": p.accept, "reject": p.reject}
                for cls, p in zip(("critical", "major", "minor"), plans, strict=True)
            },
        }
    )


def _multi(items: Any) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for name, value in items:
        if isinstance(value, str):
            form.setdefault(name, []).append(value)
    return form


def _one(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[-1]
