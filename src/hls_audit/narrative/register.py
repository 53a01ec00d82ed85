"""The case study's own lists: references to the research, grants, and corroborating sources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hls_audit.narrative.positions import line_of
from hls_audit.narrative.sections import find_sections

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
