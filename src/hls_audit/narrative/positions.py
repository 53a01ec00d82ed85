"""Line and column numbers (1-based) of character offsets in a text."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache


@lru_cache(maxsize=16)
def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    find = text.find
    index = find("\n")
    while index != -1:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return tuple(starts)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset``; lines end at ``\\n`` only."""
    starts = _line_starts(text)
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset``."""
    return bisect_right(_line_starts(text), offset)
