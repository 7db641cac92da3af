"""`certify users add|list|token|revoke|conflict|authorise`: accounts, their tokens, conflicts of
interest, authorisations per standard."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from pydantic import ValidationError

from certify.cli import Failed
from certify.config import settings
from certify.services import accounts, competence, conflicts
from certify.services.errors import ServiceError
from certify.services.principal import ROLES
from certify.services.standards import bundled
from certify.store.database import Database


def register(subparsers: Any) -> None:
    users = subparsers.add_parser(
        "users", help="people who use the service: add, list, revoke; API tokens; conflicts of interest"
    )
    commands = users.add_subparsers(dest="users_command", required=True)

    add = commands.add_parser("add", help="create a user and print a new API token once")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", required=True)
    add.add_argument("--holder", type=int, metavar="HOLDER_ID", help="an artisan's workshop")
    add.add_argument("--email", help="where reminders before surveillance and expiry reach them (artisans, certifiers)")
    add.add_argument(
        "--days", type=int, default=accounts.TOKEN_DAYS, help=f"days the token is valid (default {accounts.TOKEN_DAYS})"
    )
    add.add_argument("--json", action="store_true", help='print {"id": …, "token": …}')
    add.set_defaults(run=_add)

    commands.add_parser("list", help="every user").set_defaults(run=_list)

    token = commands.add_parser("token", help="print a new token for a user")
    token.add_argument("user_id", type=int)
    token.add_argument(
        "--days", type=int, default=accounts.TOKEN_DAYS, help=f"days the token is valid (default {accounts.TOKEN_DAYS})"
    )
    token.set_defaults(run=_token)

    revoke = commands.add_parser(
        "revoke", help="revoke a user: every token, every page session and the password, at once"
    )
    revoke.add_argument("user_id", type=int)
    revoke.set_defaults(run=_revoke)

    conflict = commands.add_parser("conflict", help="declare a conflict of interest")
    conflict.add_argument("user_id", type=int)
    conflict.add_argument("--holder", type=int, required=True, metavar="HOLDER_ID")
    conflict.add_argument("--reason", required=True, choices=conflicts.REASONS)
    conflict.add_argument("--from", dest="starts_on", type=date.fromisoformat, metavar="YYYY-MM-DD")
    conflict.add_argument("--until", dest="ends_on", type=date.fromisoformat, metavar="YYYY-MM-DD")
    conflict.set_defaults(run=_conflict)

    authorise = commands.add_parser(
        "authorise", help="authorise an inspector or a certifier for a standard (repeat --standard for several)"
    )
    authorise.add_argument("user_id", type=int)
    authorise.add_argument("--standard", action="append", required=True, metavar="ID")
    authorise.add_argument("--from", dest="starts_on", type=date.fromisoformat, metavar="YYYY-MM-DD")
    authorise.add_argument("--until", dest="ends_on", type=date.fromisoformat, metavar="YYYY-MM-DD")
    authorise.set_defaults(run=_authorise)


def _database() -> Database:
    config = settings()
    return Database.connect(config.database, pool_size=2)


def _add(args: argparse.Namespace) -> int:
    try:
        user, token = accounts.create_user(
            database=_database(),
            role=args.role,
            name=args.name,
            holder_id=args.holder,
            days=args.days,
            email=args.email,
        )
    except ServiceError as error:
        raise Failed(f"certify users add: {error.detail}") from None
    if args.json:
        print(json.dumps({"id": user.id, "token": token}))
    else:
        print(f"user {user.id} ({user.role}) {user.name}")
        print(f"token (shown once, keep it; valid {args.days} days): {token}")
    return 0


def _list(_args: argparse.Namespace) -> int:
    for user in accounts.list_users(database=_database()):
        holder = f" holder {user.holder_id}" if user.holder_id is not None else ""
        print(f"{user.id}\t{user.role}\t{user.name}{holder}")
    return 0


def _token(args: argparse.Namespace) -> int:
    try:
        print(accounts.issue_token(database=_database(), user_id=args.user_id, days=args.days))
    except ServiceError as error:
        raise Failed(f"certify users token: {error.detail}") from None
    return 0


def _revoke(args: argparse.Namespace) -> int:
    try:
        done = accounts.revoke_user(database=_database(), user_id=args.user_id)
    except ServiceError as error:
        raise Failed(f"certify users revoke: {error.detail}") from None
    print(
        f"revoked {done.tokens} token(s) of user {args.user_id}, ended {done.sessions} page session(s)"
        f"{', disabled the password' if done.password else ''}"
    )
    return 0


def _conflict(args: argparse.Namespace) -> int:
    try:
        conflicts.declare_conflict(
            database=_database(),
            user_id=args.user_id,
            holder_id=args.holder,
            reason=args.reason,
            starts_on=args.starts_on,
            ends_on=args.ends_on,
        )
    except ServiceError as error:
        raise Failed(f"certify users conflict: {error.detail}") from None
    print(f"user {args.user_id} may not inspect or decide for holder {args.holder}")
    return 0


def _authorise(args: argparse.Namespace) -> int:
    database = _database()
    for standard in args.standard:
        try:
            body = competence.AuthorisationCreate(standard=standard, starts_on=args.starts_on, ends_on=args.ends_on)
            made = competence.authorise(database=database, standards=bundled(), user_id=args.user_id, body=body)
        except ValidationError:
            raise Failed(f"certify users authorise: {standard!r} is not a standard ID (e.g. ceramics)") from None
        except ServiceError as error:
            raise Failed(f"certify users authorise: {error.detail}") from None
        until = f"until {made.ends_on}" if made.ends_on else "until further notice"
        print(f"user {args.user_id} is authorised for {made.standard} from {made.starts_on} {until}")
    return 0
