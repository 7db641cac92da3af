"""What the pages call a standard's codes: titles in the page's language, never the code, and the
code as written (never an error) when no installed standard names it."""

from __future__ import annotations

from certify.rulebook import Rulebook
from certify.web.names import Names


def test_a_standard_and_its_grade_read_by_their_titles(rulebook: Rulebook) -> None:
    names = Names(rulebook, "id")
    assert names.standard("wood@2026.1") == "Kerajinan kayu (ukiran, mebel, peralatan rumah, mainan) versi 2026.1"
    assert names.standard("wood", "2026.1") == names.standard("wood@2026.1")
    assert Names(rulebook, "en").standard("wood@2026.1").endswith(" version 2026.1")
    assert names.grade("wood@2026.1", "utama") == "Utama"
    assert Names(rulebook, "en").grade("wood@2026.1", "utama") == "Premium"
    assert names.grade("wood@2026.1", None) == "—"


def test_values_categories_and_crafts_read_by_their_titles(rulebook: Rulebook) -> None:
    names = Names(rulebook, "id")
    assert names.value("wood@2026.1", "materials", ["solid_wood", "metal_fittings"]) == "kayu utuh, perlengkapan logam"
    assert names.value("wood@2026.1", "food_contact", True) == "ya"
    assert names.value("wood@2026.1", "package_mass_kg", 22.5) == "22,5"
    assert names.category("wood@2026.1", "toy") == "mainan"
    assert names.product_category("furniture") == "mebel"
    assert names.craft("wood") == "kerajinan kayu"
    assert Names(rulebook, "en").craft("weaving") == "handweaving"


def test_a_record_signed_before_values_had_titles_reads_by_them(rulebook: Rulebook) -> None:
    """Its attribute states the codes in both languages alike: the page reads them by their titles."""
    old = {"fact": "materials", "value": {"en": "solid wood, metal fittings", "id": "solid wood, metal fittings"}}
    assert Names(rulebook, "id").attribute("wood", "2026.1", old) == "kayu utuh, perlengkapan logam"
    new = {"fact": "materials", "value": {"en": "solid wood", "id": "kayu utuh"}}
    assert Names(rulebook, "en").attribute("wood", "2026.1", new) == "solid wood"
    number = {"fact": "package_mass_kg", "value": {"en": "22", "id": "22"}}
    assert Names(rulebook, "id").attribute("wood", "2026.1", number) == "22"


def test_a_code_no_installed_standard_names_is_shown_as_written(rulebook: Rulebook) -> None:
    names = Names(rulebook, "id")
    assert names.standard("gone@2025.1") == "gone@2025.1"
    assert names.standard("gone", "2025.1") == "gone 2025.1"
    assert names.grade("gone@2025.1", "top_grade") == "top grade"
    assert names.product_category("sarung_typo") == "sarung typo"
    assert names.craft("glass_blowing") == "glass blowing"
