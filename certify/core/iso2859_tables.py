"""ISO 2859-1 normal inspection, single sampling: Table 1 and Table 2-A as Python literals.

ISO 2859-1 Table 1 (sample size code letters) and Table 2-A (single sampling plans, normal
inspection), which carry the same master tables as ANSI/ASQ Z1.4 Tables I and II-A and the
public-domain MIL-STD-105E (10 May 1989). Transcribed once, by a script, from the project's
cross-checked reference `tests/data/iso2859-1-normal-single.json` (its `sources` and `confidence`
say which independent copies agree); `tests/unit/test_sampling.py` compares every cell with it.
Plain source from here on: the core reads no file.

`PLANS` is the RAW Table 2-A, arrows as printed: "down" means use the first sampling plan below
the arrow, "up" the first plan above it (its sample size AND its Ac/Re). `certify.core.sampling`
follows the arrows.
"""

from typing import Final, Literal

Arrow = Literal["down", "up"]
Cell = tuple[int, int] | Arrow
"""One cell of Table 2-A: (Ac, Re), or an arrow to follow."""

LotRange = tuple[int, int | None, str]
"""(lot_min, lot_max or None for "and over", code letter); bounds inclusive."""

# Laid out like the printed tables, so a reader can check them against the standard.
# fmt: off
CODE_LETTERS: Final[dict[str, tuple[LotRange, ...]]] = {
    "I": (
        (2, 8, "A"), (9, 15, "A"), (16, 25, "B"), (26, 50, "C"), (51, 90, "C"), (91, 150, "D"),
        (151, 280, "E"), (281, 500, "F"), (501, 1200, "G"), (1201, 3200, "H"), (3201, 10000, "J"),
        (10001, 35000, "K"), (35001, 150000, "L"), (150001, 500000, "M"), (500001, None, "N"),
    ),
    "II": (
        (2, 8, "A"), (9, 15, "B"), (16, 25, "C"), (26, 50, "D"), (51, 90, "E"), (91, 150, "F"),
        (151, 280, "G"), (281, 500, "H"), (501, 1200, "J"), (1201, 3200, "K"), (3201, 10000, "L"),
        (10001, 35000, "M"), (35001, 150000, "N"), (150001, 500000, "P"), (500001, None, "Q"),
    ),
    "III": (
        (2, 8, "B"), (9, 15, "C"), (16, 25, "D"), (26, 50, "E"), (51, 90, "F"), (91, 150, "G"),
        (151, 280, "H"), (281, 500, "J"), (501, 1200, "K"), (1201, 3200, "L"), (3201, 10000, "M"),
        (10001, 35000, "N"), (35001, 150000, "P"), (150001, 500000, "Q"), (500001, None, "R"),
    ),
    "S-1": (
        (2, 8, "A"), (9, 15, "A"), (16, 25, "A"), (26, 50, "A"), (51, 90, "B"), (91, 150, "B"),
        (151, 280, "B"), (281, 500, "B"), (501, 1200, "C"), (1201, 3200, "C"), (3201, 10000, "C"),
        (10001, 35000, "C"), (35001, 150000, "D"), (150001, 500000, "D"), (500001, None, "D"),
    ),
    "S-2": (
        (2, 8, "A"), (9, 15, "A"), (16, 25, "A"), (26, 50, "B"), (51, 90, "B"), (91, 150, "B"),
        (151, 280, "C"), (281, 500, "C"), (501, 1200, "C"), (1201, 3200, "D"), (3201, 10000, "D"),
        (10001, 35000, "D"), (35001, 150000, "E"), (150001, 500000, "E"), (500001, None, "E"),
    ),
    "S-3": (
        (2, 8, "A"), (9, 15, "A"), (16, 25, "B"), (26, 50, "B"), (51, 90, "C"), (91, 150, "C"),
        (151, 280, "D"), (281, 500, "D"), (501, 1200, "E"), (1201, 3200, "E"), (3201, 10000, "F"),
        (10001, 35000, "F"), (35001, 150000, "G"), (150001, 500000, "G"), (500001, None, "H"),
    ),
    "S-4": (
        (2, 8, "A"), (9, 15, "A"), (16, 25, "B"), (26, 50, "C"), (51, 90, "C"), (91, 150, "D"),
        (151, 280, "E"), (281, 500, "E"), (501, 1200, "F"), (1201, 3200, "G"), (3201, 10000, "G"),
        (10001, 35000, "H"), (35001, 150000, "J"), (150001, 500000, "J"), (500001, None, "K"),
    ),
}
"""Inspection level -> lot-size ranges (ascending) -> sample size code letter."""

SAMPLE_SIZES: Final[dict[str, int]] = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50, "J": 80, "K": 125, "L": 200,
    "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000,
}
"""Code letter (A..R, no I or O) -> sample size n of that row."""

PLANS: Final[dict[str, dict[str, Cell]]] = {
    "0.10": {
        "A": "down", "B": "down", "C": "down", "D": "down", "E": "down", "F": "down", "G": "down",
        "H": "down", "J": "down", "K": (0, 1), "L": "up", "M": "down", "N": (1, 2), "P": (2, 3),
        "Q": (3, 4), "R": (5, 6),
    },
    "0.15": {
        "A": "down", "B": "down", "C": "down", "D": "down", "E": "down", "F": "down", "G": "down",
        "H": "down", "J": (0, 1), "K": "up", "L": "down", "M": (1, 2), "N": (2, 3), "P": (3, 4),
        "Q": (5, 6), "R": (7, 8),
    },
    "0.25": {
        "A": "down", "B": "down", "C": "down", "D": "down", "E": "down", "F": "down", "G": "down",
        "H": (0, 1), "J": "up", "K": "down", "L": (1, 2), "M": (2, 3), "N": (3, 4), "P": (5, 6),
        "Q": (7, 8), "R": (10, 11),
    },
    "0.40": {
        "A": "down", "B": "down", "C": "down", "D": "down", "E": "down", "F": "down", "G": (0, 1),
        "H": "up", "J": "down", "K": (1, 2), "L": (2, 3), "M": (3, 4), "N": (5, 6), "P": (7, 8),
        "Q": (10, 11), "R": (14, 15),
    },
    "0.65": {
        "A": "down", "B": "down", "C": "down", "D": "down", "E": "down", "F": (0, 1), "G": "up",
        "H": "down", "J": (1, 2), "K": (2, 3), "L": (3, 4), "M": (5, 6), "N": (7, 8), "P": (10, 11),
        "Q": (14, 15), "R": (21, 22),
    },
    "1.0": {
        "A": "down", "B": "down", "C": "down", "D": "down", "E": (0, 1), "F": "up", "G": "down",
        "H": (1, 2), "J": (2, 3), "K": (3, 4), "L": (5, 6), "M": (7, 8), "N": (10, 11),
        "P": (14, 15), "Q": (21, 22), "R": "up",
    },
    "1.5": {
        "A": "down", "B": "down", "C": "down", "D": (0, 1), "E": "up", "F": "down", "G": (1, 2),
        "H": (2, 3), "J": (3, 4), "K": (5, 6), "L": (7, 8), "M": (10, 11), "N": (14, 15),
        "P": (21, 22), "Q": "up", "R": "up",
    },
    "2.5": {
        "A": "down", "B": "down", "C": (0, 1), "D": "up", "E": "down", "F": (1, 2), "G": (2, 3),
        "H": (3, 4), "J": (5, 6), "K": (7, 8), "L": (10, 11), "M": (14, 15), "N": (21, 22),
        "P": "up", "Q": "up", "R": "up",
    },
    "4.0": {
        "A": "down", "B": (0, 1), "C": "up", "D": "down", "E": (1, 2), "F": (2, 3), "G": (3, 4),
        "H": (5, 6), "J": (7, 8), "K": (10, 11), "L": (14, 15), "M": (21, 22), "N": "up", "P": "up",
        "Q": "up", "R": "up",
    },
    "6.5": {
        "A": (0, 1), "B": "up", "C": "down", "D": (1, 2), "E": (2, 3), "F": (3, 4), "G": (5, 6),
        "H": (7, 8), "J": (10, 11), "K": (14, 15), "L": (21, 22), "M": "up", "N": "up", "P": "up",
        "Q": "up", "R": "up",
    },
    "10": {
        "A": "down", "B": "down", "C": (1, 2), "D": (2, 3), "E": (3, 4), "F": (5, 6), "G": (7, 8),
        "H": (10, 11), "J": (14, 15), "K": (21, 22), "L": "up", "M": "up", "N": "up", "P": "up",
        "Q": "up", "R": "up",
    },
}
"""AQL (percent) -> code letter -> (Ac, Re) or arrow, exactly as printed in Table 2-A."""
# fmt: on
