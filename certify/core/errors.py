"""Why an input is refused.

    CertifyError                 every expected failure; carries what a person needs to fix it
    ├── RuleError                a standard file is wrong (raised when it is loaded, never when scoring)
    │   └── RulebookError        (certify.rulebook.loader) every finding of the files loaded
    ├── InspectionRefused        an inspection cannot be scored against a standard as submitted
    ├── UnknownStandard          no standard of that id or version
    ├── CertificateIdError       (certify.core.certificate_id) a typed certificate ID is none
    │   ├── MalformedId          not the shape of an ID
    │   └── CheckMismatch        the check character does not match: probably a typo
    └── ServiceError             (certify.services.errors) a use case refused, with its HTTP
                                 status: the tree below it is drawn there

Each holds a list of `Problem`s so that one refusal names every offender at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.core.text import Text


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong: where (`path` into the input), which criterion if any, and what (in
    English; `text` has it in Indonesian too where an inspector may read it)."""

    message: str
    path: tuple[str | int, ...] = ()
    criterion: str | None = None
    text: Text | None = None

    @classmethod
    def told(cls, text: Text, path: tuple[str | int, ...] = (), criterion: str | None = None) -> Problem:
        return cls(text.en, path, criterion, text)

    def said(self, language: str = "en") -> str:
        """The problem in `language` ("id" or "en"), after where it is."""
        where = ".".join(str(part) for part in self.path)
        prefix = f"{self.criterion}: " if self.criterion else ""
        message = getattr(self.text, language) if self.text is not None else self.message
        return f"{prefix}{where + ': ' if where else ''}{message}"

    def __str__(self) -> str:
        return self.said("en")


class CertifyError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class RuleError(CertifyError):
    """A standard file is malformed or inconsistent."""


class InspectionRefused(CertifyError):
    """An inspection does not fit the standard it is scored against."""


class UnknownStandard(CertifyError):
    """No installed standard has that id (or that version)."""
