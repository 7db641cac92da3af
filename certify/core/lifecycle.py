"""A certificate's lifecycle, pure: which action moves which status where, why the others are
refused, and the dates (validity in months, expiry, the status as anyone sees it today).

Dates are the issuer's calendar days (`CERTIFY_TIMEZONE`, default Asia/Jakarta): a decision at
02:08 WIB on 6 December is decided on 6 December. A validity of N months runs to the end of the
day before the N-month anniversary: decided on 6 December 2026, 12 months → valid until
5 December 2027 (inclusive), expired from 6 December 2027 00:00 in the issuer's time zone.

Stored status → allowed actions; everything else is refused, saying why:

    valid      suspend → suspended     withdraw → withdrawn     (a newer issue → superseded)
    suspended  reinstate → valid       withdraw → withdrawn     (a newer issue → superseded)
    withdrawn, superseded: final.      expired: computed from `valid_until`, nobody acts; final.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal, NamedTuple

from certify.core.text import Text

Action = Literal["suspend", "reinstate", "withdraw"]
FINAL = ("withdrawn", "superseded")
DEFAULT_VALIDITY_MONTHS = 12
STATUS_WORDS_ID = {
    "valid": "berlaku",
    "suspended": "dibekukan",
    "withdrawn": "dicabut",
    "expired": "kedaluwarsa",
    "superseded": "digantikan",
}


class Move(NamedTuple):
    """Where an action takes a certificate: its new status and the event that records it."""

    to: str
    event: str


TRANSITIONS: dict[tuple[str, Action], Move] = {
    ("valid", "suspend"): Move("suspended", "suspended"),
    ("valid", "withdraw"): Move("withdrawn", "withdrawn"),
    ("suspended", "reinstate"): Move("valid", "reinstated"),
    ("suspended", "withdraw"): Move("withdrawn", "withdrawn"),
}


def current_status(*, stored: str, valid_until: date, today: date) -> str:
    """The status as anyone sees it today: the stored one, or `expired` once its validity has
    ended, with nobody acting; withdrawn and superseded are final and stay what they are."""
    if stored in FINAL:
        return stored
    return "expired" if today > valid_until else stored


def move(status: str, action: Action) -> Move | None:
    """Where `action` takes a certificate whose current status is `status`; None: it makes no sense."""
    return TRANSITIONS.get((status, action))


def refusal(certificate_id: str, status: str, action: Action, valid_until: date) -> Text:
    """Why `action` makes no sense for a certificate in `status`."""
    if status == "withdrawn":
        return Text(
            en=f"{certificate_id} has been withdrawn; withdrawal is final",
            id=f"{certificate_id} telah dicabut; pencabutan bersifat final",
        )
    if status == "superseded":
        return Text(
            en=f"{certificate_id} has been superseded by a newer certificate; it can no longer change",
            id=f"{certificate_id} telah digantikan oleh sertifikat yang lebih baru; statusnya tidak dapat diubah lagi",
        )
    if status == "expired":
        until = valid_until.isoformat()
        return Text(
            en=f"{certificate_id} expired after {until}; it can no longer change",
            id=f"{certificate_id} kedaluwarsa setelah {until}; statusnya tidak dapat diubah lagi",
        )
    if action == "reinstate":
        return Text(
            en=f"{certificate_id} is {status}, not suspended: there is nothing to reinstate",
            id=f"{certificate_id} {STATUS_WORDS_ID[status]}, tidak dibekukan: tidak ada yang dipulihkan",
        )
    return Text(en=f"{certificate_id} is already {status}", id=f"{certificate_id} sudah {STATUS_WORDS_ID[status]}")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(decided_on: date, months: int) -> date:
    """The last day a certificate decided on `decided_on` is valid for `months` months: the day
    before the anniversary (12 months from 6 December 2026: 5 December 2027)."""
    return add_months(decided_on, months) - timedelta(days=1)


def local_day(instant: datetime, zone: tzinfo) -> date:
    """The calendar day `instant` (aware) falls on in `zone`."""
    return instant.astimezone(zone).date()


def expiry_instant(valid_until: date, zone: tzinfo = UTC) -> datetime:
    """When a certificate valid until `valid_until` (inclusive) expires: the next midnight in
    `zone` (the issuer's time zone), as a UTC instant."""
    midnight = datetime.combine(valid_until + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return midnight.astimezone(UTC)


# --- the scheme over time (issue 16): surveillance, automatic suspension, expiry, appeals ---------
# Each answers the move or None (it makes no sense); the shell routes every move through the one
# path that writes the history, the event and the log leaf (`certificates._change`).

SurveillanceOutcome = Literal["keep", "suspend", "withdraw"]
OVERDUE_REASON = Text(en="surveillance overdue", id="pengawasan terlambat")
LIVE = ("valid", "suspended")


def surveillance_move(status: str, outcome: SurveillanceOutcome) -> Move | None:
    """What a surveillance decision does: keep (a logged event; a late one reinstates a
    suspended certificate), suspend or withdraw. Nothing for a certificate no longer live."""
    if status not in LIVE:
        return None
    if outcome == "keep":
        return Move("valid", "surveillance_kept")
    if outcome == "suspend":
        return Move("suspended", "suspended") if status == "valid" else None
    return Move("withdrawn", "withdrawn")


def overdue_move(status: str) -> Move | None:
    """A surveillance overdue past its grace suspends a valid certificate; nothing otherwise."""
    return Move("suspended", "suspended") if status == "valid" else None


def expiry_move(stored: str) -> Move | None:
    """Recording expiry: a certificate still live when its validity ends is expired, for good."""
    return Move("expired", "expired") if stored in LIVE else None


def appeal_move(status: str) -> Move | None:
    """An upheld appeal against a suspension or a withdrawal reinstates the certificate."""
    return Move("valid", "reinstated") if status in ("suspended", "withdrawn") else None
