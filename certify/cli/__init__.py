"""The `certify` command. Each sub-command lives in its own module with a `register` function."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Modules under certify.cli that add sub-commands, in the order `certify --help` lists them.
COMMANDS = ("rules", "score", "sample", "serve", "db", "users", "demo")


class UsageError(Exception):
    """Wrong words on the command line: exit status 2."""


class Failed(Exception):
    """The thing checked failed: exit status 1, with a message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="certify", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"certify.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 ok, 1 the thing checked failed, 2 usage. Errors are one line each."""
    try:
        args = build_parser().parse_args(argv)
        status: int = args.run(args)
        return status
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except Failed as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
