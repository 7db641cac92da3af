"""The content hash of a standard: the hash of its meaning, not of its file.

Key order, list order (criteria, bands, grades, values: none of them carries meaning), YAML
formatting, defaults written out or left implicit, and `5` versus `5.0` all hash alike; any change
of a weight, a threshold, a text or an example changes the hash.
"""

import hashlib
import json
from typing import Any

from certify.core.standard import Standard


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def content_hash(standard: Standard) -> str:
    """`sha256:` and the hex digest of the standard's canonical JSON."""
    dumped = standard.model_dump(mode="json", by_alias=True)
    if dumped.get("scheme") is None:  # added after 2026.1: absent, it leaves the hash as it was
        dumped.pop("scheme", None)
    canonical = _canonical(dumped)
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
