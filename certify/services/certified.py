"""What exactly a certificate covers, as its signed record (format 2) states it: the lot (code,
quantity, production dates), the certified attributes (the inspection's facts, in both languages),
the inspection date, the sample drawn and the defects found in it, what the grade means, and the
SHA-256 of every piece of evidence. The one mapping from an inspection to these fields: the record
(`certificates.certificate_record`), the PDF and the verification page read them from the record.

Also the gate before issuance: every piece of evidence the standard asks for, or the list of gaps.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from certify.core.errors import Problem
from certify.core.evidence import LOT, Attached, LabReportDate, gaps
from certify.core.standard import Standard
from certify.core.text import Text
from certify.services.calendar import day_of
from certify.services.errors import Conflict
from certify.services.titles import fact_value
from certify.signing.jwk import rfc3339
from certify.store.tables import EvidenceFile, Inspection, SamplingPlan

RECORD_FORMAT_2 = "certify.certificate/2"


def certified_fields(session: Session, inspection: Inspection, standard: Standard | None) -> dict[str, Any]:
    """The record's format-2 fields for `inspection` (no floats: numbers of facts as strings)."""
    plan = session.get(SamplingPlan, inspection.sampling_plan_id) if inspection.sampling_plan_id else None
    lot = inspection.lot
    return {
        "lot": {
            "code": lot.get("code"),
            "quantity": lot["size"],
            **({"description": lot["description"]} if lot.get("description") else {}),
            **({"produced_from": lot["produced_from"]} if lot.get("produced_from") else {}),
            **({"produced_until": lot["produced_until"]} if lot.get("produced_until") else {}),
        },
        "attributes": attributes(standard, inspection.facts),
        # the day the inspection states (it selected the limits in force), else the day it was submitted
        "inspected_on": inspection.assessment.get("inspected_on") or day_of(inspection.submitted_at).isoformat(),
        "sample": None
        if plan is None
        else {
            "code_letter": plan.code_letter,
            "size": plan.sample_size,
            "pieces": list(plan.pieces),
            "drawn_at": rfc3339(plan.drawn_at),
        },
        "defects": {name: int(inspection.defects.get(name, 0)) for name in ("critical", "major", "minor")},
        "grade_meaning": grade_meaning(standard, inspection.grade),
        "evidence": evidence_list(session, inspection),
    }


def attributes(standard: Standard | None, facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each fact stated, with its title and value in both languages, in the standard's order."""
    declared = standard.facts if standard is not None else {}
    order = [name for name in declared if name in facts] + sorted(n for n in facts if n not in declared)
    found = []
    for name in order:
        fact = declared.get(name)
        title = {"en": fact.title.en, "id": fact.title.id} if fact else {"en": name, "id": name}
        value = fact_value(standard, name, facts[name])
        found.append({"fact": name, "title": title, "value": {"en": value.en, "id": value.id}})
    return found


def grade_meaning(standard: Standard | None, grade_id: str | None) -> dict[str, str] | None:
    """What the grade means: the band of the total score it stands for, under which standard."""
    if standard is None or grade_id is None:
        return None
    grade = next((g for g in standard.grades if g.id == grade_id), None)
    if grade is None:
        return None
    low, high = f"{grade.from_:g}", f"{grade.to:g}"
    title = standard.title
    return {
        "en": f"a total score of {low}–{high} of 100 under {title.en} version {standard.version}, "
        "with no knockout criterion failed and the lot accepted",
        "id": f"skor total {low.replace('.', ',')}–{high.replace('.', ',')} dari 100 menurut {title.id} "
        f"versi {standard.version}, tanpa kriteria gugur yang gagal dan lot diterima",
    }


def evidence_list(session: Session, inspection: Inspection) -> dict[str, Any]:
    """Photos ({of, sha256, media_type}) and lab reports (with their file's SHA-256)."""
    photos = []
    for key, hashes in (inspection.evidence or {}).items():
        for sha in hashes:
            stored = session.get(EvidenceFile, sha)
            photos.append({"of": key, "sha256": sha, "media_type": stored.media_type if stored else None})
    reports = [
        {
            "criteria": list(report["criteria"]),
            "laboratory": report["laboratory"],
            "accreditation": report["accreditation"],
            "report_number": report["report_number"],
            "issued_on": report["issued_on"],
            "sha256": report["file"],
        }
        for report in inspection.lab_reports or []
    ]
    return {"photos": photos, "lab_reports": reports}


def evidence_hashes(record: dict[str, Any]) -> list[str]:
    """Every SHA-256 a format-2 record names (empty for older formats)."""
    evidence = record.get("evidence") or {}
    found = [p["sha256"] for p in evidence.get("photos", [])]
    return found + [r["sha256"] for r in evidence.get("lab_reports", [])]


# --- the gate ------------------------------------------------------------------------------------


def check_complete(inspection: Inspection, standard: Standard | None, *, at: datetime) -> None:
    """A 409 listing every gap when the inspection lacks what issuance needs: the lot's code, a
    sample drawn by the service, the evidence the standard asks for (lab reports young enough)."""
    found: list[Text] = []
    if not inspection.lot.get("code"):
        found.append(Text(en="the lot has no code", id="lot belum memiliki kode"))
    if inspection.sampling_plan_id is None:
        found.append(
            Text(en="no sampling plan was drawn for the lot", id="belum ada rencana sampel yang ditarik untuk lot")
        )
    if standard is not None:
        assessed = {
            row["criterion"]
            for row in inspection.assessment.get("criteria", [])
            if row["status"] in ("passed", "failed")
        }
        photos = {key: len(set(hashes)) for key, hashes in (inspection.evidence or {}).items()}
        reports = [
            LabReportDate(tuple(r["criteria"]), date.fromisoformat(r["issued_on"]))
            for r in inspection.lab_reports or []
        ]
        found += gaps(standard, assessed=assessed, attached=Attached(photos, reports), today=day_of(at))
    if found:
        summary = Text(
            en=f"the inspection lacks what issuance needs: {'; '.join(t.en for t in found)}",
            id=f"inspeksi belum lengkap untuk penerbitan: {'; '.join(t.id for t in found)}",
        )
        raise Conflict(summary, [Problem.told(t, ("evidence",)) for t in found])


def first_lot_photo(record: dict[str, Any]) -> str | None:
    """The SHA-256 of the record's first photo of the lot, if any."""
    photos = (record.get("evidence") or {}).get("photos", [])
    return next((p["sha256"] for p in photos if p.get("of") == LOT), None)
