"""The whole back office at 390 px in a real browser: an admin registers a workshop and its
product through the pages, an inspector submits (over the API, as the phone form does), a
certifier decides from the queue, suspends after a confirmation, the artisan downloads, and a
buyer whose browser asks for German gets English on the verify pages. Every page passes axe."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import httpx

from certify.services.standards import bundled
from tests.browser.conftest import PASSWORD
from tests.browser.pages import check, sign_in
from tests.stress.conftest import Account, ready

STANDARD = "batik"


def test_a_workshop_registered_on_the_pages_is_certified_downloaded_and_verified(
    page: Any, server: str, server_data: Path, axe: Path, screenshot_dir: Path, tmp_path: Path
) -> None:
    standard = bundled().get(STANDARD)
    example = next(e for e in standard.examples if e.expect.certified).inspection
    category = str(example["facts"]["product_category"])

    # An admin registers the workshop and its product.
    sign_in(page, "admin1", PASSWORD)
    page.goto("/workshops")
    check(page, axe, screenshot_dir, "bo workshops")
    page.get_by_role("link", name="Register a workshop").click()
    page.get_by_label("Name").first.fill("Batik Tulis Ibu Sri")
    page.get_by_label("Province").fill("Jawa Tengah")
    page.get_by_label("Regency or city").fill("Surakarta")
    page.get_by_label("Address").fill("Jl. Laweyan 3")
    page.get_by_label("Crafts").fill("batik")
    page.get_by_label("Contact (phone or e-mail)").fill("+62 812 3456 7890")
    check(page, axe, screenshot_dir, "bo workshop new")
    page.get_by_role("button", name="Register the workshop").click()
    page.wait_for_url("**/workshops/*?done=created")
    holder_id = int(re.search(r"/workshops/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    page.get_by_label("Product name").fill("Kain batik tulis parang")
    page.get_by_label("Category").select_option(category)
    page.get_by_role("button", name="Add the product").click()
    page.wait_for_url("**done=product*")
    assert "Kain batik tulis parang" in page.locator("#products ~ ul").inner_text()
    check(page, axe, screenshot_dir, "bo workshop edit")

    # The workshop's artisan gets an account.
    page.goto("/admin")
    page.get_by_label("Name").first.fill("Sri Rahayu")
    page.get_by_label("Role").select_option("artisan")
    page.get_by_label("Workshop (artisans only)").select_option(label="Batik Tulis Ibu Sri")
    page.get_by_label("Login").fill("sri")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Add the user").click()
    page.wait_for_url("**/admin?done=user")
    check(page, axe, screenshot_dir, "bo admin")

    # The inspector submits over the API.
    inspector = json.loads((server_data / "inspector.json").read_text())
    account = Account(inspector["id"], inspector["token"])
    with httpx.Client(base_url=server, timeout=120) as client:
        products = client.get(f"/api/v1/holders/{holder_id}/products", headers=account.headers).json()
        body = ready(client, account, {**copy.deepcopy(example), "standard": STANDARD}, products[0]["id"])
        submitted = client.post("/api/v1/inspections", json=body, headers=account.headers)
        assert submitted.status_code == 201, submitted.text
        inspection_id = submitted.json()["id"]

    # The certifier finds it in the queue and issues.
    sign_in(page, "certifier4", PASSWORD)
    page.goto("/queue")
    card = page.locator(f"#i-{inspection_id}")
    assert "Batik Tulis Ibu Sri" in card.inner_text()
    check(page, axe, screenshot_dir, "bo queue")
    card.get_by_role("link", name="Review and decide").click()
    page.get_by_label("Issue the certificate").check()
    page.get_by_role("button", name="Record the decision").click()
    check(page, axe, screenshot_dir, "bo confirm decision")
    page.get_by_role("button", name="Yes, issue the certificate").click()
    page.wait_for_load_state()
    certificate_id = page.locator("a[href^='/verify/IDC-']").first.inner_text().strip()
    page.goto(f"/certificates?q={certificate_id}")
    check(page, axe, screenshot_dir, "bo certificates")

    # The artisan downloads the PDF.
    sign_in(page, "sri", PASSWORD)
    page.goto("/my")
    with page.expect_download() as download:
        page.locator("a[download]").first.click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)

    # A buyer whose browser asks for German gets English; the PDF is authentic and valid.
    buyer = page.context.browser.new_context(
        base_url=server, bypass_csp=True, locale="de-DE", viewport={"width": 390, "height": 844}
    ).new_page()
    buyer.goto(f"/verify/{certificate_id}")
    assert buyer.locator("html").get_attribute("lang") == "en"
    assert buyer.locator(".status-valid").is_visible()
    assert "+62 812 3456 7890" in buyer.locator("dl.facts").first.inner_text()
    assert not buyer.locator("details.tech ul.checks").is_visible()  # folded
    check(buyer, axe, screenshot_dir, "bo verify valid")
    buyer.get_by_role("link", name=re.compile("Batik")).first.click()
    buyer.wait_for_url("**/standards/batik/*")
    check(buyer, axe, screenshot_dir, "bo standard")

    # The certifier suspends after the confirmation page; the same PDF is authentic but not valid.
    sign_in(page, "certifier4", PASSWORD)
    page.goto(f"/certificates?q={certificate_id}")
    page.get_by_role("link", name="Suspend…").click()
    assert "Published as written" in page.locator("#reason-warning").inner_text()
    check(page, axe, screenshot_dir, "bo confirm suspend")
    page.get_by_label("Reason").fill("complaint under review")
    page.get_by_role("button", name="Suspend and publish").click()
    page.wait_for_url("**done=suspend*")
    buyer.goto("/verify")
    buyer.get_by_label("The certificate's PDF file").set_input_files(str(pdf))
    buyer.get_by_role("button", name="Check the PDF").click()
    assert buyer.locator(".status-suspended").is_visible()
    assert "AUTHENTIC, BUT NOT VALID" in buyer.locator(".status").inner_text().upper()
    assert buyer.locator(".status-valid").count() == 0
    check(buyer, axe, screenshot_dir, "bo pdf suspended")
    buyer.context.close()
