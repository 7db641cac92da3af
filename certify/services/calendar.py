"""The issuer's calendar: the day an instant falls on where the certification body works
(`CERTIFY_TIMEZONE`). Statuses, validity, conflicts and due dates count in it, never in UTC: a
02:08 WIB decision on 6 December is made on 6 December."""

from __future__ import annotations

from datetime import UTC, date, datetime

from certify.config import settings
from certify.core.lifecycle import local_day


def day_of(at: datetime) -> date:
    """The issuer's calendar day at the instant `at` (a naive one, as the store gives it back, is UTC)."""
    return local_day(at if at.tzinfo else at.replace(tzinfo=UTC), settings().zone)


def today() -> date:
    """The issuer's calendar day now."""
    return day_of(datetime.now(UTC))
