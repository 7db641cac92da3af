"""`certify sample --lot-size N [--level II] [--aql 2.5] [--json]`: the ISO 2859-1 plan for a lot."""

from __future__ import annotations

import argparse
import json
from typing import Any

from certify.cli import UsageError
from certify.core.sampling import LEVELS, plan
from certify.core.standard import Sampling


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sample", help="how many pieces to inspect in a lot, and how many defects it may have (ISO 2859-1)"
    )
    parser.add_argument("--lot-size", type=int, required=True, metavar="N", help="pieces in the lot")
    parser.add_argument("--level", default="II", choices=LEVELS, help="inspection level (default II)")
    parser.add_argument("--aql", default="2.5", help="acceptable quality limit, in percent (default 2.5)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.lot_size < 1:
        raise UsageError(f"certify sample: --lot-size must be at least 1, not {args.lot_size}")
    try:
        aql = Sampling(major_aql=args.aql).major_aql
    except ValueError as error:
        raise UsageError(f"certify sample: --aql: {error.errors()[0]['msg'].removeprefix('Value error, ')}") from None  # type: ignore[attr-defined]
    p = plan(args.lot_size, args.level, aql)
    if args.json:
        fields = {"code_letter": p.code_letter, "sample_size": p.sample_size, "accept": p.accept, "reject": p.reject}
        print(json.dumps({**fields, "inspect_all": p.inspect_all}))
        return 0
    arrow = (
        f" (the table's arrow leads to the plan of letter {p.plan_letter})" if p.plan_letter != p.code_letter else ""
    )
    print(f"lot of {args.lot_size}, level {args.level}, AQL {aql}: code letter {p.code_letter}{arrow}")
    if p.inspect_all:
        print(f"inspect every piece ({args.lot_size}; the plan's sample of {p.sample_size} reaches the lot size)")
    else:
        print(f"inspect a random sample of {p.sample_size} pieces")
    print(f"accept the lot with at most {p.accept} defective; reject it with {p.reject} or more")
    return 0
