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


# Keys a later version of the model added, with the value that means "not used": left out of the
# canonical form while unset, so that a standard written before them keeps its hash.
_LATER_KEYS: dict[str, Any] = {"effective_from": None, "effective_until": None, "variants": [], "evidence": None}
_LATER_STANDARD_KEYS: dict[str, Any] = {"scheme": None, "evidence": None, "crafts": {}}
_LATER_FACT_KEYS: dict[str, Any] = {"value_titles": {}}


def _without_unset(item: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if later.get(key, object()) != value}


def content_hash(standard: Standard) -> str:
    """`sha256:` and the hex digest of the standard's canonical JSON."""
    dumped = standard.model_dump(mode="json", by_alias=True)
    dumped = _without_unset(dumped, _LATER_STANDARD_KEYS)
    dumped["criteria"] = [_without_unset(criterion, _LATER_KEYS) for criterion in dumped["criteria"]]
    dumped["facts"] = {name: _without_unset(fact, _LATER_FACT_KEYS) for name, fact in dumped["facts"].items()}
    canonical = _canonical(dumped)
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
