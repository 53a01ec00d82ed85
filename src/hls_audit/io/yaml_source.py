"""Read one YAML file safely: no duplicate keys, aliases or floats; every position kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from hls_audit.core.errors import InputError
from hls_audit.io.files import MAX_INPUT_BYTES, Folder

MAX_BYTES = MAX_INPUT_BYTES
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]
KEY = "<key>"

try:
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader

_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

_DEPTH_HINT = "a claims file needs only a few levels of nesting"
_SYNTAX_HINT = "fix the YAML syntax at this place (quote values that contain ': ' or '#')"
_KEY_HINT = "keys are words such as `id:` or `value:`"


_SCALAR = yaml.ScalarNode
_PLAIN = "hls-audit:plain"  # a plain scalar whose type _Builder decides, exactly as PyYAML would
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """The composer only: the node tree with positions; _Builder makes the values.

    Resolving each scalar's type in PyYAML's Python resolver, called back from libyaml for every
    node, costs about 40% of composing; plain scalars are marked here and typed in one pass later
    with the same rules (see `_resolve_plain`).
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _MAP if kind is yaml.MappingNode else _SEQ

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_BY_FIRST = {
    first: tuple(resolvers) + tuple(_IMPLICIT.get(None, []))
    for first, resolvers in _IMPLICIT.items()
    if first is not None
}
_WILDCARD = tuple(_IMPLICIT.get(None, []))


def _resolve_plain(value: str) -> str:
    """PyYAML's implicit typing of a plain scalar (YAML 1.1: null, bool, int, float, timestamp)."""
    for tag, pattern in _BY_FIRST.get(value[0] if value else "", _WILDCARD):
        if pattern.match(value):
            return str(tag)
    return _STR


_PLAIN_TAGS: dict[str, str] = {}  # a plain scalar's type by its text: keys and values repeat
_PLAIN_TAGS_SIZE = 65536
_PLAIN_TAGS_LENGTH = 200


def _plain_tag(value: str) -> str:
    """`_resolve_plain`, remembered for short texts (the same keys and words recur)."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = _resolve_plain(value)
        if len(value) <= _PLAIN_TAGS_LENGTH and len(_PLAIN_TAGS) < _PLAIN_TAGS_SIZE:
            _PLAIN_TAGS[value] = tag
    return tag


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = str(loader.construct_scalar(node)).replace("_", "").strip()
    if not text.isascii():
        # Decimal reads any Unicode digit (U+0667 as 7); left as text, the model names it.
        return text
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


_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
MAX_INT_DIGITS = 4000  # below Python's int/str conversion limit of 4300 digits


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    """Plain decimal integers only: YAML 1.1's 0x17, 017 (octal) and 1:30 (base 60) stay text.

    Otherwise ``value: 017`` would silently read as 15 and ``190:20:30`` as 685230.
    """
    text = str(loader.construct_scalar(node))
    if not _DECIMAL_INT.fullmatch(text):
        return text
    digits = text.replace("_", "").lstrip("+-")
    if len(digits) > MAX_INT_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number with {len(digits):,} digits is too long", node.start_mark
        )
    return int(text.replace("_", ""))


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A date YAML cannot build (2019-02-30) stays text, so the model can say what is wrong."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(loader.construct_scalar(node))


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
            code="HLS004",
        ) from None


_KEY_KINDS = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "null (nothing)",
    "tag:yaml.org,2002:timestamp": "a date",
}


def _error_at(mark: Any, message: str, display: str, hint: str) -> InputError:
    return InputError(
        message, path=display, line=mark.line + 1, column=mark.column + 1, hint=hint, code="HLS005"
    )


def _alias_error(text: str, display: str) -> InputError:
    """Point at the first alias (*name) in the text, naming where its anchor (&name) is."""
    anchors: dict[str, Any] = {}
    for event in yaml.parse(text, Loader=_Base):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            where = anchors.get(anchor or "")
            at = f" (anchored as &{anchor} on line {where.line + 1})" if where else ""
            return _error_at(
                event.start_mark,
                f"anchors and aliases (&name / *name) are not supported: *{anchor} repeats "
                f"a value{at}",
                display,
                "write the value out in full where it is used",
            )
        if anchor is not None:
            anchors.setdefault(anchor, event.start_mark)
    return InputError(  # unreachable: a node is only reused through an alias
        "anchors and aliases (&name / *name) are not supported",
        path=display,
        hint="write the value out in full where it is used",
        code="HLS005",
    )


def _check_key(key_node: yaml.Node, display: str) -> None:
    """Every key of the format is text: refuse `1:`, `true:`, `~:`, `2019-01-01:` and `[a]:`."""
    if not isinstance(key_node, yaml.ScalarNode):
        raise _error_at(
            key_node.start_mark,
            "a list or mapping cannot be used as a key",
            display,
            f"{_KEY_HINT}; a '?' at the start of a line begins such a key",
        )
    if key_node.tag == _STR:
        return
    if key_node.value == "":
        raise _error_at(key_node.start_mark, "a key is missing before ':'", display, _KEY_HINT)
    kind = _KEY_KINDS.get(key_node.tag, f"a value tagged {key_node.tag}")
    raise _error_at(
        key_node.start_mark,
        f"the key {key_node.value!r} is read as {kind}, not as text",
        display,
        f"{_KEY_HINT}; quote it if it must be {key_node.value!r}",
    )


_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOLS = yaml.constructor.SafeConstructor.bool_values


def _unknown_tag(node: yaml.Node) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark
    )


class _Builder:
    """One pass over the node tree: the data, every position, and every refusal.

    It does the work of PyYAML's constructor with this project's rules (Decimal floats, plain
    decimal integers, no duplicate or non-text keys, no aliases, no tags) at about twice its
    speed, which matters when a portfolio holds thousands of files.
    """

    def __init__(self, loader: yaml.SafeLoader, display: str, text: str) -> None:
        self.loader = loader
        self.display = display
        self.text = text
        self.marks: dict[PathKey, tuple[int, int]] = {}
        self.seen: set[int] = set()
        # A node can only be reused through an anchor, and an anchor needs a '&'.
        self.aliases_possible = "&" in text

    def build(self, node: yaml.Node, loc: PathKey) -> Any:
        if self.aliases_possible:
            if id(node) in self.seen:
                # The composer hands back the anchored node itself and drops the alias's
                # position, so find the alias in the event stream.
                raise _alias_error(self.text, self.display)
            self.seen.add(id(node))
        mark = node.start_mark
        if len(loc) > MAX_DEPTH:
            raise self.too_deep(mark)
        self.marks[loc] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _unknown_tag(node)
            return self.items(node.value, loc)
        if node.tag != _MAP:
            raise _unknown_tag(node)
        return self.mapping(node, loc)

    def items(self, nodes: list[yaml.Node], loc: PathKey) -> list[Any]:
        """A sequence's items; a scalar item (most are) is built here, as build would."""
        if self.aliases_possible:
            return [self.build(item, (*loc, index)) for index, item in enumerate(nodes)]
        out: list[Any] = []
        deep = len(loc) >= MAX_DEPTH
        marks = self.marks
        for index, item in enumerate(nodes):
            child = (*loc, index)
            if item.__class__ is _SCALAR:
                mark = item.start_mark
                if deep:
                    raise self.too_deep(mark)
                marks[child] = (mark.line + 1, mark.column + 1)
                out.append(self.scalar(item))
            else:
                out.append(self.build(item, child))
        return out

    def mapping(self, node: yaml.Node, loc: PathKey) -> dict[str, Any]:
        """A mapping's keys (each text, none twice) and values, with the position of each."""
        out: dict[str, Any] = {}
        firsts: dict[str, Any] = {}
        marks = self.marks
        inline = not self.aliases_possible
        deep = len(loc) >= MAX_DEPTH
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _PLAIN:  # the remembered type first: keys repeat from record to record
                value = key_node.value
                tag = key_node.tag = _PLAIN_TAGS.get(value) or _plain_tag(value)
            if tag == _MERGE:
                raise _error_at(
                    key_node.start_mark,
                    "merge keys (<<) are not supported",
                    self.display,
                    "write the keys out in full",
                )
            if self.aliases_possible:
                if id(key_node) in self.seen:
                    raise _alias_error(self.text, self.display)
                self.seen.add(id(key_node))
            if tag != _STR:
                _check_key(key_node, self.display)
            key = key_node.value
            key_mark = key_node.start_mark
            first = firsts.setdefault(key, key_mark)
            if first is not key_mark:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first defined at line {first.line + 1}, "
                    f"column {first.column + 1})",
                    key_mark,
                )
            child = (*loc, key)
            marks[(*child, KEY)] = (key_mark.line + 1, key_mark.column + 1)
            if inline and value_node.__class__ is _SCALAR:
                mark = value_node.start_mark
                if deep:
                    raise self.too_deep(mark)
                marks[child] = (mark.line + 1, mark.column + 1)
                out[key] = self.scalar(value_node)
            else:
                out[key] = self.build(value_node, child)
        return out

    def too_deep(self, mark: Any) -> InputError:
        return InputError(
            f"the file nests deeper than {MAX_DEPTH} levels",
            path=self.display,
            line=mark.line + 1,
            column=mark.column + 1,
            hint=_DEPTH_HINT,
            code="HLS005",
        )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _PLAIN:
            tag = node.tag = _PLAIN_TAGS.get(node.value) or _plain_tag(node.value)
        if tag == _STR:
            return node.value
        if tag == _INT:
            return _construct_int(self.loader, node)
        if tag == _FLOAT:
            return _construct_decimal(self.loader, node)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOLS[node.value.lower()]
        if tag == _TIMESTAMP:
            return _construct_timestamp(self.loader, node)
        raise _unknown_tag(node)


_OPENERS = {
    "a flow sequence": "[...] list",
    "a flow mapping": "{...} mapping",
    "a block mapping": "mapping",
    "a block collection": "list",
}
_CLOSERS = {"[...] list": "]", "{...} mapping": "}"}


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, display: str) -> InputError:
    """A located message for a YAML error, pointing where the fix belongs."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    hint = _SYNTAX_HINT
    if context and "duplicate key" in problem:
        hint = "remove one of the two keys, or merge their values"
    elif "could not determine a constructor" in problem:
        tag = problem.rsplit("tag ", 1)[-1].strip("'")
        short = tag.replace("tag:yaml.org,2002:", "!!")
        problem = f"the tag {short} is not allowed; nothing was constructed or run"
        hint = "remove the tag and write a plain value (text, number, list or mapping)"
    elif "quoted scalar" in context and "end of stream" in problem and exc.context_mark:
        mark = exc.context_mark
        problem = "this quoted value is never closed: the file ends inside it"
        hint = "add the closing quote (a quote inside the value is written '' within '...' "
        hint += 'and \\" within "...")'
    elif "undefined alias" in problem:
        problem = "found an alias (*name) with no anchor (&name) before it"
        hint = "anchors and aliases are not supported: write the value out in full"
    elif "another document" in problem:
        problem = "the file holds more than one YAML document"
        hint = "a file holds one document: remove the '---' line and what follows, or merge it"
    elif "nesting depth" in problem:
        problem = f"the file nests deeper than {MAX_DEPTH} levels"
        hint = _DEPTH_HINT
    elif mark is not None and text[mark.index : mark.index + 1] == "\t":
        hint = "indent with spaces, not tabs"
    opened = exc.context_mark
    if (
        context.startswith("while parsing")
        and opened is not None
        and mark is not None
        and (opened.line, opened.column) != (mark.line, mark.column)
    ):
        what = _OPENERS.get(context.removeprefix("while parsing "), "value")
        problem += f" (in the {what} that starts at line {opened.line + 1}, "
        problem += f"column {opened.column + 1})"
        if what in _CLOSERS and hint == _SYNTAX_HINT:
            hint = f"close the {what} with '{_CLOSERS[what]}' and separate its items with ','"
    return InputError(
        problem,
        path=display,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint=hint,
        code="HLS005",
    )


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse YAML text into data plus positions; every failure becomes an :class:`InputError`."""
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(display, None, {})
        builder = _Builder(loader, display, text)
        data = builder.build(root, ())
        marks = builder.marks
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, display) from None
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
            code="HLS005",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"invalid YAML: {exc}", path=display, hint=_SYNTAX_HINT, code="HLS005"
        ) from None
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        raise InputError(
            f"the file nests deeper than {MAX_DEPTH} levels",
            path=display,
            hint=_DEPTH_HINT,
            code="HLS005",
        ) from None
    finally:
        loader.dispose()
    return YamlDocument(display, data, marks)


def load_yaml(
    path: Path, display: str, folder: Folder | None = None, what: str = "file"
) -> YamlDocument:
    """Read (through the case study's door), decode and parse one YAML file."""
    door = folder if folder is not None else Folder.of(path)
    return parse_yaml(decode(door.read_bytes(path, display, what), display), display)
