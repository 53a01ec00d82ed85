"""Text per page from the documents on file: PDF, DOCX, plain text, Markdown and HTML."""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hls_audit.io.files import (
    MAX_DOCX_PARAGRAPHS,
    MAX_DOCX_XML_BYTES,
    MAX_OPEN_SECONDS,
    MAX_READ_SECONDS,
    MAX_TEXT_CHARS,
    MAX_UNZIPPED_BYTES,
)

if TYPE_CHECKING:
    from pypdf import PdfReader

EXTRACTOR_VERSION = 2
_T = TypeVar("_T")
KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


@dataclass
class Extracted:
    """A document's text, one string per page; ``error`` set when it could not be read."""

    kind: str
    pages: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def scanned(self) -> bool:
        """Pages but no text at all: a scan, whose words cannot be checked."""
        return self.error is None and bool(self.pages) and not any(p.strip() for p in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)


def document_kind(path: Path | str) -> str | None:
    return KINDS.get(Path(path).suffix.lower())


class TooMuchText(ValueError):
    """A document whose text is over MAX_TEXT_CHARS."""


class TooSlow(BaseException):
    """A PDF that took longer to open than MAX_OPEN_SECONDS, or to read than MAX_READ_SECONDS.

    A BaseException, so that a library's own ``except Exception`` recovery cannot swallow it.
    """


def extract(data: bytes, name: str) -> Extracted:
    """Extract a document's text per page from its bytes; never raises for a bad document.

    ``name`` gives the type (by suffix). The bytes come through the case study's door, already
    bounded; here the text is bounded too, a DOCX's unpacked size before it is opened, and the
    time a PDF may take to open or to yield one page.
    """
    kind = document_kind(name)
    if kind is None:
        suffix = Path(name).suffix or "this"
        return Extracted("unknown", error=f"hls-audit cannot read {suffix} files")

    def pages() -> list[str]:
        if kind == "pdf":
            found = _pdf_pages(data)
        elif kind == "docx":
            found = _docx_pages(data)
        else:
            found = _text_pages(data, kind)
        _bounded(sum(len(page) for page in found))
        return found

    read, error = _guarded(kind, pages)
    return Extracted(kind, error=error) if read is None else Extracted(kind, read)


def _guarded(kind: str, read: Callable[[], _T]) -> tuple[_T | None, str | None]:
    """What ``read`` returns, or None and why the document cannot be read; never raises."""
    try:
        # Libraries warn about damaged files by quoting them: not ours to print.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read(), None
    except TooMuchText:
        return None, (
            f"holds more than {MAX_TEXT_CHARS:,} characters of text, "
            "more than hls-audit reads from one document"
        )
    except TooSlow as exc:
        return None, f"cannot be read as {kind.upper()}: {exc}"
    except Exception as exc:  # a corrupt document is a finding, not a crash
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"cannot be read as {kind.upper()}: {reason[:200]}"


def _bounded(chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise TooMuchText


def decoded_text(data: bytes) -> str:
    """UTF-8 text, refused unread when it cannot fit MAX_TEXT_CHARS (a character is 1-4 bytes)."""
    if len(data) > 4 * MAX_TEXT_CHARS + 4:
        raise TooMuchText
    text = data.decode("utf-8-sig", errors="replace")
    _bounded(len(text))
    return text


def _text_pages(data: bytes, kind: str) -> list[str]:
    text = decoded_text(data)
    return [_html_text(text)] if kind == "html" else text.split("\f")


@contextlib.contextmanager
def _time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise TooSlow when the block runs longer than ``seconds`` (main thread only).

    An alarm already set (by whoever called us) is put back afterwards, less the time spent.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TooSlow(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


def _pdf_ending(data: bytes) -> bytes:
    """The PDF up to its last end-of-file marker, after a check that its trailer is there.

    pypdf looks for ``%%EOF`` and ``startxref`` by reading backwards a few bytes at a time, which
    takes seconds per ten megabytes of a file that has neither; C-speed searches settle it first.
    """
    if b"%PDF-" not in data[:1024]:
        raise ValueError("no %PDF- header in its first 1,024 bytes: not a PDF")
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise ValueError("no %%EOF marker: the PDF is incomplete")
    start = data.rfind(b"startxref", max(0, end - 65_536), end)
    if start < 0:
        raise ValueError("no startxref before its last %%EOF: the PDF is damaged")
    return data[: end + 5]


def _open_pdf(data: bytes) -> tuple[PdfReader, int]:
    """The PDF opened (within MAX_OPEN_SECONDS, pypdf's logging silenced) and its page count."""
    import logging

    from pypdf import PdfReader

    # pypdf logs what it makes of a damaged file, quoting its bytes, to stderr: not ours to print.
    quiet = logging.getLogger("pypdf")
    quiet.setLevel(logging.CRITICAL + 1)
    quiet.propagate = False
    with _time_limit(MAX_OPEN_SECONDS, "opening the PDF"):
        reader = PdfReader(io.BytesIO(_pdf_ending(data)), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("the PDF is encrypted with a password")
        count = len(reader.pages)
    return reader, count


def _pdf_pages(data: bytes) -> list[str]:
    reader, count = _open_pdf(data)
    pages: list[str] = []
    total = 0
    with _time_limit(MAX_READ_SECONDS, "reading its pages"):
        for number in range(count):
            pages.append(reader.pages[number].extract_text() or "")
            total += len(pages[-1])
            _bounded(total)
    return pages


def unzipped_size_problem(data: bytes) -> str:
    """Why a DOCX (a zip) is too big to open, from its members' declared sizes, or ''."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    markup = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    if total > MAX_UNZIPPED_BYTES:
        return f"unpacks to {total:,} bytes; the limit is {MAX_UNZIPPED_BYTES:,}"
    if markup > MAX_DOCX_XML_BYTES:
        return f"holds {markup:,} bytes of XML; the limit is {MAX_DOCX_XML_BYTES:,}"
    return ""


def repacked(data: bytes) -> bytes:
    """The DOCX's members, inflated a megabyte at a time, stored again without compression.

    A zip may declare small sizes and inflate far past them: zipfile's own ``read()`` inflates up
    to 2 GiB in one call before it cuts to the declared size. Reading in bounded chunks stops at
    the declared size (and the CRC check then fails a liar), so what python-docx gets has been
    unpacked under our limits.
    """
    import zipfile

    problem = unzipped_size_problem(data)
    if problem:
        raise ValueError(problem)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as stored,
    ):
        for member in archive.infolist():
            if member.is_dir():
                continue
            chunks: list[bytes] = []
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    chunks.append(chunk)
            stored.writestr(member.filename, b"".join(chunks))
    return out.getvalue()


def _docx_pages(data: bytes) -> list[str]:
    """Body text in order, tables included; explicit page breaks start a new page."""
    from docx import Document

    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = Document(io.BytesIO(repacked(data))).element.body
    pages: list[list[str]] = [[]]
    total = 0
    for count, paragraph in enumerate(body.iter(f"{word}p"), start=1):
        if count > MAX_DOCX_PARAGRAPHS:
            raise ValueError(f"holds more than {MAX_DOCX_PARAGRAPHS:,} paragraphs")
        properties = paragraph.find(f"{word}pPr")
        if properties is not None and properties.find(f"{word}pageBreakBefore") is not None:
            pages.append([])
        line: list[str] = []
        for node in paragraph.iter():
            if node.tag == f"{word}t" and node.text:
                line.append(node.text)
                total += len(node.text)
            elif node.tag == f"{word}tab":
                line.append("\t")
            elif node.tag == f"{word}br" and node.get(f"{word}type") == "page":
                pages[-1].append("".join(line))
                line = []
                pages.append([])
        _bounded(total)
        pages[-1].append("".join(line))
    return ["\n".join(lines) for lines in pages]


# --- structure, for reading a narrative: a DOCX's blocks, a PDF's lines ----------------------


@dataclass(frozen=True)
class DocxBlock:
    """A paragraph of a DOCX's body, or a row of one of its tables (``cells`` not empty).

    A paragraph's ``text`` has "\\n" at its line breaks and "\\t" at its tabs; ``style`` is its
    style's name ("Heading 1"), ``outline`` its outline level (0 for a top heading) and
    ``numbering`` its list (numId) and level, from the paragraph or its style; ``bold`` when all
    its text is bold. A row's cells hold each cell's paragraphs joined by spaces.
    """

    text: str = ""
    cells: tuple[str, ...] = ()
    style: str = ""
    outline: int | None = None
    bold: bool = False
    numbering: tuple[str, int] | None = None


@dataclass(frozen=True)
class ListLevel:
    """One level of a DOCX list: its number format ("decimal", "bullet"), text ("%1.") and start."""

    format: str
    text: str
    start: int = 1


@dataclass(frozen=True)
class PdfLine:
    """A line of a PDF page as pypdf reads it (in its order), and where it starts on the page:
    ``x``, ``y`` (from the bottom) and the font size, in points; None where pypdf did not say."""

    text: str
    x: float | None = None
    y: float | None = None
    size: float | None = None


@dataclass
class Layout:
    """A DOCX's or PDF's text with its structure: a DOCX's body as blocks with its lists'
    numbering, a PDF's pages as lines; ``error`` set when it could not be read."""

    kind: str
    blocks: list[DocxBlock] = field(default_factory=list)
    numbering: dict[str, dict[int, ListLevel]] = field(default_factory=dict)
    lines: list[list[PdfLine]] = field(default_factory=list)
    error: str | None = None


def extract_layout(data: bytes, name: str) -> Layout:
    """A DOCX's blocks or a PDF's lines, under the same limits as ``extract``; never raises."""
    kind = document_kind(name) or "unknown"
    if kind not in ("pdf", "docx"):
        return Layout(kind, error=f"hls-audit reads no layout from {Path(name).suffix} files")
    read, error = _guarded(kind, lambda: _pdf_layout(data) if kind == "pdf" else _docx_layout(data))
    return Layout(kind, error=error) if read is None else read


def _pdf_layout(data: bytes) -> Layout:
    reader, count = _open_pdf(data)
    pages: list[list[PdfLine]] = []
    chunks: list[tuple[str, list[float], list[float], float]] = []

    def visit(text: Any, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text:
            try:
                place = [float(v) for v in cm[:6]], [float(v) for v in tm[:6]], float(size)
            except (TypeError, ValueError, IndexError):
                place = [], [], 0.0
            chunks.append((str(text), *place))

    total = 0
    with _time_limit(MAX_READ_SECONDS, "reading its pages"):
        for number in range(count):
            chunks.clear()
            plain = reader.pages[number].extract_text(visitor_text=visit) or ""
            total += len(plain)
            _bounded(total)
            pages.append(_pdf_lines(plain, chunks))
    return Layout("pdf", lines=pages)


def _pdf_lines(
    plain: str, chunks: list[tuple[str, list[float], list[float], float]]
) -> list[PdfLine]:
    """The page's lines, placed by the visitor's chunks when they add up to pypdf's text."""
    if "".join(chunk[0] for chunk in chunks) != plain:
        return [PdfLine(line) for line in plain.split("\n")]
    lines: list[PdfLine] = []
    parts: list[str] = []
    place: tuple[float, float, float] | None = None
    for text, cm, tm, size in chunks:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append(PdfLine("".join(parts), *(place or (None, None, None))))
                parts, place = [], None
            if place is None and piece.strip() and len(cm) >= 6 and len(tm) >= 6:
                # where the chunk starts: the text matrix times the current transformation
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = (tm[2] * cm[0] + tm[3] * cm[2]) ** 2 + (tm[2] * cm[1] + tm[3] * cm[3]) ** 2
                place = (x, y, size * scale**0.5)
            parts.append(piece)
    if parts:
        lines.append(PdfLine("".join(parts), *(place or (None, None, None))))
    return lines


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Not read: deleted text, an alternative's fallback copy (a text box's), properties.
_SKIPPED = frozenset(
    {
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}tblPr",
        f"{_W}trPr",
        f"{_W}tcPr",
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
)
_FALSE = frozenset({"0", "false", "off", "none"})
_MAX_TABLE_DEPTH = 16  # tables in tables deeper than this are read as text


@dataclass(frozen=True)
class _Style:
    name: str
    outline: int | None
    bold: bool | None
    numbering: tuple[str, int] | None


def _val(node: Any) -> str | None:
    return None if node is None else node.get(f"{_W}val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _bold(rpr: Any) -> bool | None:
    found = None if rpr is None else rpr.find(f"{_W}b")
    return None if found is None else (_val(found) or "1").lower() not in _FALSE


def _properties(ppr: Any) -> tuple[int | None, tuple[str, int] | None]:
    """A paragraph's (or style's) outline level and list, where its properties set them."""
    if ppr is None:
        return None, None
    outline = _val(ppr.find(f"{_W}outlineLvl"))
    numbers = ppr.find(f"{_W}numPr")
    numbering = None
    if numbers is not None:
        identifier = _val(numbers.find(f"{_W}numId"))
        numbering = (identifier or "", _int(_val(numbers.find(f"{_W}ilvl")), 0))
    return (None if outline is None else _int(outline, 9)), numbering


def _docx_styles(root: Any) -> tuple[dict[str, _Style], str]:
    """The paragraph styles by id, what each inherits resolved, and the default style's id."""
    raw: dict[str, tuple[str, str | None, int | None, bool | None, tuple[str, int] | None]] = {}
    default = ""
    for style in root.iter(f"{_W}style"):
        identifier = style.get(f"{_W}styleId") or ""
        if style.get(f"{_W}default") in ("1", "true") and style.get(f"{_W}type") == "paragraph":
            default = identifier
        outline, numbering = _properties(style.find(f"{_W}pPr"))
        name = _val(style.find(f"{_W}name")) or identifier
        based = _val(style.find(f"{_W}basedOn"))
        raw[identifier] = (name, based, outline, _bold(style.find(f"{_W}rPr")), numbering)
    styles: dict[str, _Style] = {}
    for identifier, (name, based, outline, bold, numbering) in raw.items():
        for _ in range(16):  # a chain of styles, cut short (a cycle, or a hostile file)
            if based is None or based not in raw or None not in (outline, bold, numbering):
                break
            _, based, outline_up, bold_up, numbering_up = raw[based]
            outline = outline_up if outline is None else outline
            bold = bold_up if bold is None else bold
            numbering = numbering_up if numbering is None else numbering
        styles[identifier] = _Style(name, outline, bold, numbering)
    return styles, default


def _docx_numbering(root: Any) -> dict[str, dict[int, ListLevel]]:
    """Each list (numId): its levels' formats, with the list's own overrides applied."""

    def level(node: Any) -> tuple[int, ListLevel]:
        return _int(node.get(f"{_W}ilvl"), 0), ListLevel(
            _val(node.find(f"{_W}numFmt")) or "decimal",
            _val(node.find(f"{_W}lvlText")) or "",
            _int(_val(node.find(f"{_W}start")), 1),
        )

    abstract = {
        node.get(f"{_W}abstractNumId"): dict(level(lvl) for lvl in node.findall(f"{_W}lvl"))
        for node in root.findall(f"{_W}abstractNum")
    }
    lists: dict[str, dict[int, ListLevel]] = {}
    for node in root.findall(f"{_W}num"):
        levels = dict(abstract.get(_val(node.find(f"{_W}abstractNumId")), {}))
        for override in node.findall(f"{_W}lvlOverride"):
            number = _int(override.get(f"{_W}ilvl"), 0)
            if (replaced := override.find(f"{_W}lvl")) is not None:
                levels[number] = level(replaced)[1]
            start = _val(override.find(f"{_W}startOverride"))
            if start is not None and number in levels:
                old = levels[number]
                levels[number] = ListLevel(old.format, old.text, _int(start, old.start))
        lists[node.get(f"{_W}numId") or ""] = levels
    return lists


class _DocxReader:
    """The blocks of a DOCX body in order; paragraphs counted against MAX_DOCX_PARAGRAPHS."""

    def __init__(self, styles: dict[str, _Style], default: str) -> None:
        self.styles = styles
        self.default = default
        self.blocks: list[DocxBlock] = []
        self.paragraphs = 0
        self.total = 0

    def container(self, node: Any, depth: int) -> None:
        for child in node:
            if child.tag == f"{_W}p" or (child.tag == f"{_W}tbl" and depth >= _MAX_TABLE_DEPTH):
                self.blocks.append(self.paragraph(child))
            elif child.tag == f"{_W}tbl":
                self.table(child, depth + 1)
            elif child.tag not in _SKIPPED and child.tag != f"{_W}sectPr":
                self.container(child, depth)  # content controls, custom XML, insertions

    def table(self, table: Any, depth: int) -> None:
        for row in _parts(table, f"{_W}tr"):
            cells: list[list[DocxBlock]] = []
            for cell in _parts(row, f"{_W}tc"):
                outer, self.blocks = self.blocks, []
                self.container(cell, depth)
                cells.append(self.blocks)
                self.blocks = outer
            filled = [blocks for blocks in cells if any(b.text.strip() or b.cells for b in blocks)]
            if len(filled) <= 1:  # a box around text (a template's section), not a row
                self.blocks.extend(filled[0] if filled else [])
            else:
                self.blocks.append(DocxBlock(cells=tuple(_cell_text(c) for c in cells)))

    def paragraph(self, paragraph: Any) -> DocxBlock:
        self.paragraphs += 1
        if self.paragraphs > MAX_DOCX_PARAGRAPHS:
            raise ValueError(f"holds more than {MAX_DOCX_PARAGRAPHS:,} paragraphs")
        ppr = paragraph.find(f"{_W}pPr")
        style_id = (_val(ppr.find(f"{_W}pStyle")) if ppr is not None else None) or self.default
        style = self.styles.get(style_id, _Style(style_id, None, None, None))
        outline, numbering = _properties(ppr)
        parts: list[str] = []
        chars = bold_chars = 0
        stack: list[tuple[Any, bool]] = [(child, bool(style.bold)) for child in reversed(paragraph)]
        while stack:
            node, bold = stack.pop()
            tag = node.tag
            if tag in _SKIPPED:
                continue
            if tag == f"{_W}r":
                found = _bold(node.find(f"{_W}rPr"))
                bold = bold if found is None else found
            elif tag == f"{_W}t" and node.text:
                parts.append(node.text)
                chars += len(node.text.strip())
                bold_chars += len(node.text.strip()) if bold else 0
                self.total += len(node.text)
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr") or (tag == f"{_W}p" and parts):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            if tag == f"{_W}p":
                self.paragraphs += 1  # one in a text box, read as part of this one
            stack.extend((child, bold) for child in reversed(node))
        _bounded(self.total)
        if numbering is not None and numbering[0] in ("", "0"):
            numbering = None  # numbering switched off for this paragraph
        elif numbering is None and style.numbering is not None:
            numbering = style.numbering
        return DocxBlock(
            "".join(parts),
            style=style.name,
            outline=style.outline if outline is None else outline,
            bold=chars > 0 and bold_chars == chars,
            numbering=numbering,
        )


def _parts(node: Any, tag: str) -> Iterator[Any]:
    """The rows of a table, or the cells of a row, also those inside a content control."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag not in _SKIPPED and child.tag not in (f"{_W}tbl", f"{_W}p"):
            yield from _parts(child, tag)


def _cell_text(blocks: list[DocxBlock]) -> str:
    """A cell's paragraphs (and the rows of a table in it) on one line."""
    texts = (" ".join(" ".join(b.cells).split() if b.cells else b.text.split()) for b in blocks)
    return " ".join(text for text in texts if text)


def _docx_layout(data: bytes) -> Layout:
    from docx import Document

    document = Document(io.BytesIO(repacked(data)))
    styles, default = _docx_styles(document.styles.element)
    reader = _DocxReader(styles, default)
    reader.container(document.element.body, 0)
    return Layout("docx", reader.blocks, _docx_numbering(document.part.numbering_part.element))


def _html_text(text: str) -> str:
    from html.parser import HTMLParser

    class _TextOnly(HTMLParser):
        SKIP = frozenset({"script", "style", "head", "title"})

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in self.SKIP:
                self.skipping += 1
            elif tag in ("p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4"):
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in self.SKIP and self.skipping:
                self.skipping -= 1

        def handle_data(self, data: str) -> None:
            if not self.skipping:
                self.parts.append(data)

    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)
