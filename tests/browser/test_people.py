"""In a real browser: a buyer verifies, an inspector inspects to every bundled standard, a
certifier issues, an artisan downloads. Every page visited passes axe and is photographed."""

from __future__ import annotations

import json
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from certify.core.evidence import lab_report_criteria, required_photos
from certify.core.standard import Standard
from certify.services.specimens import specimen_lab_report, specimen_photo
from certify.services.standards import bundled
from tests.browser.conftest import PASSWORD
from tests.browser.pages import check, sign_in


def certificates(server: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{server}/directory.json") as answer:
        holders: list[dict[str, Any]] = json.load(answer)["holders"]
    return [c for h in holders for c in h["certificates"]]


def test_a_buyer_verifies_a_valid_a_suspended_and_a_mistyped_id(
    page: Any, server: str, axe: Path, screenshot_dir: Path
) -> None:
    """Typing a valid ID shows VALID; after suspension SUSPENDED; a typo is called a typo."""
    page.goto("/")
    check(page, axe, screenshot_dir, "home")
    valid, to_suspend = certificates(server)[:2]
    page.goto("/verify")
    check(page, axe, screenshot_dir, "verify form")
    page.get_by_label("Certificate ID, as printed on the certificate").fill(valid["certificate_id"].lower())
    page.get_by_role("button", name="Check the ID").click()
    assert page.locator(".status-valid").is_visible()
    check(page, axe, screenshot_dir, "verify valid")
    typo = valid["certificate_id"][:-1] + ("0" if valid["certificate_id"][-1] != "0" else "1")
    page.goto("/verify")
    page.get_by_label("Certificate ID, as printed on the certificate").fill(typo)
    page.get_by_role("button", name="Check the ID").click()
    assert "probably a typo" in page.locator("#problem").inner_text()
    check(page, axe, screenshot_dir, "verify typo")
    certifier = page.context.browser.new_context(base_url=server, bypass_csp=True, locale="en-US").new_page()
    sign_in(certifier, "certifier4", PASSWORD)
    certifier.goto("/certificates")
    check(certifier, axe, screenshot_dir, "certifier certificates")
    certifier.goto(f"/certificates?q={to_suspend['certificate_id']}")
    certifier.locator(f"li:has(a[href='/verify/{to_suspend['certificate_id']}'])").get_by_role(
        "link", name="Suspend…"
    ).click()
    certifier.get_by_label("Reason").fill("complaint under review")
    certifier.get_by_role("button", name="Suspend and publish").click()
    certifier.wait_for_load_state()
    certifier.context.close()
    page.goto(f"/verify/{to_suspend['certificate_id']}")
    assert page.locator(".status-suspended").is_visible()
    check(page, axe, screenshot_dir, "verify suspended")
    page.goto(f"/lang/id?next=/verify/{to_suspend['certificate_id']}")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "DIBEKUKAN" in page.locator(".status").inner_text().upper()


def test_a_buyer_uploads_a_genuine_and_an_altered_pdf(
    page: Any, server: str, axe: Path, screenshot_dir: Path, tmp_path: Path
) -> None:
    """The issued PDF is authentic; the same PDF with one byte changed is not."""
    sign_in(page, "artisan6", PASSWORD)
    page.goto("/my")
    link = page.locator("a[download]").first
    with page.expect_download() as download:
        link.click()
    genuine = tmp_path / "genuine.pdf"
    download.value.save_as(genuine)
    altered = tmp_path / "altered.pdf"
    content = bytearray(genuine.read_bytes())
    content[len(content) // 2] ^= 0x01
    altered.write_bytes(bytes(content))
    for path, word, name in ((genuine, ".status-valid", "pdf genuine"), (altered, ".status-invalid", "pdf altered")):
        page.goto("/verify")
        page.get_by_label("The certificate's PDF file").set_input_files(str(path))
        page.get_by_role("button", name="Check the PDF").click()
        assert page.locator(word).is_visible(), page.content()
        check(page, axe, screenshot_dir, name)


def attach_declared_evidence(page: Any, standard: Standard, folder: Path) -> None:
    """The files the standard declares, chosen in the form: generated photos and a lab report."""
    for key, count in required_photos(standard).items():
        files = []
        for n in range(count):
            path = folder / f"{standard.id}-{key}-{n}.jpg"
            path.write_bytes(specimen_photo(f"{standard.id} {key} {n}", seed=n))
            files.append(str(path))
        page.locator(f"input[name='photos.{key}']").set_input_files(files)
    criteria = list(lab_report_criteria(standard))
    if criteria:
        report = folder / f"{standard.id}-lab.pdf"
        report.write_bytes(specimen_lab_report(criteria, report_number="LHU/1", issued_on=date.today()))
        page.locator("input[name='lab_report_file']").set_input_files(str(report))
        page.get_by_label("Laboratory").fill("Balai Besar Kerajinan dan Batik")
        page.get_by_label("Accreditation number").fill("KAN LP-000-IDN")
        page.get_by_label("Report number").fill("LHU/1")
        page.get_by_label("Issued on").fill(date.today().isoformat())


@pytest.mark.parametrize("standard_id", sorted(s.id for s in bundled().standards()))
def test_an_inspector_fills_the_form_of_every_standard_and_a_certifier_issues(
    page: Any, server: str, axe: Path, screenshot_dir: Path, standard_id: str, tmp_path: Path
) -> None:
    """The generated form takes a certified worked example; the certifier issues it from the queue."""
    standard = bundled().get(standard_id)
    example = next(e for e in standard.examples if e.expect.certified).inspection
    sign_in(page, "inspector3", PASSWORD)
    page.goto("/inspect")
    page.get_by_label("Workshop").select_option(label="Sanggar Uji Semua Standar — Bali")
    page.get_by_role("button", name="Show its products").click()
    page.locator(f"li:has-text('test {standard_id}') a[href*='standard={standard.id}']").first.click()
    check(page, axe, screenshot_dir, f"facts {standard_id}")
    for name, value in example["facts"].items():
        if name == "product_category":
            continue
        fact = standard.facts[name]
        if fact.type == "enum":
            page.locator(f"select[name='f.{name}']").select_option(value)
        elif fact.type == "set":
            for item in value:
                page.locator(f"input[name='f.{name}'][value='{item}']").check()
        elif fact.type == "bool":
            page.locator(f"input[name='f.{name}'][value='{'yes' if value else 'no'}']").check()
        else:
            page.locator(f"input[name='f.{name}']").fill(str(value))
    page.get_by_role("button", name="Next: the criteria").click()
    page.get_by_label("Lot or batch code").fill(f"LOT-{standard_id.upper()}-01")
    page.get_by_label("Pieces in the lot").fill(str(example["lot"]["size"]))
    page.wait_for_function("document.getElementById('sample').textContent.includes('Inspect ')")
    page.get_by_role("button", name="Draw the sample").click()
    page.locator("#plan .pieces").wait_for()
    attach_declared_evidence(page, standard, tmp_path)
    for cls, count in example["defects"].items():
        page.locator(f"#defects_{cls}").fill(str(count))
    for criterion, value in example["measurements"].items():
        field = page.locator(f"[name='m.{criterion}']")
        if value is True or value is False:
            page.locator(f"input[name='m.{criterion}'][value='{'yes' if value else 'no'}']").check()
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            field.select_option(
                next(o for o in field.locator("option").all_inner_texts() if o != "—" and float(o) == float(value))
            )
        else:
            field.fill(str(value))
    check(page, axe, screenshot_dir, f"form {standard_id}")
    page.get_by_role("button", name="Submit the inspection").dblclick()
    page.wait_for_url("**/inspections/*")
    assert page.locator(".status-valid").is_visible(), page.content()
    check(page, axe, screenshot_dir, f"assessment {standard_id}")
    inspection = page.url.rsplit("/", 1)[1]
    sign_in(page, "certifier4", PASSWORD)
    page.goto("/queue")
    check(page, axe, screenshot_dir, "queue")
    page.goto(f"/inspections/{inspection}")
    page.get_by_label("Issue the certificate").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Yes, issue the certificate").click()
    page.wait_for_load_state()
    assert page.locator("a[href^='/verify/IDC-']").count() == 1


def test_an_artisan_signs_in_and_downloads_a_certificate(page: Any, axe: Path, screenshot_dir: Path) -> None:
    """The artisan sees their workshop's certificates and assessments and downloads a PDF."""
    sign_in(page, "artisan6", PASSWORD)
    page.goto("/my")
    check(page, axe, screenshot_dir, "artisan workshop")
    with page.expect_download() as download:
        page.locator("a[download]").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.locator("a[href^='/inspections/']").last.click()
    check(page, axe, screenshot_dir, "artisan assessment")


def test_the_directory_and_admin_pages_pass_the_accessibility_check(page: Any, axe: Path, screenshot_dir: Path) -> None:
    """The directory (searched by province) and the admin page."""
    page.goto("/directory?province=Jawa+Tengah")
    assert page.locator("ul.directory > li").count() >= 1
    check(page, axe, screenshot_dir, "directory")
    sign_in(page, "admin1", PASSWORD)
    page.goto("/admin")
    check(page, axe, screenshot_dir, "admin")
