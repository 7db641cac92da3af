"""Safe retries: a key names one request; its body's hash and its answer are kept with it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session, select

from certify.core.text import Text
from certify.services.errors import Conflict
from certify.store.tables import IdempotencyKey


def request_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(session: Session, *, user_id: int, key: str, digest: str) -> dict[str, Any] | None:
    """The answer first given to this key, if any; 409 when the key came with another body."""
    row = session.exec(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise Conflict(
            Text(
                en="this Idempotency-Key was used for a different request body; use a new key for a new request",
                id="Idempotency-Key ini sudah dipakai untuk isi permintaan yang lain; pakai kunci baru untuk "
                "permintaan baru",
            )
        )
    return row.response
