"""The API's documentation pages render in a browser that can reach nothing but certify."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest


@pytest.mark.parametrize(("path", "operation"), [("/docs", ".opblock"), ("/redoc", "[data-section-id^='operation/']")])
def test_the_api_documentation_renders_its_operations_offline(
    browser: Any, server: str, path: str, operation: str, screenshot_dir: Path
) -> None:
    """Every request beyond 127.0.0.1 is refused; the page still lists the API's operations, and
    asked for nothing elsewhere (no CDN, no web fonts), under its own content security policy."""
    elsewhere: list[str] = []
    page = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}).new_page()

    def only_here(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.goto(path)
    page.wait_for_selector(operation, timeout=30_000)
    assert page.locator(operation).count() >= 10
    page.screenshot(path=str(screenshot_dir / f"api docs {path.strip('/')}.png"))
    assert elsewhere == []
    page.context.close()
