"""Why the log refuses.

LedgerError           every expected failure of the Merkle log
├── ProofError        a proof does not prove what it claims (tampered, truncated, wrong tree)
└── TreeSizeError     a proof was asked for leaves or sizes the tree does not have
"""


class LedgerError(Exception):
    """An expected failure of the Merkle log; the message says what is wrong."""


class ProofError(LedgerError):
    """An inclusion or consistency proof does not verify against the hashes given."""


class TreeSizeError(LedgerError, ValueError):
    """A leaf index or tree size lies outside what the tree holds or the RFC defines."""
