"""The append-only log: O(log n) appends over a `NodeStore`, proofs and roots at any size.

The tree keeps its right border (the compact range: the hashes of the perfect subtrees that
cut the leaves so far, largest first) so an append hashes only the subtrees it completes and
the root of the latest tree is a fold of at most log2(n) hashes.
"""

from collections.abc import Iterable

from certify.ledger import proofs
from certify.ledger.errors import TreeSizeError
from certify.ledger.merkle import HASH_SIZE, fold_right, node_hash
from certify.ledger.nodes import NodeId, NodeStore, perfect_subtrees


class LogTree:
    """A Merkle log of RFC 6962 whose perfect-subtree hashes are kept in `store`."""

    def __init__(self, store: NodeStore, *, size: int = 0) -> None:
        """Opens the log of `size` leaves already in `store` (popcount(size) node reads)."""
        if size < 0:
            raise TreeSizeError(f"a tree cannot have {size} leaves")
        self.store = store
        self._size = size
        self._border = store.get_nodes(perfect_subtrees(0, size)) if size else []

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> int:
        """Adds the leaf with this hash (see `merkle.leaf_hash`) and returns its index."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"a leaf hash has {HASH_SIZE} bytes, not {len(leaf_hash)}")
        index = self._size
        completed = [(NodeId(0, index), leaf_hash)]
        value, level, position = leaf_hash, 0, index
        while position & 1:  # a left sibling waits on the border: their parent is complete
            value = node_hash(self._border.pop(), value)
            level, position = level + 1, position >> 1
            completed.append((NodeId(level, position), value))
        self.store.put_nodes(completed)
        self._border.append(value)
        self._size = index + 1
        return index

    def extend(self, leaf_hashes: Iterable[bytes]) -> range:
        """Appends each leaf in turn; returns the range of their indices."""
        first = self._size
        for leaf in leaf_hashes:
            self.append(leaf)
        return range(first, self._size)

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all of them)."""
        if size is None or size == self._size:
            return fold_right(self._border)
        return proofs.root_at(self._within(size), self.store)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf `index` in the tree of `size` leaves (default: the latest)."""
        return proofs.inclusion_proof(index, self._within(size), self.store)

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """The proof that the tree of `size1` leaves is a prefix of the one of `size2`."""
        return proofs.consistency_proof(size1, self._within(size2), self.store)

    def _within(self, size: int | None) -> int:
        """`size`, or the latest size when None; refuses a size the log has not reached."""
        if size is None:
            return self._size
        if not 0 <= size <= self._size:
            raise TreeSizeError(f"the log has {self._size} leaves, not {size}")
        return size
