"""Text a person types that is printed or published must read as it was typed: bidi controls
(U+202E RIGHT-TO-LEFT OVERRIDE printed "Batik" as "kitaB" on a signed PDF) and the other
invisible formatting characters (Unicode category Cf: zero-width spaces and joiners, the BOM,
word joiners, …) and the line and paragraph separators are refused, naming each one found.
"""

from __future__ import annotations

import unicodedata

from certify.core.text import Text

REFUSED_CATEGORIES = ("Cf", "Zl", "Zp")


def invisible(text: str) -> list[str]:
    """The refused characters of `text`, as `U+202E RIGHT-TO-LEFT OVERRIDE`, each once, in order."""
    found: list[str] = []
    for character in text:
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            name = f"U+{ord(character):04X} {unicodedata.name(character, 'FORMAT CHARACTER')}"
            if name not in found:
                found.append(name)
    return found


def refusal(field: str, text: str) -> Text | None:
    """Why `text`, typed as `field`, is refused; None when it prints as typed."""
    found = invisible(text)
    if not found:
        return None
    listed = ", ".join(found)
    return Text(
        en=f"{field} contains invisible formatting characters that would change how it prints ({listed}): "
        "type it again without them",
        id=f"{field} berisi karakter format tak terlihat yang mengubah cara teks dicetak ({listed}): "
        "ketik ulang tanpa karakter itu",
    )
