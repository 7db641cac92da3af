"""YAML read with the line of every value, so that an error can name the line it is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"{line}: {message}")


@dataclass
class Located:
    """A YAML document as plain data, and the line (1-based) where each path into it starts."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of the deepest part of `path` that exists in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


MAX_DEPTH = 50  # levels of nesting; the bundled standards use fewer than 10


class _PlainDataLoader(yaml.SafeLoader):
    """A standard is plain data: an alias (`*name`) is refused where it stands, so that a file
    cannot refer to itself (endless recursion) or expand without bound (a "billion laughs"), and
    so is nesting deeper than `MAX_DEPTH` (it would exhaust Python's stack)."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a standard: write the value out", mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load(text: str) -> Located:
    """Parse one YAML document, keeping lines; refuses aliases, deep nesting, complex keys and
    duplicate keys."""
    try:
        node = yaml.compose(text, Loader=_PlainDataLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(mark.line + 1 if mark else 1, f"YAML error: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlError(1, f"YAML error: {error}") from None
    if node is None:
        raise YamlError(1, "the file is empty")
    located = Located(None)
    located.data = _build(node, (), located.lines)
    return located


def _build(node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, "a key must be a plain value, not a list or a mapping")
            key = _scalar(key_node)
            if key in result:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
            result[key] = _build(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, index), lines) for index, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except Exception as error:  # PyYAML's constructors fail untyped on odd scalars: `!!int ""`, `!!bool x`
        problem = getattr(error, "problem", None) or (str(error).splitlines() or [type(error).__name__])[0]
        raise YamlError(node.start_mark.line + 1, f"YAML error: {problem}") from None
