"""Sentence and paragraph boundaries, as character offsets, in a case study's plain text."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

Span = tuple[int, int]

# A full stop after one of these does not end a sentence ("c. GBP5m", "Dr. Lowe", "pp. 2-3").
# fmt: off
ABBREVIATIONS = frozenset({
    "c", "ca", "dr", "mr", "mrs", "ms", "mx", "prof", "st", "e.g", "i.e", "eg", "ie", "vs", "cf",
    "al", "approx", "incl", "est", "no", "nos", "p", "pp", "pg", "fig", "figs", "vol", "vols",
    "ed", "eds", "rev", "para", "paras", "sec", "ch", "chap", "dept", "govt", "univ", "cllr",
    "hon", "rt", "sr", "jr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec",
})
# fmt: on
# Candidate sentence ends: terminal punctuation, any closing quotes, brackets or emphasis.
_END = re.compile(r"[.!?]+[\"'\u2019\u201d)\]*_]*(?=\s)")
_NON_SPACE = re.compile(r"\S")
# A line that starts a block of its own: heading, list item, numbered line, register entry, table.
_BLOCK_START = re.compile(
    r"[ \t]*(?:\#{1,6}[ \t]|[-*+][ \t]|\d{1,2}(?:\.\d{1,2})*[.)][ \t]"
    r"|[A-Z]{1,2}\d{1,3}[a-z]?[.):\t]|\|)"
)


def _is_row(stripped: str) -> bool:
    return "\t" in stripped or stripped.startswith("|")


@lru_cache(maxsize=16)
def paragraph_spans(text: str) -> tuple[Span, ...]:
    """Paragraphs: runs of lines between blank lines; headings, list items and table rows stand
    alone. A run that ends mid-sentence and resumes in lower case after blank lines (a page break
    in an extracted PDF) stays one paragraph."""
    spans: list[list[int]] = []
    offset = 0
    blank = False
    after_row = False
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        first = start + len(line) - len(line.lstrip())
        last = start + len(line.rstrip())
        row = _is_row(stripped)
        block = row or after_row or bool(_BLOCK_START.match(line))
        if not spans or block:
            new = True
        elif blank:
            previous = text[spans[-1][1] - 1]
            new = not ((previous.isalnum() or previous == ",") and stripped[0].islower())
        else:
            new = False
        if new:
            spans.append([first, last])
        else:
            spans[-1][1] = last
        blank = False
        after_row = row
    return tuple((a, b) for a, b in spans)


_TOKEN_REACH = 24


def _ends_sentence(text: str, match: re.Match[str], limit: int) -> bool:
    after = _NON_SPACE.search(text, match.end(), limit)
    if after is None or after.group().islower():
        return False
    if match.group()[0] != ".":
        return True
    index = match.start()
    floor = max(0, index - _TOKEN_REACH)  # abbreviations are short: never walk a long run back
    while index > floor and (text[index - 1].isalpha() or text[index - 1] == "."):
        index -= 1
    token = text[index : match.start()]
    if not token:
        return True
    if len(token) == 1 and token.isupper():  # an initial: "Dickinson H. Henderson"
        return False
    return token.lower() not in ABBREVIATIONS


@lru_cache(maxsize=16)
def sentence_spans(text: str) -> tuple[Span, ...]:
    """Sentences, never crossing a paragraph; "c.", "Dr.", "e.g.", initials and "7.7" do not end
    one."""
    spans: list[Span] = []
    for start, end in paragraph_spans(text):
        begin = start
        for match in _END.finditer(text, start, end):
            if _ends_sentence(text, match, end):
                spans.append((begin, match.end()))
                following = _NON_SPACE.search(text, match.end(), end)
                begin = following.start() if following else end
        if begin < end:
            spans.append((begin, end))
    return tuple(spans)


def _containing(spans: tuple[Span, ...], offset: int) -> Span:
    index = bisect_right(spans, (offset, 1 << 62)) - 1
    if index >= 0 and spans[index][0] <= offset < spans[index][1]:
        return spans[index]
    return offset, offset


def sentence_span(text: str, offset: int) -> Span:
    """The (start, end) of the sentence holding ``offset``; (offset, offset) between sentences."""
    return _containing(sentence_spans(text), offset)


def paragraph_span(text: str, offset: int) -> Span:
    """The (start, end) of the paragraph holding ``offset``; (offset, offset) between them."""
    return _containing(paragraph_spans(text), offset)
