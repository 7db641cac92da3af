"""Real receivers on 127.0.0.1 for the tests of deliveries: a webhook endpoint (an HTTP server in
a thread) that checks each Standard Webhooks signature and can fail a number of times first, and
an SMTP server (aiosmtpd) in the test's own process."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from standardwebhooks import Webhook


@dataclass
class WebhookReceiver:
    """Answers 500 to its first `failures` requests, then 200; keeps what it accepted."""

    secret: str = ""
    secrets: list[str] = field(default_factory=list)  # several subscriptions' secrets: any may sign
    failures: int = 0
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (webhook-id, payload)
    attempts: int = 0
    bad_signatures: int = 0
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ids(self) -> list[str]:
        return [message_id for message_id, _ in self.received]

    def events(self) -> list[str]:
        return [payload["data"]["event"] for _, payload in self.received]


@contextmanager
def webhook_receiver(failures: int = 0, slow_seconds: float = 0) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(failures=failures)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            time.sleep(slow_seconds)
            with receiver.lock:
                receiver.attempts += 1
                failing = receiver.attempts <= receiver.failures
                if not failing:
                    payload = _verified(body, dict(self.headers.items()), [receiver.secret, *receiver.secrets])
                    if payload is None:
                        receiver.bad_signatures += 1
                        failing = True
                    else:
                        receiver.received.append((self.headers["webhook-id"], payload))
            self.send_response(500 if failing else 204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def _verified(body: bytes, headers: dict[str, str], secrets: list[str]) -> dict[str, Any] | None:
    """The payload when one of `secrets` signed it (Standard Webhooks), else None."""
    for secret in secrets:
        if not secret:
            continue
        try:
            payload: dict[str, Any] = Webhook(secret).verify(body, headers)
            return payload
        except Exception:  # the library's WebhookVerificationError: try the next secret
            continue
    return None


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    mailbox = Mailbox("127.0.0.1", free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else json.dumps(payload)
