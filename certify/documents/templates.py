"""The certificate's HTML, from the Jinja2 templates in the top-level `templates/` folder."""

from datetime import date
from functools import cache
from pathlib import Path

import segno
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
