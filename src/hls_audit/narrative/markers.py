"""Citation markers in the text: "[E1]", "[**E2**, p9]", "[G1-G3]"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hls_audit.narrative.positions import line_col

MAX_RANGE = 50  # a range wider than this ("[E1-E999]") is not read as a marker

_BRACKET = re.compile(r"\\?\[(?P<body>[^\[\]\n]{1,400}?)\\?\]")
_EMPHASIS = re.compile(r"[*_\\]|</?(?:b|i|em|strong)>")
_PART = re.compile(r"\s*[;,]\s*")
_ID = r"(?P<prefix>[A-Z]{1,2})(?P<number>\d{1,3})(?P<letter>[a-z]?)"
_PAGES = r"(?i:pp?\.?|pages?|pg\.?)\s*(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?"
_ONE = re.compile(rf"{_ID}(?:(?:\s*:\s*|\s+){_PAGES})?")
_RANGE = re.compile(
    rf"{_ID}\s*[-–]\s*(?P<prefix2>[A-Z]{{1,2}})?(?P<number2>\d{{1,3}})?(?P<letter2>[a-z]?)"
)
_PAGES_ONLY = re.compile(_PAGES)
_BARE_PAGES = re.compile(r"(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?")


@dataclass(frozen=True)
class Cite:
    """One id a marker cites, with the pages it names ("p9", "p2-3") if any."""

    source: str
    pages: str | None = None


@dataclass(frozen=True)
class Marker:
    """A citation marker: the ids it cites, its exact text and position (1-based line/column)."""

    ids: list[Cite]
    text: str
    start: int
    end: int
    line: int
    column: int


def _pages(first: str, last: str | None) -> str:
    return f"p{first}-{last}" if last and last != first else f"p{first}"


def _expand(match: re.Match[str]) -> list[str] | None:
    prefix, number, letter = match["prefix"], int(match["number"]), match["letter"]
    prefix2 = match["prefix2"] or prefix
    if prefix2 != prefix:
        return None
    if match["number2"] is None:  # "E5a-b"
        if not (letter and match["letter2"]) or match["letter2"] <= letter:
            return None
        return [f"{prefix}{number}{chr(c)}" for c in range(ord(letter), ord(match["letter2"]) + 1)]
    number2 = int(match["number2"])
    if number2 == number and letter and match["letter2"] > letter:  # "E5a-E5c"
        return [f"{prefix}{number}{chr(c)}" for c in range(ord(letter), ord(match["letter2"]) + 1)]
    if letter or match["letter2"] or not number < number2 <= number + MAX_RANGE:
        return None
    return [f"{prefix}{n}" for n in range(number, number2 + 1)]


def parse_marker_body(body: str) -> list[Cite] | None:
    """The ids a bracket's contents cite, or None if the contents are not a marker ("[sic]")."""
    cites: list[Cite] = []
    for part in _PART.split(_EMPHASIS.sub("", body).strip()):
        if not part:
            continue
        if one := _ONE.fullmatch(part):
            pages = _pages(one["first"], one["last"]) if one["first"] else None
            cites.append(Cite(f"{one['prefix']}{one['number']}{one['letter']}", pages))
        elif ranged := _RANGE.fullmatch(part):
            expanded = _expand(ranged)
            if expanded is None:
                return None
            cites.extend(Cite(source) for source in expanded)
        elif (more := _PAGES_ONLY.fullmatch(part) or _BARE_PAGES.fullmatch(part)) and cites:
            if more.re is _BARE_PAGES and cites[-1].pages is None:
                return None  # "[E1, 9]": a bare number only continues a page list
            written = _pages(more["first"], more["last"])
            previous = cites[-1].pages
            cites[-1] = Cite(cites[-1].source, f"{previous}, {written}" if previous else written)
        else:
            return None
    return cites or None


def find_markers(text: str) -> list[Marker]:
    """Every citation marker in square brackets (Markdown-escaped brackets too), in order."""
    markers: list[Marker] = []
    for match in _BRACKET.finditer(text):
        cites = parse_marker_body(match["body"])
        if cites:
            line, column = line_col(text, match.start())
            markers.append(Marker(cites, match.group(), match.start(), match.end(), line, column))
    return markers
