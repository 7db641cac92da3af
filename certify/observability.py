"""Logs an operator can search: one JSON object per line, one line per request, with a request id.

- `RequestLog`: a pure ASGI middleware (no `BaseHTTPMiddleware`: no extra task or body copy per
  request). It takes the request id from an incoming `X-Request-ID` when it is well-formed (1-128
  characters of `A-Z a-z 0-9 . _ : -`; a proxy's id is kept), else makes one, echoes it in the
  `X-Request-ID` response header, and logs one line when the response is finished:
  `{"time", "level", "logger": "certify.request", "message", "request_id", "method", "path",
  "status", "duration_ms"}`. The path is logged without its query string. Given `headers`, it
  adds, in the same pass, the headers every answer carries unless it has its own
  (`certify.api.headers.security_headers`).
- `current_request_id()`: the id of the request being served; every other log line written while
  serving it carries it too (`request_id`), the server's error lines included.
- `JsonFormatter` and `log_config(log_format=…, level=…)`: the `logging.config.dictConfig` that
  `certify serve` hands to uvicorn (`CERTIFY_LOG_FORMAT=json|text`, `--log-format`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG_FORMATS = ("json", "text")
REQUEST_ID_HEADER = b"x-request-id"  # (ASGI header names are lower-case bytes)
REQUEST_LOGGER = "certify.request"
NO_REQUEST = "-"  # the request id of a line written outside any request (text format)
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("certify_request_id", default=None)
_request_log = logging.getLogger(REQUEST_LOGGER)
# The attributes every LogRecord has; anything else was passed in `extra` and is logged as a field.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colours
}


def current_request_id() -> str | None:
    """The id of the request this code is serving, or None outside a request."""
    return _request_id.get()


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's `X-Request-ID` when well-formed, else a new random id (32 hex digits)."""
    for name, value in headers:
        if name.lower() == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            if WELL_FORMED_ID.fullmatch(candidate):
                return candidate
            break
    return new_request_id()


def new_request_id() -> str:
    """A random version-4 UUID as 32 hex digits (`uuid.uuid4().hex`, without building a UUID)."""
    random = bytearray(os.urandom(16))
    random[6] = random[6] & 0x0F | 0x40  # version 4
    random[8] = random[8] & 0x3F | 0x80  # the RFC 4122 variant
    return random.hex()


Header = tuple[bytes, bytes]


def with_headers(headers: list[Header], extra: Sequence[Header]) -> list[Header]:
    """`headers` and, after them, each of `extra` whose name none of them has."""
    names = {name.lower() for name, _ in headers}
    headers.extend(header for header in extra if header[0] not in names)
    return headers


class RequestLog:
    """Give each HTTP request an id, echo it, and log the request when its response is done."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        logger: logging.Logger = _request_log,
        headers: Callable[[Scope], Sequence[Header]] | None = None,
    ) -> None:
        self.app = app
        self.logger = logger
        self.headers = headers  # of every answer, unless it has its own (as `with_headers` adds them)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope["headers"])
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering
        extra = self.headers(scope) if self.headers is not None else ()
        echo = (REQUEST_ID_HEADER, request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
                if extra:
                    with_headers(headers, extra)
                headers.append(echo)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._log(scope, status, request_id, time.perf_counter() - started)
            _request_id.reset(token)

    def _log(self, scope: Scope, status: int, request_id: str, seconds: float) -> None:
        duration_ms = round(seconds * 1000, 2)
        method, path = scope["method"], scope["path"]
        level = logging.ERROR if status >= 500 else logging.INFO
        if not self.logger.isEnabledFor(level):  # as `log` would find, before building the line
            return
        self.logger.log(
            level,
            "%s %s %d %.2f ms",
            method,
            path,
            status,
            duration_ms,
            extra={
                "request_id": request_id,
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
            },
        )


class RequestIdFilter(logging.Filter):
    """Stamp the current request's id on every record written while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, RFC 3339), level, logger, message, request_id, the
    record's extra fields, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id not in (None, NO_REQUEST):
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in entry and key != "request_id":
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


class TextFormatter(logging.Formatter):
    """`--log-format text`: one line per record, the message's control characters escaped (`\\n`,
    `\\x1b`), so that a path such as `/%0A... 200` cannot forge a line (a traceback follows on
    lines of its own)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = _CONTROL.sub(lambda c: c.group().encode("unicode_escape").decode("ascii"), record.message)
        return super().formatMessage(record)


def log_config(*, log_format: str, level: str = "info") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the server: everything to stderr, one line per record;
    uvicorn's own access log is replaced by `certify.request` (pass `access_log=False`).
    `log_format` is one of `LOG_FORMATS`."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format {log_format!r} is not one of {', '.join(LOG_FORMATS)}")
    formatter = {"()": f"{__name__}.JsonFormatter"} if log_format == "json" else {"()": f"{__name__}.TextFormatter"}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    logger = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": {"uvicorn": logger, "uvicorn.error": {"level": level.upper()}, "certify": logger},
        "root": {"handlers": ["default"], "level": "WARNING"},
    }
