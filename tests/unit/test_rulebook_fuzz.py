"""Fuzzing the rule-file loader: whatever text a standard file holds, `load_file` either gives a
standard or refuses it with a `RulebookError` whose findings read `FILE:LINE: WHERE: message`;
it never crashes, never hangs on a small file, and never reports a line the file does not have.

Inputs: random bytes and text; YAML-looking lines built from the standard's own vocabulary and
YAML's punctuation (anchors, aliases, tags, complex keys, block scalars); and mutations of a
bundled standard, on its lines (deleted, duplicated, swapped, re-indented, truncated, values
replaced) and on its data (keys deleted or added, values swapped or replaced by random types).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.core.standard import Standard
from certify.rulebook import RulebookError, load_file

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "rules" / "woven" / "2026.1.yaml"  # the quickest bundled file to load
BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
BUNDLED_LINES = BUNDLED_TEXT.splitlines()
BUNDLED_DATA: dict[str, Any] = yaml.safe_load(BUNDLED_TEXT)

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Path_ = tuple[str | int, ...]


def _paths(node: Any, path: Path_ = ()) -> list[Path_]:
    """Every path into the data (keys of mappings, indexes of lists), the root excluded."""
    found: list[Path_] = []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        found.append((*path, key))
        found += _paths(child, (*path, key))
    return found


PATHS = _paths(BUNDLED_DATA)
WORDS = sorted({str(p[-1]) for p in PATHS if isinstance(p[-1], str)})
YAML_BITS = [
    "",
    "-",
    "- ",
    ":",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!python/object:os.system ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "|",
    ">-",
    "#",
    "'",
    '"',
    "\\",
    "\t",
    "~",
    "null",
    "true",
    "1e400",
    ".nan",
    "-.inf",
    "0x1F",
    "<<: *a",
    "%YAML 1.1",
    "---",
    "...",
    "\x00",
    "\ufeff",
]


def loads_cleanly(path: Path) -> None:
    """The behaviour under test: a standard, or findings that each name file, line, where, why."""
    line_count = max(1, len(path.read_bytes().splitlines()))
    try:
        standard = load_file(path)
    except RulebookError as error:
        assert error.findings, "a refusal names at least one finding"
        for finding in error.findings:
            assert finding.file == str(path)
            assert isinstance(finding.line, int) and 1 <= finding.line <= line_count + 1, finding
            assert isinstance(finding.where, str) and finding.where.strip(), finding
            assert isinstance(finding.message, str) and finding.message.strip(), finding
            assert str(finding).startswith(f"{path}:{finding.line}: {finding.where}: ")
    else:
        assert isinstance(standard, Standard)


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "fuzzed.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- random text ----------------------------------------------------------------------------------

unicode_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)


@given(content=st.one_of(st.binary(max_size=400), unicode_text))
def test_random_bytes_and_text_are_refused_with_findings_not_a_crash(tmp_path: Path, content: str | bytes) -> None:
    """Bytes that are not UTF-8, text that is not YAML or not a mapping: findings, no crash."""
    loads_cleanly(_write(tmp_path, content))


yaml_line = st.tuples(
    st.sampled_from(["", "  ", "    ", "- ", "  - "]),
    st.one_of(st.sampled_from(WORDS), st.sampled_from(YAML_BITS), st.text(max_size=8)),
    st.sampled_from([": ", ":", " ", ""]),
    st.one_of(st.sampled_from(YAML_BITS), st.sampled_from(WORDS), st.integers().map(str), st.text(max_size=12)),
).map("".join)


@given(lines=st.lists(yaml_line, max_size=30))
def test_yaml_looking_lines_with_anchors_tags_and_odd_keys_are_refused_cleanly(
    tmp_path: Path, lines: list[str]
) -> None:
    """Aliases, recursive anchors, unknown tags, complex keys and bad scalars: findings with a line."""
    loads_cleanly(_write(tmp_path, "\n".join(lines) + "\n"))


def test_a_recursive_alias_or_a_billion_laughs_is_refused_at_its_line(tmp_path: Path) -> None:
    """Aliases are refused where they stand: a self-reference or an exponential expansion cannot
    make the loader recurse forever or build millions of values."""
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]"
        for before, name in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    for text, line in (("id: wood\nself: &s [*s]\n", 2), ("\n".join(laughs) + "\n", 2)):
        path = _write(tmp_path, text)
        loads_cleanly(path)
        with pytest.raises(RulebookError) as refused:
            load_file(path)
        assert [f.line for f in refused.value.findings] == [line]
        assert "alias" in refused.value.findings[0].message


# --- mutations of a bundled file ------------------------------------------------------------------

line_index = st.integers(min_value=0, max_value=len(BUNDLED_LINES) - 1)
line_edit = st.one_of(
    st.tuples(st.just("delete"), line_index, st.just(0), st.just("")),
    st.tuples(st.just("duplicate"), line_index, st.just(0), st.just("")),
    st.tuples(st.just("swap"), line_index, line_index, st.just("")),
    st.tuples(st.just("indent"), line_index, st.sampled_from([-4, -2, -1, 1, 2, 4]), st.just("")),
    st.tuples(st.just("value"), line_index, st.just(0), st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=10))),
    st.tuples(st.just("insert"), line_index, st.just(0), yaml_line),
    st.tuples(st.just("truncate"), line_index, st.just(0), st.just("")),
)


def _edit_lines(lines: list[str], edit: tuple[str, int, int, str]) -> list[str]:
    kind, at, other, text = edit
    at = min(at, len(lines) - 1)
    if not lines or at < 0:
        return lines
    if kind == "delete":
        return lines[:at] + lines[at + 1 :]
    if kind == "duplicate":
        return lines[: at + 1] + lines[at:]
    if kind == "swap":
        other = min(other, len(lines) - 1)
        lines = list(lines)
        lines[at], lines[other] = lines[other], lines[at]
        return lines
    if kind == "indent":
        line = lines[at]
        new = " " * other + line if other > 0 else line[min(-other, len(line) - len(line.lstrip(" "))) :]
        return [*lines[:at], new, *lines[at + 1 :]]
    if kind == "value":
        key, colon, _value = lines[at].partition(": ")
        return [*lines[:at], f"{key}{colon or ': '}{text}", *lines[at + 1 :]]
    if kind == "insert":
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip(" "))]
        return [*lines[:at], indent + text, *lines[at:]]
    return lines[:at]  # truncate


MUTATIONS = 20  # examples per mutation test: each loads a whole 900-line standard


@settings(max_examples=MUTATIONS)
@given(edits=st.lists(line_edit, min_size=1, max_size=4))
def test_a_bundled_file_with_lines_deleted_swapped_or_changed_loads_or_is_refused_cleanly(
    tmp_path: Path, edits: list[tuple[str, int, int, str]]
) -> None:
    """Edits to the lines of a real standard: a standard, or findings naming an existing line."""
    lines = BUNDLED_LINES
    for edit in edits:
        lines = _edit_lines(lines, edit)
    loads_cleanly(_write(tmp_path, "\n".join(lines) + "\n"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(WORDS),
)
random_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=12,
)
data_edit = st.one_of(
    st.tuples(st.just("delete"), st.sampled_from(PATHS), st.none()),
    st.tuples(st.just("set"), st.sampled_from(PATHS), random_values),
    st.tuples(
        st.just("add"),
        st.sampled_from(PATHS),
        st.tuples(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), random_values),
    ),
    st.tuples(st.just("swap"), st.sampled_from(PATHS), st.sampled_from(PATHS)),
)


def _at(data: Any, path: Path_) -> tuple[Any, str | int] | None:
    """The container holding the last part of `path`, and that part, if the path still exists."""
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict) and path[-1] in node:
        return node, path[-1]
    if isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        return node, path[-1]
    return None


def _edit_data(data: Any, edit: tuple[str, Path_, Any]) -> None:
    kind, path, argument = edit
    place = _at(data, path)
    if place is None:
        return
    container, key = place
    if kind == "delete":
        del container[key]
    elif kind == "set":
        container[key] = argument
    elif kind == "add":
        if isinstance(container[key], dict):
            container[key][argument[0]] = argument[1]
    else:
        other = _at(data, argument)
        if other is not None:
            container[key], other[0][other[1]] = other[0][other[1]], container[key]


@settings(max_examples=MUTATIONS)
@given(edits=st.lists(data_edit, min_size=1, max_size=4))
def test_a_bundled_standard_with_keys_removed_added_or_values_of_random_types_is_refused_cleanly(
    tmp_path: Path, edits: list[tuple[str, Path_, Any]]
) -> None:
    """Keys deleted, unknown keys added, values swapped or replaced by random types: findings."""
    data = copy.deepcopy(BUNDLED_DATA)
    for edit in edits:
        _edit_data(data, edit)
    loads_cleanly(_write(tmp_path, yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)))


def test_a_condition_that_is_not_a_mapping_is_refused_at_its_line(tmp_path: Path) -> None:
    """`applies_when: washable` (a word, not a condition): a finding at that line, not a TypeError."""
    condition = "applies_when: {fact: care, op: eq, value: washable}"
    line = BUNDLED_LINES.index(f"    {condition}") + 1
    path = _write(tmp_path, BUNDLED_TEXT.replace(condition, "applies_when: washable", 1))
    with pytest.raises(RulebookError) as refused:
        load_file(path)
    assert [f.line for f in refused.value.findings] == [line]


def test_the_unmutated_bundled_file_loads() -> None:
    """The fuzzing starts from a valid standard (otherwise every mutation is trivially refused)."""
    assert load_file(BUNDLED).id == "woven"
