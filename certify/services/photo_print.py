"""The lot's photo as the certificate prints it: only where the holder consented, small, inline."""

from __future__ import annotations

import base64
from io import BytesIO

from PIL import Image
from sqlmodel import Session

from certify.store.tables import EvidenceFile, Holder

PRINTED_EDGE = 480
"""Pixels on the long edge of the printed photo (about 4 cm at 300 dpi)."""


def printed_photo(session: Session, *, holder_id: int, sha256: str | None) -> str | None:
    """A data: URI of a small JPEG of the stored photo `sha256`, or None (no photo, or no consent).

    The stored bytes were re-encoded at upload (`certify.documents.photos`), so decoding them is safe."""
    holder = session.get(Holder, holder_id)
    if sha256 is None or holder is None or not holder.publish_evidence:
        return None
    stored = session.get(EvidenceFile, sha256)
    if stored is None or not stored.media_type.startswith("image/"):
        return None
    with Image.open(BytesIO(stored.content)) as image:
        small = image.convert("RGB")
    small.thumbnail((PRINTED_EDGE, PRINTED_EDGE))
    out = BytesIO()
    small.save(out, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
