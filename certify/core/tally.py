"""Category sums packed into one integer, so that scoring adds one number per criterion.

Each category (in CATEGORIES order) has three sums: Σ weight × points of the criteria scored,
Σ weight of those criteria, and Σ weight of the optional ones not assessed. Each sum has 32 bits
of a 96-bit field, one field per category; Python integers do not overflow, and the linter keeps
weights and criteria few enough (`MAX_WEIGHT` × 100 points × `MAX_CRITERIA` = 10⁸ < 2³²) that no
sum spills into its neighbour.
"""

FIELD, CATEGORY = 32, 96
FAILED = 3 * CATEGORY
"""Above the categories: the count of knockouts failed."""
MASK = (1 << FIELD) - 1
MAX_WEIGHT = 1000
MAX_CRITERIA = 1000


def pack(slot: int, *, weighted: int, scored: int, skipped: int, failed: bool = False) -> int:
    return (((weighted << 2 * FIELD) | (scored << FIELD) | skipped) << (CATEGORY * slot)) | (failed << FAILED)
