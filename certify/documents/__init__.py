"""The certificate PDF: bilingual page, QR code, signed record attached, PAdES signature.

- `render_certificate_pdf(*, certificate, attachment, verify_url) -> bytes` (unsigned, PDF/A-3b)
- `sign_pdf(pdf, *, key_dir) -> bytes`, `ca_pem(key_dir) -> bytes` (the CA to publish)
- `Renderer` (a process pool: `await renderer.render_signed(...)`)
- `check_pdf_signature(pdf, ca_pem) -> PdfSignatureCheck`, `extract_attachment(pdf)`
"""

from certify.documents.attachment import extract_attachment
from certify.documents.check import PdfSignatureCheck, check_pdf_signature
from certify.documents.pdf_ca import ca_pem
from certify.documents.pool import Renderer, render_signed_certificate_pdf
from certify.documents.render import ATTACHMENT_NAME, render_certificate_pdf
from certify.documents.signature import sign_pdf
from certify.documents.templates import templates_dir
from certify.documents.view import CategoryScores, CertificateView

__all__ = [
    "ATTACHMENT_NAME",
    "CategoryScores",
    "CertificateView",
    "PdfSignatureCheck",
    "Renderer",
    "ca_pem",
    "check_pdf_signature",
    "extract_attachment",
    "render_certificate_pdf",
    "render_signed_certificate_pdf",
    "sign_pdf",
    "templates_dir",
]
