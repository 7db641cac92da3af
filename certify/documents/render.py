"""Certificate HTML to PDF with WeasyPrint: one A4 page, PDF/A-3b, the signed record attached.

Deterministic: WeasyPrint writes the same bytes for the same input as long as no date is taken
from the clock, so the creation and modification dates (of the document and of the attachment)
are the decision's instant, and nothing is fetched from outside `templates/`.
"""

import re
from datetime import UTC, datetime, time
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pydyf  # type: ignore[import-untyped]
import weasyprint.pdf.fonts  # type: ignore[import-untyped]
from weasyprint import CSS, HTML, Attachment
from weasyprint.css import ColorProfile  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from certify.documents import fit
from certify.documents.fetcher import LocalOnlyFetcher
from certify.documents.templates import certificate_html, templates_dir
from certify.documents.view import CertificateView

ATTACHMENT_NAME = "certificate-record.json"
ATTACHMENT_DESCRIPTION = "Rekaman sertifikat yang ditandatangani / Signed certificate record"
PDF_VARIANT = "pdf/a-3b"
STYLESHEET = "certificate.css"
OUTPUT_INTENT = "srgb-profile"
"""Our name for WeasyPrint's sRGB profile: naming it "srgb" makes WeasyPrint reopen the ICC file
for every page and leave it unclosed (a ResourceWarning); we load it once, and close it."""


class _FrozenProfile(ColorProfile):  # type: ignore[misc]
    """An ICC profile whose PDF bytes are taken once: littleCMS rewrites a profile it has used
    (3024 bytes become 3116), which would make every render after the first differ."""

    def __init__(self, path: Traversable) -> None:
        with path.open("rb") as profile:
            super().__init__(profile, path.name, "relative-colorimetric", (["r"], ["g"], ["b"]))
        self._content: bytes = super().content

    @property
    def content(self) -> bytes:
        return self._content


_ONCE: dict[type, type] = {}


def _compressed_once(kind: type) -> type:
    """`kind` of PDF stream, its bytes made (and compressed) once and kept."""
    if kind not in _ONCE:

        def data(self: Any) -> bytes:
            made: bytes | None = self.__dict__.get("_certify_data")
            if made is None:
                made = self.__dict__["_certify_data"] = kind.data.fget(self)  # type: ignore[attr-defined]
            return made

        _ONCE[kind] = type(f"Once{kind.__name__}", (kind,), {"data": property(data)})
    return _ONCE[kind]


def _compress_streams_once(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: pydyf compresses every stream again to compute the file identifier
    PDF/A asks for (an MD5 of every object), a tenth of writing the file; the same bytes, once."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream):
            item.__class__ = _compressed_once(type(item))


_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's cffi FFI, as its font subsetter uses it: `new("hb_codepoint_t[431]", glyphs)`
    names a new C type for every count of glyphs, and cffi parses each new type with pycparser
    (2 to 5 ms, twice per font, so most certificates paid it: their texts differ). The same array
    is made from the open type `hb_codepoint_t[]`, parsed once, and the glyphs given."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: str, init: Any = None) -> Any:
        sized = _SIZED_ARRAY.fullmatch(cdecl)
        if sized is not None and init is not None and len(init) == int(sized[2]):
            cdecl = f"{sized[1]}[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


if not isinstance(weasyprint.pdf.fonts.ffi, _OpenArrays):
    weasyprint.pdf.fonts.ffi = _OpenArrays(weasyprint.pdf.fonts.ffi)


def issued_at(certificate: CertificateView) -> datetime:
    """The instant a certificate's PDF states as its creation: the decision's (a view without
    it, as in a test of the page alone: midnight UTC of the decision's day)."""
    if certificate.decided_at is not None:
        return certificate.decided_at.astimezone(UTC).replace(microsecond=0)
    return datetime.combine(certificate.decided_on, time(0, 0), tzinfo=UTC)


class PdfEngine:
    """One font configuration, one parsed stylesheet and one fetcher, reused for every page.

    No `cache=` dict is shared: WeasyPrint's image cache would keep every QR code ever drawn.
    """

    def __init__(self, root: Path) -> None:
        self.fetcher = LocalOnlyFetcher(root)
        self.font_config = FontConfiguration()
        self.base_url = root.resolve().as_uri() + "/"
        self.stylesheet = CSS(
            string=(root / STYLESHEET).read_text(encoding="utf-8"),
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )
        self.srgb = _FrozenProfile(files("weasyprint.pdf") / "sRGB2014.icc")

    def layout(self, html: str) -> Any:
        """`html` laid out in pages (a WeasyPrint Document), not yet written."""
        return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            font_config=self.font_config, color_profiles={OUTPUT_INTENT: self.srgb}, **self._options()
        )

    def write(self, document: Any, *, attachment: bytes, created: datetime) -> bytes:
        """`document` as a PDF/A-3b file carrying `attachment`, dated `created`."""
        record = Attachment(
            string=attachment,
            name=ATTACHMENT_NAME,
            description=ATTACHMENT_DESCRIPTION,
            created=created,
            modified=created,
            relationship="Data",
            url_fetcher=self.fetcher,
        )
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = stamp
        document.metadata.modified = stamp
        pdf: bytes = document.write_pdf(attachments=[record], finisher=_compress_streams_once, **self._options())
        return pdf

    def pdf(self, html: str, *, attachment: bytes, created: datetime) -> bytes:
        """`html` as a PDF/A-3b file carrying `attachment`, however many pages it takes."""
        return self.write(self.layout(html), attachment=attachment, created=created)

    def _options(self) -> dict[str, Any]:
        return {"stylesheets": [self.stylesheet], "pdf_variant": PDF_VARIANT, "output_intent": OUTPUT_INTENT}


class CertificateTooLong(ValueError):
    """The certificate's texts do not fit on one page, even set compactly."""


@cache
def engine() -> PdfEngine:
    """This process's engine (fonts and stylesheet loaded once)."""
    return PdfEngine(templates_dir())


def render_certificate_pdf(*, certificate: CertificateView, attachment: bytes, verify_url: str) -> bytes:
    """The unsigned certificate PDF, one page: same inputs, same bytes.

    Long texts (a cooperative's full name, a long standard title) are set compactly rather than
    spill onto a second page; if even that does not fit, `CertificateTooLong` is raised. The
    usual setting is not tried when the certificate's outline is known not to fit in it
    (`certify.documents.fit`): the page is laid out once.
    """
    overflows = fit.learned(certificate)
    if not overflows:
        document = _laid_out(certificate, verify_url, compact=False)
        if len(document.pages) == 1:
            return engine().write(document, attachment=attachment, created=issued_at(certificate))
        if overflows is None:
            shape = _laid_out(fit.outline(certificate), fit.OUTLINE_URL, compact=False)
            fit.remember(certificate, outline_overflows=len(shape.pages) > 1)
    document = _laid_out(certificate, verify_url, compact=True)
    if len(document.pages) == 1:
        return engine().write(document, attachment=attachment, created=issued_at(certificate))
    raise CertificateTooLong(f"certificate {certificate.certificate_id} does not fit on one A4 page")


def _laid_out(certificate: CertificateView, verify_url: str, *, compact: bool) -> Any:
    return engine().layout(certificate_html(certificate=certificate, verify_url=verify_url, compact=compact))
