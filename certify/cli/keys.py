"""`certify keys rotate|export|export-secret`: the issuer's signing keys.

- `rotate`: retire the active Ed25519 key now and start a new one (running servers sign with it
  at once), and give the PDF signer a new key and certificate under the same CA; certificates
  and PDFs signed before still verify: retired keys stay published, old signers chain to the CA.
- `export`: the public JWKS (every key ever used) for offline checks: `certify keys export >
  jwks.json`, `certify keys export-ca > ca.pem`, then
  `certify verify FILE.pdf --keys jwks.json --ca ca.pem`.
- `export-ca`: the PDF-signing CA certificate (PEM).
- `export-secret`: the active private key, the retired public keys and the PDF-signing CA's
  certificate and signer (not the CA's own key) as one string, for `CERTIFY_SIGNING_KEYS` on
  machines without the key directory. Keep it secret.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from certify.cli import Failed
from certify.config import settings
from certify.services.keys import IssuerKeys
from certify.signing import KeyRingError


def register(subparsers: Any) -> None:
    keys = subparsers.add_parser(
        "keys", help="the signing keys: start a new one, publish them, carry them to another machine"
    )
    commands = keys.add_subparsers(dest="keys_command", required=True)
    commands.add_parser("rotate", help="retire the active signing key and start a new one").set_defaults(run=_rotate)
    commands.add_parser("export", help="print the public JWKS (the record-signing keys)").set_defaults(run=_export)
    commands.add_parser("export-ca", help="print the PDF-signing CA certificate (PEM)").set_defaults(run=_export_ca)
    commands.add_parser("export-secret", help="print the key ring as a secret for CERTIFY_SIGNING_KEYS").set_defaults(
        run=_export_secret
    )


def _keys() -> IssuerKeys:
    try:
        return IssuerKeys.from_settings(settings())
    except (KeyRingError, OSError) as error:
        raise Failed(f"certify keys: {error}") from error


def _rotate(_args: argparse.Namespace) -> int:
    try:
        kid, signer = _keys().rotate()
    except KeyRingError as error:
        raise Failed(f"certify keys rotate: {error}") from error
    print(f"new signing key: {kid}")
    if signer is None:
        print("the PDF signer was not rotated: the PDF CA's key is not on this machine")
    else:
        until = signer.not_valid_after_utc.date().isoformat()
        print(f"new PDF signer: serial {signer.serial_number:x}, valid until {until}")
    return 0


def _export(_args: argparse.Namespace) -> int:
    print(json.dumps(_keys().jwks(), indent=2))
    return 0


def _export_ca(_args: argparse.Namespace) -> int:
    print(_keys().ca_pem.decode("ascii"), end="")
    return 0


def _export_secret(_args: argparse.Namespace) -> int:
    try:
        print(_keys().export_secret())
    except KeyRingError as error:
        raise Failed(f"certify keys export-secret: {error}") from error
    return 0
