"""Safe retries: a key names one request; its body's hash and its answer are kept with it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, bindparam, insert
from sqlmodel import Session, col, select

from certify.core.text import Text
from certify.services.errors import Conflict
from certify.store.documents import Written
from certify.store.tables import IdempotencyKey, now


def request_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


_STORED = select(IdempotencyKey.request_hash, IdempotencyKey.response).where(  # built once
    col(IdempotencyKey.user_id) == bindparam("user_id"), col(IdempotencyKey.key) == bindparam("key")
)
_STORE = insert(IdempotencyKey)


def replay(session: Session | Connection, *, user_id: int, key: str, digest: str) -> dict[str, Any] | None:
    """The answer first given to this key, if any; 409 when the key came with another body."""
    row = session.execute(_STORED, {"user_id": user_id, "key": key}).first()
    if row is None:
        return None
    request_hash, response = row
    if request_hash != digest:
        raise Conflict(
            Text(
                en="this Idempotency-Key was used for a different request body; use a new key for a new request",
                id="Idempotency-Key ini sudah dipakai untuk isi permintaan yang lain; pakai kunci baru untuk "
                "permintaan baru",
            )
        )
    return response  # type: ignore[no-any-return]


def store(
    session: Session | Connection, *, user_id: int, key: str, digest: str, answer: Written, inspection_id: int
) -> None:
    """Keep the key with its body's hash and its answer (201, as the JSON text answered), in the
    caller's transaction; a twin that stored the same key first makes this an IntegrityError (the
    unique (user, key))."""
    row = {
        "user_id": user_id,
        "key": key,
        "request_hash": digest,
        "status_code": 201,
        "response": answer,
        "inspection_id": inspection_id,
        "created_at": now(),
    }
    session.execute(_STORE, row)
