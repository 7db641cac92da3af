"""Complaints (anyone), appeals (a holder's artisan), their handling, and subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel
from sqlmodel import col, select

from certify.api.deps import CurrentCertifier, CurrentUser, DatabaseDep, app_state, require_role
from certify.api.problems import documented
from certify.services import complaints, subscriptions
from certify.services.errors import Forbidden
from certify.services.principal import Principal
from certify.store.tables import Outbox

router = APIRouter(tags=["complaints and subscriptions"])
TrackingId = Annotated[str, Path(min_length=1, max_length=32)]
CurrentAdmin = Annotated[Principal, Depends(require_role("admin"))]


@router.post(
    "/complaints", status_code=status.HTTP_201_CREATED, response_model=complaints.Filed, responses=documented(404, 422)
)
def file_complaint(db: DatabaseDep, body: complaints.ComplaintCreate) -> complaints.Filed:
    """Report a problem with a certificate; no account needed. Follow it at /complaints/{tracking_id}."""
    return complaints.file_complaint(database=db, body=body)


@router.post(
    "/appeals",
    status_code=status.HTTP_201_CREATED,
    response_model=complaints.Filed,
    responses=documented(401, 403, 404, 409, 422),
)
def file_appeal(db: DatabaseDep, user: CurrentUser, body: complaints.AppealCreate) -> complaints.Filed:
    """A holder's artisan appeals a refusal, a suspension or a withdrawal."""
    return complaints.file_appeal(database=db, artisan=user, body=body)


@router.get("/complaints/{tracking_id}", response_model=complaints.ComplaintPublic, responses=documented(404))
def get_complaint(db: DatabaseDep, tracking_id: TrackingId) -> complaints.ComplaintPublic:
    """A complaint's or appeal's state, due date and public answer."""
    return complaints.tracking(database=db, tracking_id=tracking_id)


@router.post(
    "/complaints/{tracking_id}/assignment",
    response_model=complaints.ComplaintPublic,
    responses=documented(401, 403, 404, 409, 422),
)
def assign(
    db: DatabaseDep, user: CurrentUser, tracking_id: TrackingId, body: complaints.Assignment
) -> complaints.ComplaintPublic:
    """Assign to a certifier who had no part in the decision complained of (403 otherwise)."""
    return complaints.assign(database=db, actor=user, tracking_id=tracking_id, body=body)


@router.post(
    "/complaints/{tracking_id}/outcome",
    response_model=complaints.ComplaintPublic,
    responses=documented(401, 403, 404, 409, 422),
)
def close(
    db: DatabaseDep, certifier: CurrentCertifier, tracking_id: TrackingId, body: complaints.Outcome
) -> complaints.ComplaintPublic:
    """The assigned certifier records the outcome; upheld: suspend (complaint) or reinstate (appeal)."""
    return complaints.close(database=db, certifier=certifier, tracking_id=tracking_id, body=body)


@router.post(
    "/subscriptions",
    status_code=status.HTTP_201_CREATED,
    response_model=subscriptions.SubscriptionPublic,
    responses=documented(404, 422),
)
def subscribe(
    request: Request, db: DatabaseDep, body: subscriptions.SubscriptionCreate
) -> subscriptions.SubscriptionPublic:
    """Subscribe to a certificate's status by webhook (signed, Standard Webhooks) or e-mail (confirmed by a link)."""
    return subscriptions.subscribe(database=db, settings=app_state(request).settings, body=body)


@router.get(
    "/subscriptions/confirm/{token}", response_model=subscriptions.SubscriptionPublic, responses=documented(404)
)
def confirm(
    db: DatabaseDep, token: Annotated[str, Path(min_length=1, max_length=64)]
) -> subscriptions.SubscriptionPublic:
    """The link of the confirmation e-mail: the subscription starts."""
    return subscriptions.confirm(database=db, token=token)


class OutboxRow(BaseModel):
    id: int
    kind: str
    channel: str
    recipient: str
    attempts: int
    last_error: str | None
    state: str


@router.get("/outbox", response_model=list[OutboxRow], responses=documented(401, 403, 422))
def outbox_rows(
    db: DatabaseDep,
    admin: CurrentAdmin,
    state: Annotated[str, Query(pattern="^(dead|pending)$")] = "dead",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[OutboxRow]:
    """Admins: deliveries dead-lettered (or still pending), newest first, with the last error."""
    if admin.role != "admin":
        raise Forbidden("admins only")
    query = select(Outbox).order_by(col(Outbox.id).desc()).limit(limit)
    query = (
        query.where(col(Outbox.dead_at).is_not(None))
        if state == "dead"
        else query.where(col(Outbox.delivered_at).is_(None), col(Outbox.dead_at).is_(None))
    )
    with db.read() as session:
        return [
            OutboxRow(
                id=r.id or 0,
                kind=r.kind,
                channel=r.channel,
                recipient=r.recipient,
                attempts=r.attempts,
                last_error=r.last_error,
                state=state,
            )
            for r in session.exec(query)
        ]
