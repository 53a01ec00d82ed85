"""Finding a quoted phrase in page text, forgiving layout: spaces, case, quotes, ligatures."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hls_audit.io.files import MAX_QUOTE_SCAN_CHARS

MAX_FUZZY_QUOTE = 1_000  # characters of a quote compared fuzzily; a longer one is exact only
MAX_FUZZY_CELLS = 400_000_000  # quote x text characters of fuzzy search in one audit
MAX_SEARCH_CHARS = 2_000_000_000  # page text read by exact quote searches in one audit

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
    searched: bool = True  # False when the audit's search budget ran out before this quote


class SearchBudget:
    """How much quote searching one audit may still do, so no input makes it run for long.

    ``text`` counts characters of page text read by exact searches; ``cells`` counts quote x
    text characters of the closest-match search, whose cost grows with both lengths.
    """

    def __init__(self, text: int | None = None, cells: int | None = None) -> None:
        self.text = MAX_SEARCH_CHARS if text is None else text
        self.cells = MAX_FUZZY_CELLS if cells is None else cells

    def take_text(self, chars: int) -> bool:
        if chars > self.text:
            return False
        self.text -= chars
        return True

    def take(self, quote_chars: int, text_chars: int) -> bool:
        cost = quote_chars * text_chars
        if cost > self.cells:
            return False
        self.cells -= cost
        return True


def find_quote(
    quote: str,
    pages: list[str],
    scan_limit: int = MAX_QUOTE_SCAN_CHARS,
    budget: SearchBudget | None = None,
    normalised: list[str] | None = None,
) -> QuoteMatch:
    """Search every page; when the words are absent, report the best fuzzy match.

    The exact search reads all the text (which extraction has already bounded). The search for
    the closest match reads at most ``scan_limit`` characters of pages, only for a quote of at
    most MAX_FUZZY_QUOTE characters, and only while the audit's ``budget`` lasts; past that
    the closest match is simply not shown. ``normalised`` is the pages already normalised (a
    document cited many times is normalised once). A search the budget cannot pay for is not
    made: the match says ``searched=False``, and the quote counts as unchecked, never as found.
    """
    wanted = normalise(quote)
    if normalised is None:
        normalised = [normalise(p) for p in pages]
    if budget is not None and not budget.take_text(sum(len(p) for p in normalised)):
        return QuoteMatch((), searched=False)
    found = tuple(i + 1 for i, page in enumerate(normalised) if wanted and wanted in page)
    if found:
        return QuoteMatch(found, found[0], 100.0, quote)
    if not wanted or len(wanted) > MAX_FUZZY_QUOTE:
        return QuoteMatch(())
    from rapidfuzz import fuzz

    best_page, best_score, best_text = None, 0.0, ""
    room = scan_limit
    for index, page in enumerate(normalised):
        if not page:
            continue
        if room <= 0:
            break
        page = page[:room]
        room -= len(page)
        if budget is not None and not budget.take(len(wanted), len(page)):
            break
        alignment = fuzz.partial_ratio_alignment(wanted, page)
        if alignment is not None and alignment.score > best_score:
            best_page, best_score = index + 1, alignment.score
            best_text = page[alignment.dest_start : alignment.dest_end]
    return QuoteMatch((), best_page, round(best_score, 1), best_text)
