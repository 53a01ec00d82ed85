"""Finding a quoted phrase in page text, forgiving layout: spaces, case, quotes, ligatures."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SINGLE = "\u2018\u2019\u201a\u201b\u2032"  # curly and low single quotes, prime
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033"  # curly and low double quotes, double prime
_DASHES = "\u2010\u2011\u2013\u2014"  # hyphen, non-breaking hyphen, en and em dash
_QUOTES = str.maketrans(
    {**dict.fromkeys(_SINGLE, "'"), **dict.fromkeys(_DOUBLE, '"'), **dict.fromkeys(_DASHES, "-"),
     "\u00ad": ""}
)  # fmt: skip
_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
_SPACE = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[\"'.,;:!?()\[\]{}*_]")


def normalise(text: str) -> str:
    """NFKC (ligatures), no quote marks or punctuation, joined line-break hyphenation,
    one space between words, casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _PUNCTUATION.sub(" ", text)
    return _SPACE.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote was found: the pages holding it, or the closest match and its similarity."""

    pages: tuple[int, ...]  # 1-based pages holding the exact (normalised) words
    best_page: int | None = None
    similarity: float = 0.0
    best_text: str = ""


def find_quote(quote: str, pages: list[str]) -> QuoteMatch:
    """Search every page; when the words are absent, report the best fuzzy match."""
    wanted = normalise(quote)
    normalised = [normalise(p) for p in pages]
    found = tuple(i + 1 for i, page in enumerate(normalised) if wanted and wanted in page)
    if found:
        return QuoteMatch(found, found[0], 100.0, quote)
    from rapidfuzz import fuzz

    best_page, best_score, best_text = None, 0.0, ""
    for index, page in enumerate(normalised):
        if not page:
            continue
        alignment = fuzz.partial_ratio_alignment(wanted, page)
        if alignment is not None and alignment.score > best_score:
            best_page, best_score = index + 1, alignment.score
            best_text = page[alignment.dest_start : alignment.dest_end]
    return QuoteMatch((), best_page, round(best_score, 1), best_text)
