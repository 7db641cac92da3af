"""Issue 12, finding 3: `X-Forwarded-For` counts only from `CERTIFY_TRUSTED_PROXIES` (default none),
as `certify serve` passes it to uvicorn; rotating the header no longer escapes the limits."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.stress.conftest import Server

pytestmark = pytest.mark.stress
VERIFY = "/api/v1/certificates/IDC-2026-7KQ3-9XHD-P"


def rotated(client: httpx.Client, count: int) -> list[int]:
    return [client.get(VERIFY, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(count)]


def wrong_sign_ins(client: httpx.Client, count: int) -> list[int]:
    statuses = []
    for n in range(count):
        page = client.get("/sign-in").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        statuses.append(
            client.post(
                "/sign-in",
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
                data={"login": f"nobody{n}", "password": "wrong password", "csrf": csrf.group(1)},
            ).status_code
        )
    return statuses


@pytest.mark.parametrize("backend", ["sqlite"])
def test_rotating_x_forwarded_for_from_an_untrusted_client_escapes_no_limit(server: Server) -> None:
    """By default no proxy is trusted: 40 verifications with 40 forwarded addresses get the burst
    of 10 and then 429; 25 wrong sign-ins get 20 and then 429."""
    server.more_env |= {"CERTIFY_PUBLIC_RATE_BURST": "10", "CERTIFY_PUBLIC_RATE_PER_SECOND": "0.01"}
    server.start()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        statuses = rotated(client, 40)
        assert statuses.count(429) == 30 and statuses.count(404) == 10
        signs = wrong_sign_ins(client, 25)
        assert signs.count(401) == 20 and signs.count(429) == 5


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_trusted_proxy_passes_on_the_buyers_address(server: Server) -> None:
    """With CERTIFY_TRUSTED_PROXIES=127.0.0.1 each forwarded address has its own bucket (the
    buyers behind the proxy are told apart), and one address still meets its limit."""
    server.more_env |= {
        "CERTIFY_PUBLIC_RATE_BURST": "10",
        "CERTIFY_PUBLIC_RATE_PER_SECOND": "0.01",
        "CERTIFY_TRUSTED_PROXIES": "127.0.0.1",
    }
    server.start()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert rotated(client, 40).count(404) == 40
        same = [client.get(VERIFY, headers={"X-Forwarded-For": "203.0.113.250"}).status_code for _ in range(12)]
        assert same.count(429) == 2
