"""`certify products add`: a workshop's product (defined beside `certify holders`)."""

from __future__ import annotations

from typing import Any

from certify.cli.holders import register_products


def register(subparsers: Any) -> None:
    register_products(subparsers)
