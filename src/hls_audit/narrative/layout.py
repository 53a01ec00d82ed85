"""A narrative's text from the structure of its Word or PDF file, laid out as the reader expects.

The narrative reader finds paragraphs between blank lines and headings, list items and table
rows on lines of their own. ``extract_narrative`` gives it that from a DOCX (each paragraph
apart, a list item after its number, a table row on one line with " | " between its cells) and
from a PDF (wrapped lines joined again, so that a line break never splits a figure, a marker or
a title; paragraphs apart where the page leaves a gap or a short line ends a sentence; the
running header and footer of its pages dropped). Plain text, Markdown and HTML are read as
``extract`` reads them. Every step is linear in the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from hls_audit.documents.extract import (
    DocxBlock,
    Extracted,
    ListLevel,
    PdfLine,
    decoded_text,
    document_kind,
    extract,
    extract_layout,
)


def extract_narrative(data: bytes, name: str) -> Extracted:
    """The narrative's text as one page (none for a PDF of no pages); never raises.

    ``error`` is set as ``extract`` sets it; a file of pages with no text is ``scanned``.
    """
    kind = document_kind(name)
    if kind == "html":
        read = extract(data, name)  # its limits and errors, as for any document
        if read.error is not None or not read.pages:
            return read
        return Extracted(kind, [html_text(decoded_text(data))])
    if kind not in ("pdf", "docx"):
        return extract(data, name)
    layout = extract_layout(data, name)
    if layout.error is not None:
        return Extracted(layout.kind, error=layout.error)
    if kind == "docx":
        return Extracted(kind, [docx_text(layout.blocks, layout.numbering)])
    return Extracted(kind, [pdf_text(layout.lines)] if layout.lines else [])


# --- HTML ---------------------------------------------------------------------------------------

_HTML_BLOCKS = frozenset(
    {"p", "div", "section", "article", "blockquote", "ul", "ol", "table", "tr", "h1", "h2",
     "h3", "h4", "h5", "h6", "header", "footer", "main", "aside", "figure", "dl", "dt", "dd"}
)  # fmt: skip
_HTML_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
_HTML_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def html_text(markup: str) -> str:
    """An HTML narrative as paragraphs apart: each block element (paragraph, heading, table
    row) its own paragraph, a list item on its own line, a line break kept, cells joined by
    " | ". Source line wraps inside a paragraph are spaces, as a browser shows them, and
    superscripts stay marked (``<sup>4</sup>``) so a citation written that way is still read."""
    from html.parser import HTMLParser

    out: list[str] = []

    class _Narrative(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.skipping = 0
            self.cells = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _HTML_SKIP:
                self.skipping += 1
            elif tag in _HTML_BLOCKS:
                out.append("\n\n")
                self.cells = 0
            elif tag == "li":
                out.append("\n- ")
            elif tag == "br":
                out.append("\n")
            elif tag in ("td", "th"):
                if self.cells:
                    out.append(" | ")
                self.cells += 1
            elif tag in ("sup", "sub") and not self.skipping:
                out.append(f"<{tag}>")

        def handle_endtag(self, tag: str) -> None:
            if tag in _HTML_SKIP and self.skipping:
                self.skipping -= 1
            elif tag in _HTML_BLOCKS:
                out.append("\n\n")
            elif tag in ("sup", "sub") and not self.skipping:
                out.append(f"</{tag}>")

        def handle_data(self, data: str) -> None:
            if not self.skipping:
                out.append(_HTML_SPACES.sub(" ", data))

    parser = _Narrative()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- Word ---------------------------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"(?:heading\s*\d|title|subtitle)\b", re.IGNORECASE)
_MAX_BOLD_HEADING_WORDS = 15
_MAX_LEVELS = 9


def docx_text(blocks: Sequence[DocxBlock], numbering: dict[str, dict[int, ListLevel]]) -> str:
    """Blocks as paragraphs apart: a heading on one line, a list item after the number (or "-")
    Word shows before it, a table row as its cells joined by " | " (a label and its value by a
    space)."""
    counters: dict[str, list[int | None]] = {}
    out: list[str] = []
    for block in blocks:
        if block.cells:
            cells = [" ".join(cell.split()) for cell in block.cells]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append(_row_text(cells))
            continue
        label = _label(block.numbering, numbering, counters) if block.numbering else ""
        lines = [line.strip(" \t") for line in block.text.strip().split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        text = " ".join(lines) if _is_heading(block, lines) else "\n".join(lines)
        out.append(f"{label} {text}" if label else text)
    return "\n\n".join(out)


def _row_text(cells: list[str]) -> str:
    """A table row on one line, its cells joined by " | "; a label and its value (a header
    field: "Institution: | University of X") by a space."""
    if len(cells) == 2 and cells[0].endswith((":", "?")):
        return " ".join(cells)
    return " | ".join(cells)


def _is_heading(block: DocxBlock, lines: list[str]) -> bool:
    """A Heading (or Title) style, an outline level, or a short paragraph all in bold."""
    if _HEADING_STYLE.match(block.style) or (block.outline is not None and block.outline < 9):
        return True
    return block.bold and sum(len(line.split()) for line in lines) <= _MAX_BOLD_HEADING_WORDS


def _label(
    where: tuple[str, int] | None,
    numbering: dict[str, dict[int, ListLevel]],
    counters: dict[str, list[int | None]],
) -> str:
    """The number Word draws before a list item ("1.", "b)", "2.3"), "-" for a bullet; counts
    the item."""
    if where is None:
        return ""
    identifier, depth = where
    levels = numbering.get(identifier, {})
    level = levels.get(depth)
    if level is None or level.format == "bullet":
        return "-"
    if level.format == "none" or not 0 <= depth < _MAX_LEVELS:
        return ""
    counts = counters.setdefault(identifier, [None] * _MAX_LEVELS)
    counted = counts[depth]
    counts[depth] = _start(level) if counted is None else counted + 1
    counts[depth + 1 :] = [None] * (_MAX_LEVELS - depth - 1)  # a deeper level starts again

    def number(match: re.Match[str]) -> str:
        index = int(match[1]) - 1
        shown = levels.get(index)
        if shown is None or index > depth:
            return ""
        value = counts[index]
        return _formatted(_start(shown) if value is None else value, shown.format)

    return re.sub(r"%([1-9])", number, level.text).strip()


def _start(level: ListLevel) -> int:
    return min(max(level.start, 0), 1_000_000)


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _formatted(value: int, style: str) -> str:
    """A list number in Word's format: "decimal", "lowerLetter" (z, aa, bb), "upperRoman"..."""
    if style.endswith("Letter") and 0 < value <= 26 * 30:
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26] * ((value - 1) // 26 + 1)
        return letter.upper() if style.startswith("upper") else letter
    if style.endswith("Roman") and 0 < value < 4000:
        roman = ""
        for amount, digits in _ROMAN:
            count, value = divmod(value, amount)
            roman += digits * count
        return roman.upper() if style.startswith("upper") else roman
    if style == "decimalZero" and value < 10:
        return f"0{value}"
    return str(value)


# --- PDF ----------------------------------------------------------------------------------------

_BAND = 3  # lines at the top and at the bottom of a page where a running header or footer is
_TAIL = 64  # characters at a line's end that say how it ends (a hyphen, a comma, a stop)
_ADDRESS = 400  # characters at a line's end that may hold a web address
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# A line that starts a block of its own: a bullet or dash, a numbered heading or list item
# ("1. The", "4.1 Policy", "(2) Smith"), or an entry of the case study's lists ("R1. Smith",
# "[E2] Letter", "E3: Report").
_BLOCK = re.compile(
    r"""(?P<bullet>[•▪◦●‣■□➢✓*+][ \t])
    |(?P<dash>[-–])[ \t]+(?P<after>\S)
    |(?P<number>(?:\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\)|\d{1,2}\.\d{1,2})[ \t]+[A-Z("\u201c\u2018])
    |\d{1,2}(?:\.\d{1,2})*[.)][ \t]+\S
    |\[[ \t]*(?P<bracketed>[A-Z]{1,3})\d{0,3}[a-z]?[ \t]*\][ \t]+[A-Z0-9"\u201c\u2018(]
    |(?P<entry>[A-Z]{1,3})\d{1,3}[a-z]?(?:[.):]|[ \t]*\|)[ \t]+[A-Z0-9"\u201c\u2018(\[]""",
    re.VERBOSE,
)
# A line ending so is continued by the next, whatever that starts with: "(R1, R2,\nR3)".
_OPEN_END = re.compile(r"(?:[,(\[&]|\band|\bor)$")
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'\u2019\u201d)\]*]*$")
_URL_START = re.compile(r"https?://|www\.", re.IGNORECASE)
# An address going on ("ncer-type/x", "ation-for-all.pdf"), not a number ("3.6 Smith").
_URL_PART = re.compile(r"(?![\d.]+(?:\s|$))\S*[/.\-_#=?&%~]")
_URL_BREAK = re.compile(r"[/\-._=?&#~]$")  # where an address may be broken
_WORD_HYPHEN = re.compile(r"(?:^|[^\w-])([^\W\d_]+)-$")
_WORD_START = re.compile(r"[^\W\d_]+")
_DASH_END = re.compile(r"\S[-\u2010\u2011\u2013\u2014]$")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FITS = 0.9  # of a full line's width: the next word would have fitted (fonts are not fixed)
_GAP = 1.3  # times the usual spacing between lines: a gap between paragraphs

# Helvetica's widths of the printable ASCII characters, in thousandths of the font size: a
# line's width is guessed from its characters (a PDF's text gives where a line starts only).
# fmt: off
_ADVANCES = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584,
)
# fmt: on
# Each width a class, a character of the private-use area, so that a text's width is counted
# at C speed: its characters translated to their classes, and each class counted.
_CLASSES = {advance: chr(0xE000 + index) for index, advance in enumerate(sorted(set(_ADVANCES)))}
_TO_CLASS = str.maketrans({chr(32 + i): _CLASSES[a] for i, a in enumerate(_ADVANCES)})
_OTHER = 0.6  # of the font size: a character outside ASCII


@dataclass
class _Line:
    """A line of a page: its text, page, where it starts, font size and (guessed) width. A row
    of a table is one too: its cells, each a list of its wrapped lines' pieces, and where its
    last cell's latest line starts."""

    text: str
    page: int
    x: float | None
    y: float | None
    size: float | None
    width: float
    first: float  # the width of a space and the line's first word
    cells: list[list[str]] | None = None
    last_x: float | None = None
    last_y: float | None = None
    tail: str = ""  # the end of the last cell's latest line

    @property
    def row(self) -> bool:
        return self.cells is not None


def pdf_text(pages: Sequence[Sequence[PdfLine]]) -> str:
    """The pages' lines joined into paragraphs (a blank line between), without the lines that
    repeat at the top or bottom of most pages."""
    kept = _without_running(pages)
    words = _vocabulary(line.text for page in kept for _, line in page)
    lines = list(_rows(kept, words))
    if not lines:
        return ""
    full = _full_widths(lines)
    spacing = _spacing(lines)
    paragraphs: list[list[str]] = [[lines[0].text]]
    entry = _entry(lines[0].text)
    for previous, line in pairwise(lines):
        width = full(previous)
        if _breaks(previous, line, width, spacing(line), entry):
            paragraphs.append([line.text])
            entry = _entry(line.text)
        else:
            _join(paragraphs[-1], previous.text, line.text, words, _fits(previous, line, width))
    return "\n\n".join("".join(pieces) for pieces in paragraphs)


def _shape(text: str) -> str:
    """A line as compared across pages: "Page 2" and "Page 3" alike."""
    return _SPACE.sub(" ", _DIGITS.sub("#", text)).strip().lower()


def _band(page: Sequence[PdfLine]) -> set[int]:
    """The lines at the top and the bottom of a page: by height where pypdf gave it, else in
    the order read."""
    filled = [index for index, line in enumerate(page) if line.text.strip()]
    if all(page[index].y is not None for index in filled):
        filled.sort(key=lambda index: -(page[index].y or 0.0))
    return set(filled[:_BAND] + filled[-_BAND:])


def _without_running(pages: Sequence[Sequence[PdfLine]]) -> list[list[tuple[int, PdfLine]]]:
    """Each page's lines (with its number), less those that repeat, digits aside, at the top or
    bottom of at least half of the pages (and two): a running header or footer."""
    bands = [_band(page) for page in pages]
    running: set[str] = set()
    if len(pages) >= 2:
        counts = Counter(
            shape
            for page, band in zip(pages, bands, strict=True)
            for shape in {_shape(page[index].text) for index in band}
        )
        need = max(2, math.ceil(len(pages) / 2))
        running = {shape for shape, count in counts.items() if count >= need and shape}
    return [
        [
            (number, line)
            for index, line in enumerate(page)
            if not (index in band and _shape(line.text) in running)
        ]
        for number, (page, band) in enumerate(zip(pages, bands, strict=True))
    ]


_STACK = 6  # lines one under another that may be a row's first cell, wrapped


def _rows(pages: list[list[tuple[int, PdfLine]]], words: set[str]) -> Iterable[_Line]:
    """The non-blank lines in order. Lines at the same height, each further right, are a row of
    a table, its cells joined by " | "; a line just below a row's last cell, where that cell
    starts, goes on with the cell. A few lines one under another ("Period when the research /
    was undertaken:") followed by a line at the first one's height, right of them all, are a
    row whose first cell wraps (a writer draws a row cell by cell)."""
    current: _Line | None = None
    held: list[_Line] = []  # the lines over ``current``, one under another, not yet given
    for page in pages:
        for number, line in page:
            text = " ".join(line.text.split())
            if not text:
                continue
            if (
                current is not None
                and not current.row
                and held
                and _beside([*held, current], line, number)
            ):
                first = held[0]
                pieces = [first.text]
                for above, below in pairwise([*held, current]):
                    _join(pieces, above.text, below.text, words, False)
                first.cells = [pieces, [text]]
                first.last_x, first.last_y, first.tail = line.x, line.y, text[-_ADDRESS:]
                current, held = first, []
                continue
            if current is not None and current.page == number and _next_cell(current, line):
                yield from held
                held = []
                current.cells = current.cells or [[current.text]]
                current.cells.append([text])
                current.last_x, current.last_y, current.tail = line.x, line.y, text[-_ADDRESS:]
                continue
            if current is not None and current.cells and _same_cell(current, line, number):
                _join(current.cells[-1], current.tail, text, words, False)
                current.last_y, current.tail = line.y, text[-_ADDRESS:]
                continue
            if current is not None and not current.row and _under(current, line, number):
                held.append(current)
                if len(held) > _STACK:
                    yield held.pop(0)
            elif current is not None:
                yield from held
                held = []
                yield _finished(current)
            width = _width(text, line.size)
            first_width = _width(" " + text[: text.find(" ") % (len(text) + 1)], line.size)
            current = _Line(text, number, line.x, line.y, line.size, width, first_width)
            current.last_x, current.last_y = line.x, line.y
    yield from held
    if current is not None:
        yield _finished(current)


def _under(current: _Line, line: PdfLine, page: int) -> bool:
    """The next line of a paragraph (or of a cell): where ``current`` starts, just below it."""
    if current.page != page or current.x is None or current.y is None:
        return False
    if line.x is None or line.y is None:
        return False
    size = max(current.size or 0.0, line.size or 0.0, 1.0)
    return abs(current.x - line.x) < 1.0 and 0.5 * size < current.y - line.y < 2 * size


def _beside(held: list[_Line], line: PdfLine, page: int) -> bool:
    """At the height of the first of the lines one under another, right of them all: the next
    cell of a row whose first cell they are."""
    first = held[0]
    if first.page != page or first.x is None or first.y is None:
        return False
    if line.x is None or line.y is None:
        return False
    size = max(first.size or 0.0, line.size or 0.0, 1.0)
    widest = max(held_line.width for held_line in held)
    return abs(first.y - line.y) < 0.25 * size and line.x > first.x + 0.9 * widest + 0.5 * size


def _finished(line: _Line) -> _Line:
    if line.cells is not None:
        line.text = _row_text(["".join(pieces) for pieces in line.cells])
    return line


def _next_cell(current: _Line, line: PdfLine) -> bool:
    """At the height of the row's first line, and right of its last cell."""
    if current.y is None or current.last_x is None or line.x is None or line.y is None:
        return False
    size = max(current.size or 0.0, line.size or 0.0, 1.0)
    return abs(current.y - line.y) < 0.25 * size and line.x > current.last_x + 0.5 * size


def _same_cell(current: _Line, line: PdfLine, page: int) -> bool:
    """Where the row's last cell starts, a line below its latest line on the same page."""
    if (
        current.page != page
        or current.last_x is None
        or current.last_y is None
        or line.x is None
        or line.y is None
    ):
        return False
    size = max(current.size or 0.0, line.size or 0.0, 1.0)
    return abs(current.last_x - line.x) < 1.0 and 0.5 * size < current.last_y - line.y < 2 * size


def _width(text: str, size: float | None) -> float:
    """How wide a text is, roughly, in points (in font sizes when the size is unknown)."""
    classes = text.translate(_TO_CLASS)
    counted = 0
    width = 0.0
    for advance, mark in _CLASSES.items():
        count = classes.count(mark)
        counted += count
        width += count * advance / 1000
    return (width + (len(text) - counted) * _OTHER) * (size or 1.0)


def _full_widths(lines: Sequence[_Line]) -> Callable[[_Line], float]:
    """The width of a full line where a line starts (in a narrow column, a cell), else on the
    whole: the widest but a tenth of the lines."""
    by_start: dict[int | None, list[float]] = {}
    for line in lines:
        if not line.row:
            start = None if line.x is None else round(line.x)
            by_start.setdefault(start, []).append(line.width)
    everywhere = [width for widths in by_start.values() for width in widths]
    fulls = {start: _tenth(widths) for start, widths in by_start.items() if len(widths) >= 4}
    overall = _tenth(everywhere)

    def full(line: _Line) -> float:
        return fulls.get(None if line.x is None else round(line.x), overall)

    return full


def _tenth(widths: list[float]) -> float:
    ordered = sorted(widths)
    return ordered[int(0.9 * (len(ordered) - 1))] if ordered else 0.0


def _spacing(lines: Sequence[_Line]) -> Callable[[_Line], float]:
    """The usual distance from one line to the next in font sizes, for lines of one size: the
    lower quartile, over the lines of that size (rounded) where there are eight, else all."""
    by_size: dict[int, list[float]] = {}
    for previous, line in pairwise(lines):
        ratio = _distance(previous, line)
        if ratio is not None and 0.5 < ratio < 3.0 and previous.size == line.size:
            by_size.setdefault(round(line.size or 0.0), []).append(ratio)
    quartiles = {size: _quartile(ratios) for size, ratios in by_size.items() if len(ratios) >= 8}
    overall = _quartile([ratio for ratios in by_size.values() for ratio in ratios])

    def spacing(line: _Line) -> float:
        return quartiles.get(round(line.size or 0.0), overall)

    return spacing


def _quartile(ratios: list[float]) -> float:
    return sorted(ratios)[len(ratios) // 4] if ratios else 0.0


def _distance(previous: _Line, line: _Line) -> float | None:
    """How far down the page a line is from the one before, in font sizes; None when unknown."""
    if previous.page != line.page or previous.y is None or line.y is None:
        return None
    size = max(previous.size or 0.0, line.size or 0.0)
    return (previous.y - line.y) / size if size > 0 else None


def _vocabulary(texts: Iterable[str]) -> set[str]:
    """The words of the text (lower case), hyphenated ones as written and in their parts."""
    words: set[str] = set()
    for text in texts:
        for word in _WORDS.findall(text.lower()):
            words.add(word)
            if "-" in word:
                words.update(word.split("-"))
    return words


def _fits(previous: _Line, line: _Line, full: float) -> bool:
    """Whether the first word of ``line`` would have fitted at the end of ``previous``, had
    nothing ended there: then the line break was not the page's."""
    return previous.width + line.first <= _FITS * full


def _entry(text: str) -> str:
    """The kind of list entry a paragraph starts with: "R" for "R1. Smith", "[E" for "[E2] A"."""
    block = _BLOCK.match(text)
    if block is None:
        return ""
    return block["entry"] or ("[" + block["bracketed"] if block["bracketed"] else "")


def _breaks(
    previous: _Line, line: _Line, full: float, spacing: float = 0.0, entry: str = ""
) -> bool:
    """Whether ``line`` starts a paragraph rather than continuing the one ``previous`` ends (in
    a paragraph that starts an ``entry`` of a list, the next entry of that list does)."""
    if previous.row or line.row:
        return True
    tail = previous.text[-_TAIL:]
    open_end = bool(_OPEN_END.search(tail))
    ends = bool(_ENDS_SENTENCE.search(tail))
    block = _BLOCK.match(line.text)
    if block and block["bullet"]:
        return True  # a list item
    if block and not open_end:
        if block["number"]:
            return True  # a list item or a numbered heading
        if block["dash"]:
            if not block["after"].islower() or ends:
                return True  # a dash that goes on with a sentence ("the council - its") is prose
        elif ends or _fits(previous, line, full) or (entry and _entry(line.text) == entry):
            return True  # an entry of a list; not a marker the line before had no room for
    distance = _distance(previous, line)
    if distance is not None and (distance < -0.5 or (spacing and distance > _GAP * spacing + 0.05)):
        return True  # back up the page (another column), or a gap
    sizes = sorted((previous.size or 0.0, line.size or 0.0))
    if sizes[0] > 0 and sizes[1] > 1.15 * sizes[0]:
        return True  # a heading's size
    if open_end or _URL_START.match(line.text):
        return False  # a list going on, or an address too long for the line before
    return _fits(previous, line, full) and (ends or not line.text[0].islower())


def _is_address(tail: str) -> bool:
    """Whether a line ends in a web address."""
    last = tail[tail.rfind(" ") + 1 :].lower()
    return "://" in last or last.startswith("www.") or "doi.org/" in last


def _join(pieces: list[str], left: str, right: str, words: set[str], room: bool) -> None:
    """Add the wrapped line ``right`` to the paragraph (or cell) whose last line is ``left``:
    after a space; after a hyphen at the end of ``left``, kept, with no space ("2019-2020",
    "well-known"), unless the word is plainly split there: the hyphen is soft, or the whole
    word is elsewhere in the text and the hyphenated one is not. An address the line had no
    ``room`` for goes on with no space when it ends in "/", "-" or "." or what follows holds
    its punctuation ("ncer-type/x")."""
    tail = left[-_TAIL:]
    split = _WORD_HYPHEN.search(tail)
    start = _WORD_START.match(right)
    if tail.endswith("\u00ad") or (
        split
        and start
        and right[0].islower()
        and (split[1] + start[0]).lower() in words
        and f"{split[1]}-{start[0]}".lower() not in words
    ):
        pieces[-1] = pieces[-1][:-1]
        pieces.append(right)
    elif (
        _DASH_END.search(tail)
        or right.startswith("://")
        or (
            not room
            and _is_address(left[-_ADDRESS:])
            and (_URL_BREAK.search(tail) or _URL_PART.match(right))
        )
    ):
        pieces.append(right)
    else:
        pieces.append(" " + right)
