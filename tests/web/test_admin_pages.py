"""The admin's pages: users as cards, a user's name and role edited, a new password set (the old
one and open sessions end), and revoking a user or rotating the key only after a confirmation."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from certify.services import accounts, passwords
from certify.store.database import Database
from tests.api.conftest import World
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_an_admin_edits_a_users_name_and_role(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    database, world, _ = web_world
    sign_in(browser_client, "admin")
    person = world["inspector2"].id
    page = browser_client.get(f"/admin/users/{person}")
    answer = browser_client.post(
        f"/admin/users/{person}",
        data={"name": "Made Wirawan S.", "role": "certifier", "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    edited = next(u for u in accounts.list_users(database=database) if u.id == person)
    assert (edited.name, edited.role) == ("Made Wirawan S.", "certifier")
    own = browser_client.post(
        f"/admin/users/{world['admin'].id}", data={"name": "Admin", "role": "certifier", "csrf": csrf_of(page.text)}
    )
    assert own.status_code == 409


def test_a_new_password_replaces_the_old_and_signs_the_user_out(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    database, world, _ = web_world
    artisan = TestClient(browser_client.app)
    sign_in(artisan, "artisan")
    assert artisan.get("/my", follow_redirects=False).status_code == 200
    sign_in(browser_client, "admin")
    page = browser_client.get(f"/admin/users/{world['artisan'].id}")
    assert 'value="artisan"' in page.text  # the login, filled in
    browser_client.post(
        f"/admin/users/{world['artisan'].id}/password",
        data={"login": "artisan", "password": "a new one, long enough", "csrf": csrf_of(page.text)},
    )
    assert artisan.get("/my", follow_redirects=False).status_code == 303  # to sign in again
    assert passwords.check_password(database=database, login="artisan", password=PASSWORD) is None
    assert passwords.check_password(database=database, login="artisan", password="a new one, long enough")
    short = browser_client.post(
        f"/admin/users/{world['artisan'].id}/password",
        data={"login": "artisan", "password": "short", "csrf": csrf_of(page.text)},
    )
    assert short.status_code == 422


def test_revoking_and_rotating_act_only_after_their_confirmation(
    browser_client: TestClient, web_world: tuple[Database, World, object]
) -> None:
    """The admin page links to confirmation pages; a post without the confirmation acts on nothing."""
    database, world, _ = web_world
    sign_in(browser_client, "admin")
    browser_client.cookies.set("lang", "en")
    admin = browser_client.get("/admin").text
    person = world["inspector2"].id
    assert f'href="/admin/users/{person}/revoke"' in admin and 'href="/admin/keys/rotate"' in admin
    assert "<table" not in admin.split("<h2>Conflicts")[0]  # users as cards, readable on a phone
    token = csrf_of(admin)
    unconfirmed = browser_client.post(f"/admin/users/{person}/revoke", data={"csrf": token})
    assert unconfirmed.status_code == 200 and "Revoke this user's access?" in html.unescape(unconfirmed.text)
    assert passwords.check_password(database=database, login="inspector2", password=PASSWORD)
    confirm = browser_client.get(f"/admin/users/{person}/revoke").text
    assert 'name="confirmed" value="yes"' in confirm
    browser_client.post(f"/admin/users/{person}/revoke", data={"csrf": token, "confirmed": "yes"})
    assert passwords.check_password(database=database, login="inspector2", password=PASSWORD) is None
    jwks = browser_client.get("/.well-known/jwks.json").json()["keys"]
    rotation = browser_client.post("/admin/keys/rotate", data={"csrf": token})
    assert rotation.status_code == 200 and "Rotate the signing key?" in rotation.text
    assert browser_client.get("/.well-known/jwks.json").json()["keys"] == jwks
    browser_client.post("/admin/keys/rotate", data={"csrf": token, "confirmed": "yes"})
    assert len(browser_client.get("/.well-known/jwks.json").json()["keys"]) == len(jwks) + 1
