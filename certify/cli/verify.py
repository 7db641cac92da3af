"""`certify verify FILE.pdf [--keys JWKS.json | --server URL] [--ca CA.pem]`: check a certificate
PDF, printing each check.

Offline (`--keys`, e.g. from `certify keys export` or `/.well-known/jwks.json`): the embedded
record's Ed25519 signature against the keys, that key being the issuer's at the decision, the
PDF's own signature (intact, chaining to the issuer's CA, covering the whole file: the CA comes
from the JWKS or `--ca`) and, when the PDF carries one, its proof of inclusion in the public log.
The status cannot be known offline and says "unknown". With `--server` the keys and the CA are
fetched from the issuer, and two more checks are made there: the file is the PDF issued (its
SHA-256), and the certificate's status today.

Exit status: 0 when the PDF is authentic and no check failed; 1 when it is not authentic or a
check failed (e.g. a suspended certificate); 2 for a usage error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from certify.cli import UsageError
from certify.documents import check_pdf_signature, extract_attachment
from certify.proofs import Check, attachment_parts, ca_pem_from_jwks, embedded_inclusion, signed_record_checks


@dataclass
class Outcome:
    """Every check made, in order, and the verdict."""

    certificate_id: str | None = None
    checks: list[tuple[str, Check, str]] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)  # what the signed record says it covers

    def add(self, name: str, result: Check, detail: str = "") -> None:
        self.checks.append((name, result, detail))

    def result(self, name: str) -> Check | None:
        return next((r for n, r, _ in self.checks if n == name), None)

    @property
    def authentic(self) -> bool:
        essential = ("record signature", "key valid at issuance", "PDF signature")
        return all(self.result(name) == "valid" for name in essential) and self.result("issued PDF") != "invalid"

    @property
    def passed(self) -> bool:
        return self.authentic and all(result != "invalid" for _, result, _ in self.checks)


def register(subparsers: Any) -> None:
    verify = subparsers.add_parser(
        "verify", help="check a certificate PDF: genuine, unaltered, logged (offline), and current (with --server)"
    )
    verify.add_argument("pdf", type=Path, metavar="FILE.pdf")
    source = verify.add_mutually_exclusive_group(required=True)
    source.add_argument("--keys", type=Path, metavar="JWKS.json", help="the issuer's published keys (offline)")
    source.add_argument("--server", metavar="URL", help="the issuer's address, e.g. https://certify.example.id")
    verify.add_argument("--ca", type=Path, metavar="CA.pem", help="the issuer's PDF CA, if the JWKS lacks it")
    verify.set_defaults(run=_run)


def check_pdf(
    pdf: bytes,
    *,
    jwks: Mapping[str, object],
    ca_pem: bytes | None,
    server: httpx.Client | None = None,
) -> Outcome:
    """Every check of `pdf`; `server` (an HTTP client of the issuer) adds the issued-PDF and status checks."""
    outcome = Outcome()
    attachment = extract_attachment(pdf) if pdf.startswith(b"%PDF-") else None
    parts = attachment_parts(attachment) if attachment is not None else None
    if parts is None:
        outcome.add("record signature", "invalid", "the file carries no certificate record")
        outcome.add("key valid at issuance", "unknown", "no record")
    else:
        record, signature, proof = parts
        outcome.certificate_id = str(record.get("certificate_id"))
        outcome.covered = covered_lines(record)
        signed, key = signed_record_checks(record=record, signature=signature, jwks=jwks)
        outcome.add("record signature", signed, f"key {record.get('key_id')}")
        outcome.add("key valid at issuance", key, f"decided {record.get('decided_at')}")
        inclusion = embedded_inclusion(proof, certificate_id=outcome.certificate_id, record=record, jwks=jwks)
        outcome.add("log inclusion", inclusion, "proof embedded in the PDF" if proof else "no proof embedded")
    if ca_pem is None:
        outcome.add("PDF signature", "unknown", "no CA: use a JWKS that holds it, or --ca")
    else:
        check = check_pdf_signature(pdf, ca_pem)
        outcome.add("PDF signature", "valid" if check.valid else "invalid", check.reason.en)
    if server is None or outcome.certificate_id is None:
        outcome.add("status", "unknown", "offline: use --server to learn the status today")
        return outcome
    answer = server.get(f"/api/v1/certificates/{urllib.parse.quote(outcome.certificate_id, safe='')}")
    if answer.status_code != 200:
        outcome.add("issued PDF", "invalid", f"the issuer knows no such certificate ({answer.status_code})")
        outcome.add("status", "invalid", "not issued")
        return outcome
    found = answer.json()
    same = found.get("pdf_sha256") == hashlib.sha256(pdf).hexdigest()
    outcome.add(
        "issued PDF",
        "valid" if same else "invalid",
        "SHA-256 matches the issued PDF" if same else "SHA-256 differs from the issued PDF",
    )
    status = str(found.get("status"))
    outcome.add("status", "valid" if status == "valid" else "invalid", status)
    return outcome


def covered_lines(record: dict[str, Any]) -> list[str]:
    """The lot, the inspection and every evidence hash a format-2 record names (none for older)."""
    lot = record.get("lot")
    if not isinstance(lot, dict):
        return []
    lines = [f"lot: {lot.get('code')}, {lot.get('quantity')} pieces, inspected {record.get('inspected_on')}"]
    sample, defects = record.get("sample"), record.get("defects") or {}
    if isinstance(sample, dict):
        found = "/".join(str(defects.get(k)) for k in ("critical", "major", "minor"))
        lines.append(f"sample: {sample.get('size')} pieces drawn {sample.get('drawn_at')}; defects {found}")
    evidence = record.get("evidence") or {}
    for photo in evidence.get("photos", []):
        lines.append(f"evidence photo ({photo.get('of')}): sha256 {photo.get('sha256')}")
    for report in evidence.get("lab_reports", []):
        lines.append(
            f"evidence lab report {report.get('report_number')} ({report.get('laboratory')}): sha256 {report.get('sha256')}"
        )
    return lines


def report(outcome: Outcome) -> str:
    lines = [f"certificate: {outcome.certificate_id or '-'}"]
    lines += [f"  {name:<22} {result:<8} {detail}".rstrip() for name, result, detail in outcome.checks]
    lines += [f"covers {line}" for line in outcome.covered]
    lines.append(f"authentic: {'yes' if outcome.authentic else 'no'}")
    return "\n".join(lines)


def fetch_keys(server: httpx.Client) -> tuple[dict[str, Any], bytes | None]:
    """The issuer's JWKS and PDF CA."""
    jwks: dict[str, Any] = server.get("/.well-known/jwks.json").raise_for_status().json()
    ca = ca_pem_from_jwks(jwks)
    if ca is None:
        answer = server.get("/.well-known/certify-ca.pem")
        ca = answer.content if answer.status_code == 200 else None
    return jwks, ca


def _run(args: argparse.Namespace) -> int:
    try:
        pdf = args.pdf.read_bytes()
    except OSError as error:
        raise UsageError(f"certify verify: cannot read {args.pdf}: {error.strerror}") from error
    given_ca = _read(args.ca, "CA") if args.ca else None
    if args.keys is not None:
        try:
            jwks = json.loads(_read(args.keys, "keys"))
        except ValueError as error:
            raise UsageError(f"certify verify: {args.keys} is not JSON") from error
        if not isinstance(jwks, dict):
            raise UsageError(f"certify verify: {args.keys} is not a JWKS")
        outcome = check_pdf(pdf, jwks=jwks, ca_pem=given_ca or ca_pem_from_jwks(jwks))
    else:
        try:
            with httpx.Client(base_url=args.server, timeout=15, follow_redirects=True) as server:
                jwks, ca = fetch_keys(server)
                outcome = check_pdf(pdf, jwks=jwks, ca_pem=given_ca or ca, server=server)
        except httpx.HTTPError as error:
            print(f"certify verify: cannot reach {args.server}: {error}")
            return 1
    print(report(outcome))
    return 0 if outcome.passed else 1


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"certify verify: cannot read the {what} file {path}: {error.strerror}") from error
