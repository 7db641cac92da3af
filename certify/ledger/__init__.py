"""The append-only Merkle log of RFC 6962 / RFC 9162: hashing, proofs, their verification.

Pure standard library, no I/O of its own: node hashes live behind the `NodeStore` protocol,
so the service can keep them in SQL and tests and benchmarks in memory.
"""

from certify.ledger.errors import LedgerError, ProofError, TreeSizeError
from certify.ledger.merkle import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, root
from certify.ledger.nodes import MemoryNodeStore, NodeId, NodeReader, NodeStore
from certify.ledger.proofs import consistency_proof, inclusion_proof, root_at
from certify.ledger.tree import LogTree
from certify.ledger.verify import verify_consistency, verify_inclusion

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LedgerError",
    "LogTree",
    "MemoryNodeStore",
    "NodeId",
    "NodeReader",
    "NodeStore",
    "ProofError",
    "TreeSizeError",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "root_at",
    "verify_consistency",
    "verify_inclusion",
]
