"""The floor of the required stack for accepting an inspection: the yardstick `bench/api.py` serves
beside certify. A FastAPI app under the same uvicorn (one worker) whose one route takes the body
certify takes, validated by certify's own model (`InspectionCreate`), and in one durable SQLite
transaction (WAL, synchronous FULL, foreign keys on; `BEGIN IMMEDIATE` … `COMMIT`) inserts the
rows one accepted inspection wrote (the inspection on the body's plan, its evidence links, its
idempotency record under the request's key, its audit event), then answers with the text certify
answered for it. No sign-in, no checks, no scoring: what any service on this stack pays to take
such a body and store it durably.

The rows come from the JSON file named by CERTIFY_FLOOR_ROWS, the database from CERTIFY_FLOOR_DB.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.responses import Response

from certify.services.models import InspectionCreate

ROWS = json.loads(Path(os.environ["CERTIFY_FLOOR_ROWS"]).read_text(encoding="utf-8"))
ANSWER = ROWS["keys"][0]["response"].encode()
app = FastAPI()
local = threading.local()
writing = threading.Lock()  # one writer at a time, as SQLite allows: no thread sleeps on its busy lock


def connection() -> sqlite3.Connection:
    if not hasattr(local, "connection"):
        local.connection = sqlite3.connect(os.environ["CERTIFY_FLOOR_DB"], isolation_level=None, timeout=30)
        local.connection.execute("PRAGMA synchronous=FULL")
        local.connection.execute("PRAGMA foreign_keys=ON")
    return local.connection  # type: ignore[no-any-return]


def insert(db: sqlite3.Connection, table: str, row: dict[str, object]) -> int:
    sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
    new_id = db.execute(sql, tuple(row.values())).lastrowid
    assert new_id is not None
    return new_id


@app.post("/api/v1/inspections", status_code=201)
def accept(body: InspectionCreate, idempotency_key: Annotated[str, Header()]) -> Response:
    db = connection()
    with writing:
        return _insert(db, body.sampling_plan_id, idempotency_key)


def _insert(db: sqlite3.Connection, plan_id: int, idempotency_key: str) -> Response:
    db.execute("BEGIN IMMEDIATE")
    try:
        new_id = insert(db, "inspections", {**ROWS["inspection"], "sampling_plan_id": plan_id})
        for link in ROWS["links"]:
            insert(db, "inspection_evidence", {**link, "inspection_id": new_id})
        for key in ROWS["keys"]:
            insert(db, "idempotency_keys", {**key, "key": idempotency_key, "inspection_id": new_id})
        for event in ROWS["events"]:
            insert(db, "events", {**event, "subject_id": new_id})
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return Response(ANSWER, 201, media_type="application/json")
