"""The compact setting chosen from a certificate's outline: the same page as trying both settings."""

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from weasyprint import Attachment  # type: ignore[import-untyped]

from certify.core.text import Text
from certify.documents import CategoryScores, CertificateView, fit, render_certificate_pdf
from certify.documents.render import engine, issued_at
from certify.documents.templates import certificate_html
from certify.documents.view import Attribute, CoveredLot, SamplingView

VERIFY_URL = "https://certify.example.id/verify/IDC-2026-7KQ3-9XHD-P"
RECORD = b'{"certificate_id":"IDC-2026-7KQ3-9XHD-P"}'
PHOTO = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
WOOD_ATTRIBUTES = [
    ("Kategori produk", "Product category", "mebel", "furniture"),
    ("Bahan yang dipakai", "Materials in the product", "kayu utuh, perlengkapan logam", "solid wood, metal fittings"),
    ("Lapisan akhir", "Surface coating", "minyak alami", "natural oil"),
    ("Untuk bersentuhan dengan makanan", "Meant to touch food", "tidak", "no"),
    ("Pasar tujuan", "Destination markets", "Uni Eropa", "European Union"),
    ("Dikirim dengan palet atau peti kayu", "Shipped on wooden pallets or in wooden crates", "ya", "yes"),
    ("Berat satu kemasan (kg)", "Mass of one packed unit (kg)", "22", "22"),
    (
        "Lemari pakaian berdiri bebas, cakupan ASTM F2057: tinggi ≥ 686 mm, berat ≥ 13,6 kg, ruang ≥ 90,6 dm³",
        "Free-standing clothing storage, ASTM F2057 scope: ≥ 686 mm high, ≥ 13.6 kg, ≥ 90.6 dm³ enclosed",
        "tidak",
        "no",
    ),
]
MEANING = Text(
    id="skor total 85–100 dari 100 menurut Kerajinan kayu (ukiran, mebel, peralatan rumah, mainan) versi "
    "2026.2, tanpa kriteria gugur yang gagal dan lot diterima",
    en="a total score of 85–100 of 100 under Wood craft (carvings, furniture, homeware, toys) version 2026.2, "
    "with no knockout criterion failed and the lot accepted",
)


def attributes(count: int) -> list[Attribute]:
    return [
        Attribute(title=Text(id=title_id, en=title_en), value=Text(id=value_id, en=value_en))
        for title_id, title_en, value_id, value_en in WOOD_ATTRIBUTES[:count]
    ]


def a_lot_certificate(**changes: object) -> CertificateView:
    """A wood certificate of record format 2, as the bundled worked example issues it."""
    lot: dict[str, object] = {
        "lot_code": "LOT-2026-0042",
        "quantity": 150,
        "inspected_on": date(2026, 9, 1),
        "attributes": attributes(len(WOOD_ATTRIBUTES)),
        "sample_size": 20,
        "defects": {"critical": 0, "major": 0, "minor": 1},
        "grade_meaning": MEANING,
    }
    fields: dict[str, object] = {
        "issuer_name": "Lembaga Sertifikasi Kerajinan",
        "certificate_id": "IDC-2026-MA4C-9TJR-7",
        "holder_name": "Mebel Ukir Jepara Jaya",
        "holder_region": "Kab. Jepara, Jawa Tengah",
        "product_name": "Kursi jati",
        "product_category": Text(id="mebel", en="furniture"),
        "standard_id": "wood",
        "standard_title": Text(
            id="Kerajinan kayu (ukiran, mebel, peralatan rumah, mainan)",
            en="Wood craft (carvings, furniture, homeware, toys)",
        ),
        "standard_version": "2026.2",
        "grade": Text(id="Utama", en="Premium"),
        "scores": CategoryScores(materials="100.0", finish="96.5", packaging="100.0"),
        "total_score": "98.9",
        "decided_on": date(2026, 12, 6),
        "valid_from": date(2026, 12, 6),
        "valid_until": date(2027, 12, 5),
        "signature_fingerprint": "f73a 7cd7 4d06 a04d",
        "key_id": "roEJ1ryzqzW-VqgXuqqMM1WjMQvZQmj0vXn9A0M3SWI",
        "condition": Text(id="Hanya berlaku untuk lot yang diinspeksi.", en="Covers the inspected lot only."),
        "sampling": SamplingView(severity="normal", major_lq="17.4", minor_lq="24.0"),
    }
    lot_changes = changes.pop("lot", {})
    assert isinstance(lot_changes, dict)
    return CertificateView.model_validate(fields | {"covered": CoveredLot(**(lot | lot_changes))} | changes)


@pytest.fixture(autouse=True)
def nothing_learned(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fit, "_overflows", {})
    yield


def pages(certificate: CertificateView, *, compact: bool, verify_url: str = VERIFY_URL) -> int:
    html = certificate_html(certificate=certificate, verify_url=verify_url, compact=compact)
    return len(engine().layout(html).pages)


def both_settings_tried(certificate: CertificateView) -> bytes:
    """The page as rendering chose it before outlines: the usual setting if it fits, else compact."""
    for compact in (False, True):
        html = certificate_html(certificate=certificate, verify_url=VERIFY_URL, compact=compact)
        document = engine().layout(html)
        if len(document.pages) == 1:
            return engine().write(document, attachment=RECORD, created=issued_at(certificate))
    raise AssertionError("does not fit")


def test_a_lot_certificate_too_long_for_the_usual_setting_prints_as_when_both_settings_were_tried() -> None:
    """The first such certificate learns its outline; the next is set compactly straight away: the
    same bytes both times, and the same as trying the usual setting first."""
    certificate = a_lot_certificate()
    assert pages(certificate, compact=False) > 1
    first = render_certificate_pdf(certificate=certificate, attachment=RECORD, verify_url=VERIFY_URL)
    assert fit.learned(a_lot_certificate(holder_name="Koperasi Pengrajin Kayu", product_name="Meja")) is True
    again = render_certificate_pdf(certificate=certificate, attachment=RECORD, verify_url=VERIFY_URL)
    assert first == again == both_settings_tried(certificate)


def test_a_certificate_that_fits_the_usual_setting_keeps_it_and_teaches_nothing() -> None:
    """A certificate without a lot block (record format 1) fits as usual: printed so, nothing learned."""
    certificate = a_lot_certificate(covered=None, sampling=None, condition=None)
    assert pages(certificate, compact=False) == 1
    pdf = render_certificate_pdf(certificate=certificate, attachment=RECORD, verify_url=VERIFY_URL)
    assert pdf == both_settings_tried(certificate)
    assert fit.learned(certificate) is None


def test_writing_each_stream_once_changes_no_byte() -> None:
    """The file written with each stream compressed once is the file WeasyPrint writes by itself."""
    certificate = a_lot_certificate()
    html = certificate_html(certificate=certificate, verify_url=VERIFY_URL, compact=True)
    written = engine().write(engine().layout(html), attachment=RECORD, created=issued_at(certificate))
    document = engine().layout(html)
    stamp = issued_at(certificate).strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = document.metadata.modified = stamp
    record = Attachment(
        string=RECORD,
        name="certificate-record.json",
        description="Rekaman sertifikat yang ditandatangani / Signed certificate record",
        created=issued_at(certificate),
        modified=issued_at(certificate),
        relationship="Data",
        url_fetcher=engine().fetcher,
    )
    assert written == document.write_pdf(attachments=[record], **engine()._options())


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz WMil", min_size=1, max_size=120).map(str.strip).filter(bool)


@settings(max_examples=12)
@given(
    holder=words,
    product=words,
    lot_code=st.text(alphabet="ABCXYZ0123456789-", min_size=1, max_size=64),
    quantity=st.integers(min_value=1, max_value=10**9),
    count=st.integers(min_value=0, max_value=len(WOOD_ATTRIBUTES)),
    photo=st.booleans(),
    meaning=st.booleans(),
    covered=st.booleans(),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2040, 12, 31)),
)
def test_an_outline_never_takes_more_pages_than_its_certificate(
    holder: str,
    product: str,
    lot_code: str,
    quantity: int,
    count: int,
    photo: bool,
    meaning: bool,
    covered: bool,
    day: date,
) -> None:
    """So an outline that does not fit in the usual setting proves its certificate does not either."""
    certificate = a_lot_certificate(
        holder_name=holder,
        holder_region=holder,
        product_name=product,
        decided_on=day,
        valid_from=day,
        valid_until=day,
        lot={
            "lot_code": lot_code,
            "quantity": quantity,
            "attributes": attributes(count),
            "photo": PHOTO if photo else None,
            "grade_meaning": MEANING if meaning else None,
        },
    )
    if not covered:
        certificate = certificate.model_copy(update={"covered": None, "sampling": None})
    outlined = pages(fit.outline(certificate), compact=False, verify_url=fit.OUTLINE_URL)
    assert outlined <= pages(certificate, compact=False)
