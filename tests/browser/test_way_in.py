"""In a real browser at 390 px: a workshop applies from the page without an account, a certifier
reviews and assigns, the inspector opens the form from the assignment (the inspection itself is
submitted through the API), a certifier decides, and the workshop's artisan downloads the badge,
whose QR code zbarimg reads as the certificate's verify URL."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from certify.config import Settings
from certify.services import accounts, passwords
from certify.services.standards import bundled
from certify.store.database import Database
from tests.api.conftest import Person, World, inspection_body
from tests.browser.conftest import PASSWORD
from tests.browser.pages import check, sign_in

VASE = 7  # a certified worked example of the ceramics standard


def server_database(data_dir: Path) -> Database:
    return Database.connect(Settings(data_dir=data_dir).database, pool_size=2)


def test_a_workshop_applies_is_assigned_inspected_certified_and_downloads_its_badge(
    page: Any, server: str, server_data_dir: Path, axe: Path, screenshot_dir: Path, tmp_path: Path
) -> None:
    page.goto("/lang/id?next=/apply")
    assert page.locator("h1").inner_text() == "Ajukan sertifikasi"
    check(page, axe, screenshot_dir, "apply id")
    page.goto("/lang/en?next=/apply")
    check(page, axe, screenshot_dir, "apply en")
    page.get_by_label("Workshop name").fill("Gerabah Kasongan Lestari")
    page.get_by_label("Province").fill("DI Yogyakarta")
    page.get_by_label("Address").fill("Jl. Kasongan No. 12, Bantul")
    page.get_by_label("Your name").fill("Sri Wahyuni")
    page.get_by_label("Phone (WhatsApp)").fill("+62 812 2700 1234")
    page.get_by_label("Product 1").fill("Vas Bunga Terakota")
    page.locator("#kind_0").select_option("ceramics:vase")
    page.get_by_label("European Union").check()
    page.locator("#accept_agreement").check()
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/applications/*")
    tracking = page.url
    assert page.locator("#state").inner_text() == "Received, being reviewed"
    check(page, axe, screenshot_dir, "tracking received")

    sign_in(page, "certifier4", PASSWORD)
    page.goto("/review")
    page.get_by_role("link", name=re.compile("Gerabah Kasongan Lestari")).click()
    assert "covered" in page.locator("#scope").inner_text()
    check(page, axe, screenshot_dir, "review")
    inspector_id = page.locator("#inspector_id option").first.get_attribute("value")
    page.locator("#inspector_id").select_option(inspector_id)
    page.get_by_role("button", name="Accept and assign").click()
    page.wait_for_load_state()
    assert page.locator("#assignments").is_visible()

    page.context.clear_cookies()
    page.goto(tracking)
    assert page.locator("#state").inner_text() == "Accepted"
    due = (date.today() + timedelta(days=14)).isoformat()
    assert due in page.locator("#assignments").inner_text()
    check(page, axe, screenshot_dir, "tracking accepted")

    sign_in(page, f"inspector{inspector_id}", PASSWORD)
    page.goto("/assignments")
    check(page, axe, screenshot_dir, "assignments")
    page.locator("#waiting li", has_text="Gerabah Kasongan Lestari").get_by_role(
        "link", name="Open the inspection form"
    ).click()
    assert "standard=ceramics" in page.url and "Vas Bunga Terakota" in page.content()
    product_id = int(re.search(r"product=(\d+)", page.url).group(1))  # type: ignore[union-attr]

    database = server_database(server_data_dir)
    try:
        inspector = next(u for u in accounts.list_users(database=database) if u.id == int(inspector_id or 0))
        token = accounts.issue_token(database=database, user_id=inspector.id)
        world = World(database, people={"inspector": Person(inspector, token)})
        body = inspection_body(world, bundled(), product_id, VASE, standard="ceramics")  # type: ignore[arg-type]
        answer = httpx.post(f"{server}/api/v1/inspections", json=body, headers=world["inspector"].headers, timeout=60)
        assert answer.status_code == 201, answer.text
        inspection = answer.json()["id"]
        holder_id = answer.json()["holder_id"]
        artisan, _ = accounts.create_user(database=database, role="artisan", name="Sri Wahyuni", holder_id=holder_id)
        passwords.set_password(database=database, user_id=artisan.id, login="wulan", password=PASSWORD)
    finally:
        database.dispose()

    sign_in(page, "certifier4", PASSWORD)
    page.goto(f"/inspections/{inspection}")
    page.get_by_label("Issue the certificate").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Yes, issue the certificate").click()  # the confirmation step
    page.wait_for_load_state()
    certificate_id = page.locator("a[href^='/verify/IDC-']").first.inner_text().strip()

    sign_in(page, "wulan", PASSWORD)
    page.goto("/my")
    assert "2026.1" in page.locator("#agreements").inner_text()
    share = page.locator(f"#share-{certificate_id}").input_value()
    assert share == f"{server}/verify/{certificate_id}"
    check(page, axe, screenshot_dir, "my workshop with its mark")
    with page.expect_download() as download:
        page.get_by_role("link", name="PNG for a listing").click()
    badge = tmp_path / "badge.png"
    download.value.save_as(badge)
    assert Image.open(io.BytesIO(badge.read_bytes())).width == 300
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(badge)], capture_output=True, text=True, timeout=30)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == f"{server}/verify/{certificate_id}"
