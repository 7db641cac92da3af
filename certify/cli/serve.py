"""`certify serve`: apply pending migrations, then serve the API with uvicorn."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from certify.cli import Failed
from certify.config import settings
from certify.observability import log_config
from certify.services.keys import IssuerKeys
from certify.signing import KeyRingError
from certify.store import migrate


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="serve the API (migrating the database first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.add_argument("--log-level", default="info",
                       choices=("critical", "error", "warning", "info", "debug"))
    serve.add_argument("--log-format", choices=("json", "text"),
                       help="one JSON object per line (default, CERTIFY_LOG_FORMAT) or text")
    serve.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise Failed("certify serve: --workers must be at least 1")
    try:
        migrate.upgrade(settings().database)  # here, not in each worker; locked against other machines
    except Exception as error:
        raise Failed(f"certify serve: cannot migrate the database: {error}".splitlines()[0]) from error
    try:  # made or installed once, before the workers start, and any problem said in one line
        IssuerKeys.from_settings(settings())
    except (KeyRingError, OSError) as error:
        raise Failed(f"certify serve: the signing keys: {error}") from error
    proxies = settings().proxies  # none by default: X-Forwarded-For from anyone else is ignored
    uvicorn.run("certify.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, access_log=False,
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or [],
                log_config=log_config(log_format=args.log_format or settings().log_format,
                                      level=args.log_level))
    return 0
