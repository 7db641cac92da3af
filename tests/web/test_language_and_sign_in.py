"""Language negotiation, the switch, sign-in with Argon2 passwords, sessions, CSRF, rate limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.services import directory
from certify.store.database import Database
from certify.web.i18n import choose
from tests.api.conftest import World
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_the_browser_language_chooses_the_page_language() -> None:
    """English and Indonesian are chosen by Accept-Language's weights; Indonesian by default."""
    assert choose(cookie=None, accept_language="en-GB,en;q=0.9") == "en"
    assert choose(cookie=None, accept_language="fr, id;q=0.8, en;q=0.5") == "id"
    assert choose(cookie=None, accept_language="in-ID") == "id"
    assert choose(cookie=None, accept_language="de") == "en"  # another language: English, not Indonesian
    assert choose(cookie=None, accept_language="de-DE") == "en"
    assert choose(cookie=None, accept_language="fr-FR, fr;q=0.9") == "en"
    assert choose(cookie=None, accept_language="") == "id"  # nothing asked: the users' first language
    assert choose(cookie=None, accept_language="*") == "id"
    assert choose(cookie=None, accept_language=None) == "id"
    assert choose(cookie="en", accept_language="id") == "en"


def test_pages_speak_the_browsers_language_and_say_so(browser_client: TestClient) -> None:
    """The same page is Indonesian or English by Accept-Language, with <html lang> set."""
    english = browser_client.get("/verify", headers={"Accept-Language": "en-US,en;q=0.9"})
    indonesian = browser_client.get("/verify", headers={"Accept-Language": "id-ID"})
    assert '<html lang="en">' in english.text and "Verify a certificate" in english.text
    assert '<html lang="id">' in indonesian.text and "Verifikasi sertifikat" in indonesian.text


def test_the_language_switch_sticks_over_the_browser_language(browser_client: TestClient) -> None:
    """After switching to English, pages stay English even though the browser asks Indonesian."""
    answer = browser_client.get("/lang/en?next=/directory", headers={"Accept-Language": "id"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/directory"
    page = browser_client.get("/directory", headers={"Accept-Language": "id"})
    assert '<html lang="en">' in page.text


def test_the_switch_never_sends_the_visitor_to_another_site(browser_client: TestClient) -> None:
    """An open redirect through `next` is refused: it goes to the start page."""
    answer = browser_client.get("/lang/id?next=//evil.example/", follow_redirects=False)
    assert answer.headers["location"] == "/"


def test_signing_in_sets_a_protected_session_cookie(browser_client: TestClient) -> None:
    """The session cookie is HttpOnly and SameSite=Lax, and the user lands on their page."""
    token = csrf_of(browser_client.get("/sign-in").text)
    answer = browser_client.post(
        "/sign-in", data={"login": "inspector", "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/inspect"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("certify_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_a_wrong_password_is_refused(browser_client: TestClient) -> None:
    """A wrong password answers 401 and no session."""
    token = csrf_of(browser_client.get("/sign-in").text)
    answer = browser_client.post("/sign-in", data={"login": "inspector", "password": "wrong password!", "csrf": token})
    assert answer.status_code == 401
    assert browser_client.get("/inspect", follow_redirects=False).headers["location"].startswith("/sign-in")


def test_sign_in_attempts_are_limited_per_account_across_server_processes(
    browser_client: TestClient, web_world: tuple[Database, World, Settings], rulebook: Rulebook
) -> None:
    """Five failures on one server, the sixth attempt on another (even with the right password):
    429 with Retry-After, because the failures are counted in the shared database."""
    database, _, settings = web_world
    token = csrf_of(browser_client.get("/sign-in").text)
    for _ in range(5):
        browser_client.post("/sign-in", data={"login": "certifier", "password": "wrong password!", "csrf": token})
    other_database = Database.connect(database.engine.url.render_as_string(hide_password=False))
    try:
        with TestClient(create_app(settings, database=other_database, rulebook=rulebook)) as elsewhere:
            other_token = csrf_of(elsewhere.get("/sign-in").text)
            answer = elsewhere.post("/sign-in", data={"login": "Certifier ", "password": PASSWORD, "csrf": other_token})
    finally:
        other_database.dispose()
    assert answer.status_code == 429 and 1 <= int(answer.headers["Retry-After"]) <= 60


def test_a_nul_character_in_a_form_or_a_query_is_refused_naming_the_field(browser_client: TestClient) -> None:
    """NUL in a typed login or a search (PostgreSQL refuses it in text): 422 naming the field, never a 500."""
    token = csrf_of(browser_client.get("/sign-in").text)
    answer = browser_client.post(
        "/sign-in", data={"login": "ayu\x00", "password": PASSWORD, "csrf": token}, headers={"Accept-Language": "en"}
    )
    assert answer.status_code == 422 and "holds a NUL character, which no text may contain: login" in answer.text
    assert browser_client.get("/directory", params={"name": "\x00"}).status_code == 422
    data = browser_client.get("/directory.json", params={"province": "Bali\x00"})
    assert data.status_code == 422 and data.json()["errors"][0]["parameter"] == "province"


def test_an_unexpected_failure_is_a_page_saying_so_and_a_busy_database_asks_to_wait(
    browser_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug behind a page: a 500 page in the visitor's language, no traceback; the database busy:
    503 with Retry-After."""

    def broken(**_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(directory, "search", broken)
    answer = TestClient(browser_client.app, raise_server_exceptions=False).get(
        "/directory", headers={"Accept-Language": "id"}
    )
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    assert "Terjadi kesalahan di pihak kami" in answer.text and "RuntimeError" not in answer.text

    def busy(**_: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(directory, "search", busy)
    answer = browser_client.get("/directory", headers={"Accept-Language": "en"})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
    assert "The database is busy" in answer.text


@pytest.mark.parametrize("size", [5000, 2 * 1024 * 1024])
def test_a_pdf_too_large_for_the_verify_page_is_answered_by_a_page(
    web_world: tuple[Database, World, Settings], rulebook: Rulebook, size: int
) -> None:
    """Past CERTIFY_VERIFY_MAX_BYTES the buyer gets a page (read: "too large"; far past, refused
    unread: 413), in the page's language, never the API's JSON."""
    database, _, settings = web_world
    small = settings.model_copy(update={"verify_max_bytes": 4096})
    with TestClient(create_app(small, database=database, rulebook=rulebook)) as buyer:
        token = csrf_of(buyer.get("/verify").text)
        answer = buyer.post(
            "/verify/pdf",
            data={"csrf": token},
            headers={"Accept-Language": "en"},
            files={"file": ("big.pdf", b"%PDF-" + b"x" * size, "application/pdf")},
        )
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.status_code == (200 if size < 4096 + 64 * 1024 else 413)
    assert "too large" in answer.text.lower() or "larger than" in answer.text


def test_a_form_without_its_csrf_token_is_refused(browser_client: TestClient) -> None:
    """A sign-in posted without the page's token (a cross-site form) is 403."""
    answer = browser_client.post("/sign-in", data={"login": "inspector", "password": PASSWORD})
    assert answer.status_code == 403


def test_signing_out_ends_the_session(browser_client: TestClient) -> None:
    """After signing out, the old cookie no longer opens the pages."""
    sign_in(browser_client, "admin")
    token = csrf_of(browser_client.get("/admin").text)
    browser_client.post("/sign-out", data={"csrf": token})
    assert browser_client.get("/admin", follow_redirects=False).status_code == 303


def test_a_page_for_another_role_is_forbidden(browser_client: TestClient) -> None:
    """An artisan cannot open the certifier's queue."""
    sign_in(browser_client, "artisan")
    assert browser_client.get("/queue").status_code == 403


def test_pages_carry_security_headers(browser_client: TestClient) -> None:
    """Pages forbid framing and sniffing and restrict scripts to this site."""
    headers = browser_client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
