"""Evidence: photos and lab-report PDFs uploaded by inspectors, sampling plans drawn at random,
the evidence an inspection names, and the holder's consent to publish it."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Path, UploadFile, status
from fastapi.responses import Response
from starlette.types import Scope, Send

from certify.api.body_limit import Refusal
from certify.api.deps import (
    AppStateDep,
    CurrentInspector,
    CurrentUser,
    DatabaseDep,
    OptionalUser,
    StandardsDep,
)
from certify.api.ids import HolderId, InspectionId
from certify.api.problems import MEDIA_TYPE, documented
from certify.services import evidence, inspections, sampling
from certify.services.models import (
    EvidenceAttach,
    EvidenceConsent,
    EvidencePublic,
    InspectionPublic,
    SamplingPlanCreate,
    SamplingPlanPublic,
)

router = APIRouter(tags=["evidence"])
EVIDENCE_PATH = "/evidence"
Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the file's SHA-256, lowercase hex")]


@router.post(
    "/sampling-plans",
    status_code=status.HTTP_201_CREATED,
    responses=documented(401, 403, 422),
    summary="Draw the pieces of a lot to inspect, at random (ISO 2859-1 sample size of the standard)",
)
def draw_plan(
    db: DatabaseDep, standards: StandardsDep, inspector: CurrentInspector, body: SamplingPlanCreate
) -> SamplingPlanPublic:
    return sampling.draw_plan(database=db, standards=standards, inspector=inspector, body=body)


@router.post(
    EVIDENCE_PATH,
    status_code=status.HTTP_201_CREATED,
    responses=documented(401, 403, 413, 415, 422, 503),
    summary="Upload a photo (JPEG, PNG, WebP) or a lab report (PDF), field `file`; the same bytes answer the same hash",
)
def upload(
    state: AppStateDep,
    inspector: CurrentInspector,
    file: Annotated[UploadFile, File(description="a photo or a lab report PDF")],
) -> EvidencePublic:
    settings = state.settings
    data = file.file.read(settings.evidence_max_bytes + 1)
    return evidence.upload(
        database=state.database,
        uploader=inspector,
        data=data,
        limits=limits_of(state),
        readers=state.upload_readers,
    )


def limits_of(state: AppStateDep) -> evidence.PhotoLimits:
    settings = state.settings
    return evidence.PhotoLimits(
        max_bytes=settings.evidence_max_bytes,
        max_pixels=settings.evidence_max_pixels,
        long_edge=settings.evidence_long_edge,
        keep_gps=settings.evidence_keep_gps,
    )


@router.get(
    f"{EVIDENCE_PATH}/{{sha256}}",
    responses={**documented(404, 422), 200: {"content": {"image/jpeg": {}, "application/pdf": {}}}},
    summary="A stored file, for whoever may see it (the public: only what its holder published)",
    response_class=Response,
)
def read(db: DatabaseDep, viewer: OptionalUser, sha256: Sha256Path) -> Response:
    found = evidence.read(database=db, viewer=viewer, sha256=sha256)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={
            "Cache-Control": "private, max-age=3600" if viewer else "public, max-age=3600",
            "Content-Disposition": f'inline; filename="{sha256[:16]}.{found.media_type.rsplit("/", 1)[1]}"',
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


@router.put(
    "/inspections/{inspection_id}/evidence",
    responses=documented(401, 403, 404, 409, 422),
    summary="Name the inspection's evidence (all of it), until it is decided",
)
def attach(
    db: DatabaseDep,
    standards: StandardsDep,
    inspector: CurrentInspector,
    inspection_id: InspectionId,
    body: EvidenceAttach,
) -> InspectionPublic:
    return inspections.attach_evidence(
        database=db, standards=standards, inspector=inspector, inspection_id=inspection_id, body=body
    )


@router.put(
    "/holders/{holder_id}/evidence-consent",
    responses=documented(401, 404, 422),
    summary="Whether the public may see the photos and reports of the holder's certified lots",
)
def consent(db: DatabaseDep, user: CurrentUser, holder_id: HolderId, body: EvidenceConsent) -> EvidenceConsent:
    published = evidence.set_consent(database=db, actor=user, holder_id=holder_id, publish=body.publish)
    return EvidenceConsent(publish=published)


def too_large_for(max_bytes: int) -> Refusal:
    """The 413 problem for an evidence upload past `CERTIFY_EVIDENCE_MAX_BYTES`, sent unread."""

    async def refuse(scope: Scope, send: Send) -> None:
        body = json.dumps(
            {
                "type": "urn:certify:problem:too-large",
                "title": "Too large",
                "status": 413,
                "detail": f"the file is larger than {max_bytes // 1024} KiB (CERTIFY_EVIDENCE_MAX_BYTES)",
                "instance": scope.get("path", ""),
                "errors": [],
            }
        ).encode()
        headers = [
            (b"content-type", MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return refuse
