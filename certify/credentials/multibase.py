"""Multibase base58btc (`z…`) and Ed25519 Multikeys (`z6Mk…`), as Data Integrity uses them."""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUBLIC_HEADER = b"\xed\x01"  # the multicodec varint of ed25519-pub
ED25519_SECRET_HEADER = b"\x80\x26"  # the multicodec varint of ed25519-priv


def base58btc(data: bytes) -> str:
    """`data` in Bitcoin's base58 alphabet, without the multibase prefix."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, remainder = divmod(number, 58)
        digits = ALPHABET[remainder] + digits
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + digits


def from_base58btc(text: str) -> bytes:
    """The bytes of base58btc `text`; raises ValueError on a character outside the alphabet."""
    number = 0
    for character in text:
        index = ALPHABET.find(character)
        if index < 0:
            raise ValueError(f"{character!r} is not a base58btc digit")
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase(data: bytes) -> str:
    """`z` + base58btc: a multibase string."""
    return "z" + base58btc(data)


def from_multibase(text: str) -> bytes:
    """The bytes of a base58btc multibase string; raises ValueError on any other."""
    if not text.startswith("z"):
        raise ValueError("not a base58btc multibase string (no leading z)")
    return from_base58btc(text[1:])


def ed25519_multikey(raw_public: bytes) -> str:
    """The `publicKeyMultibase` of a 32-byte Ed25519 public key."""
    return multibase(ED25519_PUBLIC_HEADER + raw_public)


def ed25519_raw(multikey: str, *, header: bytes = ED25519_PUBLIC_HEADER) -> bytes:
    """The 32 raw bytes of an Ed25519 Multikey; raises ValueError on anything else."""
    data = from_multibase(multikey)
    if not data.startswith(header) or len(data) != len(header) + 32:
        raise ValueError("not an Ed25519 Multikey")
    return data[len(header) :]
