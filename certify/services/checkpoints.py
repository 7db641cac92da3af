"""Checkpoints: the log's signed tree heads, signed at most once per interval and kept.

A reader asking for the latest head gets the latest checkpoint; a new one is signed only when
the log has grown since it AND it is older than `CERTIFY_CHECKPOINT_SECONDS` (default 60). So
the timestamp of a head is the moment it was signed, a head is never signed on request for an
arbitrary size, and heads are not minted as fast as requests come. Earlier checkpoints are
served by size, for consistency proofs between heads an auditor saw. Issuance also keeps the
head of the tree its `issued` leaf ends (the PDF carries it), and a server signs one on shutdown
so that nothing appended stays unsigned.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from certify.ledger import LogTree
from certify.ledger.sql import SqlNodeStore, stored_size
from certify.proofs import SignedTreeHead, b64
from certify.signing import KeyRing
from certify.signing.jwk import rfc3339
from certify.store.database import Database
from certify.store.tables import TreeHead

DEFAULT_INTERVAL = 60.0


def sign_tree_head(*, size: int, root: bytes, keys: KeyRing, now: datetime) -> SignedTreeHead:
    with keys.signing() as signer:
        unsigned = {"size": size, "root_hash": b64(root), "timestamp": rfc3339(now), "key_id": signer.kid}
        return SignedTreeHead(**unsigned, signature=signer.sign(unsigned))


def keep(session: Session, head: SignedTreeHead, *, now: datetime) -> None:
    """Store `head` as a checkpoint (the first one signed for a size stays)."""
    row = {**head.model_dump(), "signed_at": now}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(TreeHead).values(**row).on_conflict_do_nothing(index_elements=["size"]))


def _public(row: TreeHead) -> SignedTreeHead:
    return SignedTreeHead(
        size=row.size, root_hash=row.root_hash, timestamp=row.timestamp, key_id=row.key_id, signature=row.signature
    )


def latest_kept(session: Session) -> TreeHead | None:
    return session.exec(select(TreeHead).order_by(col(TreeHead.size).desc()).limit(1)).first()


def kept(session: Session, size: int) -> SignedTreeHead | None:
    """The checkpoint of `size` leaves, if one was signed."""
    row = session.get(TreeHead, size)
    return None if row is None else _public(row)


def nearest(session: Session, size: int) -> tuple[int | None, int | None]:
    """The sizes of the checkpoints just below and just above `size` (None: there is none)."""
    below = session.exec(
        select(col(TreeHead.size)).where(col(TreeHead.size) < size).order_by(col(TreeHead.size).desc()).limit(1)
    ).first()
    above = session.exec(
        select(col(TreeHead.size)).where(col(TreeHead.size) > size).order_by(col(TreeHead.size)).limit(1)
    ).first()
    return below, above


def latest(*, database: Database, keys: KeyRing | None, now: datetime, interval: float) -> SignedTreeHead | None:
    """The latest checkpoint, after signing a new one if the log grew and the last one is at
    least `interval` seconds old (or there is none). None: no checkpoint and no key to sign one."""
    with database.read() as session:
        last = latest_kept(session)
        size = stored_size(session)
    due = last is None or (size > last.size and now - last.signed_at >= timedelta(seconds=interval))
    if not due or keys is None:
        return None if last is None else _public(last)
    return checkpoint(database=database, keys=keys, now=now)


def checkpoint(*, database: Database, keys: KeyRing, now: datetime) -> SignedTreeHead:
    """Sign and keep the head of the log as it is now (a shutdown's, or one falling due)."""
    with database.write() as session:
        size = stored_size(session)
        existing = kept(session, size)
        if existing is not None:
            return existing
        head = sign_tree_head(size=size, root=LogTree(SqlNodeStore(session), size=size).root(), keys=keys, now=now)
        keep(session, head, now=now)
        return head
