"""The `certify` command for people who write and test standards: rules check|test|list|schema,
score and sample. Exit status 0 ok, 1 the thing checked failed, 2 usage; errors one line each,
never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml

from certify.cli import main
from certify.core.inspection import Inspection
from certify.core.sampling import plan
from certify.core.scoring import score
from certify.rulebook import bundled

ROOT = Path(__file__).resolve().parents[2]
TINY = Path(__file__).parent / "fixtures" / "tiny" / "2026.1.yaml"
BATIK = bundled().get("batik@2026.1")  # the tests below read its examples and version


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `certify ARGV…` (called in-process)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def broken_tiny(tmp_path: Path, old: str, new: str) -> Path:
    text = TINY.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "tiny" / "2026.1.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def inspection_file(tmp_path: Path, body: Any, name: str = "inspection.json") -> Path:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return path


# --- rules check / test -----------------------------------------------------------------------------


def test_rules_check_passes_the_bundled_standards(capsys: pytest.CaptureFixture[str]) -> None:
    """No path: the bundled standards are linted; all are fine, exit 0."""
    status, out, _ = run(capsys, "rules", "check")
    assert status == 0
    assert out.strip() == f"{len(bundled().standards())} standard file(s) ok"


def test_rules_check_reports_a_broken_file_as_file_line_lines_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unknown operator: `FILE:LINE: CRITERION: message` on stderr, then the count, exit 1."""
    path = broken_tiny(tmp_path, "op: eq", "op: equals")
    status, out, err = run(capsys, "rules", "check", str(path))
    assert status == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{path}:55: PKG-01: unknown operator 'equals'")
    assert lines[-1] == "1 problem(s)"


def test_rules_check_of_a_folder_checks_every_file_in_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A folder holding the valid tiny standard: one file, ok."""
    broken_tiny(tmp_path, "id: tiny", "id: tiny")
    status, out, _ = run(capsys, "rules", "check", str(tmp_path))
    assert (status, out.strip()) == (0, "1 standard file(s) ok")


def test_rules_check_of_a_path_that_does_not_exist_fails_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A missing path is named, exit 1."""
    status, _, err = run(capsys, "rules", "check", str(tmp_path / "nowhere.yaml"))
    assert status == 1
    assert err.strip() == f"certify rules: no such file or folder: {tmp_path / 'nowhere.yaml'}"


def test_rules_test_runs_the_examples_and_exits_0_when_they_hold(capsys: pytest.CaptureFixture[str]) -> None:
    """tiny's one example: PASS with its grade, exit 0."""
    status, out, _ = run(capsys, "rules", "test", str(TINY))
    assert status == 0
    assert out.splitlines() == [
        "PASS tiny@2026.1 example 1 'a sound bowl for export' (grade utama)",
        "1 passed, 0 failed",
    ]


def test_rules_test_prints_what_differed_and_exits_1_when_an_example_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An example expecting grade baik where the engine gives utama: FAIL, the difference, exit 1."""
    path = broken_tiny(tmp_path, "grade: utama,", "grade: baik,")
    status, out, _ = run(capsys, "rules", "test", str(path))
    assert status == 1
    assert out.splitlines() == [
        "FAIL tiny@2026.1 example 1 'a sound bowl for export'",
        "     expected grade baik, got utama (total 100.0)",
        "0 passed, 1 failed",
    ]


def test_rules_test_passes_every_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    """All bundled examples hold: exit 0, no FAIL line."""
    status, out, _ = run(capsys, "rules", "test")
    examples = sum(len(s.examples) for s in bundled().standards())
    assert status == 0
    assert out.splitlines()[-1] == f"{examples} passed, 0 failed"
    assert "FAIL" not in out


# --- rules list / schema ----------------------------------------------------------------------------


def test_rules_list_json_describes_each_installed_standard(capsys: pytest.CaptureFixture[str]) -> None:
    """A list of objects with id, version, bilingual title and the number of criteria."""
    status, out, _ = run(capsys, "rules", "list", "--json")
    assert status == 0
    listed = json.loads(out)
    assert [(item["id"], item["version"]) for item in listed] == [(s.id, s.version) for s in bundled().standards()]
    for item, standard in zip(listed, bundled().standards(), strict=True):
        assert item["title"] == {"en": standard.title.en, "id": standard.title.id}
        assert item["criteria"] == len(standard.criteria) >= 15


def test_rules_list_prints_one_line_per_standard(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json: a readable line per standard, starting with ID@VERSION."""
    status, out, _ = run(capsys, "rules", "list")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == [s.ref for s in bundled().standards()]


def test_rules_schema_is_a_json_schema_that_accepts_the_standards_and_refuses_a_typo(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A valid 2020-12 JSON Schema with properties.criteria; every bundled file validates, a typo'd key does not."""
    status, out, _ = run(capsys, "rules", "schema")
    assert status == 0
    schema = json.loads(out)
    assert jsonschema_rs.meta.is_valid(schema)
    assert "criteria" in schema["properties"]
    validator = jsonschema_rs.validator_for(schema)
    for path in [*sorted((ROOT / "rules").glob("*/*.yaml")), TINY]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [error.message for error in validator.iter_errors(data)] == [], path
    data["criteria"][0]["wieght"] = 1
    assert not validator.is_valid(data)


# --- score ------------------------------------------------------------------------------------------


def test_score_prints_the_assessment_as_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A bundled batik example: the JSON holds the total, grade and one row per criterion, as the engine scores it."""
    example = BATIK.examples[0]
    path = inspection_file(tmp_path, example.inspection)
    status, out, _ = run(capsys, "score", "--standard", "batik@2026.1", str(path))
    assert status == 0
    result = json.loads(out)
    expected = score(BATIK, Inspection.model_validate(example.inspection))
    assert (result["total"], result["grade"]["id"], result["certified"]) == (expected.total, expected.grade, True)
    assert len(result["criteria"]) == len(BATIK.criteria)
    assert result["standard"] == {"id": "batik", "version": "2026.1", "content_hash": expected.content_hash}


def test_score_explain_prints_a_readable_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--explain: the standard, a line per criterion with its reason, categories, the lot and the verdict."""
    example = BATIK.examples[2]  # a knockout
    path = inspection_file(tmp_path, example.inspection)
    status, out, _ = run(capsys, "score", "--standard", "batik@2026.1", str(path), "--explain")
    assert status == 0
    expected = score(BATIK, Inspection.model_validate(example.inspection))
    assert out.startswith("batik@2026.1  sha256:")
    for row in expected.rows:
        assert any(line.startswith(row.criterion) and row.reason.en in line for line in out.splitlines())
    assert f"total {expected.total}  grade -  certified no" in out
    assert all(f"  - {reason.en}" in out for reason in expected.reasons)


def test_score_explain_speaks_indonesian_on_request(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--lang id: the reasons in Indonesian."""
    example = BATIK.examples[2]
    path = inspection_file(tmp_path, example.inspection)
    status, out, _ = run(capsys, "score", "--standard", "batik@2026.1", str(path), "--explain", "--lang", "id")
    expected = score(BATIK, Inspection.model_validate(example.inspection))
    assert status == 0
    assert all(f"  - {reason.id}" in out for reason in expected.reasons)


def test_score_of_a_file_that_is_not_json_fails_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Not JSON: the file and line named, exit 1."""
    path = inspection_file(tmp_path, '{"facts": {}\n"lot": 1}')
    status, _, err = run(capsys, "score", "--standard", "batik@2026.1", str(path))
    assert status == 1
    assert err.strip() == f"certify score: {path}:2: not JSON: Expecting ',' delimiter"


def test_score_of_a_refused_inspection_prints_one_line_per_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unknown criterion and a value off its scale: both named, one line each, exit 1."""
    body = json.loads(json.dumps(BATIK.examples[0].inspection))
    body["measurements"]["MAT-99"] = True
    first_rating = next(c for c in BATIK.criteria if c.measure.kind == "rating")
    body["measurements"][first_rating.id] = 99
    status, _, err = run(capsys, "score", "--standard", "batik@2026.1", str(inspection_file(tmp_path, body)))
    assert status == 1
    lines = err.strip().splitlines()
    assert lines[0] == "certify score: refused against batik@2026.1:"
    assert lines[1] == "  MAT-99: measurements.MAT-99: unknown criterion 'MAT-99' in batik@2026.1"
    assert lines[2].startswith(f"  {first_rating.id}: measurements.{first_rating.id}: 99 is outside the scale")
    assert len(lines) == 3


def test_score_of_an_invalid_inspection_names_each_bad_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A lot of 0 pieces and negative defects: refused before scoring, one line each, exit 1."""
    body = json.loads(json.dumps(BATIK.examples[0].inspection))
    body["lot"] = {"size": 0}
    body["defects"] = {"critical": 0, "major": -1, "minor": 0}
    status, _, err = run(capsys, "score", "--standard", "batik@2026.1", str(inspection_file(tmp_path, body)))
    assert status == 1
    lines = err.strip().splitlines()
    assert lines[0].endswith("is not a valid inspection:")
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["lot.size", "defects.major"]


def test_score_of_an_inspection_without_its_defects_refuses_it_never_counting_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Defects left out (or one class of them): refused naming what is missing, exit 1."""
    body = json.loads(json.dumps(BATIK.examples[0].inspection))
    del body["defects"]
    status, _, err = run(capsys, "score", "--standard", "batik", str(inspection_file(tmp_path, body)))
    assert status == 1
    assert [line.split(":")[0].strip() for line in err.strip().splitlines()[1:]] == ["defects"]
    body["defects"] = {"critical": 0, "major": 1}
    status, _, err = run(capsys, "score", "--standard", "batik", str(inspection_file(tmp_path, body)))
    assert status == 1
    assert [line.split(":")[0].strip() for line in err.strip().splitlines()[1:]] == ["defects.minor"]


def test_score_against_an_unknown_standard_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--standard nosuch: the installed standards are listed, exit 1."""
    path = inspection_file(tmp_path, BATIK.examples[0].inspection)
    status, _, err = run(capsys, "score", "--standard", "nosuch", str(path))
    assert status == 1
    assert "no standard 'nosuch' is installed (installed: batik@2026.1" in err


def test_score_of_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A path that does not exist: exit 2."""
    status, _, err = run(capsys, "score", "--standard", "batik@2026.1", str(tmp_path / "none.json"))
    assert status == 2
    assert err.strip() == f"certify score: no such file: {tmp_path / 'none.json'}"


# --- sample -----------------------------------------------------------------------------------------


def test_sample_json_has_exactly_the_plan_keys(capsys: pytest.CaptureFixture[str]) -> None:
    """Lot of 500, level II, AQL 2.5: code letter H, 50 pieces, Ac 3, Re 4, not every piece."""
    status, out, _ = run(capsys, "sample", "--lot-size", "500", "--json")
    assert status == 0
    assert json.loads(out) == {"code_letter": "H", "sample_size": 50, "accept": 3, "reject": 4, "inspect_all": False}


def test_sample_of_a_small_lot_inspects_every_piece(capsys: pytest.CaptureFixture[str]) -> None:
    """A lot smaller than the plan's sample: inspect_all true; the sample size is that of the plan used."""
    status, out, _ = run(capsys, "sample", "--lot-size", "5", "--aql", "1.0", "--level", "II", "--json")
    expected = plan(5, "II", "1.0")
    assert status == 0
    assert json.loads(out) == {
        "code_letter": expected.code_letter,
        "sample_size": expected.sample_size,
        "accept": expected.accept,
        "reject": expected.reject,
        "inspect_all": True,
    }


def test_sample_explains_the_plan_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json: the code letter, the sample to inspect and the accept/reject numbers."""
    status, out, _ = run(capsys, "sample", "--lot-size", "500")
    assert status == 0
    assert "code letter H" in out and "inspect a random sample of 50 pieces" in out and "at most 3" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["sample", "--lot-size", "0"],
        ["sample", "--lot-size", "-3"],
        ["sample", "--lot-size", "many"],
        ["sample", "--lot-size", "500", "--aql", "3"],
        ["sample", "--lot-size", "500", "--level", "IV"],
        ["sample"],
        ["rules"],
        ["rules", "lint"],
        ["score", "inspection.json"],
        ["frobnicate"],
        [],
    ],
    ids=lambda argv: " ".join(argv) or "nothing",
)
def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Wrong words on the command line: exit 2, one line on stderr, nothing on stdout."""
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1


# --- as a real process ------------------------------------------------------------------------------


def test_the_command_runs_as_a_module_and_its_exit_status_reaches_the_shell() -> None:
    """`python -m certify.cli` with a usage error: exit status 2 in the shell, one line, no traceback.
    (The other statuses are checked in-process above: any uncaught exception would fail those tests.)"""
    done = subprocess.run(
        [sys.executable, "-m", "certify.cli", "sample", "--lot-size", "zero"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "certify sample: argument --lot-size: invalid int value: 'zero'"
    assert done.stdout == ""


def test_a_nan_in_an_inspection_file_is_refused_as_invalid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Python's JSON reader accepts NaN: the command still refuses it as not a valid inspection, exit 1."""
    body = json.loads(json.dumps(BATIK.examples[0].inspection))
    name = next(k for k, v in body["measurements"].items() if not isinstance(v, bool))
    body["measurements"][name] = float("nan")
    path = inspection_file(tmp_path, json.dumps(body))  # writes the bare word NaN
    assert "NaN" in path.read_text(encoding="utf-8")
    status, _, err = run(capsys, "score", "--standard", "batik@2026.1", str(path))
    assert status == 1
    assert "is not a valid inspection" in err and f"measurements.{name}" in err


def test_every_worked_example_prints_as_an_inspection_that_certify_score_accepts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`certify rules example STANDARD N` prints JSON that `certify score` scores to the outcome
    the example expects; without N, the first example, with the list on stderr."""
    for standard in bundled().standards():
        for number, example in enumerate(standard.examples, 1):
            assert main(["rules", "example", standard.ref, str(number)]) == 0
            (tmp_path / "inspection.json").write_text(capsys.readouterr().out)
            assert main(["score", "--standard", standard.ref, str(tmp_path / "inspection.json")]) == 0
            assert json.loads(capsys.readouterr().out)["certified"] == example.expect.certified
    assert main(["rules", "example", "batik"]) == 0
    printed = capsys.readouterr()
    first = bundled().get("batik").examples[0]
    assert json.loads(printed.out)["facts"] == first.inspection["facts"]
    assert f"* 1  {first.name}" in printed.err


def test_an_example_that_does_not_exist_is_refused_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "example", "batik", "99"]) == 1
    assert "has no example '99'; give a number from 1 to" in capsys.readouterr().err
    assert main(["rules", "example", "pottery"]) == 1
    assert "no standard 'pottery'" in capsys.readouterr().err


def test_help_names_only_commands_that_exist_and_describes_each_for_a_user() -> None:
    """Every command `certify --help` lists, and every sub-command those list, answers its own
    --help with exit 0 and prints nothing on stderr (no warning from a library)."""

    def help_of(*words: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "certify.cli", *words, "--help"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, ""), (words, done.stderr)
        return done.stdout

    def listed(text: str) -> list[str]:  # the names argparse lists under "commands"/positional choices
        block = re.search(r"^  \{([a-z,-]+)\}", text, re.M)
        return block.group(1).split(",") if block else re.findall(r"^    ([a-z][a-z-]+)\s{2,}\S", text, re.M)

    top = help_of()
    commands = listed(top)
    assert {"rules", "score", "sample", "serve", "demo", "verify", "audit"} <= set(commands)
    assert "Each sub-command lives in its own module" not in top  # not developer text
    for command in commands:
        for sub in listed(help_of(command)):
            help_of(command, sub)
