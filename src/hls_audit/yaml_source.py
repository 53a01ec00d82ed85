"""Read one YAML file safely: no duplicate keys, aliases or floats; every position kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from hls_audit.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]
KEY = "<key>"

try:
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader

_MERGE = "tag:yaml.org,2002:merge"


class _StrictConstructor:
    """Rejects duplicate keys; both loaders share this Python-level constructor."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:
                continue
            if first is not key_node.start_mark:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first defined at line {first.line + 1})",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep)  # type: ignore[misc, no-any-return]


class StrictLoader(_StrictConstructor, _Base):  # type: ignore[misc, valid-type]
    """Safe loader with duplicate-key detection and floats read as exact Decimals."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = str(loader.construct_scalar(node)).replace("_", "").strip()
    lowered = text.lower()
    if lowered in (".nan",):
        return Decimal("NaN")
    if lowered in (".inf", "+.inf"):
        return Decimal("Infinity")
    if lowered == "-.inf":
        return Decimal("-Infinity")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # e.g. sexagesimal 1:30.5; the model rejects it with a clear message


StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the 1-based (line, column) of every value and key."""

    path: str
    data: Any
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: PathKey) -> tuple[int, int] | None:
        """Position of ``loc``, falling back to the nearest enclosing node."""
        probe = tuple(loc)
        while True:
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return None
            probe = probe[:-1]


def yaml_path(loc: PathKey) -> str:
    """Render ``('claims', 3, 'evidence', 0)`` as ``claims[3].evidence[0]``."""
    out = ""
    for part in loc:
        if part == KEY:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line, column = _line_col(good, len(good))
        raise InputError(
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            path=display,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None


def read_bytes(path: Path, display: str, what: str = "file") -> bytes:
    """Read a file's bytes with a size limit and a clear message for each failure."""
    if path.is_dir():
        raise InputError(
            f"expected a {what} but found a folder", path=display, hint=f"point at the {what}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                path=display,
                hint="split the case study or remove what does not belong in it",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such {what}", path=display, hint="check the path") from None
    except PermissionError:
        raise InputError(
            f"the {what} cannot be read (permission denied)",
            path=display,
            hint="make it readable by the user running hls-audit",
        ) from None
    except OSError as exc:
        raise InputError(f"the {what} cannot be read: {exc.strerror}", path=display) from None


def _index_nodes(root: yaml.Node, display: str) -> dict[PathKey, tuple[int, int]]:
    marks: dict[PathKey, tuple[int, int]] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in seen:
            # The composer hands back the anchored node itself; point at where it is reused.
            line, column = marks.get((*loc, KEY), marks.get(loc[:-1], (line, column)))
            raise InputError(
                "anchors and aliases (&name / *name) are not supported",
                path=display,
                line=line,
                column=column,
                yaml_path=yaml_path(loc),
                hint="write the value out in full where it is used",
            )
        seen.add(id(node))
        if len(loc) > MAX_DEPTH:
            raise InputError(
                f"the file nests deeper than {MAX_DEPTH} levels",
                path=display,
                line=line,
                column=column,
                hint="a claims file needs only a few levels of nesting",
            )
        marks[loc] = (line, column)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                if key_node.tag == _MERGE:
                    raise InputError(
                        "merge keys (<<) are not supported",
                        path=display,
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                        hint="write the keys out in full",
                    )
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                child = (*loc, key)
                marks[(*child, KEY)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index in range(len(node.value) - 1, -1, -1):
                stack.append((node.value[index], (*loc, index)))
    return marks


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse YAML text into data plus positions; every failure becomes an :class:`InputError`."""
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(display, None, {})
        marks = _index_nodes(root, display)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context and "duplicate key" in problem:
            hint = "remove one of the two keys, or merge their values"
        elif "could not determine a constructor" in problem:
            hint = "tags such as !!python/object are refused; write plain values"
        elif mark is not None and text[mark.index : mark.index + 1] == "\t":
            hint = "indent with spaces, not tabs"
        else:
            hint = "fix the YAML syntax at this place (quote values that contain ': ' or '#')"
        raise InputError(
            problem,
            path=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint=hint,
        ) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_col(text, exc.position)
        raise InputError(
            f"character 0x{exc.character:02x} is not allowed in YAML"
            if isinstance(exc.character, int)
            else "the file contains a character YAML does not allow",
            path=display,
            line=line,
            column=column,
            hint="remove control characters such as NUL from the file",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", path=display) from None
    finally:
        loader.dispose()
    return YamlDocument(display, data, marks)


def load_yaml(path: Path, display: str) -> YamlDocument:
    """Read, decode and parse one YAML file."""
    return parse_yaml(decode(read_bytes(path, display), display), display)
