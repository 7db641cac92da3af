"""The floor of the required stack for accepting an inspection: the yardstick `bench/api.py` serves
beside certify. A FastAPI app under the same uvicorn (one worker) whose one route takes the body
certify takes, validated by certify's own model (`InspectionCreate`), and in one durable
transaction (`bench/durable.py`: certify's durability, on SQLite or PostgreSQL) inserts the rows one
accepted inspection wrote (the inspection on the body's plan, its evidence links, its idempotency
record under the request's key, its audit event), then answers with the text certify answered for
it. No sign-in, no checks, no scoring: what any service on this stack pays to take such a body and
store it durably. One writer at a time (a lock: SQLite allows no more, and no thread then sleeps
on its busy lock); on PostgreSQL each thread its own connection.

The rows come from the JSON file named by CERTIFY_FLOOR_ROWS, the database's URL from
CERTIFY_FLOOR_DATABASE.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.responses import Response

from bench.durable import Durable
from certify.services.models import InspectionCreate

URL = os.environ["CERTIFY_FLOOR_DATABASE"]
WRITTEN = json.loads(Path(os.environ["CERTIFY_FLOOR_ROWS"]).read_text(encoding="utf-8"))
STORED = WRITTEN["idempotency_keys"][0]["response"]  # the text as SQLite gives it, a document from PostgreSQL
ANSWER = (STORED if isinstance(STORED, str) else json.dumps(STORED)).encode()
app = FastAPI()
local = threading.local()
one_writer = threading.Lock() if URL.startswith("sqlite") else None


def store() -> Durable:
    if not hasattr(local, "store"):
        local.store = Durable(URL)
    found: Durable = local.store
    return found


@app.post("/api/v1/inspections", status_code=201)
def accept(body: InspectionCreate, idempotency_key: Annotated[str, Header()]) -> Response:
    if one_writer is None:
        store().insert_accepted(WRITTEN, plan_id=body.sampling_plan_id, key=idempotency_key)
    else:
        with one_writer:
            store().insert_accepted(WRITTEN, plan_id=body.sampling_plan_id, key=idempotency_key)
    return Response(ANSWER, 201, media_type="application/json")
