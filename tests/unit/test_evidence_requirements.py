"""What evidence a standard asks for, and the gaps an inspection leaves: pure, from counts and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from certify.core.evidence import LOT, Attached, LabReportDate, gaps, lab_report_criteria, required_photos
from certify.core.lint import lint
from certify.core.standard import Standard
from tests.strategies import criterion, pass_fail, standard_dict

TODAY = date(2026, 12, 5)


def _standard(lot_photos: int | None = 1, **evidence: Any) -> Standard:
    """MAT-01 needs a lab report (12 months) and 1 photo; FIN-01 needs 2 photos; PKG-01 nothing."""
    return Standard.model_validate(
        standard_dict(
            [
                criterion(
                    "MAT-01",
                    "materials",
                    pass_fail(),
                    evidence=evidence or {"lab_report": True, "max_age_months": 12, "photos": 1},
                ),
                criterion("FIN-01", "finish", pass_fail(), evidence={"photos": 2}),
                criterion("PKG-01", "packaging", pass_fail()),
            ],
            **({} if lot_photos is None else {"evidence": {"lot_photos": lot_photos}}),
        )
    )


def _complete(issued_on: date = date(2026, 6, 1)) -> Attached:
    return Attached({LOT: 1, "MAT-01": 1, "FIN-01": 2}, [LabReportDate(("MAT-01",), issued_on)])


ALL = ("MAT-01", "FIN-01", "PKG-01")


def test_an_inspection_with_everything_asked_for_has_no_gap() -> None:
    assert gaps(_standard(), assessed=ALL, attached=_complete(), today=TODAY) == []


def test_every_gap_is_listed_at_once_in_both_languages() -> None:
    found = gaps(_standard(), assessed=ALL, attached=Attached({}, []), today=TODAY)
    assert [g.en for g in found] == [
        "the lot needs 1 photo(s), 0 attached",
        "MAT-01 needs 1 photo(s), 0 attached",
        "MAT-01 needs a lab report, none attached",
        "FIN-01 needs 2 photo(s), 0 attached",
    ]
    assert found[2].id == "MAT-01 memerlukan laporan laboratorium, belum terlampir"


def test_a_lab_report_older_than_allowed_is_a_gap_and_the_newest_report_counts() -> None:
    old = date(2025, 12, 4)  # 12 months before TODAY is 2025-12-05
    found = gaps(_standard(), assessed=ALL, attached=_complete(old), today=TODAY)
    assert [g.en for g in found] == ["MAT-01's lab report of 2025-12-04 is older than 12 months"]
    on_the_day = gaps(_standard(), assessed=ALL, attached=_complete(date(2025, 12, 5)), today=TODAY)
    assert on_the_day == []
    both = Attached({LOT: 1, "MAT-01": 1, "FIN-01": 2}, [LabReportDate(("MAT-01",), old), *_complete().lab_reports])
    assert gaps(_standard(), assessed=ALL, attached=both, today=TODAY) == []


def test_a_lab_report_covering_other_criteria_does_not_count() -> None:
    attached = Attached({LOT: 1, "MAT-01": 1, "FIN-01": 2}, [LabReportDate(("FIN-01",), date(2026, 6, 1))])
    assert [g.en for g in gaps(_standard(), assessed=ALL, attached=attached, today=TODAY)] == [
        "MAT-01 needs a lab report, none attached"
    ]


def test_a_criterion_that_was_not_assessed_needs_no_evidence() -> None:
    attached = Attached({LOT: 1}, [])
    assert [g.en for g in gaps(_standard(), assessed=("PKG-01",), attached=attached, today=TODAY)] == []


def test_a_standard_without_declarations_asks_for_nothing() -> None:
    plain = Standard.model_validate(
        standard_dict(
            [criterion(c, k, pass_fail()) for c, k in zip(ALL, ("materials", "finish", "packaging"), strict=True)]
        )
    )
    assert gaps(plain, assessed=ALL, attached=Attached({}, []), today=TODAY) == []
    assert required_photos(plain) == {} and lab_report_criteria(plain) == ()


def test_what_the_standard_asks_for_is_listed_for_forms_and_the_demo() -> None:
    assert required_photos(_standard()) == {LOT: 1, "MAT-01": 1, "FIN-01": 2}
    assert required_photos(_standard(lot_photos=0)) == {"MAT-01": 1, "FIN-01": 2}
    assert lab_report_criteria(_standard()) == ("MAT-01",)


@given(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
def test_more_photos_never_add_a_gap(lot: int, mat: int, fin: int) -> None:
    """Adding a photo anywhere can only close gaps: the gap list shrinks or stays."""
    standard = _standard()
    reports = [LabReportDate(("MAT-01",), date(2026, 1, 1))]
    before = gaps(
        standard, assessed=ALL, attached=Attached({LOT: lot, "MAT-01": mat, "FIN-01": fin}, reports), today=TODAY
    )
    after = gaps(
        standard,
        assessed=ALL,
        attached=Attached({LOT: lot + 1, "MAT-01": mat + 1, "FIN-01": fin + 1}, reports),
        today=TODAY,
    )
    assert len(after) <= len(before)
    assert (lot >= 1 and mat >= 1 and fin >= 2) == (before == [])


# --- the linter ------------------------------------------------------------------------------------


def _lint_messages(**evidence: Any) -> list[tuple[str, tuple[str | int, ...]]]:
    return [(p.message, p.path) for p in lint(_standard(**evidence))]


def test_a_well_formed_declaration_lints_clean() -> None:
    assert _lint_messages() == []


def test_an_age_without_a_lab_report_is_refused() -> None:
    assert _lint_messages(photos=1, max_age_months=12) == [
        (
            "max_age_months limits a lab report's age: declare lab_report: true",
            ("criteria", 0, "evidence", "max_age_months"),
        )
    ]


def test_a_lab_report_without_an_age_is_refused() -> None:
    assert _lint_messages(lab_report=True) == [
        ("a lab report needs max_age_months: how old it may be at issuance", ("criteria", 0, "evidence", "lab_report"))
    ]


def test_a_declaration_that_asks_for_nothing_is_refused() -> None:
    assert _lint_messages(photos=0) == [
        (
            "the evidence declaration asks for nothing: remove it or ask for photos or a lab report",
            ("criteria", 0, "evidence"),
        )
    ]


def test_the_json_schema_editors_use_declares_the_evidence_keys_and_their_bounds() -> None:
    schema = Standard.model_json_schema(by_alias=True)
    criterion, standard = schema["$defs"]["CriterionEvidence"], schema["$defs"]["StandardEvidence"]
    assert set(criterion["properties"]) == {"photos", "lab_report", "max_age_months"}
    assert criterion["additionalProperties"] is False and standard["additionalProperties"] is False
    assert criterion["properties"]["photos"]["minimum"] == 0
    assert standard["properties"]["lot_photos"]["minimum"] == 0
