"""The certifier's queue and certificate list: who inspected what and when; search, filters and
pages; a status change only after a confirmation page that warns the reason is published."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import CERTIFIED_FURNITURE, World
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_work_pages import issue_through_the_page, submit


def test_the_queue_names_inspector_date_standard_and_result(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    database, world, _ = web_world
    inspection = submit(database, rulebook, world, CERTIFIED_FURNITURE)
    sign_in(browser_client, "certifier")
    browser_client.cookies.set("lang", "en")
    page = browser_client.get("/queue").text
    card = page[page.index(f'id="i-{inspection}"') :]
    card = card[: card.index("</li>")]
    for said in ("Ayu Lestari", "Wood craft", "2026.", "meets the standard", "Mebel Ukir Jepara Jaya", "Submitted on"):
        assert said in html.unescape(card), said
    assert "<table" not in page  # cards, stacked on a phone: nothing to scroll sideways


def test_the_certificate_list_searches_filters_and_pages(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    database, world, _ = web_world
    jepara = issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE))
    bali = issue_through_the_page(
        browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE, "bali_furniture")
    )
    for query, shown, hidden in (
        ({"q": "jepara"}, jepara, bali),
        ({"q": bali.lower()}, bali, jepara),
        ({"q": "ukir kayu"}, bali, jepara),
        ({"status": "valid", "standard": "wood"}, jepara, None),
        ({"status": "suspended"}, None, jepara),
        ({"standard": "woven"}, None, jepara),
    ):
        page = browser_client.get("/certificates", params=query).text
        if shown:
            assert f"/verify/{shown}" in page, query
        if hidden:
            assert f"/verify/{hidden}" not in page, query
    first = browser_client.get("/certificates", params={"status": "valid"}).text
    assert 'rel="next"' not in first  # two certificates fit a page of twenty
    assert browser_client.get("/certificates", params={"page": "0"}).status_code == 422


def test_a_suspension_acts_only_after_its_confirmation_page(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """The list links to a confirmation page that says the reason is published; a post without
    the confirmation shows that page and changes nothing; the confirmed one suspends."""
    database, world, _ = web_world
    issued = issue_through_the_page(browser_client, submit(database, rulebook, world, CERTIFIED_FURNITURE))
    browser_client.cookies.set("lang", "en")
    listing = browser_client.get("/certificates").text
    assert (
        f'href="/certificates/{issued}/withdraw"' in listing
        and '<form method="post" action="/certificates/' not in listing
    )
    confirm = browser_client.get(f"/certificates/{issued}/withdraw").text
    assert "Withdrawal is final" in confirm and "Published as written" in confirm
    token = csrf_of(confirm)
    unconfirmed = browser_client.post(f"/certificates/{issued}/suspend", data={"reason": "looks odd", "csrf": token})
    assert unconfirmed.status_code == 200 and "Suspend this certificate?" in unconfirmed.text
    assert "looks odd</textarea>" in unconfirmed.text
    buyer = TestClient(browser_client.app)
    assert "status-valid" in buyer.get(f"/verify/{issued}").text
    done = browser_client.post(
        f"/certificates/{issued}/suspend", data={"reason": "complaint under review", "confirmed": "yes", "csrf": token}
    )
    assert done.status_code == 200 and "badge-suspended" in done.text
    assert "status-suspended" in buyer.get(f"/verify/{issued}").text
    assert browser_client.get(f"/certificates/{issued}/suspend").status_code == 409  # already suspended


def test_a_decision_is_recorded_only_after_its_confirmation(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """ "Record the decision" leads to a page saying what issuing does; only its button issues."""
    database, world, _ = web_world
    inspection = submit(database, rulebook, world, CERTIFIED_FURNITURE)
    sign_in(browser_client, "certifier")
    browser_client.cookies.set("lang", "en")
    token = csrf_of(browser_client.get(f"/inspections/{inspection}").text)
    first = browser_client.post(
        f"/inspections/{inspection}/decision", data={"decision": "issue", "note": "fine", "csrf": token}
    )
    assert first.status_code == 200 and "Issue the certificate?" in first.text
    assert 'name="confirmed" value="yes"' in first.text and "fine</textarea>" in first.text
    assert f"/inspections/{inspection}" in browser_client.get("/queue").text  # still waiting
    done = browser_client.post(
        f"/inspections/{inspection}/decision",
        data={"decision": "issue", "note": "fine", "confirmed": "yes", "csrf": token},
    )
    assert 'href="/verify/IDC-' in done.text
