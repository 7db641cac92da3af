"""The certificate's HTML, from the Jinja2 templates in the top-level `templates/` folder."""

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from types import CodeType

import segno
import segno.encoder
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from certify.documents.view import CertificateView
from certify.locale import translations
from certify.resources import bundled_path

CERTIFICATE_TEMPLATE = "certificate.html"


def templates_dir() -> Path:
    """The templates folder: inside an installed wheel (`certify/_data/templates`) first, else the
    checkout's top-level `templates/`."""
    return bundled_path("templates")


def _score(value: str | None) -> str:
    """A score or a share as the record states it, with the decimal comma of the certificate's
    first language (Indonesian: "84,2"); "—" when nothing of it applied (never 0)."""
    return "—" if value is None else value.replace(".", ",")


def _long_date(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        auto_reload=False,
    )
    environment.filters["score"] = _score
    environment.filters["long_date"] = _long_date
    environment.globals["indonesian"] = translations("id").gettext  # the pages' catalog: one word for each thing
    return environment


_MASKS: dict[tuple[CodeType, int, int], tuple[int, ...]] = {}
_segno_apply_mask: Callable[..., None] = segno.encoder.apply_mask


def _apply_mask(
    matrix: Sequence[bytearray],
    mask_pattern: Callable[[int, int], int],
    width: int,
    height: int,
    is_encoding_region: Callable[[int, int], bool],
) -> None:
    """segno's `apply_mask`, the same modules flipped a row at a time: segno tries all eight masks
    on every code, module by module (a third of making one); which modules a mask flips depends
    on the symbol's size alone, so each mask is worked out once per size and kept (segno makes
    its eight mask functions anew for every code: they are told apart by their code)."""
    code = getattr(mask_pattern, "__code__", None)
    if code is None or getattr(mask_pattern, "__closure__", None) is not None:
        _segno_apply_mask(matrix, mask_pattern, width, height, is_encoding_region)
        return
    key = (code, width, height)
    rows = _MASKS.get(key)
    if rows is None:
        rows = _MASKS[key] = tuple(
            int.from_bytes(bytes(int(is_encoding_region(i, j) and mask_pattern(i, j)) for j in range(width)), "big")
            for i in range(height)
        )
    for row, flips in zip(matrix, rows, strict=True):
        row[:] = (int.from_bytes(row, "big") ^ flips).to_bytes(width, "big")


segno.encoder.apply_mask = _apply_mask


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url` (error correction M, quiet zone of 4 modules)."""
    code = segno.make_qr(url, error="m", boost_error=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None))  # noqa: S704 - segno's own SVG, the URL is encoded as modules


def certificate_html(*, certificate: CertificateView, verify_url: str, compact: bool = False) -> str:
    """The certificate page as HTML; every value is escaped, no value is a URL to fetch.

    `compact` sets everything smaller, for texts too long for the usual layout.
    """
    template = _environment().get_template(CERTIFICATE_TEMPLATE)
    return template.render(c=certificate, verify_url=verify_url, qr=qr_svg(verify_url), compact=compact)
