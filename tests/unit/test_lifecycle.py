"""A certificate's lifecycle, pure: the transitions, the refusals and the dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import get_args

import pytest

from certify.core.lifecycle import (
    Action,
    Move,
    add_months,
    current_status,
    expiry_instant,
    local_day,
    move,
    refusal,
    valid_until,
)

STATUSES = ("valid", "suspended", "withdrawn", "superseded", "expired")
ID = "IDC-2026-7KQ3-9XHD-P"


def test_only_the_four_transitions_of_the_table_are_allowed() -> None:
    """Suspend and withdraw a valid one, reinstate and withdraw a suspended one; nothing else moves."""
    allowed = {
        (status, action): move(status, action)
        for status in STATUSES
        for action in get_args(Action)
        if move(status, action) is not None
    }
    assert allowed == {
        ("valid", "suspend"): Move("suspended", "suspended"),
        ("valid", "withdraw"): Move("withdrawn", "withdrawn"),
        ("suspended", "reinstate"): Move("valid", "reinstated"),
        ("suspended", "withdraw"): Move("withdrawn", "withdrawn"),
    }


@pytest.mark.parametrize(
    ("status", "action", "said"),
    [
        ("withdrawn", "reinstate", "withdrawal is final"),
        ("superseded", "suspend", "superseded by a newer certificate"),
        ("expired", "withdraw", "expired after 2027-11-19"),
        ("valid", "reinstate", "is valid, not suspended: there is nothing to reinstate"),
        ("suspended", "suspend", "is already suspended"),
    ],
)
def test_a_refused_action_says_why_in_both_languages(status: str, action: Action, said: str) -> None:
    """Each refusal names the certificate and the reason, in English and Indonesian."""
    text = refusal(ID, status, action, date(2027, 11, 19))
    assert said in text.en and text.en.startswith(ID)
    assert text.id.startswith(ID) and text.id != text.en


def test_withdrawn_and_superseded_stay_what_they_are_after_the_validity_ends() -> None:
    """Past `valid_until` a valid or suspended certificate is expired; a final one keeps its status."""
    until, after = date(2027, 11, 19), date(2027, 11, 20)
    assert current_status(stored="valid", valid_until=until, today=until) == "valid"
    assert current_status(stored="valid", valid_until=until, today=after) == "expired"
    assert current_status(stored="suspended", valid_until=until, today=after) == "expired"
    assert current_status(stored="withdrawn", valid_until=until, today=after) == "withdrawn"
    assert current_status(stored="superseded", valid_until=until, today=after) == "superseded"


@pytest.mark.parametrize(
    ("day", "months", "then"),
    [
        (date(2026, 11, 20), 12, date(2027, 11, 20)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_months_later_is_the_same_day_or_the_months_last(day: date, months: int, then: date) -> None:
    """A validity of N months ends on the same day N months later, or that month's last day."""
    assert add_months(day, months) == then


def test_a_certificate_expires_at_the_midnight_after_its_last_valid_day() -> None:
    """Valid until 19 November (inclusive): expired from 20 November 00:00 UTC."""
    assert expiry_instant(date(2027, 11, 19)) == datetime(2027, 11, 20, tzinfo=UTC)


def test_in_jakarta_a_certificate_expires_at_the_local_midnight() -> None:
    """Valid until 19 November in Asia/Jakarta (UTC+7): expired from 19 November 17:00 UTC."""
    jakarta = timezone(timedelta(hours=7))
    assert expiry_instant(date(2027, 11, 19), jakarta) == datetime(2027, 11, 19, 17, tzinfo=UTC)


def test_a_decision_at_two_in_the_morning_wib_is_that_day() -> None:
    """02:08 WIB on 6 December is 19:08 UTC on 5 December: the issuer's day is the 6th."""
    jakarta = timezone(timedelta(hours=7))
    assert local_day(datetime(2026, 12, 5, 19, 8, tzinfo=UTC), jakarta) == date(2026, 12, 6)


@pytest.mark.parametrize(
    ("decided", "months", "last"),
    [
        (date(2026, 12, 6), 12, date(2027, 12, 5)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),
        (date(2024, 2, 29), 12, date(2025, 2, 27)),
        (date(2026, 3, 1), 12, date(2027, 2, 28)),
    ],
)
def test_twelve_months_end_the_day_before_the_anniversary(decided: date, months: int, last: date) -> None:
    """Twelve months are not a day longer than twelve: the last valid day is the one before."""
    assert valid_until(decided, months) == last
