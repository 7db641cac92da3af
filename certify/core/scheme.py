"""The scheme over time, pure: when a certificate's surveillance falls due, when it is overdue,
when it expires, and the reminders before each. The shell stores these as due actions and runs
them when their instant has passed (`certify.services.jobs`).

Dates are whole days of the issuer's calendar (its time zone, `zone`), instants UTC: something
due on day D may be done on D; "overdue past a grace of G days" is the first instant after day
D+G (the issuer's midnight starting D+G+1); a reminder `n` days before D goes out at the issuer's
midnight starting D-n.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal, NamedTuple

from certify.core.lifecycle import add_months
from certify.core.standard import Scheme
from certify.core.text import Text

DueKind = Literal["surveillance_reminder", "surveillance_overdue", "expiry_reminder", "expiry"]


class Due(NamedTuple):
    """An action that falls due at `at`, about the date `on` (the surveillance's or the expiry's)."""

    kind: DueKind
    at: datetime
    on: date


def start_of(day: date, zone: tzinfo = UTC) -> datetime:
    """Midnight in `zone` at the start of `day`, as a UTC instant."""
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)


def needs_surveillance(scheme: Scheme | None) -> bool:
    """Whether certificates under `scheme` are surveyed (a product scheme); none otherwise."""
    return scheme is not None and scheme.type == "product" and scheme.surveillance_months is not None


def surveillance_due(*, scheme: Scheme | None, valid_from: date, valid_until: date, kept: int) -> date | None:
    """The day the next surveillance falls due after `kept` surveillances; None when no
    surveillance falls due before the certificate expires (or the scheme has none)."""
    if not needs_surveillance(scheme):
        return None
    assert scheme is not None and scheme.surveillance_months is not None
    due = add_months(valid_from, scheme.surveillance_months * (kept + 1))
    return due if due < valid_until else None


def overdue_at(due: date, grace_days: int, zone: tzinfo = UTC) -> datetime:
    """The instant a surveillance due on `due` is overdue past its grace."""
    return start_of(due + timedelta(days=grace_days + 1), zone)


def reminders(kind: DueKind, on: date, days_before: Iterable[int], zone: tzinfo = UTC) -> list[Due]:
    """Reminders `days_before` the day `on` (each once, earliest first)."""
    days = sorted(set(days_before), reverse=True)
    return [Due(kind, start_of(on - timedelta(days=n), zone), on) for n in days]


def surveillance_actions(*, due: date, grace_days: int, days_before: Iterable[int], zone: tzinfo = UTC) -> list[Due]:
    """What falls due for one surveillance: its reminders, then its overdue suspension."""
    return [
        *reminders("surveillance_reminder", due, days_before, zone),
        Due("surveillance_overdue", overdue_at(due, grace_days, zone), due),
    ]


def expiry_actions(*, valid_until: date, days_before: Iterable[int], zone: tzinfo = UTC) -> list[Due]:
    """What falls due for expiry: its reminders, then recording it (the day after the last valid one)."""
    return [
        *reminders("expiry_reminder", valid_until, days_before, zone),
        Due("expiry", start_of(valid_until + timedelta(days=1), zone), valid_until),
    ]


def condition(scheme: Scheme | None) -> Text | None:
    """The condition a certificate states under `scheme`, in both languages; None without one."""
    if scheme is None:
        return None
    if scheme.type == "lot":
        return Text(en="Covers the inspected lot only.", id="Hanya berlaku untuk lot yang diinspeksi.")
    months = scheme.surveillance_months
    return Text(
        en=f"Valid subject to a surveillance inspection every {months} months.",
        id=f"Berlaku dengan syarat inspeksi pengawasan setiap {months} bulan.",
    )
