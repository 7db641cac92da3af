"""Key files in the key directory: `<kid>.jwk.json`, 0600, written atomically, read under a lock."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from certify.signing.jwk import Jwk, parse_rfc3339, private_key, public_key, thumbprint

KEY_FILE_SUFFIX: Final = ".jwk.json"
LOCK_FILE: Final = ".lock"
GENERATION_SIZE: Final = 32  # bytes of the token kept in the lock file
SHARED: Final = fcntl.LOCK_SH
EXCLUSIVE: Final = fcntl.LOCK_EX


class KeyRingError(Exception):
    """The keys cannot be used as stored or given: says which file or setting, and why."""


@contextmanager
def locked(directory: Path, operation: int) -> Iterator[int]:
    """Hold `flock(operation)` on the directory's lock file: shared to sign, exclusive to change.

    Yields the lock file's descriptor, for `generation` and `next_generation`.
    """
    descriptor = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, operation)
        yield descriptor
    finally:
        os.close(descriptor)  # closing releases the lock


def generation(descriptor: int) -> bytes:
    """The token of the key files' current state (empty if never set): readers cache by it."""
    return os.pread(descriptor, GENERATION_SIZE, 0)


def next_generation(descriptor: int) -> None:
    """Mark the key files as changing, under the exclusive lock, BEFORE changing them.

    A change that crashes half-way has still told every reader to read the files again.
    """
    os.pwrite(descriptor, secrets.token_hex(GENERATION_SIZE // 2).encode(), 0)


def read_keys(directory: Path) -> list[Jwk]:
    """Every key file of the directory, checked; refuses a file others can read."""
    jwks = []
    for path in sorted(directory.glob(f"*{KEY_FILE_SUFFIX}")):
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise KeyRingError(f"{path} is readable by others (mode {mode:o}): chmod 600 it")
        try:
            document = json.loads(path.read_bytes())
        except ValueError as error:
            raise KeyRingError(f"{path}: not JSON ({error})") from error
        jwk = checked(document, str(path))
        if path.name != f"{jwk['kid']}{KEY_FILE_SUFFIX}":
            raise KeyRingError(f"{path}: holds key {jwk['kid']}, not the one its name says")
        jwks.append(jwk)
    return jwks


def write_key(directory: Path, jwk: Jwk) -> None:
    """Replace the key's file atomically and durably; the file is 0600 from its creation."""
    temporary = directory / f".{jwk['kid']}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask
        os.write(descriptor, json.dumps(jwk, indent=2).encode() + b"\n")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, directory / f"{jwk['kid']}{KEY_FILE_SUFFIX}")
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_leftovers(directory: Path) -> None:
    """Temporary files of a write that crashed may hold a private key: remove them."""
    for path in directory.glob(".*.tmp"):
        path.unlink(missing_ok=True)


def checked(document: object, origin: str) -> Jwk:
    """A stored JWK whose members are strings, whose kid is its thumbprint and dates parse.

    A retired key's `d`, if a hand-edited file still has one, is dropped: it never signs again.
    """
    if not isinstance(document, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in document.items()
    ):
        raise KeyRingError(f"{origin}: not a JWK of string members")
    jwk: Jwk = dict(document)
    try:
        public_key(jwk)
        if jwk.get("kid") != thumbprint(jwk):
            raise ValueError("kid is not the key's RFC 7638 thumbprint")
        start = parse_rfc3339(jwk["valid_from"])
        if "valid_until" in jwk and parse_rfc3339(jwk["valid_until"]) <= start:
            raise ValueError("valid_until is not after valid_from")
        if "d" in jwk and "valid_until" in jwk:
            del jwk["d"]
        elif "d" in jwk:
            private_key(jwk)
    except (ValueError, KeyError) as error:
        raise KeyRingError(f"{origin}: {error}") from error
    return jwk
