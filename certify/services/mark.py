"""The certification mark: an SVG and a PNG badge for a valid certificate (scheme, grade,
certificate ID, and a QR code to its verify page), made from the certificate's current data on
every request, never stored nor editable. A certificate that is not valid has no mark: the
answer is a 409 saying why, and the verify page a stale badge leads to says it plainly."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

import segno
from PIL import Image, ImageDraw, ImageFont

from certify.core.text import Text
from certify.services.calendar import day_of
from certify.services.errors import Conflict
from certify.services.verification import VerificationResult

MIN_WIDTH, MAX_WIDTH = 300, 1200  # a marketplace listing's thumbnail … a printed hang-tag at 300 dpi
HEIGHT_RATIO = 1.3  # the badge is 10:13, portrait: QR above, words below


@dataclass(frozen=True, slots=True)
class Mark:
    certificate_id: str
    scheme: str  # the certification body's scheme name
    standard: str  # the standard's Indonesian title
    grade: str  # the grade's Indonesian title
    grade_en: str
    valid_until: str
    verify_url: str


def mark_of(result: VerificationResult, *, verify_url: str, now: datetime) -> Mark:
    """The mark of a certificate as verified now; 409 when it is not valid today."""
    if result.status != "valid" or result.valid_until < day_of(now):
        status = result.status if result.status != "valid" else "expired"
        raise Conflict(
            Text(
                en=f"certificate {result.certificate_id} is {status}: it has no mark, and a mark already "
                "printed no longer stands for a valid certificate",
                id=f"sertifikat {result.certificate_id} berstatus {status}: tidak ada tanda untuknya, dan tanda "
                "yang sudah dicetak tidak lagi mewakili sertifikat yang berlaku",
            )
        )
    return Mark(
        certificate_id=result.certificate_id,
        scheme=result.issuer.name,
        standard=result.standard.title.id,
        grade=result.grade.title.id,
        grade_en=result.grade.title.en,
        valid_until=result.valid_until.isoformat(),
        verify_url=verify_url,
    )


def mark_svg(mark: Mark) -> str:
    """A 200×300 SVG badge (scales to any size): the QR code and the words under it."""
    qr = segno.make_qr(mark.verify_url, error="m", boost_error=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    path = qr.svg_inline(scale=1, border=4, omitsize=True, svgclass=None, lineclass=None)
    lines = _lines(mark)
    words = "".join(
        f'<text x="100" y="{y}" font-size="{size}" font-weight="{weight}" text-anchor="middle">{escape(text)}</text>'
        for text, y, size, weight in zip(
            lines, (212, 232, 250, 268, 288), (13, 11, 10, 10, 9), (700, 700, 400, 400, 400), strict=True
        )
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300" width="200" height="300" role="img" '
        f'aria-label="{escape(lines[0])} {escape(mark.certificate_id)}">'
        '<rect width="200" height="300" rx="10" fill="#ffffff" stroke="#1b5e20" stroke-width="4"/>'
        f'<svg x="10" y="10" width="180" height="180" viewBox="0 0 {modules} {modules}">{path}</svg>'
        f'<g font-family="DejaVu Sans, Arial, sans-serif" fill="#1b5e20">{words}</g></svg>'
    )


def mark_png(mark: Mark, *, width: int = MIN_WIDTH) -> bytes:
    """The badge as a PNG `width` pixels wide (300 … 1200), the QR code in whole pixels per module."""
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    height = int(width * HEIGHT_RATIO)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    edge = max(2, width // 75)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=width // 20, outline="#1b5e20", width=edge)
    qr = segno.make_qr(mark.verify_url, error="m", boost_error=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    scale = (width - 4 * edge) // modules
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    image.paste(code, ((width - code.width) // 2, 2 * edge))
    y = 2 * edge + code.height + edge
    for text, size in zip(_lines(mark), (0.065, 0.055, 0.05, 0.05, 0.045), strict=True):
        font = ImageFont.load_default(size=max(10, int(width * size)))
        draw.text((width // 2, y), text, fill="#1b5e20", font=font, anchor="mt")
        y += int(width * size * 1.35)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _lines(mark: Mark) -> tuple[str, str, str, str, str]:
    return (
        "Tersertifikasi · Certified",
        mark.scheme[:34],
        f"{mark.standard[:30]}",
        f"{mark.grade} · {mark.grade_en}"[:34],
        mark.certificate_id,
    )
