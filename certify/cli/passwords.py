"""`certify password USER_ID --login NAME`: let a user sign in to the web pages.

The password is read from standard input (one line) when it is not a terminal, else asked twice.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sqlalchemy.exc import OperationalError, ProgrammingError

from certify.cli import Failed
from certify.config import settings
from certify.services import passwords
from certify.services.errors import ServiceError
from certify.store.database import Database


def register(subparsers: Any) -> None:
    command = subparsers.add_parser("password", help="give a user a login and a new password for the pages")
    command.add_argument("user_id", type=int)
    command.add_argument("--login", required=True, help="the name they sign in with")
    command.set_defaults(run=_password)


def _password(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        secret = getpass.getpass("password: ")
        if getpass.getpass("again: ") != secret:
            raise Failed("certify password: the two passwords differ")
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    database = Database.connect(settings().database, pool_size=1)
    try:
        passwords.set_password(database=database, user_id=args.user_id, login=args.login, password=secret)
    except ServiceError as error:
        raise Failed(f"certify password: {error.detail}") from None
    except (OperationalError, ProgrammingError):
        raise Failed("certify password: the database is not ready: run `certify db upgrade` first") from None
    finally:
        database.dispose()
    print(f"user {args.user_id} signs in as {args.login.strip().lower()}")
    return 0
