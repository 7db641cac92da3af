"""A real server (uvicorn, demo data, a temporary data dir) and Debian's headless Chromium.

Needs /usr/bin/chromium and npm (for axe-core, installed once into a cache folder outside the
repository). When either is missing the tests skip, saying why, unless CERTIFY_REQUIRE_BROWSER is
set (as in CI): then they fail. Screenshots go to $CERTIFY_SCREENSHOT_DIR or a temporary folder
printed at the start.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
REQUIRE = bool(os.environ.get("CERTIFY_REQUIRE_BROWSER"))
AXE_CACHE = Path(os.environ.get("CERTIFY_AXE_DIR", Path.home() / ".cache" / "certify-axe"))
DATA_DIRS: dict[str, Path] = {}  # a running server's base URL -> its CERTIFY_DATA_DIR (tests that set up data)


def unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"{reason} (CERTIFY_REQUIRE_BROWSER is set)")
    pytest.skip(reason)


def axe_script() -> Path:
    """axe.min.js from the npm registry, installed once into the cache folder."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is not installed: it installs axe-core for the accessibility checks")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_CACHE), "axe-core@4"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("CERTIFY_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="certify-screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's data folder (CERTIFY_DATA_DIR); `inspector.json` there: an inspector's API token."""
    return tmp_path_factory.mktemp("browser-data")


@pytest.fixture(scope="session")
def server(server_data: Path) -> Iterator[str]:
    """The base URL of a running certify with the demo loaded and a password for every user."""
    data = server_data
    env = {**os.environ, "CERTIFY_DATA_DIR": str(data), "CERTIFY_RENDER_WORKERS": "0"}
    port = _free_port()
    env["CERTIFY_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    subprocess.run([sys.executable, "-m", "certify.cli", "demo"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, timeout=300)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "certify.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports the app and loads the standards slowly
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        assert process.poll() is None, f"the server exited with {process.returncode}"
        DATA_DIRS[base] = data
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def server_data_dir(server: str) -> Path:
    """The running server's CERTIFY_DATA_DIR, for a test that sets up data beside the pages."""
    return DATA_DIRS[server]


# Run in the server's environment: a password for every user (login = role + id), and one product
# for each bundled standard, so that every standard's form can be filled.
SETUP = f"""
PASSWORD = {PASSWORD!r}
from certify.config import settings
from certify.store.database import Database
from certify.services import accounts, holders
from certify.services.models import HolderCreate, ProductCreate
from certify.services.standards import bundled
from certify.services import passwords
db = Database.connect(settings().database, pool_size=2)
users = accounts.list_users(database=db)
for user in users:
    passwords.set_password(database=db, user_id=user.id, login=f"{{user.role}}{{user.id}}", password=PASSWORD)
admin = next(u for u in users if u.role == "admin")
holder = holders.create_holder(database=db, actor=admin, holder=HolderCreate(
    name="Sanggar Uji Semua Standar", province="Bali", crafts=["batik", "weaving", "wood"]))
inspector = next(u for u in users if u.role == "inspector")
import json
token = accounts.issue_token(database=db, user_id=inspector.id)
(settings().data_dir / "inspector.json").write_text(json.dumps({{"id": inspector.id, "token": token}}))
for standard in bundled().standards():
    example = next(e for e in standard.examples if e.expect.certified)
    holders.create_product(database=db, actor=admin, holder_id=holder.id, product=ProductCreate(
        name="test " + standard.id, category=example.inspection["facts"]["product_category"]))
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, for one test module: Playwright's sync API keeps an event loop running in this
    thread while it is open, and tests of other modules (which run asyncio themselves) must not
    find it there."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe() -> Path:
    return axe_script()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=server, bypass_csp=True, locale="en-US", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()
