"""The YAML builder's quick path for scalars gives the data, positions and errors of its full path.

A text holding '&' (an anchor is possible) takes the full path for every node; the same text
with '&' only in a trailing comment must therefore read identically to the text without it.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hls_audit.core.errors import InputError
from hls_audit.io.yaml_source import KEY, MAX_DEPTH, parse_yaml

FULL_PATH = "\n# & forces the full path\n"

words = st.text(alphabet="abcdefghij _-", min_size=1, max_size=8).filter(
    lambda s: s.strip() == s and not s.startswith(("-", "_"))
)
scalars = st.one_of(
    words,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(words, inner, min_size=1, max_size=4)
    ),
    max_leaves=25,
).map(lambda value: {"root": value})


def _read(text: str) -> tuple[Any, dict[Any, tuple[int, int]]] | tuple[str, int | None]:
    try:
        document = parse_yaml(text, "f.yaml")
    except InputError as exc:
        return exc.message, exc.line
    return document.data, document.marks


def _reference_marks(text: str) -> dict[Any, tuple[int, int]]:
    """Every position, straight from PyYAML's own composer."""
    marks: dict[Any, tuple[int, int]] = {}

    def walk(node: yaml.Node, loc: tuple[Any, ...]) -> None:
        marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                marks[(*loc, key.value, KEY)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                walk(value, (*loc, key.value))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    walk(root, ())
    return marks


@settings(max_examples=200, deadline=None)
@given(documents, st.booleans())
def test_quick_and_full_paths_agree(data: dict[str, Any], flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, sort_keys=False)
    quick, full = _read(text), _read(text + FULL_PATH)
    assert quick == full
    assert quick[0] == yaml.safe_load(text)
    assert quick[1] == _reference_marks(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 2\na: 3\n",
        "a: {x: 1, x: 2}\n",
        "- [1, 2]\n- {1: one}\n",
        "a: [true, ~, 017, 0x1f, 1_000, 2019-02-30, 2019-02-03]\n",
        "a: !!python/name:os.system x\n",
        "a: 1.5\nb: .inf\nc: -.inf\n",
        "<<: {a: 1}\n",
        "? [a]\n: 1\n",
        '"": 1\n',
        "~: 1\n",
    ],
)
def test_the_paths_agree_on_awkward_input(text: str) -> None:
    assert _read(text) == _read(text + FULL_PATH)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
@pytest.mark.parametrize("leaf", ["x", "{a: x}", "[x]"])
def test_the_paths_agree_on_depth(depth: int, leaf: str) -> None:
    flow = "[" * depth + leaf + "]" * depth
    block = "".join(f"{'  ' * level}k{level}:\n" for level in range(depth))
    block += f"{'  ' * depth}k: {leaf}\n"
    for text in (f"a: {flow}\n", block):
        assert _read(text) == _read(text + FULL_PATH)


def test_too_deep_names_the_node() -> None:
    text = "a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n"
    message, line = _read(text)
    assert message == f"the file nests deeper than {MAX_DEPTH} levels"
    assert line == 1
