"""Inclusion and consistency proofs (RFC 6962 section 2.1.1 / 2.1.2), read from stored nodes.

Each proof element is MTH of a range of leaves that RFC 6962's recursion names; every such
range is a stored perfect subtree or the ragged right edge of the tree, itself a right fold of
perfect subtrees. A proof therefore costs one batch of O(log n) node reads and O(log n) hashes.
"""

from certify.ledger.errors import TreeSizeError
from certify.ledger.merkle import EMPTY_ROOT, fold_right, largest_power_of_two_below
from certify.ledger.nodes import NodeId, NodeReader, perfect_subtrees


def inclusion_proof(index: int, size: int, nodes: NodeReader) -> list[bytes]:
    """PATH(index, D[size]): the audit path of leaf `index` in the tree of the first `size` leaves.

    Hashes ordered from the leaf's sibling up to the root's child, as RFC 9162 verifies them.
    """
    if not 0 <= index < size:
        raise TreeSizeError(f"leaf index {index} is not in a tree of {size} leaves")
    return _hashes_of(_inclusion_ranges(index, 0, size), nodes)


def consistency_proof(size1: int, size2: int, nodes: NodeReader) -> list[bytes]:
    """PROOF(size1, D[size2]): that the tree of `size1` leaves is a prefix of the one of `size2`.

    Empty when the sizes are equal. RFC 9162 defines no proof from the empty tree.
    """
    if not 0 < size1 <= size2:
        raise TreeSizeError(f"no consistency proof from {size1} to {size2} leaves: needs 0 < first <= second")
    ranges: list[tuple[int, int]] = []
    if size1 < size2:
        _consistency_ranges(size1, 0, size2, complete=True, out=ranges)
    return _hashes_of(ranges, nodes)


def root_at(size: int, nodes: NodeReader) -> bytes:
    """MTH(D[size]) of the first `size` leaves, from popcount(size) stored nodes."""
    if size < 0:
        raise TreeSizeError(f"a tree cannot have {size} leaves")
    if size == 0:
        return EMPTY_ROOT
    return fold_right(nodes.get_nodes(perfect_subtrees(0, size)))


def _inclusion_ranges(index: int, start: int, end: int) -> list[tuple[int, int]]:
    """The [start, end) ranges whose MTH form PATH(index - start, D[start:end]), bottom-up."""
    ranges: list[tuple[int, int]] = []
    while end - start > 1:
        split = start + largest_power_of_two_below(end - start)
        if index < split:
            ranges.append((split, end))
            end = split
        else:
            ranges.append((start, split))
            start = split
    ranges.reverse()
    return ranges


def _consistency_ranges(m: int, start: int, end: int, *, complete: bool, out: list[tuple[int, int]]) -> None:
    """Appends the ranges of SUBPROOF(m, D[start:end], complete) to `out`, in RFC order."""
    if m == end - start:
        if not complete:
            out.append((start, end))
        return
    split = start + largest_power_of_two_below(end - start)
    if m <= split - start:
        _consistency_ranges(m, start, split, complete=complete, out=out)
        out.append((split, end))
    else:
        _consistency_ranges(m - (split - start), split, end, complete=False, out=out)
        out.append((start, split))


def _hashes_of(ranges: list[tuple[int, int]], nodes: NodeReader) -> list[bytes]:
    """MTH of each range, reading every node needed in one batch."""
    pieces = [perfect_subtrees(start, end) for start, end in ranges]
    wanted: list[NodeId] = [node for piece in pieces for node in piece]
    found = dict(zip(wanted, nodes.get_nodes(wanted), strict=True))
    return [fold_right([found[node] for node in piece]) for piece in pieces]
