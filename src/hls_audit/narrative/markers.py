"""Citation markers ("[E1]", "[**E2**, p9]", "[G1-G3]") and the register entries they cite."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hls_audit.narrative.positions import line_col, line_of
from hls_audit.narrative.sections import find_sections

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

_ENTRY = re.compile(
    r"""^[ \t]*(?:[-*+][ \t]+|\|[ \t]*)?(?:\\?\[)?[*_]{0,3}
    (?P<id>(?P<prefix>[A-Z]{1,2})(?P<number>\d{1,3})(?P<letter>[a-z]?))
    [*_]{0,3}(?:\\?\])?[*_]{0,3}(?:[.):][ \t*_]*|[ \t]*\|[ \t]*|\t+|[ \t]+)
    (?P<rest>\S[^\n]*)""",
    re.MULTILINE | re.VERBOSE,
)
_FUNDING = re.compile(
    r"^[ \t#*_]*(?:research[ \t]+)?(?:funding|grants?)(?:[ \t]+[A-Za-z]+){0,3}[ \t*_:]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
_PART_LETTERS = re.compile(r"(?:^|(?<=[\s(]))\(?(?P<letter>[a-h])\)[ \t]")


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


EntryKind = Literal["reference", "grant", "source"]


@dataclass(frozen=True)
class RegisterEntry:
    """An entry of the case study's own lists: R1. (section 3), G1. (research funding) or an
    E1 row of the sources table (section 5). E5's parts "a) ... and b) ..." are E5a and E5b,
    listed after E5 with ``part_of="E5"``."""

    id: str
    kind: EntryKind
    text: str
    start: int
    end: int
    line: int
    part_of: str | None = None


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


def _span(text: str, number: str) -> tuple[int, int]:
    for section in find_sections(text):
        if section.number == number:
            return section.body_start, section.end
    return 0, len(text)


def _entry(text: str, match: re.Match[str], kind: EntryKind) -> RegisterEntry:
    end = match.end()
    return RegisterEntry(
        match["id"], kind, match.group().strip(), match.start(), end, line_of(text, match.start())
    )


def register_entries(text: str) -> list[RegisterEntry]:
    """The references (R1. lines in section 3), grants (G lines, or any entry after a "Research
    Funding" heading in section 3) and sources (rows of the section 5 table), in text order.
    Without numbered sections, the whole text is searched."""
    entries: list[RegisterEntry] = []
    start, end = _span(text, "3")
    whole = (start, end) == (0, len(text))
    funding = _FUNDING.search(text, start, end)
    for match in _ENTRY.finditer(text, start, end):
        after_funding = funding is not None and match.start() > funding.start()
        if whole and match["prefix"] not in {"R", "G"}:
            continue
        grant = match["prefix"] == "G" or after_funding
        entries.append(_entry(text, match, "grant" if grant else "reference"))
    start, end = _span(text, "5")
    for match in _ENTRY.finditer(text, start, end):
        if match["prefix"] in {"R", "G"} and (start, end) == (0, len(text)):
            continue  # found already, as references or grants
        entry = _entry(text, match, "source")
        entries.append(entry)
        letters = [m["letter"] for m in _PART_LETTERS.finditer(match["rest"])]
        if (
            not match["letter"]
            and len(letters) >= 2
            and letters == list("abcdefgh"[: len(letters)])
        ):
            entries.extend(
                RegisterEntry(entry.id + letter, "source", entry.text, entry.start, entry.end,
                              entry.line, entry.id)
                for letter in letters
            )  # fmt: skip
        elif match["letter"]:
            parent = f"{match['prefix']}{match['number']}"
            entries[-1] = RegisterEntry(
                entry.id, "source", entry.text, entry.start, entry.end, entry.line, parent
            )
    return entries
