"""A certificate's status as anyone sees it today: the stored one, or `expired` once its validity
has ended, with nobody acting; withdrawn and superseded are final and stay what they are."""

from __future__ import annotations

from datetime import date

FINAL = ("withdrawn", "superseded")


def current_status(*, stored: str, valid_until: date, today: date) -> str:
    if stored in FINAL:
        return stored
    return "expired" if today > valid_until else stored
