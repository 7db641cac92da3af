"""The words of an assessment, in Indonesian and English, fixed when a standard is compiled."""

from __future__ import annotations

from certify.core.standard import AllOf, AnyOf, Band, Condition, NotOf, Ranged
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


def number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(condition: Condition) -> str:
    """A condition in compact notation: `technique in (tulis, cap) and not export = false`."""
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        joiner = " and " if isinstance(condition, AllOf) else " or "
        return "(" + joiner.join(describe(part) for part in parts) + ")" if len(parts) > 1 else describe(parts[0])
    if isinstance(condition, NotOf):
        return f"not {describe(condition.not_)}"
    value = condition.value
    shown = "(" + ", ".join(map(str, value)) + ")" if isinstance(value, list) else str(value).lower()
    return f"{condition.fact} {condition.op} {shown}"


def band_text(band: Band, unit: str) -> Text:
    unit = f" {unit}" if unit else ""
    low, high = number(band.from_), number(band.to)
    if band.to is None:
        return Text(en=f"{low}{unit} or more", id=f"{low}{unit} atau lebih")
    if band.to == band.from_:
        return Text(en=f"{low}{unit}", id=f"{low}{unit}")
    return Text(en=f"{low}–{high}{unit}", id=f"{low}–{high}{unit}")


def band_rule(band: Band, measure: Ranged, pass_points: int) -> str:
    return f"{band_text(band, measure.unit).en} → {band.points} points; passes from {pass_points}"


def band_reason(band: Band, measure: Ranged, pass_points: int, knockout: bool) -> Text:
    where = band_text(band, measure.unit)
    if band.points >= pass_points:
        return Text(
            en=f"Within {where.en}: {band.points} of 100 points, enough to pass ({pass_points} needed).",
            id=f"Dalam rentang {where.id}: {band.points} dari 100 poin, cukup untuk lulus (perlu {pass_points}).",
        )
    return _failed(
        Text(
            en=f"Within {where.en}: {band.points} of 100 points, below the {pass_points} needed to pass.",
            id=f"Dalam rentang {where.id}: {band.points} dari 100 poin, di bawah {pass_points} yang diperlukan untuk lulus.",
        ),
        knockout,
    )


def pass_fail_reason(passed: bool, knockout: bool) -> Text:
    if passed:
        return Text(en="Yes: passes (100 points).", id="Ya: lulus (100 poin).")
    return _failed(Text(en="No: fails (0 points).", id="Tidak: gagal (0 poin)."), knockout)


def _failed(text: Text, knockout: bool) -> Text:
    return Text(en=text.en + KNOCKOUT.en, id=text.id + KNOCKOUT.id) if knockout else text


def not_applicable(condition: Condition | None) -> Text:
    when = describe(condition) if condition is not None else ""
    return Text(
        en=f"Does not apply: it applies only when {when}.",
        id=f"Tidak berlaku: hanya berlaku bila {when}.",
    )


def not_assessed(category: str) -> Text:
    name = CATEGORY_NAMES[category]
    return Text(
        en=f"Optional and not measured: left out; the {name.en} score is computed over the other criteria.",
        id=f"Opsional dan tidak diukur: tidak dihitung; skor {name.id} dihitung dari kriteria lainnya.",
    )
