"""The log kept in SQL on both back ends: the same tree as the reference, one query per proof,
appends that queue under concurrency, roll back with their transaction, and are never rewritten."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from certify.ledger import LogTree, MemoryNodeStore, NodeId, leaf_hash, root, verify_consistency, verify_inclusion
from certify.ledger.sql import RememberingNodeStore, SqlNodeStore, leaves_between, stored_size
from certify.services.log import append_event, event_data
from certify.store.database import Database

AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _append(session: Any, number: int, event: str = "issued", store: SqlNodeStore | None = None) -> int:
    return append_event(
        session,
        certificate_id=f"IDC-2026-TEST-{number:04d}-X",
        event=event,
        at=AT,
        record_sha256=f"{number:064x}",
        pdf_sha256=None,
        status="valid",
        store=store,
    )


def _leaf_data(database: Database) -> list[bytes]:
    with database.read() as session:
        return [data for _, data in leaves_between(session, 0, stored_size(session))]


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def test_the_sql_log_grows_the_same_tree_as_the_reference_and_its_proofs_verify(database: Database) -> None:
    """37 appends, one transaction each: every root, inclusion and consistency proof matches."""
    reference = LogTree(MemoryNodeStore())
    for number in range(37):
        with database.write() as session:
            assert _append(session, number) == number
    data = _leaf_data(database)
    for leaf in data:
        reference.append(leaf_hash(leaf))
    with database.read() as session:
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        for size in range(1, 38):
            assert tree.root(size) == reference.root(size) == root([leaf_hash(d) for d in data[:size]])
            for index in (0, size // 2, size - 1):
                proof = tree.inclusion_proof(index, size)
                assert proof == reference.inclusion_proof(index, size)
                verify_inclusion(index, size, leaf_hash(data[index]), proof, tree.root(size))
            for first in (1, size // 2 or 1, size):
                proof = tree.consistency_proof(first, size)
                verify_consistency(first, size, proof, tree.root(first), tree.root(size))


def test_a_leaf_is_the_canonical_json_of_its_event(database: Database) -> None:
    """The stored bytes are exactly RFC 8785 JSON of the event, with the time in RFC 3339."""
    with database.write() as session:
        append_event(
            session,
            certificate_id="IDC-2026-7KQ3-9XHD-V",
            event="pdf",
            at=AT,
            record_sha256="ab" * 32,
            pdf_sha256="cd" * 32,
            status="valid",
        )
    (data,) = _leaf_data(database)
    assert data == event_data(
        certificate_id="IDC-2026-7KQ3-9XHD-V",
        event="pdf",
        at=AT,
        record_sha256="ab" * 32,
        pdf_sha256="cd" * 32,
        status="valid",
    )
    assert json.loads(data) == {
        "certificate_id": "IDC-2026-7KQ3-9XHD-V",
        "event": "pdf",
        "time": "2026-03-01T08:00:00Z",
        "record_sha256": "ab" * 32,
        "pdf_sha256": "cd" * 32,
        "status": "valid",
    }
    assert data == json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()


def test_a_proof_reads_its_nodes_in_one_query(database: Database) -> None:
    """An inclusion proof at 100 leaves, and a consistency proof, each cost one SELECT."""
    with database.write() as session:
        for number in range(100):
            _append(session, number)
    with database.read() as session:
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        with _statements(database) as seen:
            proof = tree.inclusion_proof(37, 100)
        assert len(proof) == 7 and len(seen) == 1
        with _statements(database) as seen:
            tree.consistency_proof(37, 100)
        assert len(seen) == 1


def test_an_append_writes_a_logarithmic_number_of_rows(database: Database) -> None:
    """Appending leaf 63 (completing subtrees of 2..64 leaves) is a handful of statements."""
    with database.write() as session:
        for number in range(63):
            _append(session, number)
    with database.write() as session, _statements(database) as seen:
        _append(session, 63)
    inserts = [s for s in seen if s.lstrip().upper().startswith(("INSERT", "SELECT"))]
    assert len(inserts) <= 5
    with database.read() as session:
        assert SqlNodeStore(session).get_nodes([NodeId(6, 0)])[0] == root([leaf_hash(d) for d in _leaf_data(database)])


@pytest.mark.parametrize("before", [0, 1, 37, 63, 64])
def test_an_issuance_reads_the_log_nodes_once_for_its_two_leaves_and_its_proof(database: Database, before: int) -> None:
    """The `issued` leaf, the proof of it the PDF carries and the `pdf` leaf, appended in one
    transaction through one remembering store: one SELECT of nodes (none on an empty log), and
    the same proof and tree as read back afterwards."""
    with database.write() as session:
        for number in range(before):
            _append(session, number)
    with database.write() as session, _statements(database) as seen:
        store = RememberingNodeStore(session)
        issued = _append(session, before, "issued", store)
        proof = LogTree(store, size=issued + 1).inclusion_proof(issued, issued + 1)
        assert _append(session, before, "pdf", store) == issued + 1
    assert len([s for s in seen if "FROM log_nodes" in s]) == (1 if before else 0)
    data = _leaf_data(database)
    with database.read() as session:
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        assert proof == tree.inclusion_proof(issued, issued + 1)
        assert tree.root() == root([leaf_hash(d) for d in data])


def test_a_missing_node_is_a_key_error_naming_it(database: Database) -> None:
    """Asking for a subtree the log has not completed raises KeyError with its id."""
    with database.write() as session:
        _append(session, 0)
    with database.read() as session, pytest.raises(KeyError, match="level=1"):
        SqlNodeStore(session).get_nodes([NodeId(0, 0), NodeId(1, 0)])


def test_a_rolled_back_issuance_takes_its_leaf_with_it(database: Database) -> None:
    """The leaf of a failed transaction vanishes; the next append takes its index."""
    with database.write() as session:
        _append(session, 0)
    with pytest.raises(RuntimeError), database.write() as session:
        assert _append(session, 1) == 1
        raise RuntimeError("the PDF could not be rendered")
    with database.write() as session:
        assert _append(session, 2) == 1
    assert [json.loads(d)["record_sha256"] for d in _leaf_data(database)] == [f"{0:064x}", f"{2:064x}"]


def test_concurrent_appenders_queue_and_the_tree_stays_whole(database: Database) -> None:
    """Sixteen threads append two leaves each in their own transactions: indices 0..31, one root."""
    barrier = Barrier(8, timeout=120)

    def issue(number: int) -> tuple[int, int]:
        if number < 8:
            barrier.wait()
        with database.write() as session:
            return _append(session, number, "issued"), _append(session, number, "pdf")

    with ThreadPoolExecutor(max_workers=8) as pool:
        pairs = list(pool.map(issue, range(16)))
    assert sorted(i for pair in pairs for i in pair) == list(range(32))
    assert all(second == first + 1 for first, second in pairs)  # a transaction's leaves are adjacent
    data = _leaf_data(database)
    with database.read() as session:
        tree = LogTree(SqlNodeStore(session), size=stored_size(session))
        assert tree.size == 32
        assert tree.root() == root([leaf_hash(d) for d in data])


def test_the_log_refuses_updates_and_deletes(database: Database) -> None:
    """Triggers stop any UPDATE or DELETE of leaves or nodes, whoever sends it."""
    with database.write() as session:
        _append(session, 0)
    for statement in (
        "UPDATE log_leaves SET data = X'00'",
        "DELETE FROM log_leaves",
        "UPDATE log_nodes SET hash = hash",
        "DELETE FROM log_nodes",
    ):
        if database.dialect == "postgresql":
            statement = statement.replace("X'00'", "'\\x00'::bytea")
        with pytest.raises(DBAPIError, match="append-only"), database.write() as session:
            session.exec(text(statement))  # type: ignore[call-overload]
    assert len(_leaf_data(database)) == 1
