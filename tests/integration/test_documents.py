"""The certificate PDF as a buyer, a PDF reader and a forger meet it."""

import asyncio
import json
import re
import socket
import subprocess
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms, pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

import certify.resources
from certify.config import Settings
from certify.core.text import Text
from certify.documents import (
    CategoryScores,
    CertificateView,
    Renderer,
    ca_pem,
    check_pdf_signature,
    extract_attachment,
    render_certificate_pdf,
    sign_pdf,
    templates_dir,
)
from certify.documents.fetcher import LocalOnlyFetcher
from certify.documents.render import CertificateTooLong, PdfEngine
from certify.documents.signature import signing_time
from certify.documents.templates import certificate_html
from certify.locale import translations
from certify.services.keys import IssuerKeys
from certify.signing import KeyRingError

VERIFY_URL = "https://certify.example.id/verify/IDC-2026-7KQ3-9XHD-P"
REMOTE = "http://example.invalid/x.png"
RECORD = json.dumps({"certificate_id": "IDC-2026-7KQ3-9XHD-P", "grade": "gold", "total": 874}, sort_keys=True).encode()


def a_certificate(**changes: object) -> CertificateView:
    fields: dict[str, object] = {
        "issuer_name": "Dewan Kerajinan Nasional Indonesia",
        "certificate_id": "IDC-2026-7KQ3-9XHD-P",
        "holder_name": "Ibu Siti Rahayu Wulandari",
        "holder_region": "Kab. Bantul, DI Yogyakarta",
        "product_name": "Kain batik tulis motif Parang Rusak",
        "product_category": Text(id="Batik tulis", en="Hand-drawn batik"),
        "standard_id": "batik-tulis",
        "standard_title": Text(id="Mutu batik tulis untuk ekspor", en="Quality of hand-drawn batik for export"),
        "standard_version": "2026.1",
        "grade": Text(id="Emas", en="Gold"),
        "scores": CategoryScores(materials="91.2", finish="87.5", packaging="80.0"),
        "total_score": "87.4",
        "decided_on": date(2026, 11, 20),
        "valid_from": date(2026, 11, 20),
        "valid_until": date(2027, 11, 19),
        "signature_fingerprint": "7f3a 91c2 0be4 5d18",
        "key_id": "Nqa8PzJ0tH6F2c0kQ4m1o9T7vXyZ3bR5sW8uL2eD1gA",
    }
    return CertificateView.model_validate(fields | changes)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_certificate_pdf(certificate=a_certificate(), attachment=RECORD, verify_url=VERIFY_URL)


@pytest.fixture(scope="module")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="module")
def signed(pdf: bytes, key_dir: Path) -> bytes:
    return sign_pdf(pdf, key_dir=key_dir)


def run(command: list[str], tmp_path: Path, content: bytes, *after: str) -> str:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(content)
    return subprocess.run([*command, str(source), *after], check=True, capture_output=True, text=True).stdout


def pdftotext(tmp_path: Path, content: bytes) -> str:
    return run(["pdftotext", "-layout", "-enc", "UTF-8"], tmp_path, content, "-")


def byte_range(signed_pdf: bytes) -> tuple[int, int, int, int]:
    found = re.search(rb"/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed_pdf)
    assert found is not None
    first, length, second, rest = map(int, found.groups())
    return first, length, second, rest


def with_byte_flipped(content: bytes, offset: int) -> bytes:
    changed = bytearray(content)
    changed[offset] ^= 0x01
    return bytes(changed)


# --- the page a person reads ---------------------------------------------------------------------


def test_the_certificate_is_one_a4_page(pdf: bytes, tmp_path: Path) -> None:
    """The PDF has exactly one page, A4 portrait."""
    info = run(["pdfinfo"], tmp_path, pdf)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.M)


def test_the_text_holds_the_id_the_holder_and_the_grade_in_both_languages(pdf: bytes, tmp_path: Path) -> None:
    """pdftotext finds the ID, the holder, the grade in Indonesian and English, and bilingual labels."""
    text = pdftotext(tmp_path, pdf)
    for printed in (
        "IDC-2026-7KQ3-9XHD-P",
        "Ibu Siti Rahayu Wulandari",
        "Emas",
        "Gold",
        "Pemegang",
        "Holder",
        "87,4",  # the certificate's first language writes a decimal comma
        "19 November 2027",
        "November 19, 2027",
        "7f3a 91c2 0be4 5d18",
    ):
        assert printed in text, printed


def test_the_category_names_are_the_words_of_the_pages_catalog(pdf: bytes, tmp_path: Path) -> None:
    """Each category is named in Indonesian as the pages name it (one catalog): finish is "Hasil akhir"."""
    text = pdftotext(tmp_path, pdf)
    for name in ("Materials", "Finish", "Packaging"):
        assert re.search(rf"{translations('id').gettext(name)}\s+{name}", text), name
    assert "Hasil akhir" in text and "Penyelesaian" not in text


def test_a_category_where_nothing_applied_prints_a_dash_never_zero(tmp_path: Path) -> None:
    """A category without a score prints "—" beside its name; the others print their scores."""
    content = render_certificate_pdf(
        certificate=a_certificate(scores=CategoryScores(materials="91.2", finish=None, packaging="80.0")),
        attachment=RECORD,
        verify_url=VERIFY_URL,
    )
    lines = pdftotext(tmp_path, content).splitlines()
    finish = next(line for line in lines if "Finish" in line)
    assert re.search(r"Finish\s+—\s*$", finish), finish
    assert "0,0" not in finish
    assert any(re.search(r"Materials\s+91,2\s*$", line) for line in lines)


def test_the_qr_code_holds_the_verification_url(pdf: bytes, tmp_path: Path) -> None:
    """The page rendered at 150 dpi and decoded by zbarimg gives back the verification URL."""
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "certificate.pdf"), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], check=True, capture_output=True, text=True
    ).stdout
    assert decoded.strip() == VERIFY_URL


@pytest.mark.parametrize("length", [1, 17, 40, 77, 150])
def test_the_qr_code_masks_every_module_as_segno_itself_does(length: int) -> None:
    """Each mask, worked out once per symbol size, flips the modules segno's own masking flips:
    the same symbol, and the same mask chosen for it."""
    import segno
    import segno.encoder

    from certify.documents import templates

    urls = [f"https://certify.example.id/verify/{'K' * length}{n}" for n in range(8)]
    ours = [templates.qr_svg(url) for url in urls]
    assert segno.encoder.apply_mask is templates._apply_mask
    segno.encoder.apply_mask = templates._segno_apply_mask
    try:
        assert [templates.qr_svg(url) for url in urls] == ours
    finally:
        segno.encoder.apply_mask = templates._apply_mask


def test_masks_are_kept_per_symbol_size_not_per_code() -> None:
    """Making many codes of one size keeps at most the eight masks of that size."""
    from certify.documents import templates

    for n in range(30):
        templates.qr_svg(f"https://certify.example.id/verify/IDC-2026-{n:04d}-9XHD-P")
    sizes = {(width, height) for _, width, height in templates._MASKS}
    assert len(templates._MASKS) <= 8 * len(sizes)


def test_only_the_known_debian_fonts_are_embedded(pdf: bytes, tmp_path: Path) -> None:
    """Every font in the PDF is an embedded Noto Serif, Noto Sans or DejaVu Sans Mono face."""
    rows = run(["pdffonts"], tmp_path, pdf).splitlines()[2:]
    assert rows
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert re.fullmatch(r"[A-Z]{6}\+(Noto-Serif|Noto-Sans|DejaVu-Sans-Mono)(-[A-Za-z]+)?", name), name
        assert embedded == "yes", row


def test_a_holder_name_with_markup_is_printed_as_text_and_fetches_nothing(tmp_path: Path) -> None:
    """Values are escaped: a name holding an <img> tag with a remote URL is printed, never loaded."""
    hostile = f'<img src="{REMOTE}">'
    engine = PdfEngine(templates_dir())
    html = certificate_html(certificate=a_certificate(holder_name=hostile), verify_url=VERIFY_URL)
    content = engine.pdf(html, attachment=RECORD, created=datetime(2026, 11, 20, tzinfo=UTC))
    assert hostile in pdftotext(tmp_path, content)
    assert engine.fetcher.refused == []


def test_a_remote_url_in_an_img_or_a_css_url_is_refused_without_a_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A template that points at http URLs renders, the fetcher refuses both, no socket connects."""
    attempts: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("rendering tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    engine = PdfEngine(templates_dir())
    html = (
        f'<html><body><img src="{REMOTE}"><div style="background-image: url({REMOTE}2)">x</div>'
        '<img src="file:///etc/hostname"></body></html>'
    )
    content = engine.pdf(html, attachment=RECORD, created=datetime(2026, 11, 20, tzinfo=UTC))
    assert content.startswith(b"%PDF-")
    assert sorted(engine.fetcher.refused) == ["file:///etc/hostname", REMOTE, REMOTE + "2"]
    assert attempts == []


def test_the_fetcher_serves_template_files_and_data_uris(tmp_path: Path) -> None:
    """Files under templates/ and data: URIs are served; a path that climbs out of the folder is not."""
    fetcher = LocalOnlyFetcher(templates_dir())
    stylesheet = fetcher.fetch((templates_dir() / "certificate.css").as_uri())
    assert b"@page" in stylesheet.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    escape = templates_dir().as_uri() + "/../pyproject.toml"
    with pytest.raises(OSError, match="refused"):
        fetcher.fetch(escape)
    assert fetcher.refused == [escape]


# --- determinism and the attachment ---------------------------------------------------------------


def test_rendering_twice_gives_identical_bytes(pdf: bytes) -> None:
    """The same certificate renders to the same unsigned PDF, byte for byte."""
    again = render_certificate_pdf(certificate=a_certificate(), attachment=RECORD, verify_url=VERIFY_URL)
    assert again == pdf


def test_a_different_certificate_renders_different_bytes(pdf: bytes) -> None:
    """Determinism is not constancy: another holder gives another file."""
    other = render_certificate_pdf(
        certificate=a_certificate(holder_name="Bapak Made Suarta"), attachment=RECORD, verify_url=VERIFY_URL
    )
    assert other != pdf


def test_a_certificate_with_new_glyph_counts_parses_no_new_c_type() -> None:
    """Subsetting the fonts of a page whose texts differ makes its glyph arrays from the one open
    C type (`hb_codepoint_t[]`), not one sized type per count that cffi would parse anew."""
    from weasyprint.text.ffi import ffi  # type: ignore[import-untyped]

    def sized() -> set[str]:
        return {name for name in ffi._parsed_types if re.fullmatch(r"hb_codepoint_t\[\d+\]", name)}

    before = sized()
    render_certificate_pdf(
        certificate=a_certificate(holder_name="Koperasi Pengrajin Tenun Ikat Sumba Timur 0123456789"),
        attachment=RECORD,
        verify_url=VERIFY_URL,
    )
    assert sized() == before


def test_signing_again_at_the_stated_time_gives_identical_bytes(pdf: bytes, signed: bytes, key_dir: Path) -> None:
    """Reproducible from what is kept: the signing time read back from the signature, RFC 6979
    nonces and the derived trailer ID give the very bytes again."""
    at = signing_time(signed)
    assert at is not None
    assert sign_pdf(pdf, key_dir=key_dir, at=at) == signed


def test_a_worker_process_renders_and_signs_the_same_bytes(pdf: bytes, key_dir: Path) -> None:
    """The process pool renders the very bytes this process renders, and signs them as this
    process signs them at the same time."""

    async def in_pool() -> tuple[bytes, bytes]:
        async with Renderer(workers=1) as renderer:
            unsigned = await renderer.render(certificate=a_certificate(), attachment=RECORD, verify_url=VERIFY_URL)
            finished = await renderer.render_signed(
                certificate=a_certificate(), attachment=RECORD, verify_url=VERIFY_URL, key_dir=key_dir
            )
        return unsigned, finished

    unsigned, finished = asyncio.run(in_pool())
    at = signing_time(finished)
    assert unsigned == pdf and at is not None
    assert sign_pdf(pdf, key_dir=key_dir, at=at) == finished


def test_the_signed_record_round_trips_through_the_attachment(pdf: bytes, signed: bytes) -> None:
    """The attached record comes back byte for byte, before and after signing."""
    assert extract_attachment(pdf) == RECORD
    assert extract_attachment(signed) == RECORD
    assert extract_attachment(b"not a pdf") is None


def test_the_pdf_declares_pdf_a_3b_and_the_decision_date(pdf: bytes, tmp_path: Path) -> None:
    """XMP metadata says PDF/A-3 conformance B; creation date is the decision date, not today."""
    metadata = run(["pdfinfo", "-meta"], tmp_path, pdf)
    assert 'pdfaid:part="3"' in metadata
    assert 'pdfaid:conformance="B"' in metadata
    info = run(["pdfinfo", "-isodates"], tmp_path, pdf)
    assert re.search(r"^CreationDate:\s+2026-11-20T00:00:00", info, re.M)


# --- the PDF signature -------------------------------------------------------------------------------


def test_pyhanko_trusting_the_published_ca_validates_the_signature(signed: bytes, key_dir: Path) -> None:
    """What `pyhanko sign validate --trust certify-ca.pem` does: intact, trusted, whole file."""
    _, _, der = pem.unarmor(ca_pem(key_dir))
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)], allow_fetching=False)
    (signature,) = PdfFileReader(BytesIO(signed)).embedded_regular_signatures
    status = validate_pdf_signature(signature, context)
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_check_accepts_the_pdf_signed_at_the_true_time(pdf: bytes, key_dir: Path) -> None:
    """check_pdf_signature accepts the file as signed and reports the clock's time at signing
    (not a made-up midnight of the decision date)."""
    before = datetime.now(UTC).replace(microsecond=0)
    signed = sign_pdf(pdf, key_dir=key_dir)
    after = datetime.now(UTC)
    check = check_pdf_signature(signed, ca_pem(key_dir))
    assert (check.valid, check.intact, check.trusted, check.covers_whole_file) == (True, True, True, True)
    assert check.signed_at is not None and before <= check.signed_at <= after


def test_signing_leaves_no_clock_time_in_the_metadata(signed: bytes, tmp_path: Path) -> None:
    """After signing, the modification date (Info and XMP) is still the decision date, not today."""
    info = run(["pdfinfo", "-isodates"], tmp_path, signed)
    assert re.search(r"^ModDate:\s+2026-11-20T00:00:00", info, re.M)
    assert 'xmp:ModifyDate="2026-11-20T00:00:00' in run(["pdfinfo", "-meta"], tmp_path, signed)


def test_an_update_appended_after_signing_is_rejected(signed: bytes, key_dir: Path) -> None:
    """An incremental update after the signature (forged text could hide there) fails the check."""
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()  # type: ignore[no-untyped-call]
    appended = BytesIO()
    writer.write(appended)  # type: ignore[no-untyped-call]
    check = check_pdf_signature(appended.getvalue(), ca_pem(key_dir))
    assert not check.valid
    assert check.intact and not check.covers_whole_file
    assert "appended" in check.reason.en


def test_bytes_appended_after_the_end_are_rejected(signed: bytes, key_dir: Path) -> None:
    """Anything after the signed range, even a comment, means the signature no longer covers the file."""
    check = check_pdf_signature(signed + b"%forged\n", ca_pem(key_dir))
    assert not check.valid and not check.covers_whole_file


@pytest.mark.parametrize("where", ["start", "first range", "second range", "last byte"])
def test_one_byte_changed_in_the_signed_ranges_is_rejected(signed: bytes, key_dir: Path, where: str) -> None:
    """Flipping a single byte of what the signature covers fails the check."""
    _, length, second, _ = byte_range(signed)
    offset = {"start": 20, "first range": length // 2, "second range": second + 100, "last byte": len(signed) - 2}
    check = check_pdf_signature(with_byte_flipped(signed, offset[where]), ca_pem(key_dir))
    assert not check.valid


def container_hex_offset(signed_pdf: bytes, field: str) -> int:
    """The file offset of the last hex digit of one field's value inside the /Contents hole."""
    _, length, second, _ = byte_range(signed_pdf)
    der = bytes.fromhex(signed_pdf[length + 1 : second - 1].decode())
    container = cms.ContentInfo.load(der, strict=False)
    signed_data = container["content"]
    signer_info = signed_data["signer_infos"][0]
    starts = {
        "cms version": 23 + len(signed_data["version"].dump()) - 1,
        "digest algorithm list": der.find(signed_data["digest_algorithms"].dump()) + 8,
        "signer info version": der.find(signer_info.dump()) + 4 + len(signer_info["version"].dump()) - 1,
        "signer certificate": der.find(signed_data["certificates"][0].dump()) + 40,
        "signed attributes": der.find(signer_info["signed_attrs"].dump()) + 10,
        "signature value": der.find(signer_info["signature"].dump()) + 20,
        "padding": len(container.dump()) + 50,
    }
    return length + 1 + 2 * starts[field] + 1


@pytest.mark.parametrize(
    "field",
    [
        "cms version",
        "digest algorithm list",
        "signer info version",
        "signer certificate",
        "signed attributes",
        "signature value",
        "padding",
    ],
)
def test_one_hex_digit_changed_in_the_signature_container_is_rejected(signed: bytes, key_dir: Path, field: str) -> None:
    """The /Contents hole is not a free zone: a changed digit in any field, or the padding, fails."""
    offset = container_hex_offset(signed, field)
    changed = bytearray(signed)
    changed[offset] = ord("1") if changed[offset] == ord("0") else ord("0")
    check = check_pdf_signature(bytes(changed), ca_pem(key_dir))
    assert not check.valid
    assert check.reason.en in {
        "The PDF's content was altered after signing.",
        "The PDF is damaged or unreadable.",
    }


def test_a_pdf_signed_under_another_ca_is_rejected(pdf: bytes, key_dir: Path, tmp_path: Path) -> None:
    """Another installation's CA (even with the same name) is not ours: intact but untrusted."""
    foreign = sign_pdf(pdf, key_dir=tmp_path / "other-keys")
    check = check_pdf_signature(foreign, ca_pem(key_dir))
    assert not check.valid
    assert check.intact and not check.trusted
    assert check_pdf_signature(foreign, ca_pem(tmp_path / "other-keys")).valid


def test_an_unsigned_pdf_and_a_non_pdf_are_rejected_with_their_reason(pdf: bytes, key_dir: Path) -> None:
    """No signature and not a PDF are both refusals, each saying why."""
    assert check_pdf_signature(pdf, ca_pem(key_dir)).reason.en == "The PDF carries no signature."
    assert check_pdf_signature(b"GIF89a", ca_pem(key_dir)).reason.en == "The file is not a PDF."


def test_checking_inside_an_event_loop_still_gives_the_right_answer(signed: bytes, key_dir: Path) -> None:
    """Called where an event loop runs, the check still reads the file: it never calls a good PDF
    unreadable, and a tampered one is still refused."""

    async def on_the_loop(pdf: bytes) -> bool:
        return check_pdf_signature(pdf, ca_pem(key_dir)).valid

    assert asyncio.run(on_the_loop(signed))
    tampered = signed[:-10] + b"%% forged\n"
    assert not asyncio.run(on_the_loop(tampered))

    async def off_the_loop() -> bool:
        return (await asyncio.to_thread(check_pdf_signature, signed, ca_pem(key_dir))).valid

    assert asyncio.run(off_the_loop())


def test_the_ca_is_created_once_with_private_files(tmp_path: Path) -> None:
    """First use creates the CA and signer in the key directory, 0600; later uses reuse them."""
    first = ca_pem(tmp_path / "keys")
    assert ca_pem(tmp_path / "keys") == first
    assert first.startswith(b"-----BEGIN CERTIFICATE-----")
    files = sorted((tmp_path / "keys" / "pdf-ca").iterdir())
    assert [file.name for file in files] == ["ca-key.pem", "ca.crl", "ca.pem", "signer-key.pem", "signer.pem"]
    assert {file.stat().st_mode & 0o777 for file in files} == {0o600}


# --- finding the templates ---------------------------------------------------------------------------


def test_templates_are_found_in_the_wheel_copy_first_then_in_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed wheel carries certify/_data/templates; a source checkout has <repo>/templates."""
    package = tmp_path / "certify"
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(certify.resources, "_PACKAGE", package)
    assert templates_dir() == tmp_path / "templates"
    (package / "_data" / "templates").mkdir(parents=True)
    assert templates_dir() == package / "_data" / "templates"


# --- long texts -------------------------------------------------------------------------------------


def longest(limit: int, word: str) -> str:
    return (word * (limit // len(word) + 1))[:limit].strip() or word


def longest_texts(word: str) -> CertificateView:
    return a_certificate(
        issuer_name=longest(100, word),
        holder_name=longest(120, word),
        holder_region=longest(120, word),
        product_name=longest(120, word),
        # the two languages differ (a category the same in both is printed once)
        product_category=Text(id=longest(60, word), en=longest(59, word) + "M"),
        standard_id=longest(64, "w"),
        standard_title=Text(id=longest(160, word), en=longest(160, word)),
        standard_version=longest(32, "9"),
        grade=Text(id=longest(40, word), en=longest(40, word)),
        signature_fingerprint=longest(64, "f"),
        key_id=longest(64, "K"),
    )


@pytest.mark.parametrize("word", ["Pengrajin ", "Mm "])
def test_the_longest_texts_a_certificate_allows_still_fit_on_one_page(word: str, tmp_path: Path) -> None:
    """Every text at its maximum length (wide letters included) is set compactly on a single page."""
    content = render_certificate_pdf(certificate=longest_texts(word), attachment=RECORD, verify_url=VERIFY_URL)
    assert re.search(r"^Pages:\s+1$", run(["pdfinfo"], tmp_path, content), re.M)


def test_a_text_that_cannot_fit_is_refused_rather_than_spilling_onto_a_second_page() -> None:
    """Unbroken runs of the widest letter at every maximum raise CertificateTooLong: no two-page PDF."""
    with pytest.raises(CertificateTooLong):
        render_certificate_pdf(certificate=longest_texts("W"), attachment=RECORD, verify_url=VERIFY_URL)


def test_a_machine_given_the_exported_secret_signs_pdfs_under_the_same_ca(pdf: bytes, tmp_path: Path) -> None:
    """`certify keys export-secret` carries the CA and signer, never the CA's key: another machine
    publishes the same JWKS, and its PDFs check against the first machine's CA."""
    first = IssuerKeys.from_settings(Settings(data_dir=tmp_path / "first"))
    other = Settings(data_dir=tmp_path / "other", signing_keys=first.export_secret())
    second = IssuerKeys.from_settings(other)
    assert second.jwks() == first.jwks()
    installed = other.keys_dir / "pdf-ca"
    assert sorted(p.name for p in installed.iterdir()) == ["ca.pem", "signer-key.pem", "signer.pem"]
    assert {p.stat().st_mode & 0o777 for p in installed.iterdir()} == {0o600}
    assert check_pdf_signature(sign_pdf(pdf, key_dir=other.keys_dir), first.ca_pem).valid
    assert IssuerKeys.from_settings(other).jwks() == first.jwks()  # a restart changes nothing


def test_a_secret_whose_ca_differs_from_the_one_on_the_machine_is_refused(tmp_path: Path) -> None:
    """A key directory that already made its own CA is not silently replaced, nor kept."""
    first = IssuerKeys.from_settings(Settings(data_dir=tmp_path / "first"))
    IssuerKeys.from_settings(Settings(data_dir=tmp_path / "other"))
    with pytest.raises(KeyRingError, match="holds another PDF-signing CA"):
        IssuerKeys.from_settings(Settings(data_dir=tmp_path / "other", signing_keys=first.export_secret()))
