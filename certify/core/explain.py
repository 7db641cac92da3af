"""The words of an assessment, in Indonesian and English, fixed when a standard is compiled."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from certify.core.standard import AllOf, AnyOf, Band, Condition, Criterion, Fact, NotOf, Ranged, Variant
from certify.core.text import Text

CATEGORY_NAMES = {
    "materials": Text(en="materials", id="bahan"),
    "finish": Text(en="finish", id="hasil akhir"),
    "packaging": Text(en="packaging", id="kemasan"),
}
KNOCKOUT = Text(
    en=" This is a knockout criterion: the product cannot be certified.",
    id=" Ini kriteria gugur: produk tidak dapat disertifikasi.",
)


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def angka(value: float) -> str:
    """A number as Indonesian writes it: a decimal comma (`2,5`)."""
    return number(value).replace(".", ",")


# Every unit a standard measures in, English -> Indonesian (linted: a unit not here is an error).
UNITS: dict[str, str] = {
    "": "",
    "%": "%",
    "% of limit": "% dari batas",
    "% of diameter": "% dari diameter",
    "% by weight": "% berat",
    "°C": "°C",
    "‰": "‰",
    "areas": "area",
    "components": "komponen",
    "defects": "cacat",
    "joins": "sambungan",
    "mg/kg": "mg/kg",
    "mm": "mm",
    "mm/m": "mm/m",
    "pH units": "satuan pH",
    "pieces": "buah",
    "spots": "noda",
    "stitches/cm": "jahitan/cm",
    "threads/cm": "benang/cm",
    "µg/cm²/week": "µg/cm²/minggu",
    "µg/m³": "µg/m³",
}


def unit_id(unit: str) -> str:
    """A unit in Indonesian (as written when the table does not name it: lint refuses that)."""
    return UNITS.get(unit, unit)


# How each operator reads, in English and Indonesian.
_OPERATOR_WORDS = {
    "eq": ("is", "adalah"),
    "ne": ("is not", "bukan"),
    "in": ("is one of", "salah satu dari"),
    "not_in": ("is none of", "bukan salah satu dari"),
    "lt": ("<", "<"),
    "le": ("≤", "≤"),
    "gt": (">", ">"),
    "ge": ("≥", "≥"),
    "between": ("is between", "di antara"),
    "has": ("includes", "mencakup"),
    "has_any": ("includes any of", "mencakup salah satu dari"),
    "has_all": ("includes all of", "mencakup semua dari"),
}


def describe(condition: Condition, facts: Mapping[str, Fact]) -> Text:
    """A condition in words, naming facts by their titles: `Dyes is one of (natural, mixed)`."""
    return Text(en=_words(condition, facts, 0), id=_words(condition, facts, 1))


def _words(condition: Condition, facts: Mapping[str, Fact], lang: int) -> str:
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        joiner = (" and ", " dan ") if isinstance(condition, AllOf) else (" or ", " atau ")
        inner = joiner[lang].join(_words(part, facts, lang) for part in parts)
        return f"({inner})" if len(parts) > 1 else inner
    if isinstance(condition, NotOf):
        return ("not ", "bukan ")[lang] + _words(condition.not_, facts, lang)
    fact = facts.get(condition.fact)
    name = (fact.title.en, fact.title.id)[lang] if fact else condition.fact
    value = condition.value
    if isinstance(value, bool):
        shown = ("yes", "ya")[lang] if value else ("no", "tidak")[lang]
    elif isinstance(value, list):
        shown = "(" + ", ".join(_titled(fact, item, lang) for item in value) + ")"
    else:
        shown = _titled(fact, value, lang)
    return f"{name} {_OPERATOR_WORDS.get(condition.op, (condition.op, condition.op))[lang]} {shown}"


def _titled(fact: Fact | None, value: object, lang: int) -> str:
    """A value as its title reads (as written when the fact does not title it)."""
    title = fact.value_titles.get(str(value)) if fact is not None else None
    if title is None:
        return str(value) if lang == 0 or not isinstance(value, float) else angka(value)
    return (title.en, title.id)[lang]


def band_text(band: Band, unit: str) -> Text:
    return span(band.from_, band.to, unit)


def span(low: float, high: float | None, unit: str) -> Text:
    """`low–high unit`, `low unit` when they are equal, or `low unit or more` without a top;
    in Indonesian with a decimal comma and the unit's Indonesian name."""
    en_unit, id_unit = (f" {unit}", f" {unit_id(unit)}") if unit else ("", "")
    if high is None:
        return Text(en=f"{number(low)}{en_unit} or more", id=f"{angka(low)}{id_unit} atau lebih")
    if high == low:
        return Text(en=f"{number(low)}{en_unit}", id=f"{angka(low)}{id_unit}")
    return Text(en=f"{number(low)}–{number(high)}{en_unit}", id=f"{angka(low)}–{angka(high)}{id_unit}")


def band_rule(band: Band, measure: Ranged, pass_points: int) -> str:
    """The rule applied, in notation: `4–5 → 100 points; passes from 50`."""
    return f"{band_text(band, measure.unit).en} → {band.points} points; passes from {pass_points}"


def band_reason(band: Band, measure: Ranged, pass_points: int, knockout: bool) -> Text:
    where = band_text(band, measure.unit)
    if band.points >= pass_points:
        return Text(
            en=f"In the band {where.en}: {band.points} of 100 points; passes (needs {pass_points}).",
            id=f"Dalam rentang {where.id}: {band.points} dari 100 poin; lulus (perlu {pass_points}).",
        )
    return _failed(
        Text(
            en=f"In the band {where.en}: {band.points} of 100 points; fails (needs {pass_points}).",
            id=f"Dalam rentang {where.id}: {band.points} dari 100 poin; tidak lulus (perlu {pass_points}).",
        ),
        knockout,
    )


def pass_fail_reason(passed: bool, knockout: bool) -> Text:
    if passed:
        return Text(en="Yes: passes (100 points).", id="Ya: lulus (100 poin).")
    return _failed(Text(en="No: fails (0 points).", id="Tidak: tidak lulus (0 poin)."), knockout)


def _failed(text: Text, knockout: bool) -> Text:
    return Text(en=text.en + KNOCKOUT.en, id=text.id + KNOCKOUT.id) if knockout else text


def not_applicable(condition: Condition | None, facts: Mapping[str, Fact]) -> Text:
    """Why a criterion does not apply (one with no condition always applies: this is never shown)."""
    when = describe(condition, facts) if condition is not None else Text(en="never", id="tidak pernah")
    return Text(
        en=f"Does not apply: it applies only when {when.en}.", id=f"Tidak berlaku: hanya berlaku bila {when.id}."
    )


def not_applicable_when(criterion: Criterion, facts: Mapping[str, Fact]) -> Text:
    """Why a criterion does not apply: its condition, and the days it is in force when it has them."""
    dates = in_force(criterion.effective_from, criterion.effective_until)
    if dates is None:
        return not_applicable(criterion.applies_when, facts)
    if criterion.applies_when is None:
        return Text(en=f"Does not apply: it is in force {dates.en}.", id=f"Tidak berlaku: berlaku {dates.id}.")
    when = describe(criterion.applies_when, facts)
    return Text(
        en=f"Does not apply: it applies only when {when.en}, and is in force {dates.en}.",
        id=f"Tidak berlaku: hanya berlaku bila {when.id}, dan berlaku {dates.id}.",
    )


def in_force(start: object, end: object) -> Text | None:
    """`from 2026-08-06`, `until 2026-12-29`, `from … to …`; None when always in force."""
    if start is None and end is None:
        return None
    if end is None:
        return Text(en=f"from {start}", id=f"mulai {start}")
    if start is None:
        return Text(en=f"until {end}", id=f"sampai {end}")
    return Text(en=f"from {start} to {end}", id=f"dari {start} sampai {end}")


def variant_context(variant: Variant) -> Text:
    """What the bands of a variant are, e.g. `EU limit (REACH entry 77), in force from 2026-08-06`."""
    dates = in_force(variant.effective_from, variant.effective_until)
    if dates is None:
        return variant.label
    return Text(en=f"{variant.label.en}, in force {dates.en}", id=f"{variant.label.id}, berlaku {dates.id}")


def own_bands_context(criterion: Criterion) -> Text:
    del criterion  # the same words for every criterion with variants
    return Text(
        en="General limit (no market- or date-specific limit applies)",
        id="Batas umum (tidak ada batas khusus pasar atau tanggal yang berlaku)",
    )


def in_context(context: Text | None, rule: str) -> str:
    return rule if context is None else f"{context.en}: {rule}"


def reason_in_context(context: Text | None, reason: Text) -> Text:
    if context is None:
        return reason
    return Text(en=f"{context.en}. {reason.en}", id=f"{context.id}. {reason.id}")


def not_assessed(category: str) -> Text:
    name = CATEGORY_NAMES[category]
    return Text(
        en=f"Optional and not measured: left out; the {name.en} score is computed over the other criteria.",
        id=f"Opsional dan tidak diukur: tidak dihitung; skor {name.id} dihitung dari kriteria lainnya.",
    )


def knockout_failed(criterion: str, title: Text) -> Text:
    return Text(
        en=f"Knockout criterion {criterion} ({title.en}) failed.",
        id=f"Kriteria gugur {criterion} ({title.id}) tidak terpenuhi.",
    )


# The sentences an assessment adds (why not certified; how it was renormalised). They repeat
# from one inspection to the next, so each is made once.

_CLASS_ID = {"critical": "kritis", "major": "mayor", "minor": "minor"}

NOTHING_ASSESSED = Text(
    en="Nothing was assessed: no criterion applies to this product or was measured.",
    id="Tidak ada yang dinilai: tidak ada kriteria yang berlaku untuk produk ini atau yang diukur.",
)


@lru_cache(maxsize=4096)
def lot_rejected(defect_class: str, found: int, pieces: int, accept: int) -> Text:
    return Text(
        en=f"Lot rejected: {found} {defect_class} defects found in the sample of {pieces}; the plan accepts at most {accept}.",
        id=f"Lot ditolak: {found} cacat {_CLASS_ID[defect_class]} ditemukan pada sampel {pieces}; rencana sampling menerima paling banyak {accept}.",
    )


@lru_cache(maxsize=4096)
def below_minimum(category: str, score_tenths: int, minimum_tenths: int) -> Text:
    name, got, low = CATEGORY_NAMES[category], tenths(score_tenths), tenths(minimum_tenths)
    return Text(
        en=f"The {name.en} score {got} is below its minimum of {low}.",
        id=f"Skor {name.id} {_comma(got)} di bawah batas minimum {_comma(low)}.",
    )


@lru_cache(maxsize=4096)
def below_lowest_grade(total_tenths: int) -> Text:
    return Text(
        en=f"The total {tenths(total_tenths)} is below the lowest grade.",
        id=f"Total {_comma(tenths(total_tenths))} di bawah tingkat mutu terendah.",
    )


@lru_cache(maxsize=4096)
def renormalised(category: str, assessed_weight: int, applicable_weight: int) -> Text:
    name = CATEGORY_NAMES[category]
    if not assessed_weight:
        return Text(
            en=f"No {name.en} criterion applies or was assessed: the total is renormalised over the other categories.",
            id=f"Tidak ada kriteria {name.id} yang berlaku atau dinilai: total dihitung ulang dari kategori lainnya.",
        )
    return Text(
        en=f"The {name.en} score is renormalised over weight {assessed_weight} of {applicable_weight}: optional criteria were not assessed.",
        id=f"Skor {name.id} dihitung ulang atas bobot {assessed_weight} dari {applicable_weight}: kriteria opsional tidak dinilai.",
    )


def _comma(decimal: str) -> str:
    return decimal.replace(".", ",")


def tenths(value: int) -> str:
    """842 -> "84.2"."""
    return f"{value // 10}.{value % 10}"
