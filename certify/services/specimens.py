"""Specimen evidence, made to order from a standard's declarations: a generated photo for every
photo asked for and a generated lab-report PDF for the criteria that need one. For `certify demo`,
the tests and the benchmarks, so that they keep issuing whatever evidence the standards ask for.
Real files (Pillow draws the photo and writes the report as a PDF), uploaded like any other.
"""

from __future__ import annotations

import zlib
from datetime import date
from io import BytesIO
from typing import Any

from PIL import Image, ImageDraw

from certify.core.evidence import LOT, lab_report_criteria, required_photos
from certify.core.standard import Standard
from certify.documents.untrusted import UploadReaders
from certify.services import evidence, inspections, sampling
from certify.services.models import InspectionCreate, LabReportCreate, SamplingPlanCreate
from certify.services.principal import Principal
from certify.services.standards import Standards
from certify.store.database import Database

LABORATORY = "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kerajinan dan Batik (specimen)"


def specimen_photo(label: str, *, seed: int = 0, size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG of a lot (stripes in colours from `seed`, the label written on it)."""
    width, height = size
    image = Image.new("RGB", size, (240, 232, 220))
    draw = ImageDraw.Draw(image)
    for row in range(0, height, 24):
        shade = (seed * 37 + row) % 200
        draw.rectangle((0, row, width, row + 12), fill=(120 + shade // 3, 70 + shade // 4, 30 + shade // 5))
    draw.rectangle((20, height - 60, width - 20, height - 20), fill=(255, 255, 255))
    draw.text((30, height - 50), label[:60], fill=(0, 0, 0))
    out = BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def specimen_lab_report(criteria: list[str], *, report_number: str, issued_on: date) -> bytes:
    """A one-page PDF lab report naming the criteria it covers."""
    page = Image.new("RGB", (1240, 1754), (255, 255, 255))  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    lines = [
        "LAPORAN HASIL UJI / TEST REPORT",
        LABORATORY,
        "Akreditasi / Accreditation: KAN LP-000-IDN (specimen)",
        f"Nomor / Number: {report_number}",
        f"Tanggal / Date: {issued_on.isoformat()}",
        f"Kriteria / Criteria: {', '.join(criteria)}",
    ]
    for index, line in enumerate(lines):
        draw.text((100, 120 + 40 * index), line, fill=(0, 0, 0))
    out = BytesIO()
    page.save(out, "PDF", resolution=150.0)
    return out.getvalue()


def declared_evidence(
    *,
    database: Database,
    inspector: Principal,
    standard: Standard,
    limits: evidence.PhotoLimits,
    readers: UploadReaders | None,
    issued_on: date,
    label: str = "",
) -> tuple[dict[str, list[str]], list[LabReportCreate]]:
    """Upload what `standard` asks for and answer it as an inspection names it (`evidence`,
    `lab_reports`); `readers` may be None only when the standard asks for no lab report."""
    photos: dict[str, list[str]] = {}
    for key, count in required_photos(standard).items():
        photos[key] = [
            evidence.upload(
                database=database,
                uploader=inspector,
                data=specimen_photo(f"{label} {key} {n + 1}", seed=zlib.crc32(f"{label}{key}{n}".encode()) % 997),
                limits=limits,
                readers=readers,
            ).sha256
            for n in range(count)
        ]
    reports = []
    criteria = list(lab_report_criteria(standard))
    if criteria:
        assert readers is not None, f"{standard.ref} asks for a lab report: PDF readers are needed"
        number = f"LHU/{issued_on.year}/{zlib.crc32(f'{label}{standard.ref}'.encode()) % 100000:05d}"
        pdf = specimen_lab_report(criteria, report_number=number, issued_on=issued_on)
        stored = evidence.upload(database=database, uploader=inspector, data=pdf, limits=limits, readers=readers)
        reports.append(
            LabReportCreate(
                criteria=criteria,
                laboratory=LABORATORY,
                accreditation="KAN LP-000-IDN",
                report_number=number,
                issued_on=issued_on,
                file=stored.sha256,
            )
        )
    return photos, reports


DEFAULT_LIMITS = evidence.PhotoLimits(max_bytes=12 * 1024 * 1024, max_pixels=40_000_000, long_edge=2048, keep_gps=False)


def submit_example(
    *,
    database: Database,
    standards: Standards,
    standard: Standard,
    inspection: dict[str, Any],
    product_id: int,
    inspector: Principal,
    lot_code: str,
    readers: UploadReaders | None,
    limits: evidence.PhotoLimits = DEFAULT_LIMITS,
    lot_photos: int = 0,
) -> inspections.Submission:
    """A worked example's inspection submitted as an inspector would: a sample drawn for the lot,
    the lot's code, the evidence the standard declares (and at least `lot_photos` lot photos)."""
    plan = sampling.draw_plan(
        database=database,
        standards=standards,
        inspector=inspector,
        body=SamplingPlanCreate(standard=standard.ref, lot_size=inspection["lot"]["size"]),
    )
    photos, reports = declared_evidence(
        database=database,
        inspector=inspector,
        standard=standard,
        limits=limits,
        readers=readers,
        issued_on=date.today(),
        label=lot_code,
    )
    for n in range(len(photos.get(LOT, [])), lot_photos):
        stored = evidence.upload(
            database=database,
            uploader=inspector,
            data=specimen_photo(f"{lot_code} lot {n + 1}", seed=zlib.crc32(f"{lot_code}{n}".encode()) % 997),
            limits=limits,
            readers=readers,
        )
        photos.setdefault(LOT, []).append(stored.sha256)
    body = InspectionCreate.model_validate(
        {
            **inspection,
            "lot": {**inspection["lot"], "code": lot_code},
            "product_id": product_id,
            "standard": standard.ref,
            "sampling_plan_id": plan.id,
            "evidence": photos,
            "lab_reports": [report.model_dump(mode="json") for report in reports],
        }
    )
    return inspections.submit_inspection(database=database, standards=standards, inspector=inspector, body=body)
