"""Every string of the pages has an Indonesian translation, and the shipped .mo matches the .po."""

from certify.web import catalogs


def test_every_page_string_is_translated_into_indonesian() -> None:
    """No msgid used in certify/web or templates/pages is missing from the Indonesian catalog."""
    translated = {m.id: m.string for m in catalogs.read("id") if m.id}
    missing = [m.id for m in catalogs.extract() if m.id and not translated.get(m.id)]
    assert missing == []


def test_the_compiled_catalog_is_up_to_date() -> None:
    """The .mo the pages load is the compilation of the .po (run `python -m certify.web.catalogs`)."""
    shipped = catalogs.po_path("id").with_suffix(".mo").read_bytes()
    assert shipped == catalogs.compiled(catalogs.read("id"))
