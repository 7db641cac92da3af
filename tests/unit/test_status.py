"""A certificate's status as anyone sees it on a given day: what was stored, or expired once its
validity has ended; withdrawn and superseded are final."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from certify.core.status import current_status

VALID_UNTIL = date(2026, 6, 30)
DAY = timedelta(days=1)


@pytest.mark.parametrize("stored", ["valid", "suspended"])
def test_a_certificate_reads_as_stored_up_to_and_on_its_last_valid_day(stored: str) -> None:
    """Validity includes its last day: nothing changes before the day after."""
    assert current_status(stored=stored, valid_until=VALID_UNTIL, today=VALID_UNTIL - 100 * DAY) == stored
    assert current_status(stored=stored, valid_until=VALID_UNTIL, today=VALID_UNTIL) == stored


@pytest.mark.parametrize("stored", ["valid", "suspended"])
def test_a_valid_or_suspended_certificate_reads_expired_the_day_after_its_validity_ends(stored: str) -> None:
    """Expiry needs nobody to act: the day after `valid_until` the certificate is expired, and stays so."""
    assert current_status(stored=stored, valid_until=VALID_UNTIL, today=VALID_UNTIL + DAY) == "expired"
    assert current_status(stored=stored, valid_until=VALID_UNTIL, today=VALID_UNTIL + 1000 * DAY) == "expired"


@pytest.mark.parametrize("stored", ["withdrawn", "superseded"])
@pytest.mark.parametrize("days_after_validity", [-30, 0, 1, 365])
def test_a_withdrawn_or_superseded_certificate_stays_so_before_and_after_its_validity(
    stored: str, days_after_validity: int
) -> None:
    """Final statuses never turn into expired: a reader must still learn it was withdrawn or replaced."""
    today = VALID_UNTIL + days_after_validity * DAY
    assert current_status(stored=stored, valid_until=VALID_UNTIL, today=today) == stored
