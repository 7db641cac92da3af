"""Where the hashes of perfect subtrees live, and how a range of leaves maps onto them.

A node `NodeId(level, index)` is the perfect subtree over leaves
[index * 2**level, (index + 1) * 2**level): level 0 holds the leaf hashes themselves. Once
written a node never changes, so the log stores each one once, when its last leaf arrives,
and every proof is assembled from O(log n) of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from certify.ledger.merkle import HASH_SIZE


@dataclass(frozen=True, slots=True)
class NodeId:
    """A perfect subtree: `2**level` leaves starting at leaf `index * 2**level`."""

    level: int
    index: int


class NodeReader(Protocol):
    """Reads stored perfect-subtree hashes; a proof needs one batch of them."""

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        """The hashes of `ids`, in the order asked; `KeyError` naming the first one missing."""
        ...


class NodeStore(NodeReader, Protocol):
    """Reads and appends perfect-subtree hashes (the service keeps them in SQL)."""

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]]) -> None:
        """Stores newly completed subtrees; one append writes 1 + (trailing ones of the index)."""
        ...


def perfect_subtrees(start: int, end: int) -> list[NodeId]:
    """The perfect subtrees, left to right, whose right fold is MTH(D[start:end]).

    Defined for the ranges RFC 6962's recursion produces: `start` is a multiple of the largest
    power of two not above `end - start` (a whole subtree or a subtree's ragged right edge).
    """
    if not 0 <= start < end:
        raise ValueError(f"not a range of leaves: [{start}, {end})")
    ids: list[NodeId] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start & ((1 << level) - 1):
            raise ValueError(f"[{start}, {end}) is not a subtree of the log")
        ids.append(NodeId(level, start >> level))
        start += 1 << level
    return ids


class MemoryNodeStore:
    """An in-memory `NodeStore`: one packed array of hashes per level (64 MB per million leaves).

    Nodes of a level must arrive in index order, as an append-only log writes them.
    """

    def __init__(self) -> None:
        self._levels: list[bytearray] = []

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        return [self._get(node) for node in ids]

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]]) -> None:
        for node, value in nodes:
            self._put(node, value)

    def _get(self, node: NodeId) -> bytes:
        level, index = node.level, node.index
        if level >= len(self._levels) or not 0 <= index < len(self._levels[level]) // HASH_SIZE:
            raise KeyError(node)
        offset = index * HASH_SIZE
        return bytes(self._levels[level][offset : offset + HASH_SIZE])

    def _put(self, node: NodeId, value: bytes) -> None:
        level, index = node.level, node.index
        if level < 0 or index < 0:
            raise ValueError(f"{node}: levels and indices are not negative")
        if len(value) != HASH_SIZE:
            raise ValueError(f"{node}: a node hash has {HASH_SIZE} bytes, not {len(value)}")
        while len(self._levels) <= level:
            self._levels.append(bytearray())
        stored = len(self._levels[level]) // HASH_SIZE
        if index == stored:
            self._levels[level] += value
        elif index > stored or self._get(node) != value:
            raise ValueError(f"{node}: nodes are appended in order and never rewritten")
