"""The PDF CA as an auditor checks it, with tools certify did not write: pdfsig (the signing time
is the true one), OpenSSL (the CRL), an RFC 3161 time-stamp authority run here."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from certify.app import create_app
from certify.config import Settings
from certify.documents import check_pdf_signature, render_certificate_pdf, sign_pdf
from certify.documents.pdf_ca import pdf_signing_keys
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests.api.conftest import World, build_world
from tests.api.test_certificates import issue
from tests.integration.test_documents import RECORD, VERIFY_URL, a_certificate
from tests.pdf_tools import local_tsa, pdfsig, pdfsig_signing_time

ISSUER = "Dewan Kerajinan Nasional Indonesia"
PUBLIC_URL = "https://sertifikat.example.id"


def service(database: Database, rulebook: Rulebook, data_dir: Path, **settings: object) -> TestClient:
    configured = Settings(data_dir=data_dir, issuer_name=ISSUER, public_url=PUBLIC_URL, **settings)  # type: ignore[arg-type]
    return TestClient(create_app(configured, database=database, rulebook=rulebook))


@pytest.fixture
def client(database: Database, rulebook: Rulebook, tmp_path: Path) -> Iterator[tuple[TestClient, World]]:
    with service(database, rulebook, tmp_path / "server") as client:
        yield client, build_world(database)


def issued_pdf(client: TestClient, world: World, rulebook: Rulebook) -> tuple[bytes, datetime]:
    certificate = issue(client, world, rulebook)
    pdf = client.get(f"/api/v1/certificates/{certificate['certificate_id']}/pdf", headers=world["admin"].headers)
    decided = datetime.fromisoformat(certificate["decision"]["decided_at"])
    return pdf.content, decided


def test_pdfsig_trusting_the_ca_shows_a_signing_time_within_a_minute_of_the_decision(
    client: tuple[TestClient, World], rulebook: Rulebook, tmp_path: Path
) -> None:
    """Not midnight of the decision day: the time the PDF was signed, seconds after deciding."""
    service_client, world = client
    pdf, decided = issued_pdf(service_client, world, rulebook)
    report = pdfsig(pdf, service_client.get("/.well-known/certify-ca.pem").content, tmp_path)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report, report
    signed = pdfsig_signing_time(report).replace(tzinfo=UTC)
    assert abs(signed - decided) < timedelta(minutes=1)


def test_the_ca_and_signer_name_the_issuer_with_sane_lifetimes_and_usages(
    client: tuple[TestClient, World],
) -> None:
    """CA: the issuer's name, 10 years from its making, certificate and CRL signing only. Signer:
    2 years, digital signature and non-repudiation, the CRL's stable URL."""
    service_client, _world = client
    keys = pdf_signing_keys(service_client.app.state.certify.keys.key_dir)  # type: ignore[attr-defined]
    ca, signer = keys.ca_certificate, keys.signer_certificate
    for certificate in (ca, signer):
        assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ISSUER
        assert abs(certificate.not_valid_before_utc - datetime.now(UTC)) < timedelta(minutes=5)
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days == 3650
    assert (signer.not_valid_after_utc - signer.not_valid_before_utc).days == 730
    ca_usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (ca_usage.key_cert_sign, ca_usage.crl_sign, ca_usage.digital_signature) == (True, True, False)
    usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (usage.digital_signature, usage.content_commitment, usage.key_cert_sign) == (True, True, False)
    points = signer.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert [name.value for point in points for name in point.full_name] == [f"{PUBLIC_URL}/.well-known/certify-ca.crl"]


def test_the_lifetimes_are_configurable(database: Database, rulebook: Rulebook, tmp_path: Path) -> None:
    """CERTIFY_PDF_CA_YEARS=5, CERTIFY_PDF_SIGNER_YEARS=1."""
    with service(database, rulebook, tmp_path, pdf_ca_years=5, pdf_signer_years=1) as client:
        keys = pdf_signing_keys(client.app.state.certify.keys.key_dir)  # type: ignore[attr-defined]
    assert (keys.ca_certificate.not_valid_after_utc - keys.ca_certificate.not_valid_before_utc).days == 1825
    assert (keys.signer_certificate.not_valid_after_utc - keys.signer_certificate.not_valid_before_utc).days == 365


def test_the_crl_at_its_stable_url_parses_with_openssl_and_verifies_under_the_ca(
    client: tuple[TestClient, World], tmp_path: Path
) -> None:
    """`openssl crl` reads it, names the issuer, and checks its signature against the CA."""
    service_client, _world = client
    (tmp_path / "ca.crl").write_bytes(service_client.get("/.well-known/certify-ca.crl").content)
    (tmp_path / "ca.pem").write_bytes(service_client.get("/.well-known/certify-ca.pem").content)
    done = subprocess.run(
        ["openssl", "crl", "-inform", "DER", "-in", str(tmp_path / "ca.crl"), "-noout", "-text",
         "-CAfile", str(tmp_path / "ca.pem")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "verify OK" in done.stderr + done.stdout
    assert f"O = {ISSUER}" in done.stdout and "No Revoked Certificates" in done.stdout
    assert "Next Update" in done.stdout


def test_rotating_the_signer_keeps_old_pdfs_valid_and_signs_new_ones_with_the_new_one(
    client: tuple[TestClient, World], rulebook: Rulebook
) -> None:
    """`keys rotate` gives the PDF signer a new key under the same CA; both PDFs check."""
    service_client, world = client
    keys = service_client.app.state.certify.keys  # type: ignore[attr-defined]
    old_pdf, _ = issued_pdf(service_client, world, rulebook)
    old_signer = pdf_signing_keys(keys.key_dir).signer_certificate
    _kid, new_signer = keys.rotate()
    assert new_signer is not None and new_signer.serial_number != old_signer.serial_number
    new_pdf, _ = issued_pdf(service_client, world, rulebook)
    for pdf, signer in ((old_pdf, old_signer), (new_pdf, new_signer)):
        check = check_pdf_signature(pdf, keys.ca_pem)
        assert check.valid, check.reason
        embedded = PdfFileReader(BytesIO(pdf)).embedded_signatures[0].signer_cert
        assert embedded.serial_number == signer.serial_number


def test_a_configured_time_stamp_authority_stamps_every_signature(
    database: Database, rulebook: Rulebook, tmp_path: Path
) -> None:
    """CERTIFY_TSA_URL: the issued PDF's signature carries the TSA's RFC 3161 token over its
    signature value; the PDF still checks; the TSA answered one request per PDF."""
    with local_tsa() as (url, answered), service(database, rulebook, tmp_path, tsa_url=url) as client:
        world = build_world(database)
        pdf, decided = issued_pdf(client, world, rulebook)
        ca = client.app.state.certify.keys.ca_pem  # type: ignore[attr-defined]
    assert len(answered) == 1
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    unsigned = signature.signer_info["unsigned_attrs"]
    tokens = [a for a in unsigned if a["type"].native == "signature_time_stamp_token"]
    assert len(tokens) == 1
    token: cms.ContentInfo = tokens[0]["values"][0]
    info = token["content"]["encap_content_info"]["content"].parsed
    stamped = info["gen_time"].native
    assert abs(stamped - decided) < timedelta(minutes=1)
    assert check_pdf_signature(pdf, ca).valid


def test_an_unreachable_time_stamp_authority_signs_nothing(tmp_path: Path) -> None:
    """The TSA does not answer: an error, never a PDF without the token it was to carry."""
    pdf = render_certificate_pdf(certificate=a_certificate(), attachment=RECORD, verify_url=VERIFY_URL)
    with pytest.raises(TimestampRequestError, match="time-stamp authority"):
        sign_pdf(pdf, key_dir=tmp_path / "keys", tsa_url="http://127.0.0.1:1/tsa")
