"""The `certify` command. Each sub-command lives in its own module with a `register` function."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Sub-command → the module under certify.cli that adds it, in the order `certify --help` lists them.
COMMANDS = {
    "rules": "rules",
    "score": "score",
    "sample": "sample",
    "serve": "serve",
    "db": "db",
    "users": "users",
    "holders": "holders",
    "products": "products",
    "password": "passwords",
    "demo": "demo",
    "keys": "keys",
    "verify": "verify",
    "audit": "audit",
    "jobs": "jobs",
}


DESCRIPTION = """\
certify: quality certification for handicraft producers. Runs the certification service (pages
for buyers, artisans, inspectors and certifiers, and a JSON API), scores inspections against the
published standards, and verifies certificates, offline too."""

EPILOG = """\
first run:  certify demo && certify serve     then open http://127.0.0.1:8000/
one command's options:  certify COMMAND --help
settings come from CERTIFY_* environment variables (see the README).
exit status: 0 done, 1 what was checked failed or could not be done, 2 wrong words on the command line"""


class UsageError(Exception):
    """Wrong words on the command line: exit status 2."""


class Failed(Exception):
    """The thing checked failed: exit status 1, with a message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; when `argv` names a command, only that command's module is imported (the
    service's modules load WeasyPrint and the database layer: `certify sample` needs neither)."""
    parser = _Parser(
        prog="certify", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    subparsers = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="commands", metavar="COMMAND"
    )
    named = [COMMANDS[argv[0]]] if argv and argv[0] in COMMANDS else COMMANDS.values()
    for module in named:
        importlib.import_module(f"certify.cli.{module}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 ok, 1 the thing checked failed, 2 usage. Errors are one line each."""
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        args = build_parser(words).parse_args(words)
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
    except BrokenPipeError:  # the reader went away (`certify … | head`): no traceback for that
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
