"""The sample an inspector draws from a lot: how many pieces, under which code letter.

The plans come from `certify.core.compiled.lot_plans`, the one place that maps (standard, lot size)
to the ISO 2859-1 plans (where switching between normal, tightened and reduced inspection will
choose the plan). One sample serves every defect class, so it is as large as the largest plan's,
capped at the lot. Drawing the pieces needs a random source: that is the shell's
(`certify.services.sampling`); checking a drawn sample is pure, here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from certify.core.compiled import compiled, lot_plans
from certify.core.standard import Standard


@dataclass(frozen=True, slots=True)
class SampleSize:
    lot_size: int
    code_letter: str
    size: int  # pieces to draw: at most the lot


def sample_size(standard: Standard, lot_size: int) -> SampleSize:
    """How many pieces to draw from a lot of `lot_size` under `standard` (ValueError: no such lot)."""
    plans = lot_plans(compiled(standard), lot_size)
    return SampleSize(lot_size, plans[0].code_letter, max(plan.pieces_to_inspect for plan in plans))


def drawn_fits(pieces: Sequence[int], sample: SampleSize) -> bool:
    """Whether `pieces` is a sample of `sample.size` distinct piece numbers within 1..lot size."""
    return len(pieces) == sample.size == len(set(pieces)) and all(1 <= p <= sample.lot_size for p in pieces)
