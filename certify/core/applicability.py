"""Which criteria of a standard apply to an inspection's facts, before anything is measured:
what an inspection form asks for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certify.core.compiled import compiled
from certify.core.standard import CATEGORIES, Criterion, Standard


def applicable_criteria(standard: Standard, facts: Mapping[str, Any]) -> list[Criterion]:
    """The criteria that apply to `facts`, by category (in the standard's order), then by id.

    The facts may be incomplete or wrong (a form being filled in): facts the standard does not
    declare are ignored, and a criterion whose condition cannot be read on the others is counted
    as applying (scoring the inspection decides, and says why).
    """
    book = compiled(standard)
    checked = {name: book.fact_checks[name](value) for name, value in facts.items() if name in book.fact_checks}
    found = []
    for item in sorted(book.criteria, key=lambda i: (CATEGORIES.index(i.criterion.category), i.id)):
        try:
            applies = item.applies is None or bool(item.applies(checked))
        except Exception:  # an unforeseen fact value: show the criterion; scoring decides
            applies = True
        if applies:
            found.append(item.criterion)
    return found
