"""Public: the transparency log. Signed tree heads, inclusion and consistency proofs, the leaves.

No sign-in: anyone may audit. A size, index or range the log does not have is a 422 problem
naming the query parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError

from certify.api.deps import DatabaseDep, app_state
from certify.api.problems import documented
from certify.core import certificate_id as ids
from certify.proofs import SignedTreeHead
from certify.services import log
from certify.services.log import (
    ConsistencyProof,
    LogInclusion,
    LogLeaves,
    LogParameterInvalid,
)
from certify.signing import KeyRing

router = APIRouter(prefix="/log", tags=["log"])

Size = Annotated[int, Query(ge=1, le=2**53 - 1)]
Index = Annotated[int, Query(ge=0, le=2**53 - 1)]


def signing_keys(request: Request) -> KeyRing:
    """The issuer's key ring: the one that signs records signs tree heads."""
    ring = log.ring_of(app_state(request).keys)
    assert ring is not None, "the app holds no signing keys"
    return ring


KeysDep = Annotated[KeyRing, Depends(signing_keys)]


@contextmanager
def _parameters() -> Iterator[None]:
    """A `LogParameterInvalid` becomes the 422 of a bad query parameter."""
    try:
        yield
    except LogParameterInvalid as error:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", error.parameter),
                    "msg": error.detail,
                    "type": "value_error",
                }
            ]
        ) from None


def _now() -> datetime:
    return datetime.now(UTC)


def _interval(request: Request) -> float:
    return app_state(request).settings.checkpoint_seconds


@router.get("/tree-head", summary="The latest signed tree head (checkpoint: signed at most once per interval)")
def get_tree_head(request: Request, db: DatabaseDep, keys: KeysDep) -> SignedTreeHead:
    return log.tree_head(database=db, keys=keys, now=_now(), interval=_interval(request))


@router.get(
    "/tree-heads/{size}",
    responses=documented(404, 422),
    summary="An earlier signed tree head, by its size (only heads that were signed: never one made on request)",
)
def get_tree_head_of_size(db: DatabaseDep, size: Annotated[int, Path(ge=0, le=2**53 - 1)]) -> SignedTreeHead:
    return log.tree_head_of_size(database=db, size=size)


@router.get(
    "/proof/inclusion",
    responses=documented(404, 422),
    summary="Inclusion proofs: of every event of a certificate, or of one leaf",
)
def get_inclusion_proof(
    request: Request,
    db: DatabaseDep,
    keys: KeysDep,
    certificate_id: Annotated[str | None, Query(max_length=64, description="each event of this certificate")] = None,
    leaf_index: Annotated[int | None, Query(ge=0, le=2**53 - 1, description="or this one leaf")] = None,
    tree_size: Annotated[int | None, Query(ge=1, le=2**53 - 1, description="default: the latest")] = None,
) -> LogInclusion:
    with _parameters():
        if (certificate_id is None) == (leaf_index is None):
            raise LogParameterInvalid("certificate_id", "give certificate_id or leaf_index (one of them)")
        if leaf_index is not None:
            return log.inclusion_of_leaf(
                database=db,
                keys=keys,
                leaf_index=leaf_index,
                tree_size=tree_size,
                now=_now(),
                interval=_interval(request),
            )
        assert certificate_id is not None
        try:
            canonical = str(ids.parse(certificate_id))
        except ids.CertificateIdError as error:
            raise LogParameterInvalid("certificate_id", error.text.en) from None
        return log.inclusion_of_certificate(
            database=db,
            keys=keys,
            certificate_id=canonical,
            tree_size=tree_size,
            now=_now(),
            interval=_interval(request),
        )


@router.get(
    "/proof/consistency",
    responses=documented(422),
    summary="The proof that the tree of `first` leaves is a prefix of the one of `second`",
)
def get_consistency_proof(
    db: DatabaseDep,
    first: Size,
    second: Annotated[int | None, Query(ge=1, le=2**53 - 1, description="default: the latest")] = None,
) -> ConsistencyProof:
    with _parameters():
        return log.consistency(database=db, first=first, second=second)


@router.get("/leaves", responses=documented(422), summary=f"Leaves [start, end), at most {log.MAX_LEAVES} per answer")
def get_leaves(
    db: DatabaseDep,
    start: Index,
    end: Annotated[int | None, Query(ge=1, le=2**53 - 1, description="exclusive; default: the latest size")] = None,
) -> LogLeaves:
    with _parameters():
        return log.leaves(database=db, start=start, end=end)
