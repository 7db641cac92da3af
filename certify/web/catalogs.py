"""Keep the gettext catalogs in step with the code: `python -m certify.web.catalogs`.

Extracts every string of `certify/web/`, `templates/pages/` and the certificate (Babel), merges them into the
Indonesian `.po` (new strings arrive untranslated, marked for a translator) and compiles the
`.mo` that the pages load. Run from a checkout, after changing any page text.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from certify.web.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "indonesian": None}


def extract(root: Path = ROOT) -> Catalog:
    """Every msgid the pages use, with where it is used."""
    catalog = Catalog(project="certify", domain=DOMAIN)
    for folder, pattern in (
        ("certify/web", "**.py"),
        ("templates/pages", "**.html"),
        ("templates", "certificate.html"),
    ):
        method = "python" if pattern.endswith(".py") else "jinja2"
        for filename, line, message, comments, context in extract_from_dir(
            root / folder,
            method_map=[(pattern, method)],
            keywords=KEYWORDS,
            options_map={pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else None,
        ):
            catalog.add(message, locations=[(f"{folder}/{filename}", line)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="certify")
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update(language: str = "id") -> Catalog:
    catalog = read(language)
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, omit_header=False)
    po_path(language).parent.mkdir(parents=True, exist_ok=True)
    po_path(language).write_bytes(out.getvalue())
    po_path(language).with_suffix(".mo").write_bytes(compiled(catalog))
    return catalog


if __name__ == "__main__":
    catalog = update()
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{len(catalog)} messages, {len(missing)} without a translation")
    for message in missing:
        print(f"  {message!r}")
