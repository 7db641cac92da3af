"""The inspection form on a phone over a slow network: its page weight and its time to interactive.

Starts `certify serve` on SQLite in a temporary data directory, signs an inspector in with
Debian's Chromium (Playwright, 390 px), throttles the network to Fast 3G through the DevTools
protocol (`Network.emulateNetworkConditions`: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip,
no cache) and opens the criteria page of a wood furniture inspection.

Prints
- `form_page_weight_bytes: N` — the HTML, CSS and JavaScript transferred (photos excluded), and
  each of them;
- `form_time_to_interactive_ms: N` — from the navigation's start until the form's script has
  restored the draft and wired the form (its `form-ready` performance mark): the moment a tap
  does what it should;
- the same for a second visit (the service worker and its cache in place) and a reload with no
  network at all.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import running  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, holders, passwords  # noqa: E402
from certify.services.models import HolderCreate, ProductCreate  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a long bench password"
FAST_3G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
KINDS = {"document": "html", "stylesheet": "css", "script": "js"}


def prepare(data_dir: Path) -> int:
    """An inspector `bench` with a password, authorised for every standard; a furniture product."""
    url = f"sqlite:///{data_dir / 'certify.db'}"
    migrate.upgrade(url)
    database = Database.connect(url, pool_size=2)
    admin, _ = accounts.create_user(database=database, role="admin", name="Bench admin")
    inspector, _ = accounts.create_user(database=database, role="inspector", name="Bench inspector")
    passwords.set_password(database=database, user_id=inspector.id, login="bench", password=PASSWORD)
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=inspector.id)
    holder = holders.create_holder(
        database=database,
        actor=admin,
        holder=HolderCreate(name="Mebel Jepara", province="Jawa Tengah", crafts=["wood"]),
    )
    product = holders.create_product(
        database=database, actor=admin, holder_id=holder.id, product=ProductCreate(name="Kursi", category="furniture")
    )
    database.dispose()
    return product.id


def form_url(product_id: int) -> str:
    """The criteria page of the wood standard's first worked example."""
    standard = bundled().get("wood")
    facts = standard.examples[0].inspection["facts"]
    params: list[tuple[str, str]] = [("product", str(product_id)), ("standard", standard.ref)]
    for name, value in facts.items():
        if name != "product_category":
            for item in value if isinstance(value, list) else [value]:
                params.append((f"f.{name}", "yes" if item is True else "no" if item is False else str(item)))
    return "/inspect/criteria?" + urlencode(params)


def visit(page: Any, url: str) -> tuple[float, dict[str, int]]:
    """Open `url`; the time to the form-ready mark (ms) and the bytes of each kind received."""
    sizes: dict[str, int] = {}

    def count(response: Any) -> None:
        kind = KINDS.get(response.request.resource_type)
        if kind is not None and not response.from_service_worker:
            sizes[kind] = sizes.get(kind, 0) + len(response.body())

    page.on("response", count)
    page.goto(url, wait_until="load")
    page.wait_for_function("performance.getEntriesByName('form-ready').length > 0", timeout=120_000)
    ready: float = page.evaluate("performance.getEntriesByName('form-ready')[0].startTime")
    page.remove_listener("response", count)
    return ready, sizes


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="certify-bench-") as folder:
        data_dir = Path(folder)
        product_id = prepare(data_dir)
        env = {**os.environ, "CERTIFY_DATA_DIR": str(data_dir), "CERTIFY_ISSUER_NAME": "Lembaga Sertifikasi Bench"}
        serve = [sys.executable, "-m", "certify.cli", "serve", "--workers", "1", "--log-level", "warning"]
        with running(serve, env) as port, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            context = browser.new_context(base_url=f"http://127.0.0.1:{port}", viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto("/sign-in")
            page.locator("#login").fill("bench")
            page.locator("#password").fill(PASSWORD)
            page.locator("form[action='/sign-in'] button[type=submit]").click()
            page.wait_for_load_state()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            url = form_url(product_id)
            first, sizes = visit(page, url)
            print(f"form_page_weight_bytes: {sum(sizes.values())}")
            for kind in ("html", "css", "js"):
                print(f"  {kind}_bytes: {sizes.get(kind, 0)}")
            print(f"form_time_to_interactive_ms: {first:.0f}  (Fast 3G, first visit, no cache)")
            page.wait_for_function("navigator.serviceWorker.controller !== null || caches.has('certify-inspect-v1')")
            again, _ = visit(page, url)
            print(f"form_time_to_interactive_repeat_ms: {again:.0f}  (Fast 3G, second visit, service worker)")
            cdp.send("Network.emulateNetworkConditions", {**FAST_3G, "offline": True})
            context.set_offline(True)
            offline, _ = visit(page, url)
            print(f"form_time_to_interactive_offline_ms: {offline:.0f}  (no network, from the service worker's cache)")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
