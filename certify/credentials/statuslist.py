"""Bitstring Status Lists (W3C Recommendation, 2025): one bit per certificate, the bit at a
certificate's index set when its status holds; GZIP-compressed, then multibase base64url (`u…`).

Two lists: `suspension` (set while suspended, cleared when reinstated) and `revocation` (set when
withdrawn or superseded, never cleared). A certificate's index is its row number.
"""

from __future__ import annotations

import base64
import gzip
from typing import Literal

Purpose = Literal["suspension", "revocation"]
PURPOSES: tuple[Purpose, ...] = ("suspension", "revocation")
MINIMUM_BITS = 131_072  # 16 KiB: the specification's minimum length, for group privacy
GROWTH_BITS = MINIMUM_BITS


def purpose_of(status: str) -> dict[Purpose, bool]:
    """Which bits a certificate in `status` has set."""
    return {"suspension": status == "suspended", "revocation": status in ("withdrawn", "superseded")}


def with_bit(bits: bytes, index: int, value: bool) -> bytes:
    """`bits` (at least `MINIMUM_BITS` long, grown when `index` lies beyond) with bit `index` set
    or cleared; bit 0 is the most significant bit of the first byte."""
    length = max(len(bits), MINIMUM_BITS // 8)
    while index >= length * 8:
        length += GROWTH_BITS // 8
    grown = bytearray(bits.ljust(length, b"\0"))
    mask = 0x80 >> (index % 8)
    grown[index // 8] = grown[index // 8] | mask if value else grown[index // 8] & ~mask
    return bytes(grown)


def bit(bits: bytes, index: int) -> bool:
    """Whether bit `index` of `bits` is set (beyond the end: not set)."""
    return index // 8 < len(bits) and bool(bits[index // 8] & (0x80 >> (index % 8)))


def encoded(bits: bytes) -> str:
    """The `encodedList`: `u` + base64url (no padding) of the GZIP-compressed bits."""
    padded = bits.ljust(MINIMUM_BITS // 8, b"\0")
    compressed = gzip.compress(padded, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decoded(encoded_list: str) -> bytes:
    """The bits of an `encodedList`."""
    if not encoded_list.startswith("u"):
        raise ValueError("not a multibase base64url string (no leading u)")
    body = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
