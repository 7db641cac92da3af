"""The Merkle log hashes, proves and verifies exactly as RFC 6962 / RFC 9162 define."""

import base64
import hashlib
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.ledger import (
    EMPTY_ROOT,
    LogTree,
    MemoryNodeStore,
    NodeId,
    ProofError,
    TreeSizeError,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent.parent / "data" / "merkle-vectors"

# The leaves of RFC 6962's reference tests, which the vectors' happy paths are built from.
RFC_LEAVES = [
    bytes.fromhex(hex_data)
    for hex_data in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                     "606162636465666768696a6b6c6d6e6f")
]  # fmt: skip
RFC_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


# --- RFC 6962 section 2.1, transcribed literally over lists: the reference to compare with ---


def rfc_mth(data: Sequence[bytes]) -> bytes:
    if not data:
        return hashlib.sha256(b"").digest()
    if len(data) == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1 << ((len(data) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + rfc_mth(data[:k]) + rfc_mth(data[k:])).digest()


def rfc_path(m: int, data: Sequence[bytes]) -> list[bytes]:
    if len(data) == 1:
        return []
    k = 1 << ((len(data) - 1).bit_length() - 1)
    if m < k:
        return [*rfc_path(m, data[:k]), rfc_mth(data[k:])]
    return [*rfc_path(m - k, data[k:]), rfc_mth(data[:k])]


def rfc_subproof(m: int, data: Sequence[bytes], complete: bool) -> list[bytes]:
    if m == len(data):
        return [] if complete else [rfc_mth(data)]
    k = 1 << ((len(data) - 1).bit_length() - 1)
    if m <= k:
        return [*rfc_subproof(m, data[:k], complete), rfc_mth(data[k:])]
    return [*rfc_subproof(m - k, data[k:], False), rfc_mth(data[:k])]


# --- helpers ---


def _log_of(data: Sequence[bytes]) -> LogTree:
    tree = LogTree(MemoryNodeStore())
    tree.extend(leaf_hash(item) for item in data)
    return tree


def _random_data(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(rng.randrange(0, 40)) for _ in range(count)]


def _flip_bit(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8 % len(changed)] ^= 1 << (bit % 8)
    return bytes(changed)


def _tamperings(proof: list[bytes], rng: random.Random) -> list[list[bytes]]:
    """Each element with a flipped bit, the proof cut short, and the proof with an extra hash."""
    altered = [[*proof[:i], _flip_bit(element, rng.randrange(256)), *proof[i + 1 :]] for i, element in enumerate(proof)]
    altered.append([*proof, rng.randbytes(32)])
    altered.append([rng.randbytes(32), *proof])
    if proof:
        altered.append(proof[:-1])
        altered.append(proof[1:])
    return altered


class CountingStore(MemoryNodeStore):
    """A memory store that remembers how it was used."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[int] = []
        self.writes: list[list[NodeId]] = []

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        self.reads.append(len(ids))
        return super().get_nodes(ids)

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]]) -> None:
        self.writes.append([node for node, _ in nodes])
        super().put_nodes(nodes)


# --- the shared test vectors ---


def _vector_files() -> list[Path]:
    return sorted(VECTORS.rglob("*.json"))


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _check_vector(vector: dict[str, Any]) -> None:
    proof = [_b64(element) for element in vector["proof"] or []]
    if "leafIdx" in vector:
        verify_inclusion(
            vector["leafIdx"], vector["treeSize"], _b64(vector["leafHash"]), proof,
            _b64(vector["root"]),
        )  # fmt: skip
    else:
        verify_consistency(vector["size1"], vector["size2"], proof, _b64(vector["root1"]), _b64(vector["root2"]))


def test_the_vectors_directory_holds_both_kinds_of_proof() -> None:
    """The vector set is present in full, so the parametrised test below cannot pass empty."""
    files = _vector_files()
    assert len(files) == 196
    assert {path.relative_to(VECTORS).parts[0] for path in files} == {"inclusion", "consistency"}


@pytest.mark.parametrize("path", _vector_files(), ids=lambda path: str(path.relative_to(VECTORS)))
def test_every_vector_is_accepted_or_rejected_as_its_file_says(path: Path) -> None:
    """A valid proof of the shared vectors verifies; each broken one raises ProofError."""
    vector = json.loads(path.read_text())
    if vector["wantErr"]:
        with pytest.raises(ProofError):
            _check_vector(vector)
    else:
        _check_vector(vector)


def _happy_paths() -> list[Path]:
    return [p for p in _vector_files() if p.name == "happy-path.json"]


@pytest.mark.parametrize("path", _happy_paths(), ids=lambda path: path.parent.name)
def test_the_log_generates_the_very_proofs_of_the_vectors(path: Path) -> None:
    """Built from RFC 6962's test leaves, the log gives each happy path's proof and roots."""
    vector = json.loads(path.read_text())
    tree = _log_of(RFC_LEAVES)
    proof = [_b64(element) for element in vector["proof"] or []]
    if "leafIdx" in vector:
        assert tree.inclusion_proof(vector["leafIdx"], vector["treeSize"]) == proof
        assert tree.root(vector["treeSize"]) == _b64(vector["root"])
        assert leaf_hash(RFC_LEAVES[vector["leafIdx"]]) == _b64(vector["leafHash"])
    else:
        assert tree.consistency_proof(vector["size1"], vector["size2"]) == proof
        assert tree.root(vector["size1"]) == _b64(vector["root1"])
        assert tree.root(vector["size2"]) == _b64(vector["root2"])


# --- hashing ---


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    """MTH({}) is SHA-256 of the empty string, for the function, the log and a new log."""
    empty = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert empty == EMPTY_ROOT
    assert root([]) == empty
    assert LogTree(MemoryNodeStore()).root() == empty


def test_the_rfc_6962_test_leaves_give_the_published_roots() -> None:
    """Every prefix of RFC 6962's test leaves has the root other implementations publish."""
    hashes = [leaf_hash(item) for item in RFC_LEAVES]
    tree = LogTree(MemoryNodeStore())
    for size, expected in RFC_ROOTS.items():
        tree.append(hashes[size - 1])
        assert root(hashes[:size]).hex() == expected
        assert tree.root().hex() == expected


def test_a_leaf_never_hashes_like_the_node_made_of_its_bytes() -> None:
    """The 0x00 / 0x01 prefixes keep a leaf from passing for an interior node."""
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert leaf_hash(left + right) != node_hash(left, right)
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()


# --- every proof of small random trees, against the literal RFC definitions ---


@pytest.mark.parametrize("size", range(1, 71))
def test_every_inclusion_proof_of_a_small_tree_is_the_rfc_path_and_verifies(size: int) -> None:
    """For each leaf: the proof equals PATH(m, D[n]) and verifies; tampering fails it."""
    data = _random_data(size, seed=size)
    tree, rng = _log_of(data), random.Random(size)
    top = tree.root()
    assert top == rfc_mth(data)
    for index, item in enumerate(data):
        proof = tree.inclusion_proof(index)
        assert proof == rfc_path(index, data)
        verify_inclusion(index, size, leaf_hash(item), proof, top)
        for altered in _tamperings(proof, rng):
            with pytest.raises(ProofError):
                verify_inclusion(index, size, leaf_hash(item), altered, top)
        for other in range(size):
            if other != index:
                with pytest.raises(ProofError):
                    verify_inclusion(other, size, leaf_hash(item), proof, top)
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaf_hash(item + b"!"), proof, top)
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaf_hash(item), proof, _flip_bit(top, index))


@pytest.mark.parametrize("size2", range(1, 71))
def test_every_consistency_proof_of_a_small_tree_is_the_rfc_proof_and_verifies(
    size2: int,
) -> None:
    """For each m <= n: the proof equals PROOF(m, D[n]) and verifies; tampering fails it."""
    data = _random_data(size2, seed=1000 + size2)
    tree, rng = _log_of(data), random.Random(size2)
    root2 = tree.root()
    for size1 in range(1, size2 + 1):
        proof = tree.consistency_proof(size1, size2)
        assert proof == rfc_subproof(size1, data, complete=True)
        root1 = tree.root(size1)
        assert root1 == rfc_mth(data[:size1])
        verify_consistency(size1, size2, proof, root1, root2)
        for altered in _tamperings(proof, rng):
            with pytest.raises(ProofError):
                verify_consistency(size1, size2, altered, root1, root2)
        with pytest.raises(ProofError):
            verify_consistency(size1, size2, proof, _flip_bit(root1, size1), root2)
        with pytest.raises(ProofError):
            verify_consistency(size1, size2, proof, root1, _flip_bit(root2, size1))
        if size1 < size2:
            with pytest.raises(ProofError):
                verify_consistency(size1, size2, proof, root2, root1)
            with pytest.raises(ProofError):
                verify_consistency(size1, size2, proof, tree.root(size1 - 1), root2)


# --- properties ---


leaf_data = st.lists(st.binary(max_size=24), min_size=1, max_size=300)


@given(data=leaf_data, pick=st.data())
def test_any_leaf_of_any_log_is_proven_in_any_later_tree(data: list[bytes], pick: st.DataObject) -> None:
    """Whatever the leaves, a leaf's proof in any tree that contains it verifies."""
    tree = _log_of(data)
    size = pick.draw(st.integers(1, len(data)), label="size")
    index = pick.draw(st.integers(0, size - 1), label="index")
    assert tree.root(size) == root([leaf_hash(item) for item in data[:size]])
    verify_inclusion(index, size, leaf_hash(data[index]), tree.inclusion_proof(index, size), tree.root(size))


@given(data=leaf_data, pick=st.data())
def test_a_rewritten_history_fails_every_consistency_proof(data: list[bytes], pick: st.DataObject) -> None:
    """A log whose first size1 leaves were changed cannot prove itself a continuation."""
    size1 = pick.draw(st.integers(1, len(data)), label="size1")
    victim = pick.draw(st.integers(0, size1 - 1), label="victim")
    honest = _log_of(data)
    forged_data = [*data[:victim], data[victim] + b"forged", *data[victim + 1 :]]
    forged = _log_of(forged_data)
    proof = forged.consistency_proof(size1)
    if size1 < len(data):
        verify_consistency(size1, len(data), proof, forged.root(size1), forged.root())
    with pytest.raises(ProofError):
        verify_consistency(size1, len(data), proof, honest.root(size1), forged.root())


@given(data=leaf_data, pick=st.data())
def test_a_log_reopened_from_its_store_continues_as_if_never_closed(data: list[bytes], pick: st.DataObject) -> None:
    """Opening the store at its size rebuilds the border: later appends give the same roots."""
    cut = pick.draw(st.integers(0, len(data)), label="cut")
    store = MemoryNodeStore()
    LogTree(store).extend(leaf_hash(item) for item in data[:cut])
    reopened = LogTree(store, size=cut)
    assert reopened.extend(leaf_hash(item) for item in data[cut:]) == range(cut, len(data))
    assert reopened.root() == _log_of(data).root()


# --- cost and refusals ---


def test_an_append_writes_only_the_subtrees_it_completes_and_reads_nothing() -> None:
    """Leaf i stores 1 + (trailing ones of i) nodes, each perfect subtree exactly once."""
    store = CountingStore()
    tree = LogTree(store)
    for index in range(1000):
        tree.append(leaf_hash(index.to_bytes(4, "big")))
        trailing_ones = (index ^ (index + 1)).bit_length() - 1
        assert len(store.writes[-1]) == 1 + trailing_ones
    assert store.reads == []
    written = [node for batch in store.writes for node in batch]
    assert len(written) == len(set(written)) == 2 * 1000 - bin(1000).count("1")


def test_a_proof_reads_its_nodes_in_one_batch_of_logarithmic_size() -> None:
    """The service's SQL store answers each proof or old root with a single query."""
    store = CountingStore()
    tree = LogTree(store)
    tree.extend(leaf_hash(index.to_bytes(4, "big")) for index in range(5000))
    store.reads.clear()
    tree.inclusion_proof(1234, 4321)
    tree.consistency_proof(1234, 4321)
    tree.root(4321)
    assert len(store.reads) == 3
    assert max(store.reads) <= 2 * (4321).bit_length()


def test_proofs_outside_the_log_are_refused_with_the_sizes_named() -> None:
    """Leaves or sizes the log does not have, or a proof from the empty tree, are refused."""
    tree = _log_of(RFC_LEAVES)
    refusals: list[Callable[[], object]] = [
        lambda: tree.inclusion_proof(8),
        lambda: tree.inclusion_proof(-1),
        lambda: tree.inclusion_proof(0, 9),
        lambda: tree.consistency_proof(0, 8),
        lambda: tree.consistency_proof(5, 4),
        lambda: tree.consistency_proof(2, 9),
        lambda: tree.root(9),
    ]
    for refusal in refusals:
        with pytest.raises(TreeSizeError):
            refusal()
    with pytest.raises(TreeSizeError, match="the log has 8 leaves, not 9"):
        tree.root(9)


def test_a_stored_node_is_never_rewritten() -> None:
    """The memory store keeps nodes append-only: a different hash for a node is refused."""
    store = MemoryNodeStore()
    LogTree(store).extend([leaf_hash(b"a"), leaf_hash(b"b")])
    store.put_nodes([(NodeId(0, 0), leaf_hash(b"a"))])
    with pytest.raises(ValueError, match="never rewritten"):
        store.put_nodes([(NodeId(0, 0), leaf_hash(b"z"))])
    with pytest.raises(ValueError, match="in order"):
        store.put_nodes([(NodeId(0, 5), leaf_hash(b"z"))])
