"""The service's own PDF-signing CA: created on first use in the key directory, files 0600.

Layout (`<key_dir>/pdf-ca/`): `ca.pem`, `ca-key.pem` (a self-signed ECDSA P-256 CA) and
`signer.pem`, `signer-key.pem` (the ECDSA P-256 certificate PDFs are signed with, issued by the
CA). The four files are written into a private temporary folder that is then renamed into place,
so two processes starting at once both end up with the same, complete set.

Another machine needs the CA certificate and the signer (`SHARED_FILES`), never the CA's own
key: `exported` reads them for `certify keys export-secret`, and `install` puts them into that
machine's key directory, refusing one that already holds a different CA.

Certificates are signed with the decision date as signing time, and a decision may be older than
the keys (a certificate re-issued after a migration); the CA and the signer therefore claim
validity from a fixed early date (`VALID_FROM`) rather than from the day they were made.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CA_FOLDER = "pdf-ca"
SHARED_FILES = ("ca.pem", "signer.pem", "signer-key.pem")
CA_NAME = "PDF CA"
SIGNER_NAME = "certificate signing"
UNNAMED = "certify (issuer not named)"  # a CA made by signing alone, as in a test
ORGANISATION_MAX = 64  # RFC 5280's upper bound for an organization name
VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
CA_VALID_UNTIL = datetime(2060, 1, 1, tzinfo=UTC)
SIGNER_VALID_UNTIL = datetime(2050, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PdfSigningKeys:
    """The CA certificate, and the signing certificate and key it vouches for."""

    ca_certificate: x509.Certificate
    signer_certificate: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey


def _name(organisation: str, common_name: str) -> x509.Name:
    if len(organisation) > ORGANISATION_MAX:
        organisation = organisation[: ORGANISATION_MAX - 1].rstrip() + "…"
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def organisation(certificate: x509.Certificate) -> str | None:
    """The organisation a CA or signer certificate names (the issuer's name), or None."""
    names = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else None


def _ca_certificate(key: ec.EllipticCurvePrivateKey, issuer: str) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(issuer, CA_NAME))
        .issuer_name(_name(issuer, CA_NAME))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(CA_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _signer_certificate(
    key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(organisation(ca) or UNNAMED, SIGNER_NAME))
        .issuer_name(ca.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(SIGNER_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_private(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


class PdfCaError(ValueError):
    """The PDF-signing CA given to this machine is unusable or differs from the one it has."""


def _create(folder: Path, issuer: str) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _ca_certificate(ca_key, issuer)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _signer_certificate(signer_key, ca, ca_key)
    _write_folder(
        folder,
        {
            "ca-key.pem": _key_pem(ca_key),
            "ca.pem": ca.public_bytes(serialization.Encoding.PEM),
            "signer-key.pem": _key_pem(signer_key),
            "signer.pem": signer.public_bytes(serialization.Encoding.PEM),
        },
    )


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """`folder` holding `files` (0600), complete or not at all, even with two processes at once."""
    staging = Path(tempfile.mkdtemp(prefix=".pdf-ca-", dir=folder.parent))  # mode 0700
    try:
        for name, content in files.items():
            _write_private(staging / name, content)
        staging.rename(folder)
    except OSError:
        if not (folder / "signer.pem").is_file():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _folder(key_dir: Path, issuer: str = UNNAMED) -> Path:
    folder = key_dir / CA_FOLDER
    if not (folder / "signer.pem").is_file():
        key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create(folder, issuer)
    return folder


def existing_ca(key_dir: Path) -> x509.Certificate | None:
    """The CA certificate in `key_dir`, or None when there is none yet."""
    path = key_dir / CA_FOLDER / "ca.pem"
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.is_file() else None


def pdf_signing_keys(key_dir: Path) -> PdfSigningKeys:
    """The CA and signing certificate in `key_dir` (made on first use)."""
    folder = _folder(key_dir)
    key = serialization.load_pem_private_key((folder / "signer-key.pem").read_bytes(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{folder / 'signer-key.pem'} is not an EC private key")
    return PdfSigningKeys(
        ca_certificate=x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes()),
        signer_certificate=x509.load_pem_x509_certificate((folder / "signer.pem").read_bytes()),
        signer_key=key,
    )


def exported(key_dir: Path) -> dict[str, str]:
    """The CA certificate and the signer's certificate and key, for another machine's `install`."""
    folder = _folder(key_dir)
    return {name: (folder / name).read_text("ascii") for name in SHARED_FILES}


def install(key_dir: Path, files: object) -> None:
    """Put the CA and signer `exported` by another machine into `key_dir`; nothing to do when it
    holds them already. A different CA there, or files that do not parse, raise PdfCaError."""
    if (
        not isinstance(files, dict)
        or sorted(files) != sorted(SHARED_FILES)
        or not all(isinstance(text, str) for text in files.values())
    ):
        raise PdfCaError(f"pdf_ca must hold exactly {', '.join(SHARED_FILES)}")
    try:
        x509.load_pem_x509_certificate(files["ca.pem"].encode())
        x509.load_pem_x509_certificate(files["signer.pem"].encode())
        serialization.load_pem_private_key(files["signer-key.pem"].encode(), None)
    except ValueError as error:
        raise PdfCaError(f"pdf_ca does not hold PEM certificates and a key: {error}") from error
    folder = key_dir / CA_FOLDER
    if not (folder / "signer.pem").is_file():
        key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_folder(folder, {name: text.encode("ascii") for name, text in files.items()})
    if any((folder / name).read_text("ascii") != files[name] for name in SHARED_FILES):
        raise PdfCaError(
            f"{folder} holds another PDF-signing CA than the one given: remove it, or"
            " export the secret from the machine that made it"
        )


def ca_pem(key_dir: Path, issuer: str = UNNAMED) -> bytes:
    """The CA certificate (PEM) to publish at /.well-known/certify-ca.pem; made on first use,
    naming `issuer` (the service passes its CERTIFY_ISSUER_NAME)."""
    return (_folder(key_dir, issuer) / "ca.pem").read_bytes()
