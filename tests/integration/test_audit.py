"""`certify audit` against a real server (uvicorn in a thread, on 127.0.0.1, over the test's
database on both back ends, keys in a temp data dir): a clean log passes, and every way of editing
the registry behind the service's back is caught: an altered event, a deleted one, two reordered,
a status changed in the database, and a history rewritten down to its hashes."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import text

from certify.app import create_app
from certify.cli import audit, main
from certify.config import Settings
from certify.ledger import LogTree, MemoryNodeStore, NodeId, leaf_hash
from certify.rulebook import Rulebook
from certify.services import certificates, inspections
from certify.services.decisions import decide
from certify.services.models import CertificatePublic, DecisionCreate, InspectionCreate
from certify.store.database import Database
from tests.api.conftest import CERTIFIED_FURNITURE, World, build_world, inspection_body


def _fake_pdf(**_: Any) -> bytes:
    return b"%PDF-1.7 a certificate rendered elsewhere"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", render_workers=0)


@pytest.fixture
def server(database: Database, settings: Settings, rulebook: Rulebook) -> Iterator[str]:
    """The service over the test's database, served by uvicorn on a free port of 127.0.0.1."""
    app = create_app(settings, database=database, rulebook=rulebook)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def registry(database: Database, settings: Settings, rulebook: Rulebook) -> list[str]:
    """Three certificates: Jepara's first (superseded by its second), Bali's (then withdrawn)."""
    world = build_world(database)
    issuance = certificates.Issuance.from_settings(settings, render=_fake_pdf)
    ids = [
        _issue(database, rulebook, world, product, issuance)
        for product in ("jepara_furniture", "bali_furniture", "jepara_furniture")
    ]
    certificates.change_status(
        database=database,
        actor=world["certifier"].user,
        certificate_id=ids[1],
        action="withdraw",
        reason="the workshop closed",
    )
    return ids


def _issue(database: Database, rulebook: Rulebook, world: World, product: str, issuance: certificates.Issuance) -> str:
    body = InspectionCreate.model_validate(
        inspection_body(world, rulebook, world.products[product], CERTIFIED_FURNITURE)
    )
    submitted = inspections.submit_inspection(
        database=database, standards=rulebook, inspector=world["inspector"].user, body=body
    )
    issued = decide(
        database=database,
        standards=rulebook,
        certifier=world["certifier"].user,
        inspection_id=submitted.inspection["id"],
        decision=DecisionCreate(decision="issue"),
        issuance=issuance,
    )
    assert isinstance(issued, CertificatePublic) and issued.certificate_id is not None
    return issued.certificate_id


def _audit(server: str, state: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["audit", "--server", server, "--state", str(state)])
    captured = capsys.readouterr()
    return status, (captured.out + captured.err).splitlines()


def _behind_the_back(database: Database, *statements: tuple[str, dict[str, Any]]) -> None:
    """What an operator with database access could do: bypass the append-only triggers."""
    with database.engine.begin() as connection:
        if database.dialect == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for table in ("log_leaves", "log_nodes"):
                for verb in ("update", "delete"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
        for statement, params in statements:
            connection.execute(text(statement), params)


def _leaves(database: Database) -> list[bytes]:
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT data FROM log_leaves ORDER BY leaf_index")).all()
    return [bytes(row[0]) for row in rows]


def test_a_clean_log_passes_and_its_head_is_kept(
    server: str, registry: list[str], database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0 twice (the second run checks consistency with the first), the state holds the head."""
    state = tmp_path / "head.json"
    assert _audit(server, state, capsys) == (0, [f"ok: the log of {server} checks out"])
    kept = json.loads(state.read_text())
    events = [json.loads(d)["event"] for d in _leaves(database)]
    assert kept["size"] == len(events) == 8
    assert events == ["issued", "pdf", "issued", "pdf", "issued", "pdf", "superseded", "withdrawn"]
    assert _audit(server, state, capsys)[0] == 0


def test_an_altered_event_is_detected(
    server: str, registry: list[str], database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaf 7 rewritten from "withdrawn" to "valid" (and the registry to match): the root breaks."""
    forged = _leaves(database)[7].replace(b'"status":"withdrawn"', b'"status":"valid"')
    _behind_the_back(
        database,
        ("UPDATE log_leaves SET data = :data WHERE leaf_index = 7", {"data": forged}),
        ("UPDATE certificates SET status = 'valid' WHERE certificate_id = :id", {"id": registry[1]}),
    )
    status, lines = _audit(server, tmp_path / "head.json", capsys)
    assert status == 1
    assert lines == ["the 8 leaves do not hash to the signed root: a logged event was altered, removed or moved"]
    assert not (tmp_path / "head.json").exists()


def test_a_deleted_event_is_detected(
    server: str, registry: list[str], database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaf 3 deleted: the server skips it, and the audit names it."""
    _behind_the_back(database, ("DELETE FROM log_leaves WHERE leaf_index = 3", {}))
    status, lines = _audit(server, tmp_path / "head.json", capsys)
    assert status == 1 and lines[0] == "leaf 3 is missing from the log (the server skips to 4)"


def test_two_reordered_events_are_detected(
    server: str, registry: list[str], database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaves 1 and 2 swapped: every event is still there, but not where it was signed."""
    data = _leaves(database)
    _behind_the_back(
        database,
        *[
            ("UPDATE log_leaves SET data = :data WHERE leaf_index = :index", {"data": data[j], "index": i})
            for i, j in ((1, 2), (2, 1))
        ],
    )
    status, lines = _audit(server, tmp_path / "head.json", capsys)
    assert status == 1 and lines[0].startswith("the 8 leaves do not hash to the signed root")


def test_a_status_changed_in_the_database_is_detected(
    server: str, registry: list[str], database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The withdrawn certificate set back to valid, and the current one terminated, by SQL."""
    _behind_the_back(
        database,
        ("UPDATE certificates SET status = 'valid' WHERE certificate_id = :id", {"id": registry[1]}),
        ("UPDATE certificates SET status = 'withdrawn' WHERE certificate_id = :id", {"id": registry[2]}),
    )
    status, lines = _audit(server, tmp_path / "head.json", capsys)
    assert status == 1
    assert sorted(lines) == sorted(
        [
            f"{registry[1]}: the registry says valid, the log says withdrawn",
            f"{registry[2]}: the registry says withdrawn, the log says valid",
        ]
    )


def test_a_history_rewritten_down_to_its_hashes_breaks_consistency_with_the_last_head(
    server: str, registry: list[str], database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leaf 7 and every node recomputed: the new root matches its leaves, but not the head of 8
    leaves the log signed and kept before (the auditor's saved head is that one too)."""
    state = tmp_path / "head.json"
    assert _audit(server, state, capsys)[0] == 0
    data = _leaves(database)
    data[7] = data[7].replace(b'"status":"withdrawn"', b'"status":"valid"')
    tree = LogTree(MemoryNodeStore())
    tree.extend(leaf_hash(d) for d in data)
    nodes = tree.store.get_nodes(_all_nodes(len(data)))
    _behind_the_back(
        database,
        ("UPDATE log_leaves SET data = :data WHERE leaf_index = 7", {"data": data[7]}),
        ("DELETE FROM log_nodes", {}),
        *[
            (
                "INSERT INTO log_nodes (level, idx, hash) VALUES (:level, :idx, :hash)",
                {"level": n.level, "idx": n.index, "hash": h},
            )
            for n, h in zip(_all_nodes(len(data)), nodes, strict=True)
        ],
        ("UPDATE certificates SET status = 'valid' WHERE certificate_id = :id", {"id": registry[1]}),
    )
    status, lines = _audit(server, state, capsys)
    assert status == 1
    assert lines == ["the 8 leaves do not hash to the signed root: a logged event was altered, removed or moved"]


def _all_nodes(size: int) -> list[NodeId]:
    return [NodeId(level, index) for level in range(size.bit_length()) for index in range(size >> level)]


@pytest.mark.parametrize("page", [{"leaves": [1]}, {"leaves": "xy"}, {"leaves": [{"index": 0, "data": 7}]}])
def test_a_log_page_that_is_not_leaves_is_a_discrepancy_not_a_crash(page: object) -> None:
    """The server audited may not be honest: a malformed page of leaves is reported as such."""
    leaves, problems = audit._leaves(lambda _path: (200, page), 2)
    assert leaves == [] and len(problems) == 1 and problems[0].startswith(("leaf 0 is not a leaf", "the log's leaves"))
