"""The stored and served JSON of an assessment is the document `to_dict()` gives, to the byte."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.engine import vary
from certify.core.assessment import Verdict
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import Standard
from certify.rulebook import bundled
from certify.services import assessment_json as module
from certify.services.assessment_json import assessment_json
from tests.strategies import cases

STANDARDS = bundled().latest()


def test_every_worked_example_of_every_bundled_standard_gives_the_same_text() -> None:
    """Knockouts, renormalised categories, rejected lots, every grade: as `json.dumps` writes it."""
    for standard in STANDARDS:
        for example in standard.examples:
            assessment = score(standard, Inspection.model_validate(example.inspection))
            assert assessment_json(assessment) == json.dumps(assessment.to_dict())


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(STANDARDS), st.integers(0, 2**32))
def test_varied_inspections_give_the_same_text_twice_over(standard: Standard, seed: int) -> None:
    """The worked examples with their measurements, lot sizes and defects drawn afresh (as the
    bench varies them: totals, lots and plans not seen before), then again (noted as seen), and
    again (kept)."""
    rng = random.Random(seed)
    for example in standard.examples:
        assessment = score(standard, Inspection.model_validate(vary(standard, example.inspection, rng)))
        expected = json.dumps(assessment.to_dict())
        assert assessment_json(assessment) == expected
        assert assessment_json(assessment) == expected
        assert assessment_json(assessment) == expected


@given(cases())
def test_any_scored_inspection_gives_the_same_text_twice_over(case: tuple[Standard, Inspection]) -> None:
    """Generated standards and inspections (odd inputs, floats, missing rows): the same text, and
    again once its verdicts' JSON is kept."""
    standard, inspection = case
    assessment = score(standard, inspection)
    expected = json.dumps(assessment.to_dict())
    assert assessment_json(assessment) == expected
    assert assessment_json(assessment) == expected


def test_a_verdict_carries_no_json_of_its_own() -> None:
    """The core's verdict is the outcome alone: what the JSON keeps of it is kept by the JSON."""
    assert [f.name for f in dataclasses.fields(Verdict) if f.name == "kept"] == []


KEPT_BY_KEPT = ("_lots", "_plans", "_categories", "_heads", "_texts", "_category_texts")
"""What the JSON keeps, each bounded by KEPT."""


def test_what_the_json_keeps_is_bounded_and_the_text_the_same_when_it_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for a few verdicts, lots and plans only, the kept pieces are let go, not grown."""
    monkeypatch.setattr(module, "VERDICTS", 5)
    monkeypatch.setattr(module, "KEPT", 2)
    monkeypatch.setattr(module, "SEEN", 4)
    for kept in ("_kept", *KEPT_BY_KEPT):
        monkeypatch.setattr(module, kept, {})
    monkeypatch.setattr(module, "_seen", set())
    rng = random.Random(20)
    for standard in STANDARDS:
        for example in standard.examples:
            assessment = score(standard, Inspection.model_validate(vary(standard, example.inspection, rng)))
            for _ in range(3):  # first noted, then kept, then read
                assert assessment_json(assessment) == json.dumps(assessment.to_dict())
            assert len(module._kept) <= 5 and len(module._seen) <= 4
            assert max(len(getattr(module, kept)) for kept in KEPT_BY_KEPT) <= 3
