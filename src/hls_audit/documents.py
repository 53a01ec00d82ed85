"""Text per page from the documents on file: PDF, DOCX, plain text, Markdown and HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXTRACTOR_VERSION = 1
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


def extract(path: Path) -> Extracted:
    """Extract a document's text per page; never raises for a bad document."""
    kind = document_kind(path)
    if kind is None:
        return Extracted(
            "unknown", error=f"hls-audit cannot read {Path(path).suffix or 'this'} files"
        )
    try:
        if kind == "pdf":
            return Extracted(kind, _pdf_pages(path))
        if kind == "docx":
            return Extracted(kind, _docx_pages(path))
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig", errors="replace")
        if kind == "html":
            return Extracted(kind, [_html_text(text)])
        return Extracted(kind, text.split("\f"))
    except Exception as exc:  # a corrupt document is a finding, not a crash
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Extracted(kind, error=f"cannot be read as {kind.upper()}: {reason[:200]}")


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("the PDF is encrypted with a password")
    return [page.extract_text() or "" for page in reader.pages]


def _docx_pages(path: Path) -> list[str]:
    """Body text in order, tables included; explicit page breaks start a new page."""
    from docx import Document

    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = Document(str(path)).element.body
    pages: list[list[str]] = [[]]
    for paragraph in body.iter(f"{word}p"):
        properties = paragraph.find(f"{word}pPr")
        if properties is not None and properties.find(f"{word}pageBreakBefore") is not None:
            pages.append([])
        line: list[str] = []
        for node in paragraph.iter():
            if node.tag == f"{word}t" and node.text:
                line.append(node.text)
            elif node.tag == f"{word}tab":
                line.append("\t")
            elif node.tag == f"{word}br" and node.get(f"{word}type") == "page":
                pages[-1].append("".join(line))
                line = []
                pages.append([])
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
