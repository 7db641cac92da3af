"""The log kept in SQL: its leaves, its perfect-subtree hashes and its size, on SQLite or PostgreSQL.

    log_leaves  leaf_index → certificate_id, data (the canonical JSON bytes of the event)
    log_nodes   (level, idx) → hash of the perfect subtree; level 0 holds the leaf hashes
    log_size    one row (id 1): the number of leaves; the appenders' lock

Appends take the `log_size` row first (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, which holds
its lock until the transaction ends), so concurrent appenders queue and each reopens the tree at
the size it was given. The migration installs triggers that refuse UPDATE and DELETE on the
leaves and nodes: a rewrite needs someone who can drop them, and the signed tree heads show it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    and_,
    insert,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from certify.ledger.merkle import HASH_SIZE
from certify.ledger.nodes import NodeId

log_leaves = Table(
    "log_leaves",
    SQLModel.metadata,
    Column("leaf_index", BigInteger, primary_key=True, autoincrement=False),
    Column("certificate_id", String(32), nullable=False, index=True),
    Column("data", LargeBinary, nullable=False),
)

log_nodes = Table(
    "log_nodes",
    SQLModel.metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(HASH_SIZE), nullable=False),
)

log_size = Table(
    "log_size",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
)

_SIZE_ROW = 1


class SqlNodeStore:
    """A `NodeStore` over the `log_nodes` table, read and written in the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        """The hashes of `ids` in the order asked, in one query; `KeyError` for a missing one."""
        if not ids:
            return []
        keys = sorted({(node.level, node.index) for node in ids})
        rows = self.session.execute(
            select(log_nodes.c.level, log_nodes.c.idx, log_nodes.c.hash).where(
                # an OR of primary-key lookups: SQLite scans the table for a row-value IN list
                or_(*(and_(log_nodes.c.level == level, log_nodes.c.idx == index) for level, index in keys))
            )
        ).all()
        found = {(level, index): bytes(value) for level, index, value in rows}
        try:
            return [found[(node.level, node.index)] for node in ids]
        except KeyError:
            missing = next(node for node in ids if (node.level, node.index) not in found)
            raise KeyError(missing) from None

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]]) -> None:
        """Inserts newly completed subtrees (one statement); a stored node is never rewritten."""
        for node, value in nodes:
            if node.level < 0 or node.index < 0 or len(value) != HASH_SIZE:
                raise ValueError(f"{node}: not a node of the log ({len(value)}-byte hash)")
        if nodes:
            self.session.execute(
                insert(log_nodes),
                [{"level": node.level, "idx": node.index, "hash": value} for node, value in nodes],
            )


class RememberingNodeStore(SqlNodeStore):
    """A `SqlNodeStore` that answers again, without a query, the nodes it has read or written:
    a stored node never changes. For the few appends and proofs of one transaction (an issuance:
    its two leaves and the proof the PDF carries need the same O(log n) nodes); it keeps what it
    saw, so it is dropped with the transaction, never kept across requests."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._seen: dict[NodeId, bytes] = {}

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        unseen = [node for node in ids if node not in self._seen]
        if unseen:
            self._seen.update(zip(unseen, super().get_nodes(unseen), strict=True))
        return [self._seen[node] for node in ids]

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]]) -> None:
        super().put_nodes(nodes)
        self._seen.update(nodes)


def stored_size(session: Session) -> int:
    """The number of leaves committed (or appended in this transaction)."""
    size = session.execute(select(log_size.c.size).where(log_size.c.id == _SIZE_ROW)).scalar()
    return int(size or 0)


def claim_next_index(session: Session) -> int:
    """The index of the next leaf, counted in and locked until this transaction ends."""
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        upsert(log_size)
        .values(id=_SIZE_ROW, size=1)
        .on_conflict_do_update(index_elements=["id"], set_={"size": log_size.c.size + 1})
        .returning(log_size.c.size)
    )
    size: int = session.execute(statement).scalar_one()
    return size - 1


def add_leaf(session: Session, *, index: int, certificate_id: str, data: bytes) -> None:
    """Stores the data of leaf `index` (its hash goes to `log_nodes` through the tree)."""
    session.execute(insert(log_leaves).values(leaf_index=index, certificate_id=certificate_id, data=data))


def leaves_between(session: Session, start: int, end: int) -> list[tuple[int, bytes]]:
    """(index, data) of the stored leaves in [start, end), in index order."""
    rows = session.execute(
        select(log_leaves.c.leaf_index, log_leaves.c.data)
        .where(log_leaves.c.leaf_index >= start, log_leaves.c.leaf_index < end)
        .order_by(log_leaves.c.leaf_index)
    ).all()
    return [(int(index), bytes(data)) for index, data in rows]


def leaves_of(session: Session, certificate_id: str, below: int) -> list[tuple[int, bytes]]:
    """(index, data) of the leaves of one certificate among the first `below`, in index order."""
    rows = session.execute(
        select(log_leaves.c.leaf_index, log_leaves.c.data)
        .where(log_leaves.c.certificate_id == certificate_id, log_leaves.c.leaf_index < below)
        .order_by(log_leaves.c.leaf_index)
    ).all()
    return [(int(index), bytes(data)) for index, data in rows]
