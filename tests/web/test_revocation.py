"""Issue 12, finding 4: `certify users revoke` ends a user's API tokens, browser sessions and
password at once; a revoked certifier's page, already open, can no longer decide (both back ends)."""

from __future__ import annotations

import os
import subprocess
import sys

from fastapi.testclient import TestClient
from sqlmodel import select

from certify.rulebook import Rulebook
from certify.store.database import Database
from certify.store.tables import Decision
from tests.api.conftest import CERTIFIED_FURNITURE, World
from tests.conftest import ROOT
from tests.web.conftest import PASSWORD, csrf_of, sign_in
from tests.web.test_work_pages import submit


def test_a_revoked_certifiers_open_page_can_no_longer_decide_and_nothing_signs_them_in(
    browser_client: TestClient, web_world: tuple[Database, World, object], rulebook: Rulebook
) -> None:
    database, world, _ = web_world
    inspection_id = submit(database, rulebook, world, CERTIFIED_FURNITURE)
    sign_in(browser_client, "certifier")
    page = browser_client.get(f"/inspections/{inspection_id}")
    assert page.status_code == 200
    done = subprocess.run(
        [sys.executable, "-m", "certify.cli", "users", "revoke", str(world["certifier"].id)],
        env={**os.environ, "CERTIFY_DATABASE_URL": database.engine.url.render_as_string(hide_password=False)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ended 1 page session(s), disabled the password" in done.stdout
    answer = browser_client.post(
        f"/inspections/{inspection_id}/decision",
        follow_redirects=False,
        data={"decision": "issue", "note": "ok", "confirmed": "yes", "csrf": csrf_of(page.text)},
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")
    with database.read() as session:
        assert session.exec(select(Decision)).first() is None
    token = csrf_of(browser_client.get("/sign-in").text)
    again = browser_client.post("/sign-in", data={"login": "certifier", "password": PASSWORD, "csrf": token})
    assert again.status_code == 401
    api = browser_client.get("/api/v1/me", headers=world["certifier"].headers)
    assert api.status_code == 401
