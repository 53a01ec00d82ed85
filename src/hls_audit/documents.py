"""Text per page from the documents on file: PDF, DOCX, plain text, Markdown and HTML."""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hls_audit.files import (
    MAX_DOCX_PARAGRAPHS,
    MAX_DOCX_XML_BYTES,
    MAX_OPEN_SECONDS,
    MAX_READ_SECONDS,
    MAX_TEXT_CHARS,
    MAX_UNZIPPED_BYTES,
)

EXTRACTOR_VERSION = 2
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
    try:
        # Libraries warn about damaged files by quoting them: not ours to print.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "pdf":
                pages = _pdf_pages(data)
            elif kind == "docx":
                pages = _docx_pages(data)
            else:
                pages = _text_pages(data, kind)
        _bounded(sum(len(page) for page in pages))
        return Extracted(kind, pages)
    except TooMuchText:
        return Extracted(
            kind,
            error=f"holds more than {MAX_TEXT_CHARS:,} characters of text, "
            "more than hls-audit reads from one document",
        )
    except TooSlow as exc:
        return Extracted(kind, error=f"cannot be read as {kind.upper()}: {exc}")
    except Exception as exc:  # a corrupt document is a finding, not a crash
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Extracted(kind, error=f"cannot be read as {kind.upper()}: {reason[:200]}")


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


def _pdf_pages(data: bytes) -> list[str]:
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
