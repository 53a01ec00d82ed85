"""Turn Pydantic validation errors into input errors that point at a YAML line and column."""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING, Any

from hls_audit.core.errors import InputError
from hls_audit.core.sanitize import MAX_VALUE, one_line
from hls_audit.io.yaml_source import KEY, PathKey, YamlDocument, yaml_path

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MAX_REPORTED = 50


def _known_keys(model: type[BaseModel]) -> set[str]:
    from pydantic import BaseModel

    keys: set[str] = set()
    stack: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            keys.add(name)
            for arg in _type_args(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    stack.append(arg)
    return keys


def _keys_at(model: type[BaseModel], loc: PathKey) -> list[str]:
    """The keys the model allows at ``loc`` (a mapping's path), or [] if it cannot tell."""
    from pydantic import BaseModel

    current = model
    for part in loc:
        if isinstance(part, int):
            continue  # a list index: the item's model was found with the list's field
        info = current.model_fields.get(part)
        if info is None:
            return []
        inner = [
            arg
            for arg in _type_args(info.annotation)
            if isinstance(arg, type) and issubclass(arg, BaseModel)
        ]
        if not inner:
            return []
        current = inner[0]
    return list(current.model_fields)


def _type_args(annotation: Any) -> list[Any]:
    out = [annotation]
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_type_args(arg))
    return out


def _quoted(value: object) -> str:
    """``repr(value)`` as one safe line cut at MAX_VALUE characters: an id may be megabytes long.

    A cut string ends with the ellipsis and no closing quote, which shows that it goes on.
    """
    if isinstance(value, str):
        value = value[: MAX_VALUE + 1]
    try:
        text = repr(value)
    except ValueError:  # an integer with more digits than Python will print
        return "a number too long to show"
    return one_line(text, MAX_VALUE)


def _non_ascii_note(value: object) -> str:
    if not isinstance(value, str):
        return ""
    char = next((c for c in value if ord(c) > 127), None)
    if char is None:
        return ""
    name = unicodedata.name(char, "unnamed character")
    return f"; it contains {char!r} (U+{ord(char):04X} {name}), which only looks like ASCII"


def _clean_loc(loc: tuple[Any, ...], data: Any) -> PathKey:
    """Pydantic's loc with its own tags (``function-before[...]``, ``[key]``) removed.

    A part is kept when it names a key or index present in the data, so a key such as
    ``held-by`` or ``notes[0]`` survives; a last part that is absent is kept when it is a field
    name (a missing key).
    """
    out: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        in_mapping = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = (
            isinstance(node, list)
            and isinstance(part, int)
            and not isinstance(part, bool)
            and 0 <= part < len(node)
        )
        if in_mapping or in_list:
            node = node[part]
        elif index == len(loc) - 1 and isinstance(part, str) and part.isidentifier():
            node = None
        else:
            continue
        out.append(part)
    return tuple(out)


def to_input_errors(
    exc: ValidationError, document: YamlDocument, model: type[BaseModel]
) -> list[InputError]:
    """One InputError per validation error, located at the offending key or value."""
    errors: list[InputError] = []
    known = _known_keys(model)
    for error in exc.errors(include_url=False)[:MAX_REPORTED]:
        loc = _clean_loc(error["loc"], document.data)
        kind = error["type"]
        message = str(error["msg"]).removeprefix("Value error, ")
        hint = ""
        position = document.position(loc)
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else "?"
            position = document.marks.get((*loc, KEY), position)
            message = f"unknown key {_quoted(key)}"
            here = _keys_at(model, loc[:-1])
            close = difflib.get_close_matches(key, here or sorted(known), n=1)
            if close:
                hint = f"did you mean {close[0]!r}?"
            elif here:
                hint = f"remove it; the keys allowed here are {', '.join(here)}"
            else:
                hint = "remove it; see the README for keys"
        elif kind == "missing":
            key = str(loc[-1]) if loc else "?"
            position = document.position(loc[:-1])
            message = f"missing required key {key!r}"
            hint = f"add `{key}:` here"
        elif kind == "string_pattern_mismatch":
            message = (
                f"{_quoted(error['input'])} is not a valid identifier"
                f"{_non_ascii_note(error['input'])}"
            )
            hint = "ids use ASCII letters, digits, '_', '.' and '-', and start with a letter"
        elif kind in ("model_type", "model_attributes_type"):
            message = f"expected a mapping of keys, got {_describe(error['input'])}"
            hint = "write `key: value` pairs here"
        elif kind == "list_type":
            message = f"expected a list, got {_describe(error['input'])}"
            hint = "write one item per line, each starting with '- '"
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            message = f"{message}, got {_describe(error['input'])}"
            hint = "quote text values; write numbers and dates plainly"
        elif kind == "literal_error" and loc == ("version",):
            hint = f"this hls-audit reads claims files of version 1, not {_quoted(error['input'])}"
        elif kind == "enum":
            hint = "use one of the values listed"
        elif kind == "value_error" and loc and loc[-1] in ("value", "tolerance"):
            hint = "see Amounts in the README: 77000000, 88194.45, '77,000,000', '77m'"
        line, column = position if position else (None, None)
        errors.append(
            InputError(
                message,
                path=document.path,
                line=line,
                column=column,
                hint=hint or "fix the value at this place",
                yaml_path=yaml_path(loc),
                code="HLS006",
            )
        )
    return errors


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
