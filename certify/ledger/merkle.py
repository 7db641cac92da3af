"""RFC 6962 / RFC 9162 section 2.1 hashing: leaves, interior nodes and the Merkle Tree Hash."""

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
"""Bytes in a SHA-256 hash: every leaf hash, node hash and root."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH({}): the root of the empty tree, SHA-256 of the empty string."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d): the hash of one leaf's data."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962's split: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the leaves whose hashes are given, in O(n) time and O(log n) memory.

    Folds the leaves into perfect subtrees as they come (the tree's right border), then joins
    the border from the right: the same value as RFC 6962's recursive definition.
    """
    border: list[tuple[int, bytes]] = []  # (number of leaves, hash) of perfect subtrees
    for leaf in leaf_hashes:
        count, value = 1, leaf
        while border and border[-1][0] == count:
            left_count, left = border.pop()
            count, value = left_count + count, node_hash(left, value)
        border.append((count, value))
    return fold_right([value for _, value in border])


def fold_right(subtree_hashes: Sequence[bytes]) -> bytes:
    """The hash of a tree whose perfect subtrees, left to right and shrinking, are given.

    MTH(D[start:end]) for a range cut into perfect subtrees by RFC 6962's largest-power-of-two
    split is H(P0, H(P1, ... H(Pk-1, Pk))); no subtree at all is the empty tree.
    """
    if not subtree_hashes:
        return EMPTY_ROOT
    value = subtree_hashes[-1]
    for left in reversed(subtree_hashes[:-1]):
        value = node_hash(left, value)
    return value
