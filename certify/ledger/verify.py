"""Checking proofs as RFC 9162 sections 2.1.3.2 and 2.1.4.2 do; a failure raises `ProofError`.

Both functions return None when the proof holds, so a caller cannot forget to look at a result.
"""

from collections.abc import Sequence

from certify.ledger.errors import ProofError
from certify.ledger.merkle import HASH_SIZE, node_hash


def verify_inclusion(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Checks that the leaf `leaf_hash` sits at `index` in the tree of `size` leaves and `root`."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    _check_hash_sizes(leaf_hash, proof)
    computed = _root_from_inclusion_proof(index, size, leaf_hash, proof)
    if computed != root:
        raise ProofError(f"inclusion proof for leaf {index} of {size} leads to another root")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Checks that the tree of `size1` leaves and `root1` is a prefix of `size2` and `root2`."""
    if not 0 < size1 <= size2:
        raise ProofError(f"no consistency proof from {size1} to {size2} leaves exists")
    if size1 == size2:
        if proof:
            raise ProofError("trees of the same size need an empty consistency proof")
        if root1 != root2:
            raise ProofError(f"two different roots for the same tree of {size1} leaves")
        return
    if not proof:
        raise ProofError(f"empty consistency proof from {size1} to {size2} leaves")
    _check_hash_sizes(None, proof)
    computed1, computed2 = _roots_from_consistency_proof(size1, size2, root1, proof)
    if computed1 != root1:
        raise ProofError(f"consistency proof does not lead to the root of {size1} leaves")
    if computed2 != root2:
        raise ProofError(f"consistency proof does not lead to the root of {size2} leaves")


def _root_from_inclusion_proof(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 2.1.3.2 steps 2-5: the root the audit path leads to."""
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof for leaf {index} of {size} is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"inclusion proof for leaf {index} of {size} is too short")
    return r


def _roots_from_consistency_proof(size1: int, size2: int, root1: bytes, proof: Sequence[bytes]) -> tuple[bytes, bytes]:
    """RFC 9162 2.1.4.2 steps 2-7 for 0 < size1 < size2: the two roots the proof leads to."""
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # an exact power of two: the old tree is a node of the new
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof from {size1} to {size2} leaves is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"consistency proof from {size1} to {size2} leaves is too short")
    return fr, sr


def _check_hash_sizes(leaf_hash: bytes | None, proof: Sequence[bytes]) -> None:
    """Refuses a leaf hash or proof element that is not a SHA-256 hash."""
    if leaf_hash is not None and len(leaf_hash) != HASH_SIZE:
        raise ProofError(f"a leaf hash has {HASH_SIZE} bytes, not {len(leaf_hash)}")
    for position, element in enumerate(proof):
        if len(element) != HASH_SIZE:
            raise ProofError(f"proof element {position} has {len(element)} bytes, not {HASH_SIZE}")
