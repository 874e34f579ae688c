"""Read a problem file's YAML, remembering the line of every key, so errors can say file:line.

PyYAML's composer gives nodes with positions; we build plain Python data from them and a
map from key path (``parts[1].answer.type``) to line number. Duplicate keys, which plain
``yaml.safe_load`` silently accepts, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Source", "read_source", "SourceError"]


class SourceError(Exception):
    """A file that is not valid YAML, with the line where reading stopped."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Source:
    path: Path
    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, path: str) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return 1
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""


def read_source(path: Path, text: str | None = None) -> Source:
    """Parse a YAML problem file (or ``text`` standing for it)."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SourceError(f"YAML syntax: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML syntax: {exc}", None) from None
    source = Source(path, None)
    source.data = _build(node, "", source) if node is not None else None
    return source


def _build(node: yaml.Node, path: str, source: Source) -> Any:
    source.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            child = f"{path}.{key}" if path else str(key)
            if key in result:
                source.duplicates.append((child, key_node.start_mark.line + 1))
            source.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, f"{path}[{k}]", source) for k, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.Node) -> Any:
    # The safe constructor gives YAML's own typing of scalars (ints, floats, bools, null).
    return _CONSTRUCTOR.construct_object(node, deep=True)
