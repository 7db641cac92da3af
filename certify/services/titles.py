"""What a standard's codes read as, in both languages: fact values, product categories, crafts.

Every value of a standard has a title (linted: its file's `value_titles`, or the shared table for
the files published before them). A code no standard titles (a fact unknown to the standard, a
craft typed freely) is shown as written, underscores as spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from certify.core.standard import Standard
from certify.core.text import Text


def as_written(code: str) -> Text:
    words = code.replace("_", " ")
    return Text(en=words or "—", id=words or "—")


def value_title(standard: Standard | None, fact: str, value: str) -> Text:
    """The title of `value` of `fact` under `standard` (as written when it has none)."""
    found = standard.value_title(fact, value) if standard is not None else None
    return found if found is not None else as_written(value)


def category_title(standard: Standard | None, category: str) -> Text:
    """A product category as its standard titles it (`dinnerware`: "peralatan makan")."""
    return value_title(standard, "product_category", category)


def fact_value(standard: Standard | None, fact: str, value: Any) -> Text:
    """A fact's value as a person reads it: titles, yes/no, numbers with the language's decimal sign."""
    if isinstance(value, bool):
        return Text(en="yes", id="ya") if value else Text(en="no", id="tidak")
    if isinstance(value, list):
        if not value:
            return Text(en="none", id="tidak ada")
        titles = [value_title(standard, fact, str(item)) for item in value]
        return Text(en=", ".join(t.en for t in titles), id=", ".join(t.id for t in titles))
    if isinstance(value, int | float):
        shown = str(int(value)) if float(value).is_integer() else f"{value:g}"
        return Text(en=shown, id=shown.replace(".", ","))
    return value_title(standard, fact, str(value))


def craft_title(standards: Iterable[Standard], craft: str) -> Text:
    """A workshop's craft as the standards covering it title it (the newest version's title)."""
    found = None
    for standard in standards:
        found = standard.crafts.get(craft, found)
    return found if found is not None else as_written(craft)
