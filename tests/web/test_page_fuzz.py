"""Fuzzing every page (hypothesis): whatever goes into a page's path, query or form, signed in as
the role the page is for, the answer is a page, a redirect or a 4xx, never a server error. The
pages are not in the OpenAPI that schemathesis fuzzes, so their inputs are listed here; a test
checks that the list names every page route."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from certify.web import (
    account,
    admins,
    applying,
    buyers,
    inspectors,
    listing,
    offline_form,
    reviewing,
    staff,
    standard_pages,
    workshops,
)
from tests.web.conftest import csrf_of, sign_in

# (method, path with {parameters}, who asks, query names, form names)
PAGES: list[tuple[str, str, str | None, tuple[str, ...], tuple[str, ...]]] = [
    ("GET", "/", None, (), ()),
    ("GET", "/sign-in", None, ("next",), ()),
    ("POST", "/sign-in", None, (), ("login", "password", "next")),
    ("GET", "/lang/{language}", None, ("next",), ()),
    ("GET", "/static/{name}", None, (), ()),
    ("GET", "/verify", None, ("id",), ()),
    ("GET", "/verify/{certificate_id}", None, (), ()),
    ("GET", "/mark-rules", None, (), ()),
    ("GET", "/directory", None, ("craft", "province", "name", "page", "per_page"), ()),
    ("GET", "/directory.json", None, ("craft", "province", "name", "page", "per_page"), ()),
    ("GET", "/directory.csv", None, ("craft", "province", "name", "page", "per_page"), ()),
    ("GET", "/inspect", "inspector", ("holder",), ()),
    ("GET", "/inspect/new", "inspector", ("product", "standard"), ()),
    ("GET", "/inspect/criteria", "inspector", ("product", "standard", "f.product_category", "f.market"), ()),
    (
        "POST",
        "/inspect/submit",
        "inspector",
        (),
        ("product_id", "standard", "facts_json", "lot_size", "note", "m.MAT-01", "defects_major", "idempotency_key"),
    ),
    ("POST", "/inspect/plan", "inspector", (), ("product_id", "standard", "facts_json", "lot_size", "lot_code")),
    ("GET", "/inspect/sample.json", "inspector", ("standard", "lot"), ()),
    ("GET", "/inspect/sw.js", None, (), ()),
    ("POST", "/inspect/plan.json", "inspector", (), ("standard", "lot_size")),
    ("GET", "/inspections/{inspection_id}", "inspector", (), ()),
    ("GET", "/my", "artisan", (), ()),
    ("GET", "/certificates/{certificate_id}.pdf", "artisan", (), ()),
    ("GET", "/queue", "certifier", (), ()),
    ("POST", "/inspections/{inspection_id}/decision", "certifier", (), ("decision", "note", "confirmed")),
    ("GET", "/certificates", "certifier", ("q", "status", "standard", "page", "done"), ()),
    ("GET", "/certificates/{certificate_id}/{action}", "certifier", (), ()),
    ("POST", "/certificates/{certificate_id}/{action}", "certifier", (), ("reason", "confirmed")),
    ("GET", "/standards/{standard_id}/{version}", None, (), ()),
    ("GET", "/workshops", "inspector", ("done",), ()),
    ("GET", "/workshops/new", "inspector", (), ()),
    (
        "POST",
        "/workshops",
        "inspector",
        (),
        ("name", "province", "region", "address", "crafts", "owner", "contact"),
    ),
    ("GET", "/workshops/{holder_id}", "inspector", ("done",), ()),
    (
        "POST",
        "/workshops/{holder_id}",
        "inspector",
        (),
        ("name", "province", "region", "address", "crafts", "owner", "contact"),
    ),
    ("POST", "/workshops/{holder_id}/consent", "admin", (), ("publish",)),
    ("POST", "/workshops/{holder_id}/products", "inspector", (), ("name", "category", "description")),
    ("GET", "/admin/users/{user_id}", "admin", ("done",), ()),
    ("GET", "/admin/users/{user_id}/revoke", "admin", (), ()),
    ("GET", "/admin/keys/rotate", "admin", (), ()),
    ("GET", "/admin", "admin", ("done",), ()),
    ("POST", "/admin/users", "admin", (), ("role", "name", "login", "password", "holder_id")),
    ("POST", "/admin/conflicts", "admin", (), ("user_id", "holder_id", "reason", "ends_on")),
    ("POST", "/admin/authorisations", "admin", (), ("user_id", "standard", "starts_on", "ends_on")),
    ("GET", "/agreement", None, ("version",), ()),
    ("GET", "/apply", None, (), ()),
    (
        "POST",
        "/apply",
        None,
        (),
        (
            "workshop",
            "province",
            "address",
            "contact_name",
            "phone",
            "product_0",
            "kind_0",
            "markets",
            "agreement_version",
        ),
    ),
    ("GET", "/applications/{token}", None, (), ()),
    ("GET", "/review", "certifier", (), ()),
    ("GET", "/review/{application_id}", "certifier", ("due_on",), ()),
    ("POST", "/review/{application_id}", "certifier", (), ("decision", "inspector_id", "due_on", "reasons", "note")),
    ("GET", "/assignments", "inspector", (), ()),
]
# No input but a file, or none, or (revoke) one that would sign the fuzzing clients out: these
# are tested on their own (test_work_pages.py, test_people.py).
NOT_FUZZED = {
    ("POST", "/sign-out"),
    ("POST", "/verify/pdf"),
    ("POST", "/inspect/evidence"),
    ("POST", "/admin/keys/rotate"),
    ("POST", "/admin/users/{user_id}/revoke"),
    ("POST", "/admin/users/{user_id}"),  # demoting a fuzzing client would sign it out of its pages
    ("POST", "/admin/users/{user_id}/password"),  # ends the fuzzing clients' sessions
}
START = {"inspector": "/inspect", "artisan": "/my", "certifier": "/queue", "admin": "/admin"}

NASTY_VALUES = [
    "0",
    "1",
    "-1",
    "99999999999999999999",
    "\x00",
    "a\x00b",
    "1e309",
    "NaN",
    "../../keys",
    "%00",
    "{}",
    "[]",
    "<script>",
    "'; DROP TABLE holders; --",
    "x" * 5000,
]
NASTY = st.sampled_from(["", "2", "wood", "furniture", "issue", "suspend", "IDC-2026-7QF7-K0MD-5", *NASTY_VALUES])
TYPED = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # what a client can send
values = st.one_of(NASTY, NASTY, TYPED, st.integers(min_value=-(2**70), max_value=2**70).map(str))


def test_the_list_names_every_page() -> None:
    """A page added without adding it here would go unfuzzed."""
    routers = (
        account.router,
        applying.router,
        reviewing.router,
        buyers.router,
        inspectors.router,
        offline_form.router,
        staff.router,
        admins.router,
        listing.pages,
        listing.open_data,
        workshops.router,
        standard_pages.router,
    )
    served = {
        (method, route.path)
        for router in routers
        for route in router.routes  # type: ignore[attr-defined]
        for method in route.methods
    }  # type: ignore[attr-defined]
    assert served == {(method, path) for method, path, *_ in PAGES} | NOT_FUZZED


@pytest.fixture
def clients(browser_client: TestClient) -> dict[str | None, tuple[TestClient, str]]:
    """A client signed in as each role (and one not signed in), with its CSRF token."""
    signed: dict[str | None, tuple[TestClient, str]] = {}
    for role in (None, *START):
        client = TestClient(browser_client.app, raise_server_exceptions=False)  # a 500 is an answer here
        if role is not None:
            sign_in(client, role)
        signed[role] = (client, csrf_of(client.get(START.get(role or "", "/sign-in")).text))
    return signed


def ask(
    client: TestClient,
    token: str,
    method: str,
    pattern: str,
    path_values: dict[str, str],
    query: dict[str, str],
    form: dict[str, str],
) -> Any:
    path = pattern
    for name, value in path_values.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    if method == "GET":
        return client.get(path, params=query, follow_redirects=False)
    return client.post(path, params=query, data={**form, "csrf": token}, follow_redirects=False)


def path_names(pattern: str) -> list[str]:
    return [part.split("}")[0] for part in pattern.split("{")[1:]]


def test_every_page_answers_each_nasty_value_in_every_field_without_a_server_error(
    clients: dict[str | None, tuple[TestClient, str]],
) -> None:
    """Each page, with one nasty value (NUL, 20 digits, 1e309, a path, 5,000 characters …) in all
    of its path parameters, query and form fields at once: a 4xx, a page or a redirect."""
    failures = []
    for method, pattern, role, query_names, form_names in PAGES:
        client, token = clients[role]
        for value in NASTY_VALUES:
            answer = ask(
                client,
                token,
                method,
                pattern,
                dict.fromkeys(path_names(pattern), value),
                dict.fromkeys(query_names, value),
                dict.fromkeys(form_names, value),
            )
            if answer.status_code >= 500:
                failures.append((method, pattern, value[:20], answer.status_code))
    assert failures == []


# No shrinking: the pages share one database, which earlier examples change, so a shrunk example
# would not replay alike; the first failure is reported as it happened.
@settings(phases=[Phase.explicit, Phase.generate], database=None)
@given(data=st.data())
def test_no_input_to_any_page_is_a_server_error(clients: dict[str | None, tuple[TestClient, str]], data: Any) -> None:
    """Each example asks every page once, with drawn path parameters, query and form fields."""
    for method, pattern, role, query_names, form_names in PAGES:
        path = {name: data.draw(values.filter(bool), label=name) for name in path_names(pattern)}
        query = {name: data.draw(values, label=name) for name in query_names if data.draw(st.booleans())}
        form = {name: data.draw(values, label=name) for name in form_names if data.draw(st.booleans())}
        answer = ask(*clients[role], method, pattern, path, query, form)
        assert answer.status_code < 500, (method, pattern, path, query, form, answer.text[:300])
