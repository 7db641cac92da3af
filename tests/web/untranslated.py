"""What an Indonesian page, the certificate's Indonesian lines and `--lang id` must not show: the
raw codes of the standards' values, and English words from a maintained list.

Text marked `lang="en"` (the English half of the bilingual certificate, the language switch's
"English") is left out before looking; so are the names people typed and the certificate IDs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from certify.rulebook import Rulebook

# English words that once showed on Indonesian pages, the PDF or the CLI (keep adding).
ENGLISH = (
    "True",
    "False",
    "None",
    "passed",
    "failed",
    "not_applicable",
    "not_assessed",
    "missing",
    "Passed",
    "Failed",
    "valid",
    "suspended",
    "withdrawn",
    "expired",
    "superseded",
    "of limit",
    "by weight",
    "of diameter",
    "threads/cm",
    "stitches/cm",
    "pieces",
    "Premium",
    "Materials",
    "materials",
    "Finish",
    "finish",
    "Packaging",
    "packaging",
    "criterion",
    "category",
    "points",
    "contrib",
    "reason",
    "weight",
    "score",
    "BELOW MINIMUM",
    "accepted",
    "REJECTED",
    "inspect",
    "found",
    "grade",
    "certified",
    "yes",
    "note",
    "version",
    "furniture",
    "toy",
    "wood",
    "cotton",
    "silk",
    "natural",
    "export",
    "domestic",
    "dinnerware",
    "Does not apply",
    "In the band",
)

# Codes that read the same in Indonesian as their code (a code equal to its Indonesian title).
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_/%]*(?: [a-z]+)?")


def value_codes(rulebook: Rulebook) -> set[str]:
    """Every value code of the installed standards that its Indonesian title does not spell."""
    codes = set()
    for standard in rulebook.standards():
        for name, fact in standard.facts.items():
            for value in fact.values:
                title = standard.value_title(name, value)
                if title is None or title.id.lower() != value.replace("_", " "):
                    codes.add(value)
    return codes


class _Visible(HTMLParser):
    """The text a reader sees, without scripts, styles and whatever is marked lang="en"."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            return
        if self._skipping or tag in ("script", "style", "template") or dict(attrs).get("lang") == "en":
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def untranslated(text: str, codes: set[str], *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The raw codes and listed English words in `text` (whole words), each once, in order."""
    for phrase in allowed:
        text = text.replace(phrase, " ")
    found: list[str] = []
    words = set(ENGLISH) | codes
    for word in sorted(words, key=lambda w: (-len(w), w)):
        pattern = r"(?<![\w@/.-])" + re.escape(word) + r"(?![\w/-])"
        if re.search(pattern, text):
            found.append(word)
    return found
