"""The service's own PDF-signing CA: created on first use in the key directory, files 0600.

Layout (`<key_dir>/pdf-ca/`): `ca.pem`, `ca-key.pem` (a self-signed ECDSA P-256 CA) and
`signer.pem`, `signer-key.pem` (the ECDSA P-256 certificate PDFs are signed with, issued by the
CA). The four files are written into a private temporary folder that is then renamed into place,
so two processes starting at once both end up with the same, complete set.

Another machine needs the CA certificate and the signer (`SHARED_FILES`), never the CA's own
key: `exported` reads them for `certify keys export-secret`, and `install` puts them into that
machine's key directory, refusing one that already holds a different CA.

What an auditor checks (`CaPolicy`): both certificates name the issuer (CERTIFY_ISSUER_NAME), are
valid from the moment they were made, the CA for 10 years and the signer for 2 (configurable);
the CA may only sign certificates and CRLs, the signer only sign documents (digital signature,
non-repudiation); the signer names the CRL's stable URL (`/.well-known/certify-ca.crl`), a CRL the
CA signs (`ca.crl`, DER, made with the CA and again whenever the signer rotates or it nears its
next update). `rotate_signer` (run by `certify keys rotate`) makes a new signer under the same CA
and keeps the old certificate in `signers/`: PDFs signed before still chain to the CA.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
CRL_FILE = "ca.crl"
CRL_DAYS = 30  # a CRL's next update; remade when a week of it is left
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class CaPolicy:
    """How a new CA and signer are made: whom they name, for how long, where the CRL is."""

    issuer: str = UNNAMED
    crl_url: str | None = None
    ca_years: int = 10
    signer_years: int = 2


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


def _ca_certificate(key: ec.EllipticCurvePrivateKey, policy: CaPolicy, now: datetime) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(policy.issuer, CA_NAME))
        .issuer_name(_name(policy.issuer, CA_NAME))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + policy.ca_years * YEAR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _signer_certificate(
    key: ec.EllipticCurvePrivateKey,
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    policy: CaPolicy,
    now: datetime,
) -> x509.Certificate:
    public = key.public_key()
    until = min(now + policy.signer_years * YEAR, ca.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(organisation(ca) or UNNAMED, SIGNER_NAME))
        .issuer_name(ca.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if policy.crl_url:
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(policy.crl_url)],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def _crl(ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, now: datetime) -> bytes:
    """An empty CRL by the CA (no signer has been revoked: a rotated signer is retired, not
    revoked, so the PDFs it signed stay valid), DER."""
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now)
        .next_update(now + timedelta(days=CRL_DAYS))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.DER)


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


def _create(folder: Path, policy: CaPolicy) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _ca_certificate(ca_key, policy, now)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _signer_certificate(signer_key, ca, ca_key, policy, now)
    _write_folder(
        folder,
        {
            "ca-key.pem": _key_pem(ca_key),
            "ca.pem": ca.public_bytes(serialization.Encoding.PEM),
            "signer-key.pem": _key_pem(signer_key),
            "signer.pem": signer.public_bytes(serialization.Encoding.PEM),
            CRL_FILE: _crl(ca, ca_key, now),
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


def _folder(key_dir: Path, policy: CaPolicy | None = None) -> Path:
    folder = key_dir / CA_FOLDER
    if not (folder / "signer.pem").is_file():
        key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create(folder, policy or CaPolicy())
    return folder


def existing_ca(key_dir: Path) -> x509.Certificate | None:
    """The CA certificate in `key_dir`, or None when there is none yet."""
    path = key_dir / CA_FOLDER / "ca.pem"
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.is_file() else None


def pdf_signing_keys(key_dir: Path) -> PdfSigningKeys:
    """The CA and signing certificate in `key_dir` (made on first use); read again while a
    rotation is replacing the signer's two files, until they belong together."""
    folder = _folder(key_dir)
    for _attempt in range(50):
        key = serialization.load_pem_private_key((folder / "signer-key.pem").read_bytes(), None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError(f"{folder / 'signer-key.pem'} is not an EC private key")
        signer = x509.load_pem_x509_certificate((folder / "signer.pem").read_bytes())
        if signer.public_key() == key.public_key():
            break
    else:
        raise PdfCaError(f"{folder}: signer.pem and signer-key.pem do not belong together")
    return PdfSigningKeys(
        ca_certificate=x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes()),
        signer_certificate=signer,
        signer_key=key,
    )


def signer_version(key_dir: Path) -> int:
    """Changes whenever the signer is rotated (for caches of loaded keys)."""
    try:
        return (key_dir / CA_FOLDER / "signer.pem").stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _ca_key(folder: Path) -> ec.EllipticCurvePrivateKey:
    path = folder / "ca-key.pem"
    if not path.is_file():
        raise PdfCaError(
            f"{path} is not on this machine: rotate the PDF signer where the CA was made, then export the secret again"
        )
    key = serialization.load_pem_private_key(path.read_bytes(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PdfCaError(f"{path} is not an EC private key")
    return key


def _replace(path: Path, content: bytes) -> None:
    """`path` holding `content` (0600), replaced in one step."""
    staging = path.with_name(f".{path.name}.new")
    staging.unlink(missing_ok=True)
    _write_private(staging, content)
    staging.replace(path)


def rotate_signer(key_dir: Path, policy: CaPolicy) -> x509.Certificate:
    """A new signer key and certificate under the same CA (the CA's key must be here); the old
    certificate is kept in `signers/`, and a fresh CRL is signed. Returns the new certificate."""
    folder = _folder(key_dir, policy)
    ca_key = _ca_key(folder)
    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    old = x509.load_pem_x509_certificate((folder / "signer.pem").read_bytes())
    archive = folder / "signers"
    archive.mkdir(mode=0o700, exist_ok=True)
    (archive / f"{old.serial_number:x}.pem").write_bytes(old.public_bytes(serialization.Encoding.PEM))
    now = datetime.now(UTC).replace(microsecond=0)
    key = ec.generate_private_key(ec.SECP256R1())
    signer = _signer_certificate(key, ca, ca_key, policy, now)
    _replace(folder / "signer-key.pem", _key_pem(key))
    _replace(folder / "signer.pem", signer.public_bytes(serialization.Encoding.PEM))
    _replace(folder / CRL_FILE, _crl(ca, ca_key, now))
    return signer


def crl_der(key_dir: Path) -> bytes | None:
    """The CA's CRL (DER), signed again when less than a week of it is left and the CA's key is
    here; None on a machine that has neither a CRL nor the CA's key."""
    folder = key_dir / CA_FOLDER
    path = folder / CRL_FILE
    current = x509.load_der_x509_crl(path.read_bytes()) if path.is_file() else None
    now = datetime.now(UTC).replace(microsecond=0)
    due = current is None or (current.next_update_utc or now) - now < timedelta(days=7)
    if due and (folder / "ca-key.pem").is_file():
        ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
        _replace(path, _crl(ca, _ca_key(folder), now))
    return path.read_bytes() if path.is_file() else None


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


def ca_pem(key_dir: Path, policy: CaPolicy | None = None) -> bytes:
    """The CA certificate (PEM) to publish at /.well-known/certify-ca.pem; made on first use
    under `policy` (the service passes its CERTIFY_ISSUER_NAME, lifetimes and CRL address)."""
    return (_folder(key_dir, policy) / "ca.pem").read_bytes()
