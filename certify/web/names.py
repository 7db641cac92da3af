"""What the pages call the codes they show, in the page's language: a standard by its title and
version, a grade by its title, a fact's value, a product category and a craft by their titles.

A code no installed standard names (a standard uninstalled since, a craft typed freely) is shown
as written, underscores as spaces: never an error on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from certify.core.errors import CertifyError
from certify.core.explain import unit_id
from certify.core.standard import Standard
from certify.core.text import Text
from certify.rulebook.titles import craft as shared_craft
from certify.services import titles
from certify.services.standards import Standards
from certify.web.i18n import Language


@dataclass(frozen=True, slots=True)
class Names:
    standards: Standards
    language: Language

    def _say(self, text: Text) -> str:
        return text.id if self.language == "id" else text.en

    def unit(self, unit: str) -> str:
        """A unit of measure in the page's language ("% of limit": "% dari batas")."""
        return unit_id(unit) if self.language == "id" else unit

    def _find(self, ref: str, version: str | None = None) -> Standard | None:
        wanted = f"{ref}@{version}" if version and "@" not in ref else ref
        try:
            return self.standards.get(wanted)
        except (CertifyError, KeyError, LookupError):
            return None

    def standard(self, ref: str, version: str | None = None) -> str:
        """`wood@2026.1` (or `wood`, `2026.1`): "Kerajinan kayu (…) versi 2026.1"."""
        found = self._find(ref, version)
        shown_version = version or (ref.partition("@")[2] if "@" in ref else None)
        if found is None:
            return ref if shown_version is None or "@" in ref else f"{ref} {shown_version}"
        word = "versi" if self.language == "id" else "version"
        return f"{self._say(found.title)} {word} {shown_version or found.version}"

    def standard_name(self, standard_id: str) -> str:
        """A standard by its title, whatever the version (`wood`: "Kerajinan kayu (…)")."""
        found = self._find(standard_id)
        return standard_id if found is None else self._say(found.title)

    def grade(self, ref: str, grade: str | None, version: str | None = None) -> str:
        """A grade by its title under the standard (`utama`: "Utama", "Premium")."""
        if not grade:
            return "—"
        found = self._find(ref, version)
        title = next((g.title for g in found.grades if g.id == grade), None) if found is not None else None
        return self._say(title) if title is not None else grade.replace("_", " ")

    def value(self, ref: str, fact: str, value: Any, version: str | None = None) -> str:
        """A fact's value as its standard titles it (yes/no, numbers with the decimal comma)."""
        return self._say(titles.fact_value(self._find(ref, version), fact, value))

    def attribute(self, ref: str, version: str, attribute: dict[str, Any]) -> str:
        """A certified attribute's value as the signed record states it; a record signed before
        values had titles states the codes in both languages alike (`kain panjang`), and those
        are read again by their titles (the record itself is left as signed)."""
        value = attribute.get("value") or {}
        if value.get("en") != value.get("id") or "fact" not in attribute:
            return str(value.get(self.language) or value.get("en") or "")
        found = self._find(ref, version)
        parts = [part.strip() for part in str(value.get("en", "")).split(",")]
        codes = [part.replace(" ", "_") for part in parts]
        if found is None or not all(found.value_title(attribute["fact"], code) for code in codes):
            return str(value.get("en", ""))
        return ", ".join(self.value(ref, attribute["fact"], code, version) for code in codes)

    def category(self, ref: str, category: str, version: str | None = None) -> str:
        return self._say(titles.category_title(self._find(ref, version), category))

    def product_category(self, category: str) -> str:
        """A product's category under whichever installed standard covers it."""
        for standard in reversed(self.standards.standards()):
            if category in standard.product_categories:
                return self._say(titles.category_title(standard, category))
        return category.replace("_", " ")

    def craft(self, code: str) -> str:
        found = titles.craft_title(self.standards.standards(), code)
        if found.en == found.id == code.replace("_", " "):
            found = shared_craft(code) or found
        return self._say(found)
