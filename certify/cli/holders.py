"""`certify holders add|list` and `certify products add`: register workshops and their products
from a script, as the back-office pages do (a product only in a category an installed standard covers)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from certify.cli import Failed
from certify.config import settings
from certify.services import holders
from certify.services.errors import ServiceError
from certify.services.models import HolderCreate, ProductCreate
from certify.services.standards import bundled
from certify.store.database import Database


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("holders", help="workshops (holders of certificates): add, list")
    commands = group.add_subparsers(dest="holders_command", required=True)
    add = commands.add_parser("add", help="register a workshop and print its ID")
    add.add_argument("--name", required=True, help="as its certificates print it")
    add.add_argument("--province", required=True)
    add.add_argument("--region", help="regency or city")
    add.add_argument("--address", help="street and village")
    add.add_argument("--craft", action="append", required=True, dest="crafts", help="e.g. batik (repeat for several)")
    add.add_argument("--owner")
    add.add_argument("--contact", help="phone or e-mail, shown in the public directory")
    add.add_argument("--json", action="store_true", help="print the workshop as JSON")
    add.set_defaults(run=_add_holder)
    commands.add_parser("list", help="every workshop").set_defaults(run=_list_holders)


def register_products(subparsers: Any) -> None:
    group = subparsers.add_parser("products", help="a workshop's products: add")
    commands = group.add_subparsers(dest="products_command", required=True)
    add = commands.add_parser("add", help="register a product of a workshop and print its ID")
    add.add_argument("--holder", type=int, required=True, metavar="HOLDER_ID")
    add.add_argument("--name", required=True)
    add.add_argument("--category", required=True, help="a product category of an installed standard (certify rules)")
    add.add_argument("--description")
    add.add_argument("--json", action="store_true", help="print the product as JSON")
    add.set_defaults(run=_add_product)


def _database() -> Database:
    return Database.connect(settings().database, pool_size=2)


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    names = [str(part) for part in first["loc"] if isinstance(part, str)]
    option = {"crafts": "craft"}.get(names[0], names[0]) if names else ""
    return f"--{option} {first.get('input')!r}: {first['msg']}" if option else str(first["msg"])


def _add_holder(args: argparse.Namespace) -> int:
    try:
        body = HolderCreate(
            name=args.name,
            province=args.province,
            region=args.region,
            address=args.address,
            crafts=args.crafts,
            owner=args.owner,
            contact=args.contact,
        )
        made = holders.create_holder(database=_database(), actor=None, holder=body)
    except ValidationError as error:
        raise Failed(f"certify holders add: {_first_problem(error)}") from None
    except ServiceError as error:
        raise Failed(f"certify holders add: {error.detail}") from None
    print(made.model_dump_json() if args.json else f"holder {made.id} {made.name} ({made.province})")
    return 0


def _list_holders(_args: argparse.Namespace) -> int:
    for holder in holders.list_holders(database=_database(), viewer=holders.COMMAND_LINE):
        print(f"{holder.id}\t{holder.name}\t{holder.province}\t{', '.join(holder.crafts)}\t{holder.contact or ''}")
    return 0


def _add_product(args: argparse.Namespace) -> int:
    try:
        body = ProductCreate(name=args.name, category=args.category, description=args.description)
        made = holders.create_product(
            database=_database(), actor=None, holder_id=args.holder, product=body, standards=bundled()
        )
    except ValidationError as error:
        raise Failed(f"certify products add: {_first_problem(error)}") from None
    except ServiceError as error:
        raise Failed(f"certify products add: {error.detail}") from None
    print(json.dumps(made.model_dump(mode="json")) if args.json else f"product {made.id} {made.name} ({made.category})")
    return 0
