"""Where the service finds standards: the bundled rulebook, or any object with the same two methods."""

from __future__ import annotations

from typing import Protocol

from certify.core.errors import CertifyError
from certify.core.hashing import content_hash
from certify.core.standard import Standard
from certify.core.text import Text
from certify.services.errors import NotFound


class Standards(Protocol):
    def get(self, ref: str) -> Standard: ...

    def standards(self) -> list[Standard]: ...


def bundled() -> Standards:
    from certify import rulebook  # the bundled standards under rules/

    book: Standards = rulebook.bundled()
    return book


def find(standards: Standards, ref: str) -> Standard:
    """The standard `ref` names ("ID" for the latest version, or "ID@VERSION"); 404 if none."""
    try:
        return standards.get(ref)
    except (CertifyError, KeyError, LookupError):
        raise NotFound(Text(en=f"no standard {ref!r} is installed", id=f"standar {ref!r} tidak terpasang")) from None


def pinned_hash(standard: Standard) -> str:
    return content_hash(standard)
