"""The scheme over time (`certify.core.scheme`, the scheme's lint and lifecycle moves): when a
surveillance falls due, when it is overdue, when reminders go out, and what each decision does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core import lifecycle, scheme
from certify.core.hashing import content_hash
from certify.core.lint import lint
from certify.core.standard import Scheme, Standard
from tests.strategies import bowls

PRODUCT = Scheme(type="product", surveillance_months=12, grace_days=30)


def with_scheme(**fields: object) -> Standard:
    data = bowls().model_dump(by_alias=True)
    return Standard.model_validate({**data, "validity_months": 36, **fields})


def test_a_standard_without_a_scheme_hashes_as_before_the_scheme_existed() -> None:
    """Certificates pin the standard's content hash: adding the field changes no old hash."""
    plain = with_scheme()
    assert plain.scheme is None
    assert content_hash(plain) != content_hash(with_scheme(scheme={"type": "lot"}))
    assert "scheme" not in str(sorted(plain.model_dump(exclude_none=True)))


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (
            {"type": "lot", "surveillance_months": 12},
            "a lot certificate covers its lot alone: it takes no surveillance",
        ),
        ({"type": "product"}, "a product scheme needs surveillance_months: how often it is surveyed"),
        (
            {"type": "product", "surveillance_months": 36},
            "surveillance every 36 months never falls due within a validity of 36 months",
        ),
    ],
)
def test_the_linter_names_a_scheme_that_cannot_work(declared: dict[str, object], message: str) -> None:
    problems = lint(with_scheme(scheme=declared))
    assert [p.message for p in problems] == [message]
    assert problems[0].path[0] == "scheme"


@pytest.mark.parametrize(
    "declared", [{"type": "lot"}, {"type": "product", "surveillance_months": 12, "grace_days": 30}]
)
def test_a_sound_scheme_lints_clean(declared: dict[str, object]) -> None:
    assert lint(with_scheme(scheme=declared)) == []


def test_product_certificates_are_surveyed_yearly_until_they_expire() -> None:
    due = [
        scheme.surveillance_due(scheme=PRODUCT, valid_from=date(2026, 1, 31), valid_until=date(2029, 1, 31), kept=k)
        for k in range(3)
    ]
    assert due == [date(2027, 1, 31), date(2028, 1, 31), None]  # the third would fall at expiry


@pytest.mark.parametrize("declared", [None, Scheme(type="lot")])
def test_lot_certificates_and_standards_without_a_scheme_are_never_surveyed(declared: Scheme | None) -> None:
    assert (
        scheme.surveillance_due(scheme=declared, valid_from=date(2026, 1, 1), valid_until=date(2029, 1, 1), kept=0)
        is None
    )


def test_a_surveillance_is_overdue_at_the_first_instant_after_its_grace() -> None:
    assert scheme.overdue_at(date(2027, 1, 31), 30) == datetime(2027, 3, 3, tzinfo=UTC)
    assert scheme.overdue_at(date(2027, 1, 31), 0) == datetime(2027, 2, 1, tzinfo=UTC)


def test_reminders_come_before_the_action_they_announce_earliest_first() -> None:
    actions = scheme.surveillance_actions(due=date(2027, 1, 31), grace_days=30, days_before=[7, 30, 7])
    assert actions == [
        scheme.Due("surveillance_reminder", datetime(2027, 1, 1, tzinfo=UTC), date(2027, 1, 31)),
        scheme.Due("surveillance_reminder", datetime(2027, 1, 24, tzinfo=UTC), date(2027, 1, 31)),
        scheme.Due("surveillance_overdue", datetime(2027, 3, 3, tzinfo=UTC), date(2027, 1, 31)),
    ]
    expiry = scheme.expiry_actions(valid_until=date(2029, 1, 31), days_before=[30])
    assert expiry == [
        scheme.Due("expiry_reminder", datetime(2029, 1, 1, tzinfo=UTC), date(2029, 1, 31)),
        scheme.Due("expiry", datetime(2029, 2, 1, tzinfo=UTC), date(2029, 1, 31)),
    ]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 180))
def test_overdue_never_comes_before_the_end_of_the_due_day_plus_grace(due: date, grace: int) -> None:
    at = scheme.overdue_at(due, grace)
    assert (at.date() - due).days == grace + 1 and at.time() == datetime.min.time()


def test_the_certificate_states_its_scheme_as_a_condition_in_both_languages() -> None:
    assert scheme.condition(None) is None
    lot = scheme.condition(Scheme(type="lot"))
    assert lot is not None and lot.en == "Covers the inspected lot only."
    product = scheme.condition(PRODUCT)
    assert product is not None and "every 12 months" in product.en and "setiap 12 bulan" in product.id


@pytest.mark.parametrize(
    ("status", "outcome", "expected"),
    [
        ("valid", "keep", lifecycle.Move("valid", "surveillance_kept")),
        ("suspended", "keep", lifecycle.Move("valid", "surveillance_kept")),
        ("valid", "suspend", lifecycle.Move("suspended", "suspended")),
        ("suspended", "suspend", None),
        ("valid", "withdraw", lifecycle.Move("withdrawn", "withdrawn")),
        ("suspended", "withdraw", lifecycle.Move("withdrawn", "withdrawn")),
        ("withdrawn", "keep", None),
        ("superseded", "keep", None),
        ("expired", "suspend", None),
    ],
)
def test_a_surveillance_decision_keeps_suspends_or_withdraws_a_live_certificate(
    status: str, outcome: lifecycle.SurveillanceOutcome, expected: lifecycle.Move | None
) -> None:
    assert lifecycle.surveillance_move(status, outcome) == expected


def test_automatic_moves_touch_only_the_certificates_they_concern() -> None:
    assert lifecycle.overdue_move("valid") == lifecycle.Move("suspended", "suspended")
    assert [lifecycle.overdue_move(s) for s in ("suspended", "withdrawn", "superseded", "expired")] == [None] * 4
    assert lifecycle.expiry_move("valid") == lifecycle.expiry_move("suspended") == lifecycle.Move("expired", "expired")
    assert [lifecycle.expiry_move(s) for s in ("withdrawn", "superseded", "expired")] == [None] * 3
    assert (
        lifecycle.appeal_move("suspended")
        == lifecycle.appeal_move("withdrawn")
        == lifecycle.Move("valid", "reinstated")
    )
    assert [lifecycle.appeal_move(s) for s in ("valid", "superseded", "expired")] == [None] * 3


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(1, 60),
    st.integers(1, 120),
)
def test_surveillances_fall_due_in_order_and_always_before_expiry(valid_from: date, months: int, validity: int) -> None:
    """Each next surveillance comes after the one before it and before the validity ends; the
    sequence stops (None) and stays stopped once one would fall at or after expiry."""
    product = Scheme(type="product", surveillance_months=months)
    valid_until = lifecycle.add_months(valid_from, validity)
    dates = [
        scheme.surveillance_due(scheme=product, valid_from=valid_from, valid_until=valid_until, kept=k)
        for k in range(validity // months + 2)
    ]
    found = [d for d in dates if d is not None]
    assert found == sorted(set(found)) and all(valid_from < d < valid_until for d in found)
    assert dates[len(found) :] == [None] * (len(dates) - len(found))


def test_due_instants_fall_at_midnight_in_the_issuers_time_zone_not_in_utc() -> None:
    """Jakarta is UTC+7: what falls due on 1 February there falls due at 17:00 UTC on 31 January."""
    jakarta = ZoneInfo("Asia/Jakarta")
    expiry = scheme.expiry_actions(valid_until=date(2029, 1, 31), days_before=[30], zone=jakarta)
    assert expiry == [
        scheme.Due("expiry_reminder", datetime(2028, 12, 31, 17, tzinfo=UTC), date(2029, 1, 31)),
        scheme.Due("expiry", datetime(2029, 1, 31, 17, tzinfo=UTC), date(2029, 1, 31)),
    ]
    overdue = scheme.surveillance_actions(due=date(2027, 1, 31), grace_days=0, days_before=[], zone=jakarta)
    assert overdue == [scheme.Due("surveillance_overdue", datetime(2027, 1, 31, 17, tzinfo=UTC), date(2027, 1, 31))]
