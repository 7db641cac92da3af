"""ISO 2859-1 lot sampling: normal inspection, single sampling plans.

The lot size and the inspection level give a code letter (Table 1); the code letter and the AQL
give a plan (Table 2-A). Where Table 2-A prints an arrow, the plan of the first row below ("down")
or above ("up") the arrow is used: its sample size AND its Ac/Re. When the sample size reaches the
lot size, every piece is inspected (the Ac/Re of the plan still decide).

Every letter x AQL is resolved once, at import, from the raw table in `iso2859_tables`, so `plan()`
is a dict lookup and a bisect.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Final

from certify.core.iso2859_tables import CODE_LETTERS, PLANS, SAMPLE_SIZES

LEVELS: Final = tuple(CODE_LETTERS)
"""Inspection levels: general I, II (the usual one), III; special S-1..S-4."""
AQLS: Final = tuple(PLANS)
"""AQLs (percent) with a column in Table 2-A, smallest first."""
LETTERS: Final = tuple(SAMPLE_SIZES)
"""Code letters, smallest sample first."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What to inspect in one lot, and how many defects of one class the lot may have."""

    code_letter: str  # the lot's code letter (from lot size and level)
    plan_letter: str  # the row whose plan is used after following arrows
    sample_size: int  # n of the plan used (may exceed the lot size)
    accept: int  # Ac: the lot is accepted with at most this many defects in the sample
    reject: int  # Re: the lot is rejected with this many or more
    inspect_all: bool  # True when sample_size >= lot size: every piece is inspected
    lot_size: int

    @property
    def pieces_to_inspect(self) -> int:
        """How many pieces the inspector takes: the sample, or the whole lot if it is smaller."""
        return min(self.sample_size, self.lot_size)

    def accepts(self, found: int) -> bool:
        """Whether the lot passes with `found` defects of this class in the sample."""
        if found < 0:
            raise ValueError(f"defects found must be 0 or more, got {found}")
        return found <= self.accept


Resolved = tuple[str, int, int, int]
"""(plan letter, sample size, Ac, Re) once the arrows are followed."""


def _resolve(aql: str, letter: str) -> Resolved:
    """Follow the arrows of Table 2-A from `letter` in the `aql` column to the plan to use."""
    column = PLANS[aql]
    row = LETTERS.index(letter)
    cell = column[letter]
    step = 1 if cell == "down" else -1
    while isinstance(cell, str):
        row += step
        if not 0 <= row < len(LETTERS):
            raise ValueError(f"AQL {aql}: the arrow at code letter {letter} leads off the table")
        cell = column[LETTERS[row]]
    used = LETTERS[row]
    return used, SAMPLE_SIZES[used], cell[0], cell[1]


_RESOLVED: Final[dict[str, dict[str, Resolved]]] = {
    aql: {letter: _resolve(aql, letter) for letter in LETTERS} for aql in AQLS
}

_LOT_MINIMUMS: Final[dict[str, tuple[tuple[int, ...], tuple[str, ...]]]] = {
    # The first range starts at 1, not 2: a lot of a single piece takes the first row's letter.
    level: ((1, *(low for low, _, _ in rows[1:])), tuple(letter for _, _, letter in rows))
    for level, rows in CODE_LETTERS.items()
}


def _lot_letter(lot_size: int, level: str) -> str:
    if type(lot_size) is not int or lot_size < 1:
        raise ValueError(f"lot size must be a whole number of pieces, at least 1; got {lot_size!r}")
    try:
        minimums, letters = _LOT_MINIMUMS[level]
    except KeyError:
        raise ValueError(f"inspection level {level!r} is unknown; use one of {', '.join(LEVELS)}") from None
    return letters[bisect_right(minimums, lot_size) - 1]


def code_letter(lot_size: int, level: str = "II") -> str:
    """The sample size code letter of a lot (ISO 2859-1 Table 1)."""
    return _lot_letter(lot_size, level)


def plan(lot_size: int, level: str = "II", aql: str = "2.5") -> Plan:
    """The normal single sampling plan for a lot at an AQL, arrows followed (Table 2-A)."""
    letter = _lot_letter(lot_size, level)
    try:
        used, n, ac, rej = _RESOLVED[aql][letter]
    except KeyError:
        raise ValueError(f"AQL {aql!r} is not in ISO 2859-1's table; use one of {', '.join(AQLS)}") from None
    return Plan(letter, used, n, ac, rej, n >= lot_size, lot_size)


def critical_plan(lot_size: int, level: str = "II") -> Plan:
    """The plan for critical defects: none allowed (Ac 0, Re 1) in the code letter's sample."""
    letter = _lot_letter(lot_size, level)
    n = SAMPLE_SIZES[letter]
    return Plan(letter, letter, n, 0, 1, n >= lot_size, lot_size)


def one_step_tighter(aql: str) -> str | None:
    """The next smaller AQL of Table 2-A (None below 0.10)."""
    index = AQLS.index(aql)
    return AQLS[index - 1] if index else None
