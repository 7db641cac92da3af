"""What the inspection form's script asks of the service, with the page's session and CSRF token:
the service worker that keeps the form on the phone, the sample drawn without leaving the page,
and a photo or lab report uploaded ahead of the submission.

The JSON API takes only bearer tokens (`Authorization: Bearer`), which a page does not hold, so
these are page routes: the session cookie says who, the form's CSRF token (a form field) says the
request came from the form. Uploads are content-addressed, so a retry stores nothing twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import ValidationError

from certify.api import evidence as evidence_api
from certify.api.deps import app_state
from certify.resources import bundled_path
from certify.services import evidence, sampling
from certify.services.models import SamplingPlanCreate
from certify.web import inspection_form
from certify.web.i18n import N_
from certify.web.routing import PageRoute
from certify.web.visit import Inspector

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WORKER = bundled_path("templates") / "static" / "inspect-sw.js"
MAX_LOT = 10_000_000
EVIDENCE_PATH = "/inspect/evidence"


@router.get("/inspect/sw.js")
def service_worker() -> Response:
    """The service worker, served from /inspect/ so that its scope is the inspector's pages."""
    return FileResponse(
        WORKER,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/inspect/"},
    )


async def _fields(request: Request) -> tuple[dict[str, str], bytes | None]:
    """The posted form's text fields (the last of each name) and its `file`, if any."""
    fields: dict[str, str] = {}
    data: bytes | None = None
    for name, value in (await request.form()).multi_items():
        if isinstance(value, str):
            fields[name] = value
        else:
            if name == "file":
                data = await value.read()
            await value.close()
    return fields, data


Posted = Annotated[tuple[dict[str, str], bytes | None], Depends(_fields)]


@router.post("/inspect/plan.json")
def draw_plan(visit: Inspector, posted: Posted) -> Response:
    """The lot's sample drawn at random, as JSON: the pieces to take, counted from 1."""
    fields, _ = posted
    visit.check_csrf(fields.get("csrf"))
    size = inspection_form.number_value(fields.get("lot_size", ""))
    if size is None or size != int(size) or not 1 <= size <= MAX_LOT:
        message = visit.gettext(N_("Type the number of pieces in the lot (a whole number from 1) first."))
        return JSONResponse({"field": "lot_size", "message": message}, status_code=422)
    try:
        body = SamplingPlanCreate(standard=fields.get("standard", ""), lot_size=int(size))
    except ValidationError:
        message = visit.gettext(N_("The form names no standard that is installed: start again."))
        return JSONResponse({"field": "standard", "message": message}, status_code=422)
    plan = sampling.draw_plan(database=visit.database, standards=visit.standards, inspector=visit.user, body=body)
    return JSONResponse(plan.model_dump(mode="json"), status_code=201)


@router.post(EVIDENCE_PATH)
def upload(visit: Inspector, posted: Posted) -> Response:
    """A photo (JPEG, PNG, WebP) or lab report (PDF) in the field `file`; answers its SHA-256."""
    fields, data = posted
    visit.check_csrf(fields.get("csrf"))
    if not data:
        return JSONResponse({"message": visit.gettext(N_("No file was sent."))}, status_code=422)
    state = app_state(visit.request)
    stored = evidence.upload(
        database=visit.database,
        uploader=visit.user,
        data=data,
        limits=evidence_api.limits_of(state),
        readers=state.upload_readers,
    )
    return JSONResponse(stored.model_dump(mode="json"), status_code=201)
