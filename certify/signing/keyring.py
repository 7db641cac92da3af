"""The issuer's signing keys: one active key, and every retired key, published forever.

Kept in a directory (the data directory's `keys/`, or `CERTIFY_KEY_DIR`): one file per key,
`<kid>.jwk.json`, mode 0600, in a directory made 0700, created with a first key on first use.
The active key's file holds its private `d`; retiring a key rewrites its file with a
`valid_until` and WITHOUT `d`, so a retired key can never sign again. Every process that opens
the same directory signs with the same key: a shared `flock` on `.lock` is held while signing and
an exclusive one while creating or rotating. Every change first writes a new generation token
into `.lock`; readers keep the keys they read until the token changes, so a rotation by
`certify keys rotate` takes effect in running servers at once and no record is signed by a key
retired before it was stamped. (A key file edited by hand is seen at the next change or start.)

Or from a secret (for several machines without a shared directory): `export_secret()` gives the
active private key and the retired public keys as one base64url string, e.g. for
`CERTIFY_SIGNING_KEYS`; a ring made from it is read-only (rotate in the directory, export again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certify.signing.canonical import canonical_json
from certify.signing.jwk import Jwk, b64url, from_b64url, parse_rfc3339, private_jwk, private_key, rfc3339
from certify.signing.keyfiles import (
    EXCLUSIVE,
    SHARED,
    KeyRingError,
    checked,
    generation,
    locked,
    next_generation,
    read_keys,
    remove_leftovers,
    write_key,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Signer:
    """The active key, held while a record is built and signed."""

    kid: str
    key: Ed25519PrivateKey

    def sign(self, payload: Mapping[str, object]) -> str:
        """Base64url Ed25519 signature of the RFC 8785 canonical payload."""
        return self.sign_canonical(canonical_json(payload))

    def sign_canonical(self, canonical: bytes) -> str:
        """`sign` of a payload whose canonical JSON the caller has made (to hash it as well)."""
        return b64url(self.key.sign(canonical))


@dataclass(frozen=True, slots=True)
class _Keys:
    active: Jwk | None  # with "d"
    published: list[Jwk]  # every key, public members only, oldest first
    signer: Signer | None = None  # the active key, parsed once

    @classmethod
    def of(cls, jwks: list[Jwk], origin: str) -> _Keys:
        active = [jwk for jwk in jwks if "valid_until" not in jwk]
        if len(active) > 1:
            kids = ", ".join(jwk["kid"] for jwk in active)
            raise KeyRingError(f"{origin}: several active keys ({kids}); retire all but one")
        if active and "d" not in active[0]:
            raise KeyRingError(f"{origin}: the active key {active[0]['kid']} has no private part")
        published = [{k: v for k, v in jwk.items() if k != "d"} for jwk in jwks]
        published.sort(key=lambda jwk: (parse_rfc3339(jwk["valid_from"]), jwk["kid"]))
        if not active:
            return cls(None, published)
        return cls(active[0], published, Signer(active[0]["kid"], private_key(active[0])))


def read_ring(directory: Path) -> _Keys:
    """The keys stored in `directory`, read and checked now."""
    return _Keys.of(read_keys(directory), str(directory))


class KeyRing:
    """Signing keys kept in a directory, or given as a secret (read-only)."""

    def __init__(self, *, directory: Path | None, keys: _Keys, clock: Clock) -> None:
        self._directory = directory
        self._keys = keys  # used only without a directory
        self._clock = clock
        self._cache: tuple[bytes, _Keys] | None = None  # (generation, keys) read from the directory

    @classmethod
    def open(cls, directory: Path, *, clock: Clock = utc_now) -> KeyRing:
        """The ring kept in `directory`, created (0700) with a first key if it has none."""
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        ring = cls(directory=directory, keys=_Keys(None, []), clock=clock)
        ring._create_if_missing()
        return ring

    @classmethod
    def from_secret(cls, secret: str, *, origin: str = "the key secret") -> KeyRing:
        """The read-only ring of a string made by `export_secret()`."""
        try:
            document = json.loads(from_b64url(secret.strip()))
            keys = document["keys"]
        except (ValueError, KeyError, TypeError) as error:
            raise KeyRingError(f"{origin} is not a key ring made by `export_secret`") from error
        if not isinstance(keys, list):
            raise KeyRingError(f"{origin}: keys is not a list")
        ring = _Keys.of([checked(jwk, origin) for jwk in keys], origin)
        if ring.active is None:
            raise KeyRingError(f"{origin} holds no active key")
        return cls(directory=None, keys=ring, clock=utc_now)

    @contextmanager
    def signing(self) -> Iterator[Signer]:
        """The active key; rotation waits until the block ends. Stamp times inside the block."""
        if self._directory is None:
            yield _signer(self._keys)
            return
        with self._locked(SHARED) as lock:
            keys = self._load(lock)
            if keys.signer is not None:
                yield keys.signer
                return
        self._create_if_missing()  # an interrupted rotation, or a removed key file
        with self._locked(SHARED) as lock:
            yield _signer(self._load(lock))

    def sign(self, payload: Mapping[str, object]) -> tuple[str, str]:
        """(base64url signature, kid) of `payload` under the active key."""
        with self.signing() as signer:
            return signer.sign(payload), signer.kid

    def rotate(self) -> str:
        """Retire the active key now and start a new one; returns the new key's kid."""
        if self._directory is None:
            raise KeyRingError("keys given as a secret are read-only: rotate in the key directory")
        with self._locked(EXCLUSIVE) as lock:
            next_generation(lock)
            active = read_ring(self._directory).active
            now = self._clock()
            if active is not None:
                if now <= parse_rfc3339(active["valid_from"]):
                    raise KeyRingError(f"the clock ({now}) is not after the active key's start")
                retired = {k: v for k, v in active.items() if k != "d"}
                write_key(self._directory, retired | {"valid_until": rfc3339(now)})
            return self._create(now)

    def jwks(self) -> dict[str, list[Jwk]]:
        """Every public key ever used, with its validity: the JWKS to publish."""
        if self._directory is None:
            return {"keys": list(self._keys.published)}
        with self._locked(SHARED) as lock:
            return {"keys": list(self._load(lock).published)}

    def export_secret(self, **more: object) -> str:
        """The active private key and the retired public keys as one base64url string (with
        `more` entries beside `keys`, which `from_secret` leaves alone)."""
        with self.signing():  # makes sure there is an active key, and holds rotation off
            keys = self._keys if self._directory is None else read_ring(self._directory)
        if keys.active is None:
            raise KeyRingError("no active signing key")
        active = keys.active
        retired = [jwk for jwk in keys.published if jwk["kid"] != active["kid"]]
        return b64url(canonical_json({"keys": [active, *retired], **more}))

    def _create_if_missing(self) -> None:
        assert self._directory is not None
        with self._locked(EXCLUSIVE) as lock:
            keys = read_ring(self._directory)
            if keys.active is not None and generation(lock):
                return
            next_generation(lock)
            remove_leftovers(self._directory)
            if keys.active is None:
                self._create(self._clock())

    def _create(self, valid_from: datetime) -> str:
        assert self._directory is not None
        jwk = private_jwk(Ed25519PrivateKey.generate(), valid_from=valid_from)
        write_key(self._directory, jwk)
        return jwk["kid"]

    def _load(self, lock: int) -> _Keys:
        """The keys as stored, read again only when a change has marked a new generation."""
        assert self._directory is not None
        token = generation(lock)
        cached = self._cache
        if cached is not None and token and cached[0] == token:
            return cached[1]
        keys = read_ring(self._directory)
        self._cache = (token, keys)
        return keys

    @contextmanager
    def _locked(self, operation: int) -> Iterator[int]:
        assert self._directory is not None
        with locked(self._directory, operation) as lock:
            yield lock


def load_key_ring(*, key_dir: Path, secret: str | None = None, clock: Clock = utc_now) -> KeyRing:
    """The keys from `secret` (e.g. `CERTIFY_SIGNING_KEYS`) when given, else from `key_dir`."""
    if secret:
        return KeyRing.from_secret(secret, origin="CERTIFY_SIGNING_KEYS")
    return KeyRing.open(key_dir, clock=clock)


def _signer(keys: _Keys) -> Signer:
    if keys.signer is None:
        raise KeyRingError("no active signing key")
    return keys.signer
