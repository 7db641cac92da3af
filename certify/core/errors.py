"""Why an input is refused.

    CertifyError                 every expected failure; carries what a person needs to fix it
    ├── RuleError                a standard file is wrong (raised when it is loaded, never when scoring)
    └── InspectionRefused        an inspection cannot be scored against a standard as submitted

Each holds a list of `Problem`s so that one refusal names every offender at once.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong: where (`path` into the input), which criterion if any, and what."""

    message: str
    path: tuple[str | int, ...] = ()
    criterion: str | None = None

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.path)
        prefix = f"{self.criterion}: " if self.criterion else ""
        return f"{prefix}{where + ': ' if where else ''}{self.message}"


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
