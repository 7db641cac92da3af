"""The inspection form as the service answers it: refused before it opens, problems beside their
fields, and the routes its script uses (the sample drawn as JSON, evidence uploaded ahead)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from certify.services import conflicts, inspections
from certify.services.specimens import specimen_photo
from certify.store.database import Database
from certify.web.inspection_form import answer_words, placed
from tests.api.conftest import World
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_work_pages import inspection_form


def test_a_declared_conflict_refuses_before_the_form_opens(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """The facts step answers 403 saying why, in the page's language; the workshop's products
    offer no form to fill; no criteria page opens either."""
    database, world, _ = web_world
    conflicts.declare_conflict(
        database=database, user_id=world["inspector"].user.id, holder_id=world.holders["jepara"], reason="family"
    )
    sign_in(browser_client, "inspector")
    product = world.products["jepara_furniture"]
    for path in (f"/inspect/new?product={product}&standard=wood", f"/inspect/criteria?product={product}&standard=wood"):
        page = browser_client.get(path, headers={"Accept-Language": "id"})
        assert page.status_code == 403
        assert "benturan kepentingan" in page.text and 'id="refusal"' in page.text
        assert 'name="m.' not in page.text and 'name="f.' not in page.text
    choose = browser_client.get(f"/inspect?holder={world.holders['jepara']}", headers={"Accept-Language": "en"})
    assert 'id="refusal"' in choose.text and "conflict of interest" in choose.text
    assert "/inspect/new?product=" not in choose.text
    other = browser_client.get(f"/inspect?holder={world.holders['bali']}")
    assert 'id="refusal"' not in other.text and "/inspect/new?product=" in other.text


def test_the_script_draws_the_sample_and_uploads_a_photo_then_submits_its_hash(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """/inspect/plan.json draws the pieces; /inspect/evidence stores a photo (the same bytes twice:
    one file); the form names it by `sha.photos.lot` and the inspection holds it."""
    database, world, _ = web_world
    form = inspection_form(browser_client, world, rulebook, "form-sha")
    token = form["csrf"]
    plan = browser_client.post(
        "/inspect/plan.json", data={"csrf": token, "standard": form["standard"], "lot_size": "80"}
    )
    assert plan.status_code == 201 and len(plan.json()["pieces"]) == plan.json()["sample_size"]
    photo = specimen_photo("lot", seed=3)
    first, again = (
        browser_client.post("/inspect/evidence", data={"csrf": token}, files={"file": ("p.jpg", photo, "image/jpeg")})
        for _ in range(2)
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    form["sha.photos.lot"] = first.json()["sha256"]
    done = browser_client.post("/inspect/submit", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    inspection = inspections.list_inspections(database=database, viewer=world["inspector"].user)[-1]
    assert inspection.evidence["lot"] == [first.json()["sha256"]]


def test_the_scripts_routes_refuse_a_missing_token_and_a_missing_lot_size(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """No CSRF token: 403; no lot size: 422 naming the field in the page's language; no file: 422."""
    sign_in(browser_client, "inspector")
    token = csrf_of(browser_client.get("/inspect").text)
    assert browser_client.post("/inspect/plan.json", data={"standard": "wood", "lot_size": "5"}).status_code == 403
    answer = browser_client.post(
        "/inspect/plan.json",
        data={"csrf": token, "standard": "wood", "lot_size": "x"},
        headers={"Accept-Language": "id"},
    )
    assert answer.status_code == 422 and answer.json()["field"] == "lot_size"
    assert "jumlah barang" in answer.json()["message"].lower()
    assert browser_client.post("/inspect/evidence", data={"csrf": token}).status_code == 422


def test_a_refused_count_is_said_beside_its_field_once(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    """A defect count left empty and a lot size of letters: each problem beside its own field."""
    _, world, _ = web_world
    form = inspection_form(browser_client, world, rulebook, "form-counts")
    form["defects_major"], form["lot_size"] = "", "abc"
    answer = browser_client.post("/inspect/submit", data=form, headers={"Accept-Language": "id"})
    assert answer.status_code == 422
    assert 'id="e-defects_major">Wajib diisi: ketik 0 bila tidak ada yang ditemukan.</p>' in answer.text
    assert 'id="e-lot_size">' in answer.text and "defects_major:" not in answer.text


def test_guidance_beside_yes_no_buttons_uses_their_words() -> None:
    """ "Isikan false bila…" becomes the button's words; "a false declaration" stays a false one."""
    assert answer_words("Isikan false bila dicetak. True bila rapi.", "Ya, lolos", "Tidak, gagal") == (
        "Isikan “Tidak, gagal” bila dicetak. “Ya, lolos” bila rapi."
    )
    assert (
        answer_words("A false declaration fails; enter false.", "Yes", "No") == "A false declaration fails; enter “No”."
    )


def test_a_summary_of_placed_problems_is_not_said_again() -> None:
    """`measurements` (all missing) is left out when each missing one is beside its field."""
    beside, rest = placed(
        [(("measurements",), "missing: A, B"), (("measurements", "A"), "not measured"), (("facts", "x"), "fact x")]
    )
    assert beside == {"m.A": "not measured"} and rest == ["fact x"]
    assert json.dumps(placed([(("measurements",), "missing: A")])[1]) == '["missing: A"]'
