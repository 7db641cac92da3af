"""The content hash of a standard: the same for every way of writing the same meaning, different for
any change of meaning. (Random standards and random re-formatting: test_properties.py.)"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from certify.core.compiled import compiled
from certify.core.hashing import content_hash
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import Standard
from certify.rulebook.yamlfile import load
from tests.strategies import Data, criterion, pass_fail, product_category, ranged, standard_dict, text

GREY_SCALE = ranged("rating", [(1, 2.5, 0), (3, 3.5, 60), (4, 5, 100)], minimum=1, maximum=5, step=0.5)


def base() -> Data:
    return standard_dict(
        [
            criterion("MAT-01", "materials", pass_fail(), weight=2, knockout=True, source="ISO 105-C06"),
            criterion("FIN-01", "finish", GREY_SCALE, weight=3, pass_points=60),
            criterion(
                "PKG-01",
                "packaging",
                pass_fail(),
                applies_when={"all": [{"fact": "market", "op": "in", "value": ["export", "tourist"]}]},
            ),
        ],
        facts={
            "product_category": product_category("bowl", "plate"),
            "market": {"type": "enum", "title": text("market"), "values": ["domestic", "export", "tourist"]},
        },
        examples=[
            {
                "name": "a good bowl",
                "inspection": {
                    "facts": {"product_category": "bowl", "market": "export"},
                    "lot": {"size": 50},
                    "defects": {"critical": 0, "major": 0, "minor": 0},
                    "measurements": {"MAT-01": True, "FIN-01": 4, "PKG-01": True},
                },
                "expect": {"certified": True, "grade": "utama"},
            }
        ],
    )


def digest(data: Data) -> str:
    return content_hash(Standard.model_validate(data))


BASE = digest(base())


def test_the_hash_is_a_sha256_of_the_standard() -> None:
    """`sha256:` and 64 hex digits, the same each time it is computed."""
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", BASE)
    assert digest(base()) == BASE


def test_the_hash_an_assessment_records_is_the_standards_content_hash() -> None:
    """The compiled standard and every assessment carry the content hash of the standard scored."""
    standard = Standard.model_validate(base())
    inspection = Inspection.model_validate(standard.examples[0].inspection)
    assert compiled(standard).content_hash == BASE
    assert score(standard, inspection).content_hash == BASE


def _reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(item) for item in value]
    return value


def _reorder(data: Data) -> Data:
    data = copy.deepcopy(data)
    data["criteria"].reverse()
    data["grades"].reverse()
    data["criteria"][1]["measure"]["bands"].reverse()
    data["facts"]["market"]["values"].reverse()
    data["criteria"][0]["applies_when"]["all"][0]["value"].reverse()
    return data


def _floats(data: Data) -> Data:
    """Every whole number written as 5.0 instead of 5."""

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, list):
            return [convert(item) for item in value]
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    return dict(convert(data))


def _defaults_written_out(data: Data) -> Data:
    return Standard.model_validate(data).model_dump(mode="json", by_alias=True)


def _defaults_left_out(data: Data) -> Data:
    return Standard.model_validate(data).model_dump(mode="json", by_alias=True, exclude_defaults=True)


@pytest.mark.parametrize(
    "rewrite",
    [_reversed_keys, _reorder, _floats, _defaults_written_out, _defaults_left_out],
    ids=[
        "key order",
        "order of criteria, grades, bands, values",
        "5 written 5.0",
        "defaults written out",
        "defaults left out",
    ],
)
def test_the_hash_ignores_how_the_same_meaning_is_written(rewrite: Callable[[Data], Data]) -> None:
    """Key order, list order, 5 versus 5.0 and defaults written out or left implicit: one hash."""
    rewritten = rewrite(base())
    assert json.dumps(rewritten) != json.dumps(base())  # the rewrite did change how it is written
    assert digest(rewritten) == BASE


BLOCK = """
id: tiny                      # a comment
version: "2026.1"
title:
  en: Tiny
  id: Mungil
weights: [1, 2]
"""
FLOW = """{version: '2026.1', weights: [1.0, 2], title: {id: "Mungil", en: Tiny}, id: tiny}"""


def test_yaml_formatting_does_not_reach_the_data_the_hash_is_taken_from() -> None:
    """Block or flow style, comments, quoting and indentation read to the same data."""
    assert load(BLOCK).data == load(FLOW).data


def _change(path: str, value: Any) -> Callable[[Data], None]:
    """Set the value at a dotted path (list indices as numbers)."""

    def change(data: Data) -> None:
        *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
        node: Any = data
        for part in parents:
            node = node[part]
        node[last] = value

    return change


MEANINGS = {
    "a criterion's weight": _change("criteria.0.weight", 3),
    "a band's points": _change("criteria.1.measure.bands.1.points", 61),
    "a band's threshold": _change("criteria.1.measure.bands.1.from", 2.5),
    "pass points": _change("criteria.1.pass_points", 50),
    "knockout": _change("criteria.0.knockout", False),
    "optional": _change("criteria.1.optional", True),
    "a condition's value": _change("criteria.2.applies_when.all.0.value", ["export"]),
    "a condition's operator": _change("criteria.2.applies_when.all.0.op", "not_in"),
    "a condition removed": _change("criteria.2.applies_when", None),
    "a category's weight": _change("categories.materials.weight", 49),
    "a category's minimum": _change("categories.finish.minimum", 10),
    "a grade's lower end": _change("grades.1.from", 69.9),
    "a title in English": _change("criteria.0.title.en", "criterion MAT-01!"),
    "guidance in Indonesian": _change("criteria.1.guidance.id", "cara lain"),
    "a source": _change("criteria.0.source", "ISO 105-X12"),
    "a unit": _change("criteria.1.measure.unit", "grade"),
    "a fact's values": _change("facts.market.values", ["domestic", "export"]),
    "the sampling AQL": _change("sampling", {"major_aql": "1.5"}),
    "the validity": _change("validity_months", 24),
    "the version": _change("version", "2026.2"),
    "an example's expectation": _change("examples.0.expect.grade", "baik"),
}


@pytest.mark.parametrize("meaning", list(MEANINGS))
def test_any_change_of_meaning_changes_the_hash(meaning: str) -> None:
    """Weights, thresholds, conditions, texts, sampling, examples: each change gives a new hash."""
    data = base()
    MEANINGS[meaning](data)
    assert digest(data) != BASE
