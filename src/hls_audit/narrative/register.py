"""The case study's own lists: references to the research, grants, and corroborating sources.

The template's references section (3) lists the references, and often the grants under a
"Funding" or "Grants" heading; its sources section (5) lists the corroborating sources. Case
studies number these lists in many ways and the reader takes them all: ``R1.``, ``**R1**``,
``[R1]``, ``(R1)``, ``R1:``, ``S1 -``, ``1.``, ``(1)``, ``1)``, ``[1]``, ``3.1``, ``[3.1]``,
``1a.``, ``[A]``, ``A.``, ``a)``, ``[i]``, ``Source 1:``, ``Reference 1``, ``GRANT1:``, an id
and a tab (``E1<tab>...``), the first cell of a Markdown table row (``| E1 | ... |``),
Markdown list items (``- 1. ...``, ``* [S2] ...``), bold or not.

An id is an entry only when it belongs to a list: a list starts at 1 (R1, A, i) and its ids
follow each other in text order (a gap of one number is tolerated), so a stray "2019." line, a
sentence opening "R5 shows ..." or "S1 and S2 ...", or a lone "1." is not an entry. After a
heading such as "Prizes" that follows the lists, no new plain or lettered list starts. Lines
between two entries of a list, and lines after the last one that read as its continuation (a
link, a DOI, a journal in italics, lower-case text), belong to the entry: its text spans them.
Headings, lead-ins ("... through the following grants:") and notes ("All outputs are available
on request") are not entries. Where a later section's numbered heading stands in the list
("4. Details of Impact") the list ends there.

Grants: G1 lines are grants; so is every entry under a heading or lead-in about grants or
funding ("Research Funding", "**Selected grants:**"), ids worded "Grant 1" (inline lists too:
"Grant 1: ESRC ..., £250,000; Grant 2: ..."), and, under such a heading, an unnumbered
paragraph that states one grant (one amount, and a PI or a grant reference).

A Markdown list whose items are all written "1." is numbered when rendered, and its entries
take the number each item shows: their position among the entries of that kind (references,
grants or sources) in the section.

A list whose items carry no number at all (one bullet each, or reference-shaped paragraphs in
a references section that numbers nothing) is cited in real case studies by author and year,
never by its position, so its entries get synthetic ids no marker cites: ``reference-1``,
``grant-1``, ``source-1``, ..., with ``written == ""``.

Sources may have parts: "E5 a) Tender and b) Case study", lines "(i) ...", "(ii) ..." or
numbered sub-items under "E5". The parts are listed after their parent as "E5a", "E5b" (or
"E5i", "E5ii") with ``part_of="E5"``; an id written "E5a" is part of "E5" too.

Where a section's heading is not found, the stretch where it should be is searched for
lettered, worded and section-numbered ids only (R1, Reference 1, 3.1 for the references; E1,
Source 1, 5.1 for the sources).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from hls_audit.narrative.ids import canonical
from hls_audit.narrative.positions import line_of
from hls_audit.narrative.sections import Section, find_sections
from hls_audit.profiles.template import GENERIC, Template

EntryKind = Literal["reference", "grant", "source"]


@dataclass(frozen=True)
class RegisterEntry:
    """An entry of the case study's own lists: a reference, a grant or a corroborating source.

    ``id`` is the canonical id (``ids.canonical`` of the id as written, a position for an
    auto-numbered list, or a synthetic ``reference-1`` for an unnumbered one); ``written`` is
    the id exactly as written ("**R1**.", "[ **A**]", "Source 1:", "1."), "" for a synthetic
    id. ``text`` is the entry's lines joined by single spaces, ``start``/``end`` its span in the
    text and ``line`` the 1-based line it starts on. E5's parts "a) ... and b) ..." are E5a and
    E5b, listed after E5 with ``part_of="E5"``.
    """

    id: str
    kind: EntryKind
    text: str
    start: int
    end: int
    line: int
    part_of: str | None = None
    written: str = ""


# --- reading one line ---------------------------------------------------------------------------

_TAG = r"</?(?:ins|u|b|strong|em|i)>"
_MARK = rf"(?:[*_]{{1,3}}|{_TAG})"
_WORDS = (
    r"sources?|references?|refs?|evidence|grants?|outputs?|publications?|items?|papers?"
    r"|documents?|corroborators?"
)
_ROMAN = r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,2})"
_SP = r"[^\S\n]"  # a space, a tab or a no-break space
_LABEL = re.compile(  # possessive spaces (*+): a line of blanks and stars is read in linear time
    rf"""(?P<indent>{_SP}*+)(?P<lead>(?:\#{{1,6}}{_SP}++)?(?:[-*+•]{_SP}++)?)(?P<pipe>\|{_SP}*+)?
    (?P<written>
      (?:{_MARK}{_SP}*+){{0,3}}
      (?P<open>\\?[\[(])?{_SP}*+(?:{_MARK}{_SP}*+){{0,2}}
      (?P<id>
         (?P<word>(?i:{_WORDS}))\.?{_SP}?(?P<wnum>\d{{1,3}})(?P<wlet>[a-z]?)
        |(?P<prefix>[A-Z]{{1,5}})(?P<pnum>\d{{1,3}})(?:\.(?P<psub>\d{{1,2}}))?(?P<plet>[a-z]?)
        |(?P<major>\d{{1,2}})\.(?P<minor>\d{{1,2}})(?P<dlet>[a-z]?)
        |(?P<snum>\d)(?P<sletter>[A-Z])
        |(?P<num>\d{{1,2}})(?P<nlet>[a-z]?)
        |(?P<roman>{_ROMAN})
        |(?P<alpha>[A-Za-z])
      )(?![A-Za-z0-9])
      (?(open)(?:{_SP}++\([a-z]{{1,12}}\))?)
      (?P<p1>[.:)](?!\d))?
      (?:{_MARK}){{0,3}}
      (?(open){_SP}*+(?:{_MARK}{_SP}*+){{0,2}}\\?(?P<close>[\])]))
      (?:{_MARK}){{0,3}}
      (?P<p2>[.:)](?!\d))?
      (?:{_MARK}){{0,3}}
    )
    (?P<sep>{_SP}*+\|{_SP}*+|\t{_SP}*+|{_SP}++[-–—]{_SP}++|{_SP}++|)
    (?P<rest>[^\n]*+)""",
    re.VERBOSE,
)
# A grant id inside a line: "...; Grant 2: AHRC ..., £90,000" or "... G2. ...".
_INLINE_GRANT = re.compile(
    r"(?<=[;,.:][ \t])(?:\*\*)?(?P<id>(?i:grant)[ \t]?(?P<n>\d{1,2})|G(?P<g>\d{1,2}))"
    r"(?:\*\*)?:(?:\*\*)?[ \t]"
)
# "a) ... b) ...", "(i) ...; (ii) ...", "**a.** ..." inside an entry.
_PART = re.compile(
    rf"(?:^|(?<=[\s;,(*]))(?:\*\*)?(?P<open>\()?(?:\*\*)?(?P<tok>[a-h]|{_ROMAN})(?:\*\*)?"
    r"(?(open)\)|[).])(?:\*\*)?(?=[ \t])"
)
_RULE = re.compile(r"[ \t]*+\|?[ \t]*+:?-{3,}+:?[ \t]*+(?:\|[ \t]*+:?-{3,}+:?[ \t]*+)*+\|?[ \t]*+")
_BULLET = re.compile(r"[ \t]*+(?:\#{1,6}[ \t]++)?[-*+•][ \t]++(?=\S)")
_MARKUP = re.compile(rf"{_MARK}|\\")
_TAGS = r"(?:ins|u|b|strong|em|i)"
_EMPHASISED = re.compile(  # a line wholly in bold, italics or underline: "**Grants:**"
    rf"(?:\*\*(?:(?!\*\*)[^\n])+\*\*|__(?:(?!__)[^\n])+__|\*[^*\n]+\*|_[^_\n]+_"
    rf"|<{_TAGS}>(?:(?!</?{_TAGS}>)[^\n])+</{_TAGS}>)[ \t]*:?"
)
_AUTHORS = re.compile(r"[A-Z]\.[ \t]*,|,[ \t]*[A-Z]\.")
_GRANT_WORDS = re.compile(r"\b(?:grants?|funding|funded|funders?|fellowships?)\b", re.IGNORECASE)
_OTHER_WORDS = re.compile(
    r"\b(?:quality|evidence|prizes?|awards?|beneficiar\w*|notes?|impact)\b", re.IGNORECASE
)
_REFERENCE_WORDS = re.compile(
    r"\b(?:publications?|outputs?|references?|papers?|articles?|books?|chapters?|studies"
    r"|monographs?|reports?|works?|research)\b",
    re.IGNORECASE,
)
_CONTINUES = re.compile(  # a line that reads as the rest of the entry above it: a title in
    # italics ("*A Journal*, 3(2)"), lower case, a link, a DOI, a page or volume number
    rf"[ \t]*+(?:\*[^*\s][^*\n]*+\*(?!\*)|(?:[*_ \t]|{_TAG})*+(?:[a-z(\[<\-–•]|https?:"
    r"|www\.|doi|DOI|ISBN|Available|Accessed|Retrieved|Vol\b|pp?\.|\d))"
)
_REFERENCE_SHAPE = re.compile(
    r"[ \t]*+(?:[-*+•][ \t]++)?(?:[*_]|</?(?:ins|u)>)*+[A-Z][\w'\u2019\-]++,?[ \t]++"
    r"(?:[A-Z]\.|[A-Z]{1,3}\b)[^\n]*?\b(?:19|20)\d\d\b"
)

# "**Grant:** PI A. Person, ...": a one-grant list whose label is its heading.
_GRANT_LABEL = re.compile(
    r"[ \t]*+(?:\*\*|__)?(?:research[ \t]++)?(?:grants?|funding)[ \t]*+:(?:\*\*|__)?[ \t]++(?=\S)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:£|GBP|EUR|€|USD|US\$|\$)[ \t]?\d[\d,]*(?:\.\d+)?(?:[ \t]?(?:k|m|bn|million)\b)?",
    re.IGNORECASE,
)
_GRANT_TOKEN = re.compile(  # a principal investigator or a funder's grant reference
    r"\b(?:PI|Co-?I|(?:Principal|Principle|Lead|Joint|Co)[ -]?[Ii]nvestigators?"
    r"|[A-Z]{2,5}/[A-Z0-9]{2,}/\d+|[Gg]rant reference)\b"
)

_SOURCE_WORDS = frozenset({"source", "evidence", "item", "document", "corroborator"})
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_MAX_GAP = 2  # a list may skip one number (G1, G2, G4)

Scheme = tuple[str, str]


@dataclass(frozen=True)
class _Label:
    """An id at the start of a line (or, for grants, inside it): how it is numbered."""

    scheme: Scheme  # ("P", "R"), ("P", "S3."), ("W", "source"), ("D", "3"), ("N", ""), ...
    ordinal: int
    suffix: str  # the letter of "E5a"
    core: str  # the id as written, without markup, brackets or punctuation
    written: str
    start: int  # where the entry starts: the line's first character, or the inline id
    rest: int  # where the text after the id starts
    line: int  # index of its line in the section
    inline: bool = False

    @property
    def weak(self) -> bool:
        """Plain numbers, lower-case letters and roman numerals number sub-items too."""
        return self.scheme[0] in {"N", "L", "V"}

    @property
    def letters(self) -> str:
        """The letters of a lettered id's prefix ("G" for G1 and G3.1)."""
        return self.scheme[1].rstrip("0123456789.") if self.scheme[0] == "P" else ""


@dataclass
class _Line:
    base: int  # where the line starts in the text
    text: str  # the line, trailing blanks removed
    labels: list[_Label] = field(default_factory=list)

    @property
    def start(self) -> int:
        """The line's first non-blank character."""
        return self.base + len(self.text) - len(self.text.lstrip())

    @property
    def end(self) -> int:
        return self.base + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str, start: int, end: int) -> list[_Line]:
    lines = []
    position = start
    while position < end:
        stop = text.find("\n", position, end)
        stop = end if stop == -1 else stop
        lines.append(_Line(position, text[position:stop].rstrip()))
        position = stop + 1
    return lines


def _terminated(match: re.Match[str]) -> bool:
    """Whether what follows the id makes it a list label rather than a sentence's first word."""
    bracketed = match["open"] is not None and match["close"] is not None
    punct = match["p1"] or match["p2"] or ""
    sep, rest = match["sep"], match["rest"]
    if match["pipe"]:
        return "|" in sep  # a table row's first cell holds the id alone
    if bracketed or "|" in sep:
        return True
    if match["snum"]:
        return False
    if match["roman"] or match["alpha"]:
        return punct in {".", ")"} and (bool(sep) or not rest)
    marked = "*" in match["written"] or "<" in match["written"]
    if punct:
        return bool(sep) or not rest or not match["num"] or marked
    if "\t" in sep or any(dash in sep for dash in "-–—"):
        return True
    if sep and (match["num"] is None or marked):
        return not _MARKUP.sub("", rest).lstrip()[:1].islower()  # "S1 and S2 show ..."
    return False


def _readings(match: re.Match[str]) -> list[tuple[Scheme, int, str, str]]:
    """(scheme, ordinal, suffix, core) of an id; "i" reads as a letter and as a roman one."""
    if match["word"]:
        word = match["word"].lower().rstrip("s")
        word = "reference" if word == "ref" else word
        core = f"{match['word']} {match['wnum']}{match['wlet']}"
        return [(("W", word), int(match["wnum"]), match["wlet"], core)]
    if match["prefix"]:
        if match["psub"]:
            scheme: Scheme = ("P", f"{match['prefix']}{match['pnum']}.")
            return [(scheme, int(match["psub"]), match["plet"], match["id"])]
        return [(("P", match["prefix"]), int(match["pnum"]), match["plet"], match["id"])]
    if match["major"]:
        return [(("D", match["major"]), int(match["minor"]), match["dlet"], match["id"])]
    if match["snum"]:
        return [(("S", match["snum"]), ord(match["sletter"]) - ord("A") + 1, "", match["id"])]
    if match["num"]:
        return [(("N", ""), int(match["num"]), match["nlet"], match["id"])]
    token = match["roman"] or match["alpha"]
    readings: list[tuple[Scheme, int, str, str]] = []
    if match["roman"]:
        readings.append((("V", ""), _ROMANS.index(token) + 1, "", token))
    if len(token) == 1:
        scheme = ("U", "") if token.isupper() else ("L", "")
        readings.append((scheme, _LETTERS.index(token.lower()) + 1, "", token))
    return readings


def _line_labels(line: _Line, index: int, number: str, weak_ok: bool) -> list[_Label]:
    """The readings of the label a line starts with."""
    match = _LABEL.match(line.text)
    if not match or not _terminated(match):
        return []
    rest = line.base + match.start("rest")
    written = match["written"].strip()
    if any(dash in match["sep"] for dash in "-–—"):
        written += " " + match["sep"].strip()  # "S1 -"
    return [
        _Label(scheme, ordinal, suffix, core, written, line.start, rest, index)
        for scheme, ordinal, suffix, core in _readings(match)
        if (weak_ok or scheme[0] not in {"N", "L", "V", "U"})
        and (scheme[0] != "D" or scheme[1] == number)  # "(4.1)" in section 5 points at 4.1
    ]


def _cell_labels(line: _Line, index: int) -> list[_Label]:
    """ "| Hopkins | GRANT1: Young men | ... |": a lettered id opening a later cell of a row."""
    offset = line.text.find("|", line.text.find("|") + 1)
    while offset != -1:
        cell = line.text[offset + 1 :]
        match = _LABEL.match(cell)
        if match and (match["word"] or match["prefix"]) and (match["p1"] or match["p2"]):
            rest = line.base + offset + 1 + match.start("rest")
            written = match["written"].strip()
            return [
                _Label(scheme, ordinal, suffix, core, written, line.start, rest, index)
                for scheme, ordinal, suffix, core in _readings(match)
            ]
        offset = line.text.find("|", offset + 1)
    return []


def _inline_grants(line: _Line, index: int) -> list[_Label]:
    """ "...; Grant 2: AHRC ..., £90,000": further grant ids inside a line of section 3."""
    labels = []
    for match in _INLINE_GRANT.finditer(line.text):
        start = line.base + match.start("id")
        if start <= line.start + 2:
            continue  # the line's own label
        scheme: Scheme = ("W", "grant") if match["n"] else ("P", "G")
        number = int(match["n"] or match["g"])
        rest = line.base + match.end()
        written = match.group().strip()
        labels.append(_Label(scheme, number, "", match["id"], written, start, rest, index, True))
    return labels


def _inline_same(line: _Line, index: int, first: _Label) -> list[_Label]:
    """ "**[C1]** A note **[C2]** A letter": more bracketed ids of the line's own numbering,
    each followed by the start of an entry."""
    if first.scheme[0] != "P" or "[" not in first.written:
        return []
    pattern = re.compile(
        rf"(?:\*\*)?\\?\[{_SP}*+(?:\*\*)?(?P<id>{re.escape(first.scheme[1])}(?P<n>\d{{1,3}})"
        rf"(?P<l>[a-z]?))(?:\*\*)?{_SP}*+\\?\](?:\*\*)?(?={_SP}+[^\sa-z,;.)\]])"
    )
    labels = []
    offset = first.rest - line.base
    for match in pattern.finditer(line.text, offset):
        start = line.base + match.start()
        rest = line.base + match.end()
        core = match["id"]
        written = match.group().strip()
        labels.append(
            _Label(
                first.scheme, int(match["n"]), match["l"], core, written, start, rest, index, True
            )
        )
    return labels


# --- headings and prose -------------------------------------------------------------------------


def _heading_class(words: str) -> str:
    if _GRANT_WORDS.search(words):
        return "grant"
    if _OTHER_WORDS.search(words) or not _REFERENCE_WORDS.search(words):
        return "other"
    return "reference"


def _heading(line: str) -> str | None:
    """ "grant", "reference" or "other" if the line is a heading inside a list section: a
    Markdown heading, a wholly emphasised line, or a short title such as "Research Funding"."""
    stripped = line.strip()
    if not stripped or len(stripped) > 160 or _AUTHORS.search(stripped) or _BULLET.match(line):
        return None
    words = _MARKUP.sub("", stripped).strip(" #:")
    if not words or words[:1].islower():
        return None  # "*of the annual report.*": the end of a wrapped sentence
    if stripped.startswith("#") or _EMPHASISED.fullmatch(stripped):
        return _heading_class(words)
    if (
        len(words.split()) <= 6
        and not stripped.endswith((".", ":"))
        and words[:1].isupper()
        and (_GRANT_WORDS.search(words) or _REFERENCE_WORDS.search(words))
    ):
        return _heading_class(words)
    return None


def _lead_in(line: str) -> str | None:
    """The class of a line that introduces a list: "... through the following grants:"."""
    words = _MARKUP.sub("", line).strip()
    if words.endswith(":") and len(words) <= 250 and not _BULLET.match(line):
        return "grant" if _GRANT_WORDS.search(words) else "other"
    return None


# --- lists: which labels follow each other ------------------------------------------------------


@dataclass
class _Run:
    labels: list[_Label]
    auto: bool = False  # every item written "1.": numbered by position when rendered


def _lists(
    lines: list[_Line], opens: frozenset[int] = frozenset({1})
) -> tuple[dict[int, list[_Label]], set[int]]:
    """The labels that belong to a list, by line index, and the starts of those in an
    auto-numbered list. A new list starts at 1; a list goes on with the next number (one may
    be skipped) or, for "E5", "E5a", "E5b", the next letter. After a heading or lead-in such
    as "Prizes" or "The main findings:" that follows entries, no new plain or lettered list
    starts."""
    runs: dict[Scheme, list[_Run]] = {}
    blocked = False
    seen = False
    for line in lines:
        if not line.labels:
            heading = _heading(line.text) or _lead_in(line.text)
            if heading is not None:
                blocked = seen and heading == "other"
            continue
        for label in line.labels:
            seen = True
            _place(runs.setdefault(label.scheme, []), label, blocked, opens)
    accepted: dict[int, list[_Label]] = {}
    taken: dict[int, int] = {}  # label start -> length of the list that took it
    auto: set[int] = set()
    for scheme, scheme_runs in runs.items():
        for number, run in enumerate(scheme_runs):
            if not _valid(scheme, run, number):
                continue
            for label in run.labels:
                if taken.get(label.start, 0) >= len(run.labels):
                    continue  # "i)" read as a letter and as a roman numeral: the longer list
                others = [x for x in accepted.get(label.line, []) if x.start != label.start]
                accepted[label.line] = sorted([*others, label], key=lambda x: x.start)
                taken[label.start] = len(run.labels)
                if run.auto:
                    auto.add(label.start)
                else:
                    auto.discard(label.start)
    return accepted, auto


def _place(
    runs: list[_Run], label: _Label, blocked: bool, opens: frozenset[int] = frozenset({1})
) -> None:
    """Add ``label`` to the list it goes on, or start a list with it, or drop it. A list starts
    at 1, or a plain-numbered one at a number in ``opens`` (sources numbered on from the
    references: 7, 8 after references 1 to 6)."""
    if runs and _goes_on(runs[-1], label):
        runs[-1].labels.append(label)
        return
    starts = label.ordinal == 1 or (label.scheme[0] == "N" and label.ordinal in opens)
    if starts and label.suffix in {"", "a"} and not (blocked and label.weak):
        runs.append(_Run([label]))


def _goes_on(run: _Run, label: _Label) -> bool:
    previous = run.labels[-1]
    if run.auto:
        return label.ordinal == 1 and not label.suffix
    if label.ordinal == previous.ordinal:
        if label.suffix > previous.suffix:
            return True  # E5, E5a, E5b
        if len(run.labels) == 1 and label.scheme[0] == "N" and label.ordinal == 1:
            run.auto = not (previous.suffix or label.suffix)  # 1., 1., 1.
            return run.auto
        return False
    return previous.ordinal < label.ordinal <= previous.ordinal + _MAX_GAP and (
        label.suffix in {"", "a"}
    )


def _valid(scheme: Scheme, run: _Run, number: int) -> bool:
    """A list of two or more; a lone "R1" or "Grant 1" (or "3.1" in section 3) when it is the
    first of its numbering, not a lone "1." or "a)"."""
    if len(run.labels) >= 2:
        return True
    if number > 0:
        return False
    return scheme[0] in {"P", "W", "D"}


# --- entries ------------------------------------------------------------------------------------


@dataclass
class _Part:
    token: str  # "a", "ii"
    written: str
    start: int
    end: int
    own: bool  # on a line of its own (not "a) ... b) ..." inside a line)


@dataclass
class _Open:
    """An entry being read: its label (None for an unnumbered item) and the text it spans."""

    label: _Label | None
    kind: EntryKind
    start: int
    end: int
    group: int = 0  # unnumbered items of one list share it
    id: str = ""
    parts: list[_Part] = field(default_factory=list)


class _Reader:
    """Walks the lines of a list section once, opening an entry at each accepted label."""

    def __init__(self, text: str, lines: list[_Line], listed: _Listed) -> None:
        self.text = text
        self.lines = lines
        self.listed = listed
        self.sources = listed.sources
        self.accepted, self.auto = _lists(lines, listed.opens)
        self.stops = self._stops()
        self.entries: list[RegisterEntry] = []
        self.current: _Open | None = None
        self.heading = "reference"  # the class of the heading governing the lines
        self.saved: str | None = None  # the heading a lead-in overrides until its list ends
        self.since_heading = False  # a heading came after the current entry opened
        self.positions: dict[EntryKind, int] = {}  # items of auto-numbered lists so far
        self.items: list[_Open] = []  # unnumbered items
        self.paragraphs: list[tuple[int, int]] = []  # lines read as prose
        self.grants: list[_Open] = []  # unnumbered paragraphs that each state one grant
        self.group = 0

    def _stops(self) -> list[_Label | None]:
        """For each line, the first accepted label on a later line, or None if a heading comes
        first."""
        stops: list[_Label | None] = [None] * len(self.lines)
        following: _Label | None = None
        for index in range(len(self.lines) - 1, -1, -1):
            stops[index] = following
            line = self.lines[index]
            if index in self.accepted:
                following = self.accepted[index][0]
            elif not line.blank and _heading(line.text):
                following = None
        return stops

    def read(self) -> list[RegisterEntry]:
        for index, line in enumerate(self.lines):
            if line.blank or _RULE.fullmatch(line.text):
                continue
            labels = self.accepted.get(index)
            if labels:
                self._labelled(line, labels)
            else:
                self._unlabelled(index, line)
        self._close()
        if not self.listed.strict:
            self._unnumbered()
        self.entries.sort(key=lambda e: e.start)
        return self.entries

    def _labelled(self, line: _Line, labels: list[_Label]) -> None:
        current = self.current
        first = labels[0]
        if (
            current is not None
            and current.label is not None
            and first.weak
            and not first.inline
            and first.scheme != current.label.scheme
            and not self.since_heading
        ):
            self._sub(line, first)  # "1. ..." or "(ii) ..." under "E2": a part of E2
            labels = labels[1:]
        for number, label in enumerate(labels):
            self._close()
            stop = labels[number + 1].start if number + 1 < len(labels) else line.end
            self._open(label, label.start, stop)

    def _unlabelled(self, index: int, line: _Line) -> None:
        heading = _heading(line.text)
        if heading is not None:
            self._close()
            self.heading, self.saved = heading, None
            self._break()
            return
        lead_in = _lead_in(line.text)
        if lead_in is not None and not self._between(index):
            self._close()
            if self.saved is None:
                self.saved = self.heading
            self.heading = lead_in
            self._break()
            return
        if self.current is not None and self._continues(index, line):
            self._extend(line)
            return
        self._close()
        if _BULLET.match(line.text):
            self.current = _Open(None, self._kind(None), line.start, line.end, self.group)
            return
        if labelled := _GRANT_LABEL.match(line.text):
            self.heading, self.saved = "grant", self.saved or self.heading
            self.group += 1
            line = _Line(line.base + labelled.end(), line.text[labelled.end() :])
        if self.heading == "grant" and _grant_shaped(line.text):
            self.grants.append(_Open(None, "grant", line.start, line.end, self.group))
            return
        if self.saved is not None:  # prose ends the list a lead-in introduced
            self.heading, self.saved = self.saved, None
        self.paragraphs.append((line.start, line.end))
        self.group += 1

    def _break(self) -> None:
        self.since_heading = True
        self.group += 1

    def _between(self, index: int) -> bool:
        """Whether the line sits between two entries of the current entry's list."""
        current, following = self.current, self.stops[index]
        if current is None or current.label is None or following is None:
            return False
        return following.scheme == current.label.scheme

    def _continues(self, index: int, line: _Line) -> bool:
        current = self.current
        if current is None:
            return False
        if current.label is None:  # an unnumbered item goes on to the next bullet or heading
            return bool(_CONTINUES.match(line.text)) and not _BULLET.match(line.text)
        if self._between(index) or _CONTINUES.match(line.text) or _AUTHORS.search(line.text):
            return True
        tail = self.text[max(current.start, current.end - 4) : current.end]
        return tail.endswith((",", "&", "-", "–", " and"))  # the line before stops mid-phrase

    def _kind(self, label: _Label | None) -> EntryKind:
        if self.sources:
            return "source"
        if label is not None:
            if label.scheme == ("W", "grant") or label.letters in self.listed.grant_prefixes:
                return "grant"
            if (
                label.scheme == ("W", "reference")
                or label.letters in self.listed.reference_prefixes
            ):
                return "reference"
        return "grant" if self.heading == "grant" else "reference"

    def _open(self, label: _Label, start: int, end: int) -> None:
        kind = self._kind(label)
        while end > start and self.text[end - 1] in " \t;,":
            end -= 1  # "Grant 1: ESRC, £250,000; Grant 2: ..."
        entry = _Open(label, kind, start, end, self.group)
        if label.start in self.auto:
            self.positions[kind] = self.positions.get(kind, 0) + 1
            entry.id = str(self.positions[kind])
        else:
            entry.id = canonical(label.core)
        self.current = entry
        self.since_heading = False
        self.group += 1

    def _extend(self, line: _Line) -> None:
        assert self.current is not None
        self.current.end = max(self.current.end, line.end)

    def _sub(self, line: _Line, label: _Label) -> None:
        """A numbered item under an entry: a part lettered by its position ("1." under E2 is
        E2a); "(ii)" under E2 is found as a part when the entry closes."""
        current = self.current
        assert current is not None
        current.end = max(current.end, line.end)
        if label.scheme[0] == "N":
            token = _LETTERS[len(current.parts) % 26]
            current.parts.append(_Part(token, label.written, line.start, line.end, True))

    def _close(self) -> None:
        current = self.current
        self.current = None
        if current is None:
            return
        if current.label is None:
            self.items.append(current)
        else:
            self._emit(current)

    def _emit(self, current: _Open) -> None:
        label = current.label
        assert label is not None
        text = _joined(self.text, current.start, current.end)
        line = line_of(self.text, current.start)
        parent = None
        if self.sources and label.suffix and label.start not in self.auto:
            parent = canonical(label.core[: len(label.core) - len(label.suffix)])
        self.entries.append(
            RegisterEntry(
                current.id, current.kind, text, current.start, current.end, line, parent,
                label.written,
            )
        )  # fmt: skip
        if not self.sources or parent is not None:
            return
        for part in _parts(self.text, current):
            if part.own:
                start, end = part.start, part.end
                part_text, part_line = _joined(self.text, start, end), line_of(self.text, start)
            else:
                start, end, part_text, part_line = current.start, current.end, text, line
            self.entries.append(
                RegisterEntry(
                    current.id + part.token, "source", part_text, start, end, part_line,
                    current.id, part.written,
                )
            )  # fmt: skip

    def _unnumbered(self) -> None:
        """Unnumbered items: a bullet list of two or more (or any under a grants heading) in a
        section that numbers no list of that kind; else reference-shaped paragraphs in a
        section 3 that lists no reference."""
        kinds = {e.kind for e in self.entries}
        groups: dict[int, list[_Open]] = {}
        for item in self.items:
            groups.setdefault(item.group, []).append(item)
        chosen = [
            item
            for group in groups.values()
            if (len(group) >= 2 or group[0].kind == "grant")
            and (group[0].kind == "grant" or group[0].kind not in kinds)
            for item in group
        ]
        if "grant" not in kinds:
            chosen += self.grants
        if not self.sources and "reference" not in kinds | {x.kind for x in chosen}:
            shaped = [p for p in self.paragraphs if _REFERENCE_SHAPE.match(self.text, *p)]
            if len(shaped) >= 2:
                chosen += [_Open(None, "reference", start, end) for start, end in shaped]
        counts: dict[EntryKind, int] = {}
        for item in sorted(chosen, key=lambda x: x.start):
            counts[item.kind] = counts.get(item.kind, 0) + 1
            identifier = f"{item.kind}-{counts[item.kind]}"
            text = _joined(self.text, item.start, item.end)
            line = line_of(self.text, item.start)
            self.entries.append(
                RegisterEntry(identifier, item.kind, text, item.start, item.end, line)
            )


def _grant_shaped(line: str) -> bool:
    """A paragraph under a grants heading that states one grant: one amount of money, and a
    principal investigator or a grant reference ("AHRC, AH/X000000/1, PI: A. Person, £9,000")."""
    return len(_MONEY.findall(line)) == 1 and bool(_GRANT_TOKEN.search(line))


def _joined(text: str, start: int, end: int) -> str:
    """An entry's text: its lines, each stripped, joined by one space."""
    return " ".join(part.strip() for part in text[start:end].split("\n") if part.strip())


def _parts(text: str, current: _Open) -> list[_Part]:
    """A source's parts: its numbered sub-items, else the letters or roman numerals that open
    its lines or sit inside it ("a) ... and b) ..."), if they count up."""
    label = current.label
    if label is None or label.suffix:
        return []
    found = current.parts if len(current.parts) >= 2 else []
    if not found:
        for match in _PART.finditer(text, label.rest, current.end):
            before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            own = not before.strip(" \t-*•")
            found.append(_Part(match["tok"], match.group().strip(), match.start(), 0, own))
        if _counts_up([p.token for p in found], lenient=any(p.own for p in found)) is None:
            return []
        if not any(p.own for p in found):
            return found  # "a) ... and b) ..." inside one line: the parts share its span
    spans = []
    for number, part in enumerate(found):
        stop = found[number + 1].start if number + 1 < len(found) else current.end
        spans.append(
            _Part(part.token, part.written, part.start, _trim(text, part.start, stop), True)
        )
    return spans


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n;,":
        end -= 1
    return end


def _counts_up(tokens: list[str], lenient: bool) -> list[int] | None:
    """The ordinals of part letters ("a", "b") or roman numerals ("i", "ii") if they count up:
    exactly from the first inside a line; from the first or second, one skipped at most, when
    they stand on lines of their own."""
    if len(tokens) < 2:
        return None
    if all(t in _ROMANS for t in tokens) and tokens[0] in {"i", "ii"}:
        ordinals = [_ROMANS.index(t) + 1 for t in tokens]
    elif all(len(t) == 1 and t.isalpha() for t in tokens):
        ordinals = [_LETTERS.index(t.lower()) + 1 for t in tokens]
    else:
        return None
    if not lenient:
        return ordinals if ordinals == list(range(1, len(ordinals) + 1)) else None
    steps = [b - a for a, b in pairwise(ordinals)]
    if ordinals[0] > 2 or any(not 0 < step <= _MAX_GAP for step in steps):
        return None
    return ordinals


# --- the sections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Listed:
    """The list section being read: its number, whether it lists sources (else references and
    grants), the template's prefixes, and ``strict`` when the section's heading was not found
    (then only lettered ids count: the template's reference and grant prefixes for the
    references, any other prefix for the sources)."""

    number: str
    sources: bool
    reference_prefixes: tuple[str, ...]
    grant_prefixes: tuple[str, ...]
    strict: bool
    opens: frozenset[int] = frozenset({1})  # the numbers a plain list may start at

    def keeps(self, label: _Label) -> bool:
        """Whether a label counts here: any does in a section found by its heading; else a
        lettered id of this section's kind ("R1" for the references, "E1" for the sources), a
        worded one ("Reference 1", "Source 1") or one numbered from the section ("3.1")."""
        if not self.strict:
            return True
        kind, name = label.scheme
        if kind == "W":
            return (name in _SOURCE_WORDS) == self.sources
        if kind == "D":
            return name == self.number
        ours = label.letters in self.reference_prefixes + self.grant_prefixes
        return bool(label.letters) and ours != self.sources


def _region(
    sections: list[Section], template: Template, number: str, length: int
) -> tuple[int, int, bool]:
    """The body of section ``number`` and True; if it was not found, the stretch where it
    should be (from the heading before it to the one after it) and False."""
    order = [spec.number for spec in template.sections]
    found = {s.number: s for s in sections if s.number in order}
    if number in found:
        return found[number].body_start, found[number].end, True
    place = order.index(number)
    before = [s.start for n, s in found.items() if order.index(n) < place]
    after = [s.start for n, s in found.items() if order.index(n) > place]
    return (max(before) if before else 0), (min(after) if after else length), False


@lru_cache(maxsize=8)
def _later(template: Template, number: str) -> re.Pattern[str] | None:
    """The numbered heading of a later section, however its title ends ("4. Details of
    Impact"): where a list stops even if the sections were not told of the heading."""
    specs = template.sections
    place = [spec.number for spec in specs].index(number)
    heads = [
        rf"{re.escape(spec.number)}[ \t]*[.):]?[ \t*_]*"
        + r"[ \t]+".join(re.escape(word) for word in spec.title.split()[:2])
        for spec in specs[place + 1 :]
    ]
    if not heads:
        return None
    return re.compile(
        rf"^[ \t#*_]*(?:section[ \t]+)?(?:{'|'.join(heads)})", re.IGNORECASE | re.MULTILINE
    )


def _read(
    text: str, start: int, end: int, listed: _Listed, template: Template
) -> list[RegisterEntry]:
    """The entries of one list section in ``text[start:end]``."""
    later = _later(template, listed.number)
    if later is not None and (found := later.search(text, start, end)):
        end = found.start()
    lines = _lines(text, start, end)
    for index, line in enumerate(lines):
        if line.blank:
            continue
        labels = _line_labels(line, index, listed.number, weak_ok=not listed.strict)
        if not labels and line.text.lstrip().startswith("|"):
            labels = _cell_labels(line, index)
        if labels:
            labels += _inline_same(line, index, labels[0])
        if not listed.sources and not listed.strict:
            labels += _inline_grants(line, index)
        line.labels = [label for label in labels if listed.keeps(label)]
    return _Reader(text, lines, listed).read()


def register_entries(text: str, template: Template = GENERIC) -> list[RegisterEntry]:
    """The references and grants (the template's references section, 3) and the sources (its
    sources section, 5), in text order, each source followed by its parts. Where a section's
    heading is not found, the stretch where it should be is searched for lettered ids only
    (R1 and G1 lines for the references, E1 or S1 lines for the sources)."""
    sections = find_sections(text, template)
    entries: list[RegisterEntry] = []
    for role in ("references", "sources"):
        number = template.number_of(role)
        if not number:
            continue
        start, end, found = _region(sections, template, number, len(text))
        numbered = [int(e.id) for e in entries if e.kind == "reference" and e.id.isdigit()]
        opens = frozenset({1, max(numbered) + 1}) if numbered else frozenset({1})
        listed = _Listed(
            number, role == "sources", template.reference_prefixes, template.grant_prefixes,
            strict=not found, opens=opens,
        )  # fmt: skip
        entries.extend(_read(text, start, end, listed, template))
    return entries
