"""Where a webhook may be sent: https (http only when the operator allows it), and never to a
private, loopback, link-local or otherwise non-public address unless the operator allows it
(`CERTIFY_WEBHOOK_ALLOW_PRIVATE`, as tests do): a subscription must not turn the service into a
probe of its own network. Checked when subscribing and again, on the resolved addresses, when
delivering."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from certify.core.text import Text


class TargetRefused(ValueError):
    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)


def check_url(url: str, *, allow_http: bool, allow_private: bool, resolve: bool = True) -> None:
    """Raise `TargetRefused`, saying why, unless `url` is a target webhooks may go to."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused(Text(en=f"{url!r} is not an http(s) URL", id=f"{url!r} bukan URL http(s)"))
    if parts.scheme == "http" and not allow_http:
        raise TargetRefused(Text(en="a webhook URL must use https", id="URL webhook harus memakai https"))
    if allow_private:
        return
    for address in _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), resolve):
        if not address.is_global:
            raise TargetRefused(
                Text(
                    en=f"{parts.hostname} is a private, loopback or link-local address: webhooks go to public addresses",
                    id=f"{parts.hostname} adalah alamat privat, loopback, atau link-local: webhook hanya ke alamat publik",
                )
            )


def _addresses(host: str, port: int, resolve: bool) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1")]
    if not resolve:
        return []
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        raise TargetRefused(
            Text(en=f"{host} cannot be resolved", id=f"{host} tidak dapat ditemukan alamatnya")
        ) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
