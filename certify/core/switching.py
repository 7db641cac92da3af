"""ISO 2859-1 switching rules (clause 9): how severe the inspection of the next lot is, from the
lot history of one holder's product under one standard.

- Inspection starts at normal (9.1).
- Normal → tightened (9.3.1): 2 lots out of 5 or fewer consecutive ones not accepted on original
  inspection.
- Tightened → normal (9.3.2): 5 consecutive lots accepted on original inspection.
- Normal → reduced (9.3.3) needs a switching score of at least 30 (single sampling: +3 for a lot
  that an AQL one step tighter would also have accepted when Ac >= 2, +2 for an accepted lot when Ac
  is 0 or 1, back to 0 otherwise) AND steady production AND the approval of the responsible
  authority. This service cannot know the last two, so it never switches to reduced on its own:
  the rule says so, with the score.
- Discontinuation (9.4): 5 lots not accepted (in total) while on tightened inspection: the
  inspection of this product stops until the producer has acted.

A lot's record says what happened to it; the answer says the severity of the next lot and the
rule that decided it, in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from certify.core.text import Text

Severity = Literal["normal", "tightened", "discontinued"]


@dataclass(frozen=True, slots=True)
class LotRecord:
    """One earlier lot, oldest first: whether it was accepted, the Ac of its (major) plan, and
    whether it would also have been accepted at an AQL one step tighter."""

    accepted: bool
    accept_number: int = 0
    accepted_one_step_tighter: bool = False


@dataclass(frozen=True, slots=True)
class Switching:
    severity: Severity
    rule: Text
    switching_score: int  # ISO 2859-1 9.3.3 (counted on normal inspection)


REDUCED_NEEDS_APPROVAL = 30


def next_inspection(history: Sequence[LotRecord]) -> Switching:
    """The severity of the next lot's inspection after `history` (oldest first), and why."""
    severity: Severity = "normal"
    recent: list[bool] = []  # acceptances under the present severity, newest last
    score = 0
    rejected_on_tightened = 0
    rule: Text | None = FIRST_LOT  # None: the normal rule with the score as it ends (made once, below)
    for lot in history:
        if severity == "discontinued":
            break
        recent.append(lot.accepted)
        if severity == "normal":
            score = _score_after(score, lot)
            if recent[-5:].count(False) >= 2:
                severity, recent, score, rejected_on_tightened = "tightened", [], 0, 0
                rule = TIGHTENED
                continue
            rule = None
        else:
            rejected_on_tightened += not lot.accepted
            if rejected_on_tightened >= 5:
                severity, rule = "discontinued", DISCONTINUED
            elif len(recent) >= 5 and all(recent[-5:]):
                severity, recent, score = "normal", [], 0
                rule = BACK_TO_NORMAL
            else:
                rule = STILL_TIGHTENED
    return Switching(severity, _normal_rule(score) if rule is None else rule, score)


def _score_after(score: int, lot: LotRecord) -> int:
    if lot.accept_number >= 2:
        return score + 3 if lot.accepted_one_step_tighter else 0
    return score + 2 if lot.accepted else 0


def _normal_rule(score: int) -> Text:
    if score >= REDUCED_NEEDS_APPROVAL:
        return Text(
            en=f"Normal inspection: switching score {score} would allow reduced inspection (ISO 2859-1 9.3.3), "
            "but that also needs steady production and the responsible authority's approval, which this "
            "service does not record; normal inspection is kept.",
            id=f"Pemeriksaan normal: skor pengalihan {score} memungkinkan pemeriksaan dikurangi (ISO 2859-1 "
            "9.3.3), tetapi itu juga memerlukan produksi yang stabil dan persetujuan otoritas yang berwenang, "
            "yang tidak dicatat layanan ini; pemeriksaan normal dipertahankan.",
        )
    return Text(
        en=f"Normal inspection: fewer than 2 of the last 5 lots rejected; switching score {score} (ISO 2859-1 9.3).",
        id=f"Pemeriksaan normal: kurang dari 2 dari 5 lot terakhir ditolak; skor pengalihan {score} (ISO 2859-1 9.3).",
    )


FIRST_LOT = Text(
    en="Normal inspection: no earlier lot of this product under this standard (ISO 2859-1 9.1).",
    id="Pemeriksaan normal: belum ada lot sebelumnya untuk produk ini dengan standar ini (ISO 2859-1 9.1).",
)
TIGHTENED = Text(
    en="Tightened inspection: 2 of the last 5 or fewer consecutive lots were not accepted (ISO 2859-1 9.3.1).",
    id="Pemeriksaan diperketat: 2 dari 5 lot berturut-turut terakhir atau kurang tidak diterima (ISO 2859-1 9.3.1).",
)
STILL_TIGHTENED = Text(
    en="Tightened inspection continues until 5 consecutive lots are accepted (ISO 2859-1 9.3.2).",
    id="Pemeriksaan diperketat berlanjut sampai 5 lot berturut-turut diterima (ISO 2859-1 9.3.2).",
)
BACK_TO_NORMAL = Text(
    en="Back to normal inspection: 5 consecutive lots accepted under tightened inspection (ISO 2859-1 9.3.2).",
    id="Kembali ke pemeriksaan normal: 5 lot berturut-turut diterima pada pemeriksaan diperketat (ISO 2859-1 9.3.2).",
)
DISCONTINUED = Text(
    en="Inspection discontinued: 5 lots not accepted under tightened inspection (ISO 2859-1 9.4); no lot of "
    "this product can be accepted until the producer has improved it and the inspection resumes at tightened.",
    id="Pemeriksaan dihentikan: 5 lot tidak diterima pada pemeriksaan diperketat (ISO 2859-1 9.4); tidak ada lot "
    "produk ini yang dapat diterima sampai produsen memperbaikinya dan pemeriksaan dilanjutkan secara diperketat.",
)
