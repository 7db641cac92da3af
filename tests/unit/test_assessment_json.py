"""The stored and served JSON of an assessment is the document `to_dict()` gives, to the byte."""

from __future__ import annotations

import json

from hypothesis import given

from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import Standard
from certify.rulebook import bundled
from certify.services.assessment_json import assessment_json
from tests.strategies import cases


def test_every_worked_example_of_every_bundled_standard_gives_the_same_text() -> None:
    """Knockouts, renormalised categories, rejected lots, every grade: as `json.dumps` writes it."""
    for standard in bundled().latest():
        for example in standard.examples:
            assessment = score(standard, Inspection.model_validate(example.inspection))
            assert assessment_json(assessment) == json.dumps(assessment.to_dict())


@given(cases())
def test_any_scored_inspection_gives_the_same_text_twice_over(case: tuple[Standard, Inspection]) -> None:
    """Generated standards and inspections (odd inputs, floats, missing rows): the same text, and
    again once its verdicts' JSON is kept."""
    standard, inspection = case
    assessment = score(standard, inspection)
    expected = json.dumps(assessment.to_dict())
    assert assessment_json(assessment) == expected
    assert assessment_json(assessment) == expected
