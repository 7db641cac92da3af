"""What every browser test does to a page: check accessibility with axe-core, take screenshots."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

AXE_RULES = [
    "label",
    "color-contrast",
    "html-has-lang",
    "html-lang-valid",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "select-name",
    "button-name",
    "link-name",
    "document-title",
    "valid-lang",
    "landmark-one-main",
    "region",
    "duplicate-id-aria",
    "form-field-multiple-labels",
]


def check(page: Any, axe: Path, shots: Path, name: str) -> None:
    """No axe violation of the rules above; screenshots at phone and desktop widths."""
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}}).then(r => r.violations.map("
        "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        AXE_RULES,
    )
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"{_slug(name)}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert result == [], f"{name}: accessibility violations {result}"


def sign_in(page: Any, login: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def wait_until(page: Any, expression: str, timeout_s: float = 30) -> None:
    """Wait until `expression` (JavaScript; a promise is awaited) is truthy in the page: unlike
    `wait_for_function`, which takes a promise itself as truthy and returns at once."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {expression}"
        time.sleep(0.1)
