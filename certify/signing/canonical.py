"""The bytes that get signed: RFC 8785 (JCS) canonical JSON of a payload without floats."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

import rfc8785

SAFE_INTEGER: Final = 2**53 - 1
"""Largest integer every JSON reader holds exactly (an IEEE-754 double); RFC 8785 refuses more."""
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class UnsignablePayload(ValueError):
    """A payload holds something canonical JSON cannot carry exactly; `path` says where."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def canonical_json(payload: Mapping[str, object]) -> bytes:
    """RFC 8785 canonical JSON (UTF-8) of `payload`; raises `UnsignablePayload` on a float."""
    _refuse_what_cannot_be_signed(payload, "$")
    document: Any = payload  # checked above: only JSON types, so rfc8785 accepts it
    return rfc8785.dumps(document)


def _refuse_what_cannot_be_signed(value: object, path: str) -> None:
    if value is None or isinstance(value, str | bool):
        return
    if isinstance(value, int):
        if abs(value) > SAFE_INTEGER:
            raise UnsignablePayload(path, f"{value} is beyond ±(2**53 - 1); use a string")
        return
    if isinstance(value, float):
        raise UnsignablePayload(
            path,
            f"{value!r} is a float; signed payloads hold no floats (RFC 8785 JSON cannot "
            "round-trip every float): use an integer (e.g. tenths of a point) or a decimal string",
        )
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_what_cannot_be_signed(item, f"{path}[{index}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise UnsignablePayload(path, f"key {key!r} is not a string")
            step = f".{key}" if _NAME.fullmatch(key) else f"[{json.dumps(key)}]"
            _refuse_what_cannot_be_signed(item, path + step)
        return
    raise UnsignablePayload(path, f"{type(value).__name__} is not JSON; convert it first (dates to RFC 3339 strings)")
