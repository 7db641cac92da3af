"""The public log: every issuance and status change as a leaf, signed tree heads, and proofs.

A leaf's data is the RFC 8785 canonical JSON of the event:
`{"certificate_id", "event", "time", "record_sha256", "pdf_sha256", "status"}` (hashes in hex, or
null; `status` is the certificate's status after the event). Events: `issued` (record hash, no
PDF hash: the PDF carries this leaf's proof), `pdf` (the finished PDF's hash), `suspended`,
`reinstated`, `withdrawn`, `superseded`. Expiry is computed from the signed validity dates and
is not logged: an auditor reads "expired" as agreeing with a last logged status of "valid".

A signed tree head is `{size, root_hash (base64), timestamp (RFC 3339), key_id, signature}`,
the signature being Ed25519 (base64url) over the canonical JSON of the head without `signature`,
by a key of the service's JWKS. Heads are checkpoints (`certify.services.checkpoints`): signed
at most once per interval, kept, the latest served to readers and earlier ones by size; proofs
are made against a kept head, never against a head signed for a size a request names.
Proof hashes are standard base64. The offline checks of heads and proofs are in `certify.proofs`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlmodel import Session

from certify.core.text import Text
from certify.ledger import LogTree, leaf_hash
from certify.ledger.sql import (
    SqlNodeStore,
    add_leaf,
    claim_next_index,
    leaves_between,
    leaves_of,
    stored_size,
)
from certify.proofs import (
    Check,
    InclusionProof,
    SignedTreeHead,
    b64,
    proof_holds,
    record_sha256,
    statuses_agree,
    tree_head_holds,
)
from certify.services import checkpoints, events
from certify.services.errors import Invalid, NotFound
from certify.signing import KeyRing, canonical_json
from certify.signing.jwk import rfc3339
from certify.store.database import Database

LogEvent = Literal[
    "issued", "pdf", "suspended", "reinstated", "withdrawn", "superseded", "surveillance_kept", "expired"
]
MAX_LEAVES = 1000
"""Leaves per `leaves` answer at most; ask again from where the answer stopped."""


class LogInclusion(BaseModel):
    """Proofs of some leaves in the tree of `tree_size` leaves, with that tree's signed head."""

    tree_size: int
    tree_head: SignedTreeHead
    proofs: list[InclusionProof]


class ConsistencyProof(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(description="RFC 9162 consistency proof, base64 hashes")


class LogLeaf(BaseModel):
    index: int
    data: str = Field(description="the leaf's exact bytes (canonical JSON of the event), base64")


class LogLeaves(BaseModel):
    tree_size: int = Field(description="leaves in the log when read")
    leaves: list[LogLeaf]


class LogParameterInvalid(Invalid):
    """A query parameter of the log API names a size, index or range the log does not have."""

    def __init__(self, parameter: str, detail: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {detail}")


# --- appending ------------------------------------------------------------------------------------


def event_data(
    *,
    certificate_id: str,
    event: str,
    at: datetime,
    record_sha256: str | None,
    pdf_sha256: str | None,
    status: str,
) -> bytes:
    """The bytes of a leaf: canonical JSON of the event."""
    return canonical_json(
        {
            "certificate_id": certificate_id,
            "event": event,
            "time": rfc3339(at),
            "record_sha256": record_sha256,
            "pdf_sha256": pdf_sha256,
            "status": status,
        }
    )


def append_event(
    session: Session,
    *,
    certificate_id: str,
    event: str,
    at: datetime,
    record_sha256: str | None,
    pdf_sha256: str | None,
    status: str,
    store: SqlNodeStore | None = None,
) -> int:
    """Appends the event as the next leaf, in the caller's write transaction; its leaf index.

    Appenders queue on the log's size row until the transaction ends (on SQLite the write
    transaction already holds the database); O(log n) reads and writes. A rollback removes the
    leaf with everything else. `store`: the transaction's node store, when it appends again
    (a `RememberingNodeStore` reads the tree's border once).
    """
    data = event_data(
        certificate_id=certificate_id,
        event=event,
        at=at,
        record_sha256=record_sha256,
        pdf_sha256=pdf_sha256,
        status=status,
    )
    index = claim_next_index(session)
    tree = LogTree(SqlNodeStore(session) if store is None else store, size=index)
    add_leaf(session, index=index, certificate_id=certificate_id, data=data)
    tree.append(leaf_hash(data))
    events.record(
        session,
        actor_id=None,
        action=f"log.{event}",
        subject_type="log_leaf",
        subject_id=index,
        detail={"certificate_id": certificate_id},
    )
    return index


# --- tree heads -----------------------------------------------------------------------------------


def tree_head(*, database: Database, keys: KeyRing, now: datetime, interval: float) -> SignedTreeHead:
    """The latest checkpoint (a new one signed when one is due)."""
    head = checkpoints.latest(database=database, keys=keys, now=now, interval=interval)
    assert head is not None  # with keys, one is signed when there is none
    return head


def tree_head_of_size(*, database: Database, size: int) -> SignedTreeHead:
    """The checkpoint of `size` leaves; 404 naming the nearest ones when none was signed."""
    with database.read() as session:
        latest = stored_size(session)
        if size > latest:
            raise NotFound(
                Text(
                    en=f"the log has {latest} leaves: no tree head of {size} leaves",
                    id=f"log berisi {latest} daun: tidak ada kepala pohon {size} daun",
                )
            )
        head = checkpoints.kept(session, size)
        if head is not None:
            return head
        below, above = checkpoints.nearest(session, size)
    nearest = ", ".join(str(n) for n in (below, above) if n is not None) or "none yet"
    raise NotFound(
        Text(
            en=f"no tree head of {size} leaves was signed (heads are signed at intervals, never on request);"
            f" the nearest signed sizes: {nearest}",
            id=f"tidak ada kepala pohon {size} daun yang ditandatangani (kepala ditandatangani berkala, tidak atas"
            f" permintaan); ukuran terdekat yang ditandatangani: {nearest}",
        )
    )


def _head_at(
    session: Session, database: Database, keys: KeyRing, tree_size: int | None, now: datetime, interval: float
) -> SignedTreeHead:
    """The kept head proofs are made against: of `tree_size` (422 when none was signed), else the latest."""
    if tree_size is None:
        return tree_head(database=database, keys=keys, now=now, interval=interval)
    latest = stored_size(session)
    if tree_size > latest:
        raise LogParameterInvalid("tree_size", f"the log has {latest} leaves: needs 1 <= tree_size <= {latest}")
    head = checkpoints.kept(session, tree_size)
    if head is None:
        below, above = checkpoints.nearest(session, tree_size)
        nearest = ", ".join(str(n) for n in (below, above) if n is not None) or "none yet"
        raise LogParameterInvalid(
            "tree_size", f"no tree head of {tree_size} leaves was signed; the nearest signed sizes: {nearest}"
        )
    return head


# --- proofs and leaves ----------------------------------------------------------------------------


def inclusion_of_certificate(
    *,
    database: Database,
    keys: KeyRing,
    certificate_id: str,
    tree_size: int | None,
    now: datetime,
    interval: float = checkpoints.DEFAULT_INTERVAL,
) -> LogInclusion:
    """A proof for each event of the certificate in the checkpoint of `tree_size` leaves (latest)."""
    with database.read() as session:
        head = _head_at(session, database, keys, tree_size, now, interval)
        size = head.size
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        found = leaves_of(session, certificate_id, size)
        if not found:
            raise NotFound(
                f"certificate {certificate_id} has no event in the signed tree head of {size} leaves"
                " (a new head is signed within the checkpoint interval)"
            )
        proofs = [_proof(tree, index, data, size) for index, data in found]
        return LogInclusion(tree_size=size, proofs=proofs, tree_head=head)


def inclusion_of_leaf(
    *,
    database: Database,
    keys: KeyRing,
    leaf_index: int,
    tree_size: int | None,
    now: datetime,
    interval: float = checkpoints.DEFAULT_INTERVAL,
) -> LogInclusion:
    """The proof of one leaf in the checkpoint of `tree_size` leaves (latest)."""
    with database.read() as session:
        head = _head_at(session, database, keys, tree_size, now, interval)
        size = head.size
        if not 0 <= leaf_index < size:
            raise LogParameterInvalid("leaf_index", f"the signed tree head of {size} leaves has no leaf {leaf_index}")
        found = leaves_between(session, leaf_index, leaf_index + 1)
        if not found:
            raise NotFound(f"leaf {leaf_index} is missing from the log's storage")
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        return LogInclusion(tree_size=size, proofs=[_proof(tree, leaf_index, found[0][1], size)], tree_head=head)


def consistency(*, database: Database, first: int, second: int | None) -> ConsistencyProof:
    """The proof that the tree of `first` leaves is a prefix of the one of `second` (latest)."""
    with database.read() as session:
        tree, size = _tree_at(session, second, parameter="second")
        if not 0 < first <= size:
            raise LogParameterInvalid("first", f"needs 1 <= first <= second ({size})")
        proof = tree.consistency_proof(first, size)
        return ConsistencyProof(first=first, second=size, proof=[b64(h) for h in proof])


def leaves(*, database: Database, start: int, end: int | None) -> LogLeaves:
    """The leaves [start, end) (at most `MAX_LEAVES`; `end` defaults to the latest size)."""
    with database.read() as session:
        size = stored_size(session)
        if not 0 <= start < size:
            raise LogParameterInvalid("start", f"the log has {size} leaves: start must be in [0, {size})")
        if end is not None and not start < end <= size:
            raise LogParameterInvalid("end", f"end must be in ({start}, {size}] (it is exclusive)")
        stop = min(end if end is not None else size, start + MAX_LEAVES)
        return LogLeaves(
            tree_size=size,
            leaves=[LogLeaf(index=index, data=b64(data)) for index, data in leaves_between(session, start, stop)],
        )


def issuance_proof(
    session: Session,
    *,
    leaf_index: int,
    keys: KeyRing,
    now: datetime,
    store: SqlNodeStore | None = None,
) -> dict[str, Any]:
    """Inside the issuing transaction: the leaf, its proof and the signed head of the tree that
    ends with it, for the PDF to carry (`embedded_inclusion` checks it offline). `store`: the one
    that appended the leaf (a `RememberingNodeStore` has read every node of the proof of the
    last leaf: those left of it, the tree's border when it was appended)."""
    size = leaf_index + 1
    tree = LogTree(SqlNodeStore(session) if store is None else store, size=size)
    data = leaves_between(session, leaf_index, size)[0][1]
    head = checkpoints.sign_tree_head(size=size, root=tree.root(), keys=keys, now=now)
    checkpoints.keep(session, head, now=now)  # the head the PDF carries is a checkpoint too
    return {
        "leaf_index": leaf_index,
        "leaf": json.loads(data),
        "proof": [b64(h) for h in tree.inclusion_proof(leaf_index, size)],
        "tree_head": head.model_dump(),
    }


# --- the service's check --------------------------------------------------------------------------


def log_inclusion(
    *,
    database: Database,
    keys: KeyRing | None,
    jwks: Mapping[str, object],
    certificate_id: str,
    record: Mapping[str, object],
    pdf_sha256: str | None,
    status: str,
    now: datetime,
    interval: float = checkpoints.DEFAULT_INTERVAL,
) -> Check:
    """The service's check of a certificate against its log, under the latest checkpoint: valid
    when every leaf of the certificate is proven in it, its `issued` leaf holds this record's
    hash, its `pdf` leaf this PDF's hash, and its last leaf the current status ("expired" agrees
    with "valid"). "invalid" otherwise; "unknown" while the certificate's latest event is not yet
    under a checkpoint (one is signed within `interval` seconds), or when there is none and no key."""
    head = checkpoints.latest(database=database, keys=keys, now=now, interval=interval)
    if head is None:
        return "unknown"
    with database.read() as session:
        everything = leaves_of(session, certificate_id, stored_size(session))
        if not everything:
            return "invalid"
        found = [(index, data) for index, data in everything if index < head.size]
        if len(found) < len(everything):
            return "unknown"
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        proofs = [_proof(tree, index, data, head.size) for index, data in found]
    if not tree_head_holds(head, jwks) or not all(proof_holds(p, head) for p in proofs):
        return "invalid"
    logged = [p.event or {} for p in proofs]
    by_event = {e.get("event"): e for e in logged}
    issued, pdf = by_event.get("issued"), by_event.get("pdf")
    if issued is None or issued.get("record_sha256") != record_sha256(record):
        return "invalid"
    if pdf_sha256 is not None and (pdf is None or pdf.get("pdf_sha256") != pdf_sha256):
        return "invalid"
    return "valid" if statuses_agree(logged[-1].get("status"), status) else "invalid"


def ring_of(keys: object) -> KeyRing | None:
    """The key ring of what a caller holds (a `KeyRing`, or anything with a `ring`), else None."""
    ring = getattr(keys, "ring", keys)
    return ring if isinstance(ring, KeyRing) else None


# --- helpers --------------------------------------------------------------------------------------


def _tree_at(session: Session, size: int | None, *, parameter: str) -> tuple[LogTree, int]:
    """The tree and the size asked for (default: the latest); 422 naming `parameter` beyond it."""
    latest = stored_size(session)
    if size is None:
        size = latest
    if not 0 < size <= latest:
        raise LogParameterInvalid(parameter, f"the log has {latest} leaves: needs 1 <= {parameter} <= {latest}")
    return LogTree(SqlNodeStore(session), size=latest), size


def _proof(tree: LogTree, index: int, data: bytes, size: int) -> InclusionProof:
    try:
        event = json.loads(data)
    except ValueError:
        event = None
    return InclusionProof(
        leaf_index=index,
        leaf_hash=b64(leaf_hash(data)),
        proof=[b64(h) for h in tree.inclusion_proof(index, size)],
        event=event if isinstance(event, dict) else None,
    )
