"""Citation markers in the text, in the styles case studies write them.

Square brackets ("[E1]", "[**E2**, p9]", "[3.1-3.3]", "[5, 6]", "[A]"), parentheses ("(R6)",
"( **Source 4**)", "(3,4)") and superscripts ("<sup>4</sup>"), with letter-prefixed ids, dotted
numbers, bare numbers, numbers with a letter, single letters and worded ids ("source 3",
"Grants B, C"), lists, ranges and pages.

Square brackets with a prefixed id ("[R1]") or a worded id are markers wherever they stand. The
other shapes are decided by the document's own convention: a bare number, a letter or a dotted
number is read only when the case study's lists number that way (the register ids passed in, or
the labels of the lines of its lists), and in parentheses or a superscript only when the lists
hold that very id, the place is a citation's (not "(1) first ... (2) second", not "38(1)") and
the document does not cite that numbering in square brackets instead. Everything is found in one
pass over the text with bounded patterns, then decided: linear in the text's length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from hls_audit.narrative.ids import (
    Kind,
    Shape,
    canonical,
    number_key,
    ordinal,
    parent,
    prefix,
    prefix_kind,
    shape,
    split_word,
    word_kind,
)
from hls_audit.narrative.positions import line_col
from hls_audit.narrative.sections import Section, find_sections

MAX_RANGE = 50  # a range wider than this ("[E1-E999]") is not read as a marker
Style = Literal["square", "paren", "sup"]
LIST_SECTIONS = ("3", "5")  # the lists of references and of sources

# --- what a candidate looks like -----------------------------------------------------------------

_SQUARE = re.compile(r"\\?\[(?P<body>[^\[\]\n]{1,300}(?:\n[^\[\]\n]{1,300})?)\]")
_PAREN = re.compile(r"\((?P<body>[^()\[\]\n]{1,150}(?:\n[^()\[\]\n]{1,150})?)\)")
_SUP = re.compile(r"(?:<sup>[^<>\n]{1,30}</sup>){1,4}", re.IGNORECASE)
_SUP_TAGS = re.compile(r"</?sup>", re.IGNORECASE)
# Where no marker starts: link targets, bare web addresses and DOIs.
_MASK = re.compile(r"\]\([^\s)]*\)?|(?:https?://|www\.)[^\s\])]*|\b10\.\d{4,9}/\S*")

_MARKUP = re.compile(r"[*_\\]|</?(?:b|i|u|em|strong|ins|span)\b[^<>]{0,80}>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_LEAD = re.compile(
    r"^(?:(?:see(?:\s+also)?|e\.\s?g\.?|eg\.?|cf\.?|i\.\s?e\.?|viz\.?|as\s+in)[\s,:]*)+",
    re.IGNORECASE,
)
_TAIL = re.compile(r"\s+(?:below|above|passim)$", re.IGNORECASE)
# Parts are split at ";" and "," (not a thousands separator), "and", "&" and "or".
_SPLIT = re.compile(r"\s*(?:;|,(?!\d{3}(?:\D|$))|\s(?:and|or)\s|&)\s*")

_WORD = (
    r"(?P<{name}>(?i:sources?|refs?|references?|outputs?|publications?|papers?|grants?|awards?"
    r"|evidence|evid|items?|documents?|docs?|testimonials?))\.?[ \t]*"
)
_TOKEN = (
    r"[A-Z]{1,4}\d{1,3}(?:[.:]\d{1,3})?(?:\.?(?:[a-h]|[ivx]{1,4}))?"
    r"|\d{1,2}(?:[.:]\d{1,3}){1,2}(?:[a-zA-Z]|[ivx]{1,4})?"
    r"|\d{1,3}(?:[ivx]{2,4}|[a-zA-Z])?"
    r"|[A-Z](?:\.?[ivx]{1,4})?"
    r"|[a-z][-.][ivx]{1,4}"
    r"|[ivx]{1,5}|[a-z]"
)
_LOCATOR = (
    r"(?P<unit>(?i:pp?|pages?|pgs?|paras?|paragraphs?)\.?|Q\.)\s*"
    r"(?P<first>\d{1,4})(?:\s*[-–]\s*(?P<last>\d{1,4}))?"
)
_PART = re.compile(
    rf"""(?:{_WORD.format(name="word")})?(?P<id>{_TOKEN})
    (?:\s*[-–—]\s*(?:{_WORD.format(name="word2")})?(?P<id2>{_TOKEN}))?
    (?:\s*[,:]?\s*{_LOCATOR})?""",
    re.VERBOSE,
)
_LOCATOR_ONLY = re.compile(_LOCATOR)
_SUB_PART = re.compile(r"\((?P<part>[ivx]{1,4}|[a-h])\)")
_BARE_PAGES = re.compile(r"(?P<first>\d{1,4})(?:\s*[-–]\s*(?P<last>\d{1,4}))?")
_RANGE_NUMBER = re.compile(r"(?P<head>.*?)(?P<number>\d+)(?P<letter>[a-z]?)")

# --- the labels of the lines of the lists --------------------------------------------------------

# Atomic groups keep the markup before and after the label from being tried every way
# ("*" and " " are in both): a line of spaces or asterisks costs its length, once.
_LABEL = re.compile(
    rf"""^(?>[ \t]*)(?>(?:[-+][ \t]+|\|[ \t]*|\#{{1,6}}[ \t]+)?)(?>(?:[*_ \t]|<ins>)*)
    (?P<open>[\[(]?)(?>[*_ \t]*)
    (?P<id>(?:{_WORD.format(name="word")})?(?:{_TOKEN}))
    (?>[*_]*)(?P<close>[\])]?)(?>(?:[*_]|</ins>)*)
    (?P<sep>[.):|–-]|\t|[ ]{{2}}|[ ](?=\S))""",
    re.MULTILINE | re.VERBOSE,
)
_NUMBERED = re.compile(r"\d{1,3}")
_LAST_WORD = re.compile(r"[A-Za-z]+$")

# Words before "(1)" that start an enumeration rather than end a claim.
_ENUMERATING = frozenset(
    re.findall(
        r"\w+",
        "and or to of the with by for in on at from regarding including namely are were is was "
        "be been being both either that which as into whether then also their its our his her "
        "these those this",
    )
)
_UNITS = frozenset(re.findall(r"\w+", "m cm mm km ft in mi kg g l ml s ha sq"))
_QUOTES = "\u201d\u2019\"'"  # closing quotation marks
_OPENING = frozenset("\u201c\u2018")  # opening quotation marks
_CLOSERS = frozenset(".,;:!?)]}»\n" + _QUOTES)
_KIND_WORD = re.compile(
    r"(?P<word>sources?|references?|refs?\.?|outputs?|publications?|papers?|grants?|evidence)"
    r"\s*$",
    re.IGNORECASE,
)
_WEAK: frozenset[Shape] = frozenset({"number", "letter", "roman", "dotted"})


@dataclass(frozen=True)
class Cite:
    """One id a marker cites, with the pages it names ("p9", "p2-3") if any.

    ``source`` is the id in canonical form ("R1", "3.1", "Source 3"); ``written`` is the id as
    the text writes it, markup removed ("source 3"); ``kind`` says what it names, from its word
    or prefix ("reference", "grant", "source") or, once resolved, the entry's kind; ``entry`` is
    the id of the register entry it resolves to (None if unresolved or not yet resolved).
    """

    source: str
    pages: str | None = None
    written: str = field(default="", compare=False)
    kind: Kind | None = field(default=None, compare=False)
    entry: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Marker:
    """A citation marker: the ids it cites, its exact text and position (1-based line/column),
    and its style: "square" brackets, "paren"theses or "sup"erscript."""

    ids: list[Cite]
    text: str
    start: int
    end: int
    line: int
    column: int
    style: Style = field(default="square", compare=False)


# --- reading a marker's contents -----------------------------------------------------------------


@dataclass
class _Group:
    """The ids one part of a marker reads ("R1", "R3-R5", "sources 3"): their shape, and
    whether a bare number took its prefix from the id before ("C1,2")."""

    cites: list[Cite]
    shape: Shape
    inherited: bool = False


def _pages(unit: str, first: str, last: str | None) -> str:
    """A locator as cites carry it: "p9", "p2-3", "para 32", "Q67"."""
    name = unit.rstrip(".").lower()
    if name.startswith("para"):
        head = "para "
    elif name == "q":
        head = "Q"
    else:
        head = "p"
    return f"{head}{first}-{last}" if last and last != first else f"{head}{first}"


def _number_ok(token: str) -> bool:
    """A token's numbers have no leading zero ("08", "016" are dates and sums, not ids)."""
    return not any(len(n) > 1 and n[0] == "0" for n in re.findall(r"\d+", token))


def _expand(first: str, last: str) -> list[str] | None:
    """The ids from ``first`` to ``last``: "R3".."R5", "R1".."3", "3.1".."3.3", "E5a".."c",
    "E5a".."E5c", "1".."6"; None for a range that is no range ("E3".."E1", "R1".."S3")."""
    one = _RANGE_NUMBER.fullmatch(first)
    if one is None:
        return None
    head, number, letter = one["head"], int(one["number"]), one["letter"]
    if letter and re.fullmatch(r"[a-z]", last):  # "E5a-c"
        number2, letter2 = number, last
    else:
        two = _RANGE_NUMBER.fullmatch(last)
        if two is None or (two["head"] and two["head"] != head):
            return None
        number2, letter2 = int(two["number"]), two["letter"]
    if letter or letter2:
        if number2 != number or not (letter and letter2) or letter2 <= letter:
            return None
        return [f"{head}{number}{chr(c)}" for c in range(ord(letter), ord(letter2) + 1)]
    if not number < number2 <= number + MAX_RANGE:
        return None
    return [f"{head}{n}" for n in range(number, number2 + 1)]


def _kind(identifier: str, word: str | None) -> Kind | None:
    """What a cite names by its word ("sources 3") or its prefix ("R1"), if either says."""
    if word is not None:
        return word_kind(word)
    head = prefix(identifier)
    return prefix_kind(head) if head else None


def _read(body: str) -> tuple[_Group, ...]:
    """The readable parts of a marker's contents, in order; unreadable parts are left out.
    Cached: a text repeats its markers ("[R1]"), and the groups are never changed once read."""
    return _read_cached(body)


@lru_cache(maxsize=4096)
def _read_cached(body: str) -> tuple[_Group, ...]:
    text = _SPACE.sub(" ", _MARKUP.sub("", body)).strip()
    text = _TAIL.sub("", _LEAD.sub("", text)).strip(" .")
    groups: list[_Group] = []
    last_pages = False  # "[E9, p2, 5]": 5 is a page too
    for part in _SPLIT.split(text):
        part = _TAIL.sub("", _LEAD.sub("", part)).strip(" .")
        if not part:
            continue
        located = _LOCATOR_ONLY.fullmatch(part)
        more = located or (_BARE_PAGES.fullmatch(part) if last_pages else None)
        if more and groups:
            previous = groups[-1].cites[-1]
            unit = located["unit"] if located else (previous.pages or "p")[0]
            written = _pages(unit, more["first"], more["last"])
            pages = f"{previous.pages}, {written}" if previous.pages else written
            groups[-1].cites[-1] = Cite(previous.source, pages, previous.written, previous.kind)
            last_pages = True
            continue
        last_pages = False
        if (sub := _SUB_PART.fullmatch(part)) and groups and len(groups[-1].cites) == 1:
            previous = groups[-1].cites[0]  # "[C, (i)]": part i of C
            if parent(previous.source) is None and shape(previous.source) in _WEAK | {"prefixed"}:
                identifier = canonical(previous.source + sub["part"])
                written = f"{previous.written}, {part}"
                cite = Cite(identifier, previous.pages, written, previous.kind)
                groups[-1] = _Group([cite], shape(identifier))
                continue
        match = _PART.fullmatch(part)
        if match is None or not _number_ok(part) or match["word"] == "REF":
            continue  # "REF 2" is the Research Excellence Framework's list, not a reference
        token, word, inherited = match["id"], match["word"], False
        if word is None and groups:
            # A bare token after a worded id takes its word ("Grants B, C"); a bare number
            # after a prefixed id, its prefix ("C1,2"), if the lists bear it out.
            before = groups[-1].cites[-1].source
            before_word = split_word(before)[0]
            if before_word is not None and shape(token) in _WEAK:
                word = before_word
            elif prefix(before) and re.fullmatch(r"\d{1,3}", token):
                token, inherited = prefix(before) + token, True
            elif (whole := parent(before)) and re.fullmatch(r"[a-z]|[ivx]{1,4}", token):
                token = whole + token  # "S6ii, iii": S6iii
        first = canonical(f"{word} {token}" if word else token)
        if match["id2"]:
            span = _expand(number_key(first), number_key(canonical(match["id2"])))
            if span is None:
                continue
            cites = [
                Cite(canonical(f"{word} {s}" if word else s), None, s, _kind(s, word)) for s in span
            ]
        else:
            cites = [Cite(first, None, part, _kind(first, word))]
        if match["unit"]:
            last = cites[-1]
            pages = _pages(match["unit"], match["first"], match["last"])
            cites[-1] = Cite(last.source, pages, last.written, last.kind)
            last_pages = True
        groups.append(_Group(cites, shape(first), inherited))
    return tuple(groups)


def parse_marker_body(body: str) -> list[Cite] | None:
    """The ids a bracket's contents read as, whatever the document's lists: "**E5a**, p1;
    **E5b**, p1" -> E5a p1, E5b p1; None if no part reads as an id ("[sic]", "[see below]")."""
    cites = [c for g in _read(body) for c in g.cites]
    return cites or None


# --- what the document's lists number with -------------------------------------------------------


@dataclass
class _Evidence:
    """The ids the case study's lists hold (canonical), and the shapes and prefixes they use."""

    ids: set[str] = field(default_factory=set)
    shapes: set[Shape] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    top: Counter[str] = field(default_factory=Counter)  # highest number per prefix ("" bare)

    def add(self, identifier: str) -> None:
        identifier = canonical(identifier)
        if not identifier:
            return
        self.ids.add(identifier)
        key = number_key(identifier)
        self.ids.add(key)
        found = shape(key)
        self.shapes.add(found)
        head = prefix(key)
        if head:
            self.prefixes.add(head)
        digits = re.match(r"\d+", key[len(head) :])
        if digits and found in {"number", "prefixed"}:
            self.top[head] = max(self.top[head], int(digits.group()))
        if (up := parent(key)) is not None:
            self.ids.add(up)

    def holds(self, identifier: str) -> bool:
        """Whether the lists hold this id, or the id it is a part of ("E5a" of "E5")."""
        key = number_key(identifier)
        up = parent(key)
        return key in self.ids or identifier in self.ids or (up is not None and up in self.ids)

    def near(self, identifier: str) -> bool:
        """Whether the id numbers the way the lists do, at most ten past their last entry."""
        key = number_key(identifier)
        head = prefix(key)
        digits = re.match(r"\d+", key[len(head) :])
        if digits is None or head not in self.top:
            return False
        return int(digits.group()) <= self.top[head] + 10


def list_ids(
    text: str,
    sections: Sequence[Section] | None = None,
    lists: Collection[str] = LIST_SECTIONS,
) -> list[str]:
    """The ids that label the lines of the case study's lists (the ``lists`` sections among
    ``sections``, found in ``text`` if not given; the whole text if it has neither), canonical,
    in text order. A Markdown list numbered "1." throughout counts on ("1.", "1.", "1." are 1,
    2, 3)."""
    found_sections = find_sections(text) if sections is None else sections
    spans = [(s.body_start, s.end) for s in found_sections if s.number in lists]
    if not spans:
        spans = [(0, len(text))]
    found: list[str] = []
    for start, end in spans:
        count = 0  # the Markdown counter of "1." items in this list
        for match in _LABEL.finditer(text, start, end):
            raw, sep = match["id"], match["sep"]
            bracketed = bool(match["open"]) and match["close"] in {"]", ")"}
            kind = shape(canonical(raw))
            if kind in {"number", "letter", "roman"} and not (
                bracketed or sep in {".", ")", ":", "|", "\t"}
            ):
                continue  # "A guide to ..." or "3 women ..." is no label
            if kind == "other":
                continue
            identifier = canonical(raw)
            if sep == "." and not bracketed and _NUMBERED.fullmatch(identifier):
                number = int(identifier)
                count = count + 1 if number == 1 and count else number
                identifier = str(count)
            found.append(identifier)
    return found


# --- where a candidate stands ------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """What stands around a candidate marker."""

    line_start: bool  # only bullets, markup or a table's bar before it on its line
    alone: bool  # nothing after it on its line
    closes: bool  # punctuation, a quote's end, a line's end or another marker follows it
    glued: bool  # a letter or digit touches its opening ("38(1)", "*15*(8)", "al<sup>1</sup>")
    number_before: bool  # a number comes before it: "Vol. 24 (3)", "**4** (3)"
    word_after: bool  # a word follows it ("(1) first")
    enumerating: bool  # "... namely (1) this", ": (a) that": a list in the prose
    after_quote: bool  # right after a closing quotation mark
    opens_quote: bool  # right after an opening quotation mark: “[I] was told
    unit_before: bool  # "km<sup>2</sup>", "10<sup>6</sup>"
    kind_hint: Kind | None  # "outputs [5]": the word before names the list


@dataclass
class _Candidate:
    style: Style
    start: int
    end: int
    groups: tuple[_Group, ...]
    place: _Place
    in_list: bool = False  # in the list of references or of sources


def _skip_markup(text: str, index: int) -> int:
    """The first offset at or after ``index`` past spaces, emphasis and closing tags."""
    while index < len(text):
        if text[index] in " \t*_":
            index += 1
        elif text.startswith("</", index) and (close := text.find(">", index, index + 12)) > 0:
            index = close + 1
        else:
            break
    return index


def _place(text: str, start: int, end: int) -> _Place:
    """What stands around the candidate at ``start:end``: up to 120 characters of its line
    before it, and the first character after it past markup."""
    line_begin = text.rfind("\n", max(0, start - 120), start) + 1
    at_line_start = line_begin > 0 or start <= 120
    plain = _MARKUP.sub("", text[max(line_begin, start - 120) : start])
    stripped = plain.rstrip(" \t")
    last_char = stripped[-1:]
    word = _LAST_WORD.search(stripped[-40:]) if last_char.isalpha() else None
    last_word = word.group().lower() if word else ""
    after = _skip_markup(text, end)
    next_char = text[after] if after < len(text) else "\n"
    word_after = next_char.isalpha()
    hint = _KIND_WORD.search(stripped[-20:])
    return _Place(
        line_start=at_line_start and not stripped.strip(" \t#>|-+"),
        alone=next_char == "\n",
        closes=next_char in _CLOSERS or next_char in "[(<",
        glued=plain[-1:].isalnum(),
        number_before=last_char.isdigit(),
        word_after=word_after,
        enumerating=word_after
        and (not stripped or last_char in ":;,–—-" or last_word in _ENUMERATING),
        after_quote=bool(last_char) and last_char in _QUOTES,
        opens_quote=last_char in _OPENING
        or (bool(last_char) and last_char in "\"'" and stripped[-2:-1] in {"", " "}),
        unit_before=last_word in _UNITS or text[start - 1 : start].isdigit(),
        kind_hint=word_kind(hint["word"].rstrip(".")) if hint else None,
    )


def _candidates(text: str, list_spans: Sequence[tuple[int, int]]) -> list[_Candidate]:
    """Every bracket, parenthesis and superscript that reads as ids, with its place."""
    masks = [(m.start(), m.end()) for m in _MASK.finditer(text)]
    mask_starts = [a for a, _ in masks]

    def masked(offset: int) -> bool:
        index = bisect_right(mask_starts, offset) - 1
        return index >= 0 and masks[index][0] <= offset < masks[index][1]

    found: list[_Candidate] = []
    patterns: tuple[tuple[Style, re.Pattern[str]], ...] = (
        ("square", _SQUARE),
        ("paren", _PAREN),
        ("sup", _SUP),
    )
    for style, pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if masked(start) or (style == "square" and text.startswith("(", end)):
                continue  # a link's target, or its text: "[DOI](https://...)"
            body = _SUP_TAGS.sub("", match.group()) if style == "sup" else match["body"]
            if style != "sup" and "<sup" in body.lower():
                continue  # the superscript inside is read on its own
            groups = _read(body)
            if groups:
                in_list = any(a <= start < b for a, b in list_spans)
                found.append(
                    _Candidate(style, start, end, groups, _place(text, start, end), in_list)
                )
    found.sort(key=lambda c: c.start)
    return found


# --- deciding --------------------------------------------------------------------------------


@dataclass
class _Convention:
    """What the document as a whole does: the heads of its dotted ids ("3" of "3.1"), the
    prefixes it writes in square brackets and those it writes in parentheses."""

    evidence: _Evidence
    dotted_heads: set[str]
    square_prefixes: set[str]
    paren_prefixes: set[str]  # prefixes the text writes in parentheses three times or more
    lettered: set[str] = field(default_factory=set)  # "upper", "lower": cites A, B, C by place

    def by_place(self, ids: Sequence[str]) -> bool:
        """Whether the text cites these letters ("B", "Aii", "c") as the places of entries of
        a numbered list: it cites three letters or more from A on, the lists hold no such
        letter and number their entries, and each letter's place is within the list."""
        for identifier in ids:
            number = ordinal(identifier)
            case = "upper" if identifier[:1].isupper() else "lower"
            if number is None or case not in self.lettered:
                return False
            place = int(number.rstrip("ivxabcdefgh"))
            if place > self.evidence.top.get("", 0):
                return False
        return True


def _accept(group: _Group, candidate: _Candidate, convention: _Convention) -> bool:
    """Whether one part of a candidate is a citation, by the document's own convention."""
    evidence = convention.evidence
    kind, style, place = group.shape, candidate.style, candidate.place
    ids = [c.source for c in group.cites]
    held = all(evidence.holds(i) for i in ids)
    if kind == "worded":
        return style != "sup"
    if group.inherited:  # "C1,2": C2 only if the lists hold it
        return held
    if kind == "prefixed":
        head = prefix(ids[0])
        if style == "square":
            known = head in evidence.prefixes or head in convention.square_prefixes
            return len(head) == 1 or known
        if place.glued and style == "paren":
            return False
        if style == "sup":
            return held and not place.unit_before
        if head in evidence.prefixes:
            return all(evidence.holds(i) or evidence.near(i) for i in ids)
        return head in convention.square_prefixes or head in convention.paren_prefixes
    if kind not in _WEAK:
        return False
    if style == "square":
        if kind == "dotted":
            return held or number_key(ids[0]).split(".")[0] in convention.dotted_heads
        if kind == "number":
            if held:
                return True
            if "number" in evidence.shapes:
                return all(evidence.near(i) for i in ids)
            # No list numbered this way (nor with prefixes) was found: "[3]" ending a clause
            # or a quotation still cites.
            unnumbered = not evidence.shapes & {"number", "prefixed", "dotted"}
            return unnumbered and (place.closes or place.after_quote)
        if ids[0] in {"A", "I"} and place.opens_quote:
            return False  # an editor's word opening a quotation: “[I] was told ...”
        return held or convention.by_place(ids)
    # Parentheses and superscripts: the very ids the lists hold, in a citation's place, in the
    # prose (in the lists, "(3)" is a journal's issue and a superscript a footnote). A lower
    # case letter or roman numeral in parentheses numbers a list in the prose: "(a)", "(iv)".
    if not (held or (kind == "letter" and convention.by_place(ids))) or candidate.in_list:
        return False
    if style == "sup":
        return not place.unit_before
    if kind == "roman":
        return False
    return not (place.glued or place.number_before or place.enumerating)


def _numbering(candidates: Sequence[_Candidate], style: Style) -> set[str]:
    """The prefixes the prose numbers a list with in this style: written three times or more,
    two ids or more, the lowest numbered 1 or 2 ("(EV1)", "(EV2)", "(EV4)"; not "(SDG3)",
    "(SDG13)", nor "(CO2)" thrice, nor "[NG25]" once)."""
    used: Counter[str] = Counter()
    numbers: dict[str, set[int]] = {}
    for candidate in candidates:
        if candidate.style != style or candidate.place.line_start or candidate.place.glued:
            continue
        for group in candidate.groups:
            if group.shape != "prefixed":
                continue
            for cite in group.cites:
                head = prefix(cite.source)
                used[head] += 1
                last = re.findall(r"\d+", cite.source)[-1]
                numbers.setdefault(head, set()).add(int(last))
    return {
        head
        for head, count in used.items()
        if count >= 3 and len(numbers[head]) >= 2 and min(numbers[head]) <= 2
    }


def _lettered(candidates: Sequence[_Candidate], evidence: _Evidence) -> set[str]:
    """The cases ("upper", "lower") of the letters the prose cites by their place in a numbered
    list: three letters or more from A on, where the lists hold no letter of that case."""
    letters: dict[str, set[str]] = {"upper": set(), "lower": set()}
    for candidate in candidates:
        if candidate.place.line_start or candidate.in_list or candidate.style == "sup":
            continue
        for group in candidate.groups:
            first = group.cites[0].source
            if group.shape == "letter" or (group.shape == "roman" and len(first) == 1):
                letters["upper" if first[0].isupper() else "lower"].add(first[0].lower())
    listed = {
        "upper" if i[0].isupper() else "lower"
        for i in evidence.ids
        if shape(i) == "letter" or (shape(i) == "roman" and len(i) == 1)
    }
    if "number" not in evidence.shapes:
        return set()
    return {
        case
        for case, found in letters.items()
        if case not in listed and {"a", "b"} <= found and len(found) >= 3
    }


def _enumerations(candidates: Sequence[_Candidate]) -> set[int]:
    """Indexes of parenthesised "(1) ... (2) ..." or "(a) ... (b) ..." runs in the prose, each
    followed by a word: a list's numbering, not citations."""
    found: set[int] = set()
    run: list[int] = []
    expected = ""
    for index, candidate in enumerate(candidates):
        groups = candidate.groups
        single = len(groups) == 1 and len(groups[0].cites) == 1
        value = groups[0].cites[0].source if single else ""
        if candidate.style != "paren" or not candidate.place.word_after or not single:
            continue
        if run and value == expected and candidate.start - candidates[run[-1]].end < 600:
            run.append(index)
        else:
            if len(run) >= 2:
                found.update(run)
            run = [index] if value in {"1", "a", "A", "i"} else []
        expected = _successor(value)
    if len(run) >= 2:
        found.update(run)
    return found


def _successor(value: str) -> str:
    if value.isdigit():
        return str(int(value) + 1)
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    if value in romans[:-1]:
        return romans[romans.index(value) + 1]
    if len(value) == 1 and value.isalpha():
        return chr(ord(value) + 1)
    return ""


def _decide(
    candidates: list[_Candidate], evidence: _Evidence, lists: Collection[str]
) -> list[list[_Group]]:
    """The groups of each candidate that are citations, by the document's convention."""
    convention = _Convention(
        evidence,
        {i.split(".")[0] for i in evidence.ids if shape(i) == "dotted"} | set(lists),
        _numbering(candidates, "square"),
        _numbering(candidates, "paren"),
        _lettered(candidates, evidence),
    )
    enumerations = _enumerations(candidates)
    chosen: list[list[_Group]] = []
    weak: Counter[tuple[Style, Shape]] = Counter()
    for index, candidate in enumerate(candidates):
        place = candidate.place
        label = place.line_start and (candidate.in_list or not place.alone or place.word_after)
        if label or index in enumerations:
            chosen.append([])
            continue
        kept = [g for g in candidate.groups if _accept(g, candidate, convention)]
        chosen.append(kept)
        weak.update((candidate.style, g.shape) for g in kept if g.shape in _WEAK)
    # A bare number, letter or dotted number in parentheses follows the document's convention:
    # where it cites that numbering in square brackets more often, "(2)" is something else.
    for index, candidate in enumerate(candidates):
        if candidate.style == "paren":
            chosen[index] = [
                g
                for g in chosen[index]
                if g.shape not in _WEAK or weak["paren", g.shape] >= weak["square", g.shape]
            ]
    return chosen


def _with_hint(cite: Cite, hint: Kind | None) -> Cite:
    if hint is None or cite.kind is not None:
        return cite
    return Cite(cite.source, cite.pages, cite.written, hint, cite.entry)


def _joined(text: str, previous: Marker, cites: list[Cite], start: int) -> list[Cite] | None:
    """The range "[1]-[5]" writes across two markers, or None."""
    between = text[previous.end : start].strip(" *_")
    if between not in {"-", "–"} or len(previous.ids) != 1 or len(cites) != 1:
        return None
    first, last = previous.ids[0], cites[0]
    word = split_word(first.source)[0]
    span = _expand(number_key(first.source), number_key(last.source))
    if span is None or word != split_word(last.source)[0]:
        return None
    return [
        Cite(canonical(f"{word} {s}" if word else s), None, s, first.kind) for s in span[:-1]
    ] + [last]


def find_markers(
    text: str,
    register_ids: Iterable[str] | None = None,
    *,
    sections: Sequence[Section] | None = None,
    lists: Collection[str] = LIST_SECTIONS,
) -> list[Marker]:
    """Every citation marker in ``text``, in order.

    ``register_ids`` are the ids of the case study's own lists (``RegisterEntry.id``); the labels
    of the lines of its lists (the ``lists`` sections, 3 and 5, among ``sections``, which are
    found in ``text`` when not given) are read from the text as well. Together they say which
    numbering the document uses, and so which brackets, parentheses and superscripts are
    markers; a list's own labels ("[R1] Marsh, B. ...") are not.
    """
    found_sections = find_sections(text) if sections is None else sections
    evidence = _Evidence()
    for identifier in register_ids or ():
        evidence.add(identifier)
    for identifier in list_ids(text, found_sections, lists):
        evidence.add(identifier)
    spans = [(s.start, s.end) for s in found_sections if s.number in lists]
    candidates = _candidates(text, spans)
    markers: list[Marker] = []
    for candidate, groups in zip(candidates, _decide(candidates, evidence, lists), strict=True):
        cites = [_with_hint(c, candidate.place.kind_hint) for g in groups for c in g.cites]
        if not cites:
            continue
        start, end = candidate.start, candidate.end
        if markers and (joined := _joined(text, markers[-1], cites, start)):
            start, cites = markers.pop().start, joined
        line, column = line_col(text, start)
        markers.append(Marker(cites, text[start:end], start, end, line, column, candidate.style))
    return markers
