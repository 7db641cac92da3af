"""What evidence a standard asks of an inspection, and what an inspection still lacks.

Pure: the shell gives the day of issuance and what the inspection attached (counts of photos,
lab reports with the criteria they cover and the day they were issued). Only the criteria that
were assessed (passed or failed) need their evidence: one that did not apply needs none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from certify.core.lifecycle import add_months
from certify.core.standard import Standard
from certify.core.text import Text

LOT = "lot"
"""The key of the lot's photos among an inspection's photos (the others are criterion ids)."""


@dataclass(frozen=True, slots=True)
class LabReportDate:
    """A lab report as far as the requirements care: the criteria it covers, the day it was issued."""

    criteria: tuple[str, ...]
    issued_on: date


@dataclass(frozen=True, slots=True)
class Attached:
    """What an inspection attached: photo counts per key (`LOT` or a criterion id) and lab reports."""

    photos: Mapping[str, int]
    lab_reports: Sequence[LabReportDate]


def gaps(standard: Standard, *, assessed: Collection[str], attached: Attached, today: date) -> list[Text]:
    """Every piece of evidence the standard asks for that `attached` lacks, in the standard's order:
    lot photos, then per assessed criterion its photos and an unexpired lab report."""
    found: list[Text] = []
    wanted = standard.evidence.lot_photos if standard.evidence else 0
    have = attached.photos.get(LOT, 0)
    if have < wanted:
        found.append(
            Text(
                en=f"the lot needs {wanted} photo(s), {have} attached",
                id=f"lot memerlukan {wanted} foto, {have} terlampir",
            )
        )
    for criterion in standard.criteria:
        need = criterion.evidence
        if need is None or criterion.id not in assessed:
            continue
        have = attached.photos.get(criterion.id, 0)
        if have < need.photos:
            found.append(
                Text(
                    en=f"{criterion.id} needs {need.photos} photo(s), {have} attached",
                    id=f"{criterion.id} memerlukan {need.photos} foto, {have} terlampir",
                )
            )
        if need.lab_report:
            found += _lab_report_gap(criterion.id, need.max_age_months, attached.lab_reports, today)
    return found


def _lab_report_gap(
    criterion: str, max_age_months: int | None, reports: Sequence[LabReportDate], today: date
) -> list[Text]:
    covering = [report for report in reports if criterion in report.criteria]
    if not covering:
        return [
            Text(
                en=f"{criterion} needs a lab report, none attached",
                id=f"{criterion} memerlukan laporan laboratorium, belum terlampir",
            )
        ]
    newest = max(report.issued_on for report in covering)
    if max_age_months is not None and add_months(newest, max_age_months) < today:
        return [
            Text(
                en=f"{criterion}'s lab report of {newest.isoformat()} is older than {max_age_months} months",
                id=f"laporan laboratorium {criterion} tanggal {newest.isoformat()} lebih tua dari "
                f"{max_age_months} bulan",
            )
        ]
    return []


def required_photos(standard: Standard) -> dict[str, int]:
    """How many photos each key needs at most (`LOT` and every criterion that asks for photos)."""
    wanted = {LOT: standard.evidence.lot_photos} if standard.evidence and standard.evidence.lot_photos else {}
    for criterion in standard.criteria:
        if criterion.evidence is not None and criterion.evidence.photos:
            wanted[criterion.id] = criterion.evidence.photos
    return wanted


def lab_report_criteria(standard: Standard) -> tuple[str, ...]:
    """The criteria whose measurement a laboratory's report must back."""
    return tuple(c.id for c in standard.criteria if c.evidence is not None and c.evidence.lab_report)
