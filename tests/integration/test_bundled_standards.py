"""The standards shipped in rules/: every worked example holds, and each standard is complete
(enough criteria, both languages everywhere, every criterion exercised by an example)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from pydantic import BaseModel

from certify.core.hashing import content_hash
from certify.core.inspection import Inspection
from certify.core.scoring import score
from certify.core.standard import CATEGORIES, Example, Standard
from certify.core.text import Text
from certify.resources import bundled_path
from certify.rulebook import bundled
from certify.rulebook.yamlfile import load

STANDARDS = bundled().standards()
EXAMPLES = [(standard, index, example) for standard in STANDARDS for index, example in enumerate(standard.examples)]


def test_a_general_standard_and_at_least_four_craft_standards_are_bundled() -> None:
    """general, batik, woven, wood, and ceramics or rattan and bamboo."""
    ids = {standard.id for standard in STANDARDS}
    assert {"general", "batik", "woven", "wood"} <= ids
    assert ids & {"ceramics", "rattan_bamboo"}


@pytest.mark.parametrize(
    ("standard", "index", "example"),
    EXAMPLES,
    ids=[f"{s.id}-{i + 1}-{e.name[:40]}" for s, i, e in EXAMPLES],
)
def test_every_bundled_example_produces_its_expected_outcome(standard: Standard, index: int, example: Example) -> None:
    """Scored as the inspector submitted it: the expected certification, grade and named statuses."""
    assessment = score(standard, Inspection.model_validate(example.inspection))
    assert assessment.certified is example.expect.certified, [r.en for r in assessment.reasons]
    assert assessment.grade == example.expect.grade, assessment.total
    statuses = {row.criterion: row.status for row in assessment.rows}
    assert {c: statuses[c] for c in example.expect.criteria} == example.expect.criteria
    if not assessment.certified:
        assert assessment.reasons, "a product not certified is told why"


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.ref)
def test_each_bundled_standard_has_at_least_15_criteria_in_every_category(standard: Standard) -> None:
    """At least 15 criteria a real inspector would recognise, spread over materials, finish, packaging."""
    assert len(standard.criteria) >= 15
    assert {c.category for c in standard.criteria} == set(CATEGORIES)


def _texts(value: object) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.ref)
def test_each_bundled_standard_is_written_in_both_languages(standard: Standard) -> None:
    """Every text has English and Indonesian; descriptions and guidance are translated, not copied."""
    texts = list(_texts(standard))
    assert len(texts) > 2 * len(standard.criteria)  # titles and guidance of every criterion at least
    assert all(text.en.strip() and text.id.strip() for text in texts)
    assert standard.description.en != standard.description.id
    assert [c.id for c in standard.criteria if c.guidance.en == c.guidance.id] == []


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.ref)
def test_each_bundled_criterion_is_exercised_by_an_example(standard: Standard) -> None:
    """Every criterion applies and is measured (passed or failed) in at least one worked example."""
    exercised = {
        row.criterion
        for example in standard.examples
        for row in score(standard, Inspection.model_validate(example.inspection)).rows
        if row.status in ("passed", "failed")
    }
    assert sorted(c.id for c in standard.criteria if c.id not in exercised) == []


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.ref)
def test_each_bundled_standard_shows_a_certified_and_a_refused_product(standard: Standard) -> None:
    """The examples document both outcomes for inspectors: at least one certified, one not."""
    assert {example.expect.certified for example in standard.examples} == {True, False}


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.ref)
def test_a_bundled_file_rewritten_in_another_yaml_style_keeps_its_content_hash(standard: Standard) -> None:
    """The real file, re-dumped in flow style with sorted keys, reads back to the same content hash."""
    path = bundled_path("rules") / standard.id / f"{standard.version}.yaml"
    rewritten = yaml.safe_dump(
        yaml.safe_load(path.read_text(encoding="utf-8")), default_flow_style=True, sort_keys=True
    )
    assert rewritten != path.read_text(encoding="utf-8")
    assert content_hash(Standard.model_validate(load(rewritten).data)) == content_hash(standard)


# The content hashes of the published 2026.1 standards, as issued certificates and stored
# inspections pin them: a later field of the model must leave them as they were.
PUBLISHED_2026_1 = {
    "batik": "sha256:92a8784e5f5d4eefe8b9afb8c51044c765c9e7925f459450428f1ddf787cf138",
    "ceramics": "sha256:0090da689206378b97bfd6a4c41f522efc6f09d057c3ad64b9f1288da988520e",
    "general": "sha256:0a383f760f0e840ef4cf077aea3ac1f7e58c430fc8f5b113ff1219f4d844b942",
    "rattan_bamboo": "sha256:cc07c845229b66f8dba466a61a96629b806c7149fd396b34b92aa81bb3b93768",
    "wood": "sha256:f6185743ca8d577cae3b9c6ca856e59f08455be69560cf28ab55a800c57f0e94",
    "woven": "sha256:94b9fc18fda5de69992ff83df304649f830530e91c74519f0504a7a33fd3cfe8",
}


def test_the_published_2026_1_standards_keep_the_hashes_certificates_pin() -> None:
    """Evidence, schemes, variants and dated criteria came after 2026.1: unset, they change no hash."""
    hashes = {s.id: content_hash(s) for s in STANDARDS if s.version == "2026.1"}
    assert hashes == PUBLISHED_2026_1
