"""The issuer's calendar: days count where the certification body works, not in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from certify.config import settings
from certify.services.calendar import day_of


def test_a_decision_at_two_in_the_morning_in_jakarta_falls_on_that_jakarta_day() -> None:
    """02:08 WIB on 6 December is 19:08 UTC on 5 December; stored instants come back naive (UTC)."""
    assert settings().timezone == "Asia/Jakarta"
    assert day_of(datetime(2026, 12, 5, 19, 8, tzinfo=UTC)) == date(2026, 12, 6)
    assert day_of(datetime(2026, 12, 5, 19, 8)) == date(2026, 12, 6)
    assert day_of(datetime(2026, 12, 5, 16, 59, tzinfo=UTC)) == date(2026, 12, 5)
