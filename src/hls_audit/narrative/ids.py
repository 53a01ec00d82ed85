"""Citation ids as case studies write them, in one canonical form shared by markers and lists.

A case study may number its lists "R1", "E5a", "3.1", "10", "1a", "A", or with a word
("Source 1", "Grant A", "EVID 2"). ``canonical`` removes markup and spacing noise so that the
id in a marker and the id of a list entry compare equal when they are the same id; ``shape``
says which numbering an id uses, ``split_word`` and ``number_key`` take a worded id apart,
``parent`` gives the id a part belongs to ("E5" of "E5a"), ``ordinal`` a letter's place ("2" of
"B"), and ``word_kind`` and ``prefix_kind`` what a word ("sources", "output") or a prefix ("R",
"G") names by the common conventions.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["reference", "grant", "source"]
Shape = Literal["worded", "prefixed", "dotted", "number", "letter", "roman", "other"]

_MARKUP = re.compile(r"[*_\\]|</?(?:b|i|u|em|strong|ins|span|sup|sub)\b[^<>]{0,80}>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ENDS = " \t.:;,)]"
_GLUED = re.compile(r"(?P<word>[A-Za-z]{5,})(?P<rest>\d{1,3}[a-z]?)")
# The dot or dash before a part: "S1.ii", "B.i", "a-ii" are S1ii, Bi, aii.
_PART_DOT = re.compile(r"(?<=[0-9A-Z])\.(?=[a-z]{1,4}$)|(?<=[0-9A-Za-z])[.-](?=[ivx]{1,4}$)")
_WORDED = re.compile(r"(?P<word>[A-Za-z]{3,}\.?)\s+(?P<rest>[0-9A-Za-z][0-9A-Za-z.:]*)")

# A word that names a list, as written before an id ("source 3", "Refs 2", "EVID 1"), and the
# word its canonical form uses.
WORDS: dict[str, str] = {
    "source": "Source",
    "sources": "Source",
    "ref": "Reference",
    "refs": "Reference",
    "reference": "Reference",
    "references": "Reference",
    "output": "Output",
    "outputs": "Output",
    "publication": "Publication",
    "publications": "Publication",
    "paper": "Paper",
    "papers": "Paper",
    "grant": "Grant",
    "grants": "Grant",
    "award": "Award",
    "awards": "Award",
    "evidence": "Evidence",
    "evid": "Evidence",
    "item": "Item",
    "items": "Item",
    "document": "Document",
    "documents": "Document",
    "doc": "Document",
    "docs": "Document",
    "testimonial": "Testimonial",
    "testimonials": "Testimonial",
}
_KINDS: dict[str, Kind] = {
    "Source": "source",
    "Evidence": "source",
    "Document": "source",
    "Testimonial": "source",
    "Item": "source",
    "Reference": "reference",
    "Output": "reference",
    "Publication": "reference",
    "Paper": "reference",
    "Grant": "grant",
    "Award": "grant",
}
# The one-letter prefix a list numbered by that word may use instead ("Source 3" -> "S3").
_INITIALS: dict[str, tuple[str, ...]] = {
    "Source": ("S",),
    "Evidence": ("E", "EV"),
    "Reference": ("R",),
    "Output": ("O", "R"),
    "Publication": ("P",),
    "Grant": ("G",),
}

_PREFIXED = re.compile(r"[A-Z]{1,4}\d{1,3}(?:[.:]\d{1,3})?(?:\.?[a-z]{1,4})?")
_DOTTED = re.compile(r"\d{1,2}(?:[.:]\d{1,3}){1,2}(?:[a-zA-Z]|[ivx]{1,4})?")
_NUMBER = re.compile(r"\d{1,3}(?:[a-zA-Z]|[ivx]{2,4})?")
_LETTER = re.compile(r"[A-Z](?:[ivx]{1,4}|\d)?|[a-z][ivx]{1,4}")
_ROMAN = re.compile(r"[ivx]{1,5}|[a-z]")
_SHAPES: tuple[tuple[re.Pattern[str], Shape], ...] = (
    (_PREFIXED, "prefixed"),
    (_DOTTED, "dotted"),
    (_NUMBER, "number"),
    (_ROMAN, "roman"),
    (_LETTER, "letter"),
)
_PART = re.compile(
    r"(?P<parent>[A-Z]{1,4}\d{1,3}|\d{1,2}[.:]\d{1,3}|\d{1,3}|[A-Z])\.?(?:[a-zA-Z]|[ivx]{1,4})"
    r"|(?P<lower>[a-z])[ivx]{1,4}"
    r"|(?P<dotted>\d{1,2}\.\d{1,3}|[A-Z]{1,4}\d{1,3})\.\d{1,3}"
)


def canonical(raw: str) -> str:
    """``raw`` without emphasis, brackets' markup or spacing noise: '**R1**' -> 'R1',
    '[ **A**]' -> 'A', 'source  1' -> 'Source 1', 'sources 3' -> 'Source 3', 'EVID 2' and
    'Evidence2' -> 'Evidence 2', '3:1' -> '3.1', 'S1.ii' -> 'S1ii'; 'e5A' stays as written
    apart from markup."""
    text = _SPACES.sub(" ", _MARKUP.sub("", raw)).strip(_ENDS + "([")
    text = _PART_DOT.sub("", text)
    if (glued := _GLUED.fullmatch(text)) and glued["word"].lower() in WORDS:
        text = f"{glued['word']} {glued['rest']}"  # "GRANT1", "Source2"
    if worded := _WORDED.fullmatch(text):
        word = worded["word"].rstrip(".")
        rest = worded["rest"].rstrip(".:")
        named = WORDS.get(word.lower(), word.capitalize())
        return f"{named} {_colon(rest)}"
    return _colon(text)


def _colon(text: str) -> str:
    """'3:1' -> '3.1': a colon between two numbers numbers the same way as a dot."""
    if ":" in text and _DOTTED.fullmatch(text):
        return text.replace(":", ".")
    return text


def split_word(identifier: str) -> tuple[str | None, str]:
    """A canonical id's word and the rest: 'Source 3' -> ('Source', '3'), 'R1' -> (None, 'R1')."""
    word, space, rest = identifier.partition(" ")
    if space and rest and word.isalpha():
        return word, rest
    return None, identifier


def number_key(identifier: str) -> str:
    """The id without its word, the key a bare-numbered list files it under: 'Source 3' -> '3',
    'Grant A' -> 'A', '3' -> '3', 'R3' -> 'R3'."""
    return split_word(identifier)[1]


def word_kind(word: str | None) -> Kind | None:
    """What a list word names: 'Source' -> 'source', 'Output' -> 'reference', else None."""
    if word is None:
        return None
    return _KINDS.get(WORDS.get(word.lower(), word))


_PREFIX_KINDS: dict[str, Kind] = {
    "R": "reference",
    "O": "reference",  # outputs
    "P": "reference",  # publications
    "UR": "reference",  # underpinning research
    "PUB": "reference",
    "G": "grant",
    "S": "source",
    "E": "source",
    "C": "source",  # corroboration
    "EV": "source",
    "IMP": "source",
}


def prefix_kind(head: str) -> Kind | None:
    """What a prefix numbers by the common conventions: 'R' (or 'O'utput, 'P'ublication) a
    reference, 'G' a grant, 'S', 'E', 'C', 'EV' a corroborating source; None for a prefix no
    convention names ('A' of 'A3' may be the first source's third part, not a source 3)."""
    return _PREFIX_KINDS.get(head)


def initials(word: str) -> tuple[str, ...]:
    """The prefixes a list named by ``word`` may number with instead: 'Source' -> ('S',)."""
    return _INITIALS.get(word, ())


def shape(identifier: str) -> Shape:
    """Which numbering a canonical id uses: 'Source 3' worded, 'R1'/'IMP2'/'S1.ii' prefixed,
    '3.1' dotted, '4'/'1a' number, 'A'/'Aii' letter, 'iii'/'a' roman (lower case)."""
    if split_word(identifier)[0] is not None:
        return "worded"
    for pattern, name in _SHAPES:
        if pattern.fullmatch(identifier):
            return name
    return "other"


def prefix(identifier: str) -> str:
    """The letters before a prefixed id's number: 'IMP12' -> 'IMP', 'R1' -> 'R', '3' -> ''."""
    letters = len(identifier) - len(identifier.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rest = identifier[letters:]
    return identifier[:letters] if letters and rest[:1].isdigit() else ""


def parent(identifier: str) -> str | None:
    """The id a part belongs to: 'E5a' -> 'E5', 'S1.ii' -> 'S1', '1a' -> '1', '5.1c' -> '5.1',
    'Aiii' -> 'A', 'aii' -> 'a', '5.1.3' -> '5.1', 'C1.2' -> 'C1'; None for an id with no part."""
    word, rest = split_word(identifier)
    if shape(rest) == "roman":
        return None  # "ii" is a numeral, not i's part i
    if match := _PART.fullmatch(rest):
        found = match["parent"] or match["lower"] or match["dotted"]
        return f"{word} {found}" if word else found
    return None


def ordinal(identifier: str) -> str | None:
    """A letter id as the number of its place in the alphabet, part kept: 'B' -> '2',
    'Aii' -> '1ii', 'c' -> '3'; None for any other id. A list lettered A, B, C in the text may
    be numbered 1, 2, 3 once converted to Markdown."""
    if shape(identifier) not in {"letter", "roman"} or not identifier[:1].isalpha():
        return None
    if shape(identifier) == "roman" and len(identifier) > 1:
        return None  # "ii" is a numeral, not a letter
    rest = identifier[1:]
    return f"{ord(identifier[0].upper()) - ord('A') + 1}{rest}" if not rest.isdigit() else None
