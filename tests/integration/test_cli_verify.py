"""`certify verify` and `certify keys`: a buyer checks a PDF with nothing but the public keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.cli import main
from certify.cli import verify as verify_cli
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.store.database import Database
from tests import hostile_pdfs
from tests.api.conftest import World, build_world
from tests.api.test_certificates import issue
from tests.api.test_lifecycle import act


def run(*argv: str) -> int:
    """`certify …` as the shell runs it: its exit status."""
    return main(list(argv))


@pytest.fixture
def service(database: Database, rulebook: Rulebook, tmp_path: Path) -> Iterator[tuple[TestClient, World]]:
    with TestClient(create_app(Settings(data_dir=tmp_path / "server"), database=database, rulebook=rulebook)) as client:
        yield client, build_world(database)


@pytest.fixture
def files(service: tuple[TestClient, World], rulebook: Rulebook, tmp_path: Path) -> tuple[str, Path, Path]:
    """An issued certificate's ID, its PDF and the published JWKS, saved as a buyer would (with
    the PDF CA beside it, as ca.pem)."""
    client, world = service
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(client.get(f"/api/v1/certificates/{certificate_id}/pdf", headers=world["artisan"].headers).content)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(client.get("/.well-known/jwks.json").text)
    (tmp_path / "ca.pem").write_bytes(client.get("/.well-known/certify-ca.pem").content)
    return certificate_id, pdf, jwks


def test_the_issued_pdf_passes_every_offline_check(
    files: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0; record signature, key, PDF signature and log inclusion valid; status unknown."""
    certificate_id, pdf, jwks = files
    assert run("verify", str(pdf), "--keys", str(jwks), "--ca", str(jwks.parent / "ca.pem")) == 0
    out = capsys.readouterr().out
    assert certificate_id in out and "authentic: yes" in out
    checks = {line[2:24].strip(): line[25:33].strip() for line in out.splitlines() if line.startswith("  ")}
    assert checks == {
        "record signature": "valid",
        "key valid at issuance": "valid",
        "log inclusion": "valid",
        "PDF signature": "valid",
        "status": "unknown",
    }


def test_a_changed_or_appended_pdf_fails_offline(
    files: tuple[str, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One byte changed, or bytes appended: exit 1, the PDF signature invalid."""
    _, pdf, jwks = files
    content = pdf.read_bytes()
    position = content.index(b"\n") + 2
    for name, forged in (
        ("changed", content[:position] + bytes([content[position] ^ 1]) + content[position + 1 :]),
        ("appended", content + b"\n% more\n"),
    ):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(forged)
        assert run("verify", str(path), "--keys", str(jwks)) == 1, name
        assert "authentic: no" in capsys.readouterr().out


def test_keys_of_another_issuer_do_not_verify(
    files: tuple[str, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A JWKS exported by another installation: the record signature is invalid, exit 1."""
    _, pdf, _ = files
    monkeypatch.setenv("CERTIFY_DATA_DIR", str(tmp_path / "elsewhere"))
    from certify.config import settings

    settings.cache_clear()
    try:
        assert run("keys", "export") == 0
        other = tmp_path / "other.json"
        other.write_text(capsys.readouterr().out)
    finally:
        settings.cache_clear()
    assert run("verify", str(pdf), "--keys", str(other)) == 1
    assert "record signature       invalid" in capsys.readouterr().out


def test_with_the_server_the_status_is_checked(
    service: tuple[TestClient, World],
    files: tuple[str, Path, Path],
) -> None:
    """Online: the issued-PDF hash and the status are checked; a suspension fails the check."""
    client, world = service
    certificate_id, pdf, _ = files
    jwks, ca = verify_cli.fetch_keys(client)
    content = pdf.read_bytes()
    outcome = verify_cli.check_pdf(content, jwks=jwks, ca_pem=ca, server=client)
    assert outcome.authentic and outcome.passed
    assert outcome.result("issued PDF") == "valid" and outcome.result("status") == "valid"
    act(client, world, certificate_id, "suspend")
    suspended = verify_cli.check_pdf(content, jwks=jwks, ca_pem=ca, server=client)
    assert suspended.authentic and not suspended.passed and suspended.result("status") == "invalid"


def test_usage_errors_exit_2(files: tuple[str, Path, Path], tmp_path: Path) -> None:
    """No key source, both sources, or an unreadable file: exit 2."""
    _, pdf, jwks = files
    assert run("verify", str(pdf)) == 2
    assert run("verify", str(pdf), "--keys", str(jwks), "--server", "http://127.0.0.1:1") == 2
    assert run("verify", str(tmp_path / "missing.pdf"), "--keys", str(jwks)) == 2


def test_rotating_keys_keeps_old_certificates_verifiable_offline(
    files: tuple[str, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`certify keys rotate` in the server's data dir; the new JWKS still verifies the old PDF."""
    _, pdf, _ = files
    monkeypatch.setenv("CERTIFY_DATA_DIR", str(tmp_path / "server"))
    from certify.config import settings

    settings.cache_clear()
    try:
        assert run("keys", "rotate") == 0
        said = capsys.readouterr().out
        assert "new signing key" in said and "new PDF signer" in said
        assert run("keys", "export") == 0
        exported = capsys.readouterr().out
        assert run("keys", "export-ca") == 0
        ca = tmp_path / "exported-ca.pem"
        ca.write_text(capsys.readouterr().out)
    finally:
        settings.cache_clear()
    okp = [k for k in json.loads(exported)["keys"] if k["kty"] == "OKP"]
    assert len(okp) == 2
    rotated = tmp_path / "rotated.json"
    rotated.write_text(exported)
    assert run("verify", str(pdf), "--keys", str(rotated), "--ca", str(ca)) == 0


@pytest.mark.parametrize(
    "attachment",
    [b"<< /Type /EmbeddedFile >>", b"[1 2 3]", b"(a string)"],
    ids=["a dictionary", "an array", "a string"],
)
def test_a_pdf_whose_record_is_no_file_is_not_authentic_offline_without_a_traceback(
    files: tuple[str, Path, Path], tmp_path: Path, attachment: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same hostile files the server refuses: offline, exit 1 and "authentic: no" (the CLI
    reads the record through the same function as the server's upload readers)."""
    _, _, jwks = files
    path = tmp_path / "hostile.pdf"
    path.write_bytes(hostile_pdfs.with_attachment(attachment))
    assert run("verify", str(path), "--keys", str(jwks)) == 1
    printed = capsys.readouterr()
    assert "authentic: no" in printed.out and "Traceback" not in printed.err
