"""`certify serve`: apply pending migrations, then serve the API with uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import Any
from urllib.parse import urlsplit

import uvicorn

from certify.cli import Failed
from certify.config import DEMO_ISSUER_NAME, Settings, settings
from certify.observability import log_config
from certify.services.keys import IssuerKeys, ca_organisation
from certify.signing import KeyRingError
from certify.store import migrate


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the service: the pages and the API (the database is brought up to date first)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="default 8000; also in QR codes, unless CERTIFY_PUBLIC_URL is set"
    )
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    serve.add_argument(
        "--log-format", choices=("json", "text"), help="one JSON object per line (default, CERTIFY_LOG_FORMAT) or text"
    )
    serve.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise Failed("certify serve: --workers must be at least 1")
    _settle_environment(settings(), port=args.port, host=args.host)
    settings.cache_clear()  # the workers, and this process, read what was settled
    try:
        migrate.upgrade(settings().database)  # here, not in each worker; locked against other machines
    except Exception as error:
        raise Failed(f"certify serve: cannot migrate the database: {error}".splitlines()[0]) from error
    try:  # made or installed once, before the workers start, and any problem said in one line
        IssuerKeys.from_settings(settings())
    except (KeyRingError, OSError) as error:
        raise Failed(f"certify serve: the signing keys: {error}") from error
    proxies = settings().proxies  # none by default: X-Forwarded-For from anyone else is ignored
    uvicorn.run(
        "certify.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=False,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or [],
        log_config=log_config(log_format=args.log_format or settings().log_format, level=args.log_level),
    )
    return 0


def _settle_environment(config: Settings, *, port: int, host: str) -> None:
    """The public URL and the issuer's name the workers will use, put in their environment."""
    if "public_url" not in config.model_fields_set:
        os.environ["CERTIFY_PUBLIC_URL"] = public_url = f"http://127.0.0.1:{port}"
    else:
        public_url = config.public_url
    if _loopback(urlsplit(public_url).hostname or "") and not _loopback(host):
        print(
            f"certify serve: warning: certificates' QR codes will point at {public_url}, which only "
            f"this machine reaches, while serving on {host}: set CERTIFY_PUBLIC_URL",
            file=sys.stderr,
        )
    if config.issuer_name is None:
        if ca_organisation(config) != DEMO_ISSUER_NAME:
            raise Failed(
                "certify serve: set CERTIFY_ISSUER_NAME to the certification body's name, printed on "
                "and signed into every certificate (only the demo's keys, made by `certify demo`, "
                "run without it)"
            )
        os.environ["CERTIFY_ISSUER_NAME"] = DEMO_ISSUER_NAME


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
