"""What a certificate signs and prints (`certify.services.certificates`): the record's format is
fixed (certificates already issued keep verifying), and the PDF prints what the record says."""

from __future__ import annotations

from datetime import UTC, date, datetime

from certify.core.hashing import content_hash
from certify.core.inspection import Inspection as Measured
from certify.core.scoring import score
from certify.rulebook import Rulebook
from certify.services.certificates import certificate_record, certificate_view
from certify.services.models import AssessmentPublic
from certify.store.tables import Holder, Inspection, Product
from tests.strategies import bowls

BOWLS = bowls()
DECIDED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def domestic_bowl() -> Inspection:
    """A stored inspection of a bowl sold at home: no packaging criterion applies."""
    measured = Measured.model_validate(
        {
            "facts": {"product_category": "bowl", "market": "domestic"},
            "lot": {"size": 50},
            "measurements": {"MAT-01": True, "FIN-01": True},
            "defects": {"critical": 0, "major": 0, "minor": 0},
        }
    )
    assessment = AssessmentPublic.model_validate(score(BOWLS, measured).to_dict())
    return Inspection(
        id=7,
        product_id=3,
        holder_id=2,
        inspector_id=4,
        standard_id=BOWLS.id,
        standard_version=BOWLS.version,
        content_hash=assessment.standard.content_hash,
        lot={"size": 50},
        facts={},
        measurements={},
        defects={},
        assessment=assessment.model_dump(mode="json", by_alias=True),
        certified=assessment.certified,
        grade=None if assessment.grade is None else assessment.grade.id,
        total=assessment.total,
    )


def record() -> dict[str, object]:
    inspection = domestic_bowl()
    return certificate_record(
        certificate_id="IDC-2026-7KQ3-9XHD-P",
        serial="2026-000001",
        holder=Holder(name="Ukir Kayu Mas", province="Bali", region="Gianyar"),
        product=Product(holder_id=2, name="Mangkuk kayu", category="bowl"),
        inspection=inspection,
        standards=Rulebook([BOWLS]),
        decided_at=DECIDED,
        decided_on=DECIDED.date(),
        valid_until=date(2027, 11, 19),
        issuer_name="Dewan Kerajinan",
        issuer_url="https://sertifikat.example.id",
        key_id="kid-1",
    )


def test_the_signed_record_keeps_its_format_with_a_null_score_for_a_category_without_one() -> None:
    """Every field as certificates already issued have it; packaging's score is null, never "0.0"."""
    assert record() == {
        "type": "certify.certificate/1",
        "certificate_id": "IDC-2026-7KQ3-9XHD-P",
        "serial": "2026-000001",
        "holder": {"name": "Ukir Kayu Mas", "region": "Gianyar, Bali"},
        "product": {"name": "Mangkuk kayu", "category": "bowl"},
        "standard": {
            "id": "test",
            "version": "2026.1",
            "content_hash": content_hash(BOWLS),
            "title": {"en": "a test standard", "id": "a test standard (id)"},
        },
        "grade": {"id": "utama", "title": {"en": "premium", "id": "premium (id)"}},
        "total": "100.0",
        "scores": {"materials": "100.0", "finish": "100.0", "packaging": None},
        "decided_at": "2026-11-20T09:30:00Z",
        "valid_from": "2026-11-20",
        "valid_until": "2027-11-19",
        "issuer": {"name": "Dewan Kerajinan", "url": "https://sertifikat.example.id"},
        "key_id": "kid-1",
        "sampling": {"severity": "normal", "limiting_quality": {"critical": "24.0", "major": "37.0", "minor": "26.0"}},
    }


def test_the_pdf_prints_the_plans_limiting_quality_and_a_record_signed_before_it_still_renders() -> None:
    """Issue 17 added `sampling` to the record (lot of 50: n 5, Ac 0 for major defects → LQ10 37 %);
    a record signed without it prints no sampling line."""
    view = certificate_view(record(), "c2lnbmF0dXJl")
    assert view.sampling is not None
    assert (view.sampling.severity, view.sampling.major_lq, view.sampling.minor_lq) == ("normal", "37.0", "26.0")
    earlier = {key: value for key, value in record().items() if key != "sampling"}
    assert certificate_view(earlier, "c2lnbmF0dXJl").sampling is None


def test_the_pdf_prints_the_records_scores_as_they_are_and_none_where_it_has_none() -> None:
    """The view holds the record's decimal strings; a null score stays None (printed "—")."""
    view = certificate_view(record(), "c2lnbmF0dXJl")
    assert (view.scores.materials, view.scores.finish, view.scores.packaging) == ("100.0", "100.0", None)
    assert view.total_score == "100.0"


def test_a_certificate_under_a_scheme_prints_its_condition_in_both_languages(tmp_path: object) -> None:
    """The product scheme's yearly surveillance is printed as a condition; without a scheme, none."""
    import subprocess
    from pathlib import Path

    from certify.core.scheme import condition
    from certify.core.standard import Scheme
    from certify.documents.render import render_certificate_pdf

    surveyed = condition(Scheme(type="product", surveillance_months=12, grace_days=30))
    texts = []
    for stated in (surveyed, None):
        view = certificate_view(record(), "c2lnbmF0dXJl", condition=stated)
        pdf = render_certificate_pdf(certificate=view, attachment=b"{}", verify_url="https://x.example/verify/IDC")
        path = Path(str(tmp_path)) / "certificate.pdf"
        path.write_bytes(pdf)
        texts.append(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)
    assert "setiap 12 bulan" in texts[0] and "every 12 months" in " ".join(texts[0].split())
    assert "Syarat" not in texts[1] and "Condition" not in texts[1]
