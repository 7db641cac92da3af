"""The inspection form on a phone (390 px): filled, the network cut, reloaded, submitted with no
connection, landing once when the connection returns; without JavaScript; problems beside their
fields in Indonesian; a conflict of interest refused before the form opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from certify.cli.demo import WORKSHOPS
from certify.core.standard import Standard
from certify.services.specimens import specimen_photo
from certify.services.standards import bundled
from tests.browser.conftest import PASSWORD
from tests.browser.pages import check, sign_in, wait_until

STANDARD = "general"
WORKSHOP = "Sanggar Uji Semua Standar — Bali"


def example(standard: Standard) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in standard.examples if e.expect.certified).inspection
    return found


def open_form(page: Any, standard: Standard) -> None:
    """From /inspect to the criteria of the test product, the example's facts chosen."""
    page.goto("/inspect")
    page.locator("#holder").select_option(label=WORKSHOP)
    page.locator("form[action='/inspect'] button").click()
    page.locator(f"li:has-text('test {standard.id}') a[href*='standard={standard.id}']").first.click()
    for name, value in example(standard)["facts"].items():
        fact = standard.facts.get(name)
        if name == "product_category" or fact is None:
            continue
        if fact.type == "enum":
            page.locator(f"select[name='f.{name}']").select_option(value)
        elif fact.type == "set":
            for item in value:
                page.locator(f"input[name='f.{name}'][value='{item}']").check()
        elif fact.type == "bool":
            page.locator(f"input[name='f.{name}'][value='{'yes' if value else 'no'}']").check()
        else:
            page.locator(f"input[name='f.{name}']").fill(str(value))
    page.locator("form[action='/inspect/criteria'] button[type=submit]").click()
    page.locator("#inspection").wait_for()


def fill(page: Any, standard: Standard, lot_code: str, *, skip: str = "") -> None:
    """The lot, the sample drawn, the defects and every measurement but `skip`."""
    inspection = example(standard)
    page.locator("#lot_code").fill(lot_code)
    page.locator("#lot_size").fill(str(inspection["lot"]["size"]))
    page.locator("#draw").click()
    page.locator("#plan .pieces").wait_for()
    for cls, count in inspection["defects"].items():
        page.locator(f"#defects_{cls}").fill(str(count))
    for criterion, value in inspection["measurements"].items():
        if criterion == skip:
            continue
        field = page.locator(f"[name='m.{criterion}']")
        if value is True or value is False:
            page.locator(f"input[name='m.{criterion}'][value='{'yes' if value else 'no'}']").check()
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            field.select_option(
                next(o for o in field.locator("option").all_inner_texts() if o != "—" and float(o) == float(value))
            )
        else:
            field.fill(str(value))


def newest_inspections(page: Any) -> list[str]:
    """The inspector's recent inspections, newest first (their ids), as /inspect lists them."""
    page.goto("/inspect")
    hrefs: list[str] = page.locator("a[href^='/inspections/']").evaluate_all("links => links.map(a => a.href)")
    return [h.rsplit("/", 1)[1] for h in hrefs]


def test_a_form_filled_offline_survives_a_reload_and_lands_once_when_back_online(
    page: Any, axe: Path, screenshot_dir: Path, tmp_path: Path
) -> None:
    """Filled online (the sample drawn, a photo taken), the network cut, reloaded: everything is
    still there. Submitted offline it waits; a second tab holds the same outbox. Back online both
    tabs send it, with one idempotency key: exactly one new inspection."""
    standard = bundled().get(STANDARD)
    sign_in(page, "inspector3", PASSWORD)
    before = newest_inspections(page)
    open_form(page, standard)
    page.wait_for_function("document.getElementById('inspection').dataset.ready === '1'")
    wait_until(page, "navigator.serviceWorker.ready.then(() => true)")  # bounded: a worker never ready fails
    wait_until(page, "caches.match(location.href).then(hit => !!hit)")  # kept for a reload offline
    check(page, axe, screenshot_dir, "inspection form empty")
    fill(page, standard, "LOT-OFFLINE-1")
    photo = tmp_path / "lot.jpg"
    photo.write_bytes(specimen_photo("lot, seen from above", seed=7))
    page.locator("input[name='photos.lot']").set_input_files(str(photo))
    page.locator("ul.photos[data-for='photos.lot'] li").wait_for()
    saves = page.evaluate("Number(document.getElementById('inspection').dataset.saves || 0)")
    page.locator("#note").fill("cut off halfway")
    page.wait_for_function(f"Number(document.getElementById('inspection').dataset.saves) > {saves}")
    assert "Draft saved on this phone" in page.locator("#saved").inner_text()
    key = page.locator("input[name=idempotency_key]").input_value()
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("document.getElementById('inspection').dataset.ready === '1'")
    assert page.locator("#lot_code").input_value() == "LOT-OFFLINE-1"
    assert page.locator("#note").input_value() == "cut off halfway"
    assert page.locator("input[name=idempotency_key]").input_value() == key
    assert page.locator("#plan").is_visible() and page.locator("#plan .pieces").inner_text().strip()
    assert page.locator("ul.photos[data-for='photos.lot'] li").count() == 1
    assert "/" in page.locator(".count[data-for='s-materials']").inner_text()
    check(page, axe, screenshot_dir, "inspection form offline")
    page.locator("#submit").click()
    page.wait_for_function("document.getElementById('saved').textContent.includes('No connection')")
    assert "/inspect/criteria" in page.url
    page.reload()
    page.wait_for_function("document.getElementById('saved').textContent.includes('No connection')")
    check(page, axe, screenshot_dir, "inspection form queued")
    twin = page.context.new_page()
    twin.goto(page.url)
    twin.wait_for_function("document.getElementById('saved').textContent.includes('No connection')")
    page.context.set_offline(False)
    page.wait_for_url("**/inspections/*", timeout=60_000)
    landed = page.url.rsplit("/", 1)[1]
    twin.close()
    after = newest_inspections(page)
    assert after[0] == landed and after[1:] == before[: len(after) - 1], (before, after)


def test_a_draft_stays_with_its_inspector_on_a_shared_phone(page: Any) -> None:
    """One phone, two inspectors: the first one's draft is neither shown to nor sent by the next
    one to sign in, and is there again when the first signs back in; the pages kept for use with
    no network (with the first one's name on them) are dropped when they sign out."""
    standard = bundled().get(STANDARD)
    sign_in(page, "inspector3", PASSWORD)
    open_form(page, standard)
    page.wait_for_function("document.getElementById('inspection').dataset.ready === '1'")
    page.locator("#lot_code").fill("LOT-SHARED-1")
    page.locator("#note").fill("half done")
    page.wait_for_function("document.getElementById('saved').textContent.includes('Draft saved on this phone')")
    wait_until(page, "caches.match(location.href).then(hit => !!hit)")  # kept, with their name on it
    page.get_by_role("button", name="Sign out").click()
    wait_until(page, "caches.has('certify-inspect-v1').then(kept => !kept)")  # not shown to the next one
    sign_in(page, "inspector2", PASSWORD)
    open_form(page, standard)
    page.wait_for_function("document.getElementById('inspection').dataset.ready === '1'")
    assert page.locator("#lot_code").input_value() == ""
    assert page.locator("#note").input_value() == ""
    sign_in(page, "inspector3", PASSWORD)
    open_form(page, standard)
    page.wait_for_function("document.getElementById('inspection').dataset.ready === '1'")
    assert page.locator("#lot_code").input_value() == "LOT-SHARED-1"
    assert page.locator("#note").input_value() == "half done"


def test_without_javascript_the_form_still_submits(browser: Any, server: str, axe: Path, screenshot_dir: Path) -> None:
    """JavaScript off: the sample is drawn by a round trip, the form posts, the inspection lands."""
    context = browser.new_context(
        base_url=server, java_script_enabled=False, locale="en-US", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        standard = bundled().get(STANDARD)
        sign_in(page, "inspector3", PASSWORD)
        open_form(page, standard)
        assert page.locator("#progress").is_hidden()
        fill(page, standard, "LOT-NO-JS-1")
        page.locator("#submit").click()
        page.wait_for_url("**/inspections/*")
        assert page.locator(".status-valid").is_visible(), page.content()
    finally:
        context.close()


def test_a_refused_answer_is_shown_beside_its_field_in_indonesian(page: Any, axe: Path, screenshot_dir: Path) -> None:
    """A measurement left empty past the browser's check (as an old browser would): the service
    refuses; the form shows why beside that criterion, in Indonesian, once; nothing is lost."""
    standard = bundled().get(STANDARD)
    skipped = next(iter(example(standard)["measurements"]))
    sign_in(page, "inspector3", PASSWORD)
    page.goto("/lang/id?next=/inspect")
    open_form(page, standard)
    page.wait_for_function("document.getElementById('inspection').dataset.ready === '1'")
    fill(page, standard, "LOT-REFUSED-1", skip=skipped)
    page.evaluate("document.getElementById('inspection').noValidate = true")
    page.locator("#submit").click()
    error = page.locator(f"#e-{skipped}")
    error.wait_for()
    assert error.inner_text() == "berlaku untuk produk ini dan belum diukur"
    assert page.locator(".error").count() == 1 and "measurements." not in page.content()
    assert page.locator("#lot_code").input_value() == "LOT-REFUSED-1"
    check(page, axe, screenshot_dir, "inspection form refused id")
    page.goto("/lang/en?next=/inspect")


def test_a_declared_conflict_is_refused_before_the_form_opens(page: Any, axe: Path, screenshot_dir: Path) -> None:
    """The demo's first inspector (inspector2) declared a family tie with its second workshop:
    choosing it says so, and offers no form to fill."""
    sign_in(page, "inspector2", PASSWORD)
    page.goto("/inspect")
    page.locator("#holder").select_option(label=f"{WORKSHOPS[1].name} — {WORKSHOPS[1].province}")
    page.locator("form[action='/inspect'] button").click()
    assert "conflict of interest" in page.locator("#refusal").inner_text()
    assert page.locator("a[href^='/inspect/new']").count() == 0
    check(page, axe, screenshot_dir, "inspect conflict refused")
