"""`certify db upgrade|current`: bring the database to the latest schema, or say where it is."""

from __future__ import annotations

import argparse
from typing import Any

from certify.cli import Failed
from certify.config import settings
from certify.store import migrate


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="bring the database up to date, or say which version it is at")
    commands = db.add_subparsers(dest="db_command", required=True)
    commands.add_parser("upgrade", help="apply every pending migration").set_defaults(run=_upgrade)
    commands.add_parser("current", help="print the schema revision").set_defaults(run=_current)


def _upgrade(_args: argparse.Namespace) -> int:
    url = settings().database
    try:
        migrate.upgrade(url)
    except Exception as error:  # any driver error: one line, exit 1
        raise Failed(f"certify db upgrade: {type(error).__name__}: {error}".splitlines()[0]) from error
    print(f"database at revision {migrate.head()}")
    return 0


def _current(_args: argparse.Namespace) -> int:
    revision = migrate.current(settings().database)
    head = migrate.head()
    print(f"{revision or 'empty'} (latest: {head})")
    return 0 if revision == head else 1
