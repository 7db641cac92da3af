"""Loading and linting standard files: one malformed file per lint error, each reported as
`FILE:LINE: WHERE: message` on the line at fault; and the registry of installed standards.

Each malformed file is the valid `fixtures/tiny/2026.1.yaml` with exactly one thing broken."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from certify.core.errors import UnknownStandard
from certify.rulebook import RulebookError, load_file, load_files, standard_files

TINY = Path(__file__).parent / "fixtures" / "tiny" / "2026.1.yaml"
TEXT = TINY.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Break:
    """Replace `old` (found exactly once in tiny) with `new`; expect `where: message` on the line holding `at`
    (a message ending in … gives its start only)."""

    old: str
    new: str
    where: str
    message: str
    at: str


BREAKS = {
    # The YAML parser's own words vary (libyaml or pure Python); the line does not.
    "YAML syntax error": Break("to: 5, points: 100}", "to: 5, points: 100}}", "file", "YAML error: …", "points: 100}}"),
    "a tab for indentation": Break(
        "    weight: 3\n", "    weight: 3\n\tknockout: false\n", "file", "YAML error: …", "\tknockout"
    ),
    "a key given twice": Break(
        "    weight: 3\n", "    weight: 3\n    weight: 4\n", "file", "duplicate key 'weight'", "    weight: 4\n"
    ),
    "unknown key (a typo)": Break("    weight: 3\n", "    wieght: 3\n", "FIN-01", "unknown key 'wieght'", "wieght: 3"),
    "missing key": Break(
        "    guidance: {en: Read the grey scale., id: Baca skala abu-abu.}\n",
        "",
        "FIN-01",
        "missing key 'guidance'",
        "- id: FIN-01",
    ),
    "unknown operator": Break(
        "op: eq",
        "op: equals",
        "PKG-01",
        "unknown operator 'equals' (known: eq, ne, in, not_in, lt, le, gt, ge, between, has, has_any, has_all)",
        "op: equals",
    ),
    "condition on an undeclared fact": Break(
        "fact: market", "fact: markets", "PKG-01", "condition on undeclared fact 'markets'", "fact: markets"
    ),
    "condition with a value the fact cannot take": Break(
        "value: export}",
        "value: abroad}",
        "PKG-01",
        "fact 'market' cannot be 'abroad' (allowed: domestic, export)",
        "value: abroad",
    ),
    "operator that does not apply to the fact's type": Break(
        "op: eq", "op: has", "PKG-01", "operator 'has' does not apply to enum fact 'market'", "op: has"
    ),
    "overlapping bands": Break(
        "{from: 3, to: 3.5",
        "{from: 2.5, to: 3.5",
        "FIN-01",
        "band from 2.5 overlaps the band 1-2.5",
        "{from: 2.5, to: 3.5",
    ),
    "gapped bands": Break(
        "{from: 3, to: 3.5",
        "{from: 3.5, to: 3.5",
        "FIN-01",
        "bands leave a gap between 2.5 and 3.5 (step 0.5)",
        "{from: 3.5, to: 3.5",
    ),
    "bands that stop short of the scale's maximum": Break(
        "{from: 4, to: 5,", "{from: 4, to: 4.5,", "FIN-01", "bands end at 4.5, not at the scale's maximum 5", "bands:"
    ),
    "bands that start above the scale's minimum": Break(
        "{from: 1, to: 2.5",
        "{from: 1.5, to: 2.5",
        "FIN-01",
        "bands start at 1.5, not at the scale's minimum 1",
        "bands:",
    ),
    "a band off the scale's step": Break(
        "{from: 3, to: 3.5",
        "{from: 3, to: 3.4",
        "FIN-01",
        "band 3-3.4 is not on the scale's step 0.5",
        "{from: 3, to: 3.4",
    ),
    "points falling as values get better": Break(
        "{from: 1, to: 2.5, points: 0}",
        "{from: 1, to: 2.5, points: 70}",
        "FIN-01",
        "points fall as the value gets better (higher is better)",
        "bands:",
    ),
    "a count that does not start at 0": Break(
        "kind: rating", "kind: count", "FIN-01", "a count starts at 0 and steps by 1", "    measure:\n      kind: count"
    ),
    "overlapping grade bands": Break(
        "from: 70, to: 84.9}", "from: 70, to: 85}", "grades", "grade from 85 overlaps the grade 70-85", "{id: utama"
    ),
    "gapped grade bands": Break(
        "from: 70, to: 84.9}",
        "from: 70, to: 84}",
        "grades",
        "grades leave a gap between 84 and 85 (step 0.1)",
        "{id: utama",
    ),
    "a criterion weight of zero": Break(
        "    weight: 3\n", "    weight: 0\n", "FIN-01", "weight must be positive, not 0", "weight: 0"
    ),
    "a negative criterion weight": Break(
        "    weight: 3\n", "    weight: -1\n", "FIN-01", "weight must be positive, not -1", "weight: -1"
    ),
    "a criterion weight too large to sum": Break(
        "    weight: 3\n", "    weight: 1001\n", "FIN-01", "weight must be at most 1000, not 1001", "weight: 1001"
    ),
    "a category weight of zero": Break(
        "packaging: {weight: 20",
        "packaging: {weight: 0",
        "categories",
        "weight of 'packaging' must be positive, not 0",
        "packaging: {weight: 0",
    ),
    "category weights not adding up to 100": Break(
        "materials: {weight: 40",
        "materials: {weight: 50",
        "categories",
        "category weights add up to 110, not 100",
        "categories:",
    ),
    "duplicate criterion ids": Break(
        "  - id: PKG-01",
        "  - id: MAT-01",
        "MAT-01",
        "duplicate criterion id 'MAT-01'",
        "  - id: MAT-01\n    category: packaging",
    ),
    "a criterion no example exercises": Break(
        "facts: {product_category: bowl, market: export}\n      lot: {size: 50}\n      measurements: {MAT-01: true, FIN-01: 4, PKG-01: true}\n    expect: {certified: true, grade: utama, criteria: {PKG-01: passed}}",
        "facts: {product_category: bowl, market: domestic}\n      lot: {size: 50}\n      measurements: {MAT-01: true, FIN-01: 4}\n    expect: {certified: true, grade: utama}",
        "PKG-01",
        "no example exercises this criterion (applies and is measured)",
        "- id: PKG-01",
    ),
    "a title in one language only": Break(
        "title: {en: Tiny tableware, id: Peralatan makan mungil}",
        "title: {en: Tiny tableware}",
        "title",
        "missing key 'id'",
        "title: {en: Tiny",
    ),
    "guidance in one language only": Break(
        "guidance: {en: Read the grey scale., id: Baca skala abu-abu.}",
        "guidance: {en: Read the grey scale.}",
        "FIN-01",
        "missing key 'id'",
        "guidance: {en: Read the grey scale.}",
    ),
    "an example that does not produce its grade": Break(
        "grade: utama,",
        "grade: baik,",
        "example 'a sound bowl for export'",
        "expected grade baik, got utama (total 100.0)",
        "expect:",
    ),
    "an example that does not produce a criterion's status": Break(
        "criteria: {PKG-01: passed}",
        "criteria: {PKG-01: failed}",
        "PKG-01",
        "example 'a sound bowl for export' expects failed, got passed (Yes: passes (100 points).)",
        "expect:",
    ),
    "an example the engine refuses": Break(
        "FIN-01: 4, PKG-01",
        "FIN-01: 4.2, PKG-01",
        "FIN-01",
        "the engine refuses it: 4.2 is not on the scale's step of 0.5",
        "measurements: {MAT-01",
    ),
    "an evidence declaration with an unknown key": Break(
        "    weight: 3\n",
        "    weight: 3\n    evidence: {photo: 1}\n",
        "FIN-01",
        "unknown key 'photo'",
        "evidence: {photo",
    ),
    "a negative number of photos": Break(
        "    weight: 3\n",
        "    weight: 3\n    evidence: {photos: -1}\n",
        "FIN-01",
        "evidence.photos: Input should be greater than or equal to 0",
        "evidence: {photos: -1}",
    ),
    "a lab report's age without a lab report": Break(
        "    weight: 3\n",
        "    weight: 3\n    evidence: {photos: 1, max_age_months: 12}\n",
        "FIN-01",
        "max_age_months limits a lab report's age: declare lab_report: true",
        "evidence: {photos: 1, max",
    ),
    "a lab report without its age": Break(
        "    weight: 3\n",
        "    weight: 3\n    evidence: {lab_report: true}\n",
        "FIN-01",
        "a lab report needs max_age_months: how old it may be at issuance",
        "evidence: {lab_report: true}",
    ),
    "a standard's evidence with an unknown key": Break(
        "\ncriteria:", "\nevidence: {lot_photos: 1, labs: 2}\ncriteria:", "evidence", "unknown key 'labs'", "labs: 2"
    ),
    "an unquoted version": Break(
        'version: "2026.1"',
        "version: 2026.1",
        "version",
        'version must be a quoted string, e.g. "2026.1"',
        "version: 2026.1",
    ),
}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny" / "2026.1.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    """The 1-based line where `needle` (which may span lines) starts; it must occur once."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    return text[: text.index(needle)].count("\n") + 1


def test_the_tiny_fixture_is_a_valid_standard() -> None:
    """Every malformed file below differs from a standard that loads cleanly."""
    standard = load_file(TINY)
    assert (standard.ref, len(standard.criteria), len(standard.examples)) == ("tiny@2026.1", 3, 1)


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_lint_error_is_reported_as_file_line_where_message(name: str, tmp_path: Path) -> None:
    """The finding names the file, the line at fault, the criterion (or section) and what is wrong."""
    broken = BREAKS[name]
    assert TEXT.count(broken.old) == 1
    text = TEXT.replace(broken.old, broken.new)
    path = _write(tmp_path, text)
    with pytest.raises(RulebookError) as error:
        load_file(path)
    expected = f"{path}:{_line_of(text, broken.at)}: {broken.where}: {broken.message}"
    found = [str(finding) for finding in error.value.findings]
    if expected.endswith("…"):  # the start of the message is given
        assert [f for f in found if f.startswith(expected[:-1])] != [], found
    else:
        assert expected in found
    assert str(error.value).splitlines() == found  # the error prints one line per finding


def test_a_typo_in_a_key_is_reported_as_that_key_not_a_schema_dump(tmp_path: Path) -> None:
    """`wieght`: one line for the unknown key and one for the weight it leaves missing; nothing else."""
    path = _write(tmp_path, TEXT.replace("    weight: 3\n", "    wieght: 3\n"))
    with pytest.raises(RulebookError) as error:
        load_file(path)
    assert [f.message for f in error.value.findings] == ["missing key 'weight'", "unknown key 'wieght'"]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    """A file with an unknown operator and a zero weight: both findings, each on its own line."""
    text = TEXT.replace("op: eq", "op: equals").replace("    weight: 3\n", "    weight: 0\n")
    with pytest.raises(RulebookError) as error:
        load_file(_write(tmp_path, text))
    assert {(f.where, f.line) for f in error.value.findings} == {
        ("FIN-01", _line_of(text, "weight: 0")),
        ("PKG-01", _line_of(text, "op: equals")),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the file is empty"), ("- a\n- b\n", "a standard is a mapping of keys (id, version, criteria, …)")],
)
def test_a_file_that_is_not_a_standard_at_all_is_reported_at_line_1(tmp_path: Path, text: str, message: str) -> None:
    """An empty file and a YAML list are refused with one finding on line 1."""
    path = _write(tmp_path, text)
    with pytest.raises(RulebookError) as error:
        load_file(path)
    assert [str(f) for f in error.value.findings] == [f"{path}:1: file: {message}"]


def test_a_file_named_otherwise_than_its_id_and_version_is_refused(tmp_path: Path) -> None:
    """rules/<id>/<version>.yaml: tiny@2026.1 saved as other/2026.1.yaml is named in a finding."""
    path = tmp_path / "other" / "2026.1.yaml"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(RulebookError) as error:
        load_files([path])
    assert [str(f) for f in error.value.findings] == [f"{path}:1: file: holds tiny@2026.1; name it tiny/2026.1.yaml"]


def test_the_registry_finds_each_version_and_the_latest_by_id(tmp_path: Path) -> None:
    """`tiny` is the latest version, `tiny@2026.1` that one; an unknown id lists what is installed."""
    _write(tmp_path, TEXT)
    newer = tmp_path / "tiny" / "2026.10.yaml"
    newer.write_text(TEXT.replace('version: "2026.1"', 'version: "2026.10"'), encoding="utf-8")
    rulebook = load_files(standard_files([tmp_path]))
    assert rulebook.get("tiny").version == "2026.10"  # 10 > 1 as numbers, not as text
    assert rulebook.get("tiny@2026.1").version == "2026.1"
    assert [s.ref for s in rulebook.standards()] == ["tiny@2026.1", "tiny@2026.10"]
    with pytest.raises(UnknownStandard) as error:
        rulebook.get("tiny@2025.1")
    assert "no standard 'tiny@2025.1' is installed (installed: tiny@2026.1, tiny@2026.10)" in str(error.value)


def test_findings_of_several_files_are_reported_together(tmp_path: Path) -> None:
    """Two broken files: the findings of both, each naming its own file."""
    first = _write(tmp_path, TEXT.replace("op: eq", "op: equals"))
    second = tmp_path / "second" / "2026.1.yaml"
    second.parent.mkdir()
    second.write_text(
        TEXT.replace("id: tiny", "id: second").replace("    weight: 3\n", "    weight: 0\n"), encoding="utf-8"
    )
    with pytest.raises(RulebookError) as error:
        load_files([first, second])
    assert {f.file for f in error.value.findings} == {str(first), str(second)}
