"""Read the documents on file and confirm each citation's pages and quote against them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hls_audit.cache import lookup, sha256_of, store
from hls_audit.documents import Extracted, document_kind, extract
from hls_audit.evidence import Level, Register
from hls_audit.load import CaseStudy
from hls_audit.lock import Drift, Fingerprint, compare, read_lock
from hls_audit.pages import parse_pages
from hls_audit.quotes import QuoteMatch, find_quote

Progress = Callable[[int, int, str], None]  # (done, total, current file)


@dataclass
class Document:
    """A document on file: its fingerprint and its text."""

    name: str  # relative to evidence/, forward slashes
    sha256: str
    size: int
    text: Extracted | None  # None for a file type hls-audit does not read
    cached: bool = False

    @property
    def fingerprint(self) -> Fingerprint:
        pages = self.text.page_count if self.text and self.text.error is None else None
        return Fingerprint(self.sha256, self.size, pages)


@dataclass
class Documents:
    """Every file in evidence/ that is not a record, read once per audit."""

    by_name: dict[str, Document] = field(default_factory=dict)
    extracted: int = 0  # how many needed extraction (not in the cache)

    def fingerprints(self) -> dict[str, Fingerprint]:
        return {name: doc.fingerprint for name, doc in self.by_name.items()}


PARALLEL_FROM = 4  # extracting fewer documents than this is faster in one process


def read_documents(case: CaseStudy, progress: Progress | None = None) -> Documents:
    """Hash every document; extract the readable ones not in the cache, in parallel if many."""
    out = Documents()
    todo: list[tuple[str, Path, str]] = []
    for name in case.documents:
        path = case.evidence_dir / name
        digest = sha256_of(path)
        document = Document(name, digest, path.stat().st_size, None)
        out.by_name[name] = document
        if document_kind(name) is not None:
            document.text = lookup(digest)
            document.cached = document.text is not None
            if document.text is None:
                todo.append((name, path, digest))
    out.extracted = len(todo)
    for done, (name, result) in enumerate(_extract_all(todo), start=1):
        out.by_name[name].text = result
        store(out.by_name[name].sha256, result)
        if progress:
            progress(done, len(todo), name)
    return out


def _extract_all(todo: list[tuple[str, Path, str]]) -> Iterator[tuple[str, Extracted]]:
    if len(todo) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for name, path, _ in todo:
            yield name, extract(path)
        return
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, len(todo))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        paths = [path for _, path, _ in todo]
        yield from zip((name for name, _, _ in todo), pool.map(extract, paths), strict=True)


@dataclass
class CitationResult:
    """One citation of a document on file, checked."""

    claim: str
    claim_index: int
    citation_index: int
    source: str
    document: str
    pages: tuple[int, int] | None
    quote: str | None
    page_count: int | None
    in_range: bool | None  # None when no pages were cited or nothing could be read
    match: QuoteMatch | None = None

    @property
    def quote_status(self) -> str:
        """found | other-page | absent | unchecked."""
        if self.quote is None or self.match is None:
            return "unchecked"
        if not self.match.pages:
            return "absent"
        if self.pages is None:
            return "found"
        first, last = self.pages
        return "found" if any(first <= p <= last for p in self.match.pages) else "other-page"

    @property
    def confirmed(self) -> bool:
        return (
            self.in_range is not False
            and self.quote_status in ("found", "unchecked")
            and (self.in_range is True or self.quote_status == "found")
        )

    @property
    def failed(self) -> bool:
        return self.in_range is False or self.quote_status in ("absent", "other-page")


@dataclass
class Verification:
    """Everything the document checks read."""

    documents: Documents
    citations: list[CitationResult] = field(default_factory=list)
    drift: Drift | None = None  # None when there is no evidence.lock
    lock_path: str = ""


def verify(
    case: CaseStudy, register: Register, documents: Documents, lock_path: Path | None = None
) -> Verification:
    """Check pages and quotes, upgrade sources whose citations all hold to *verified*."""
    result = Verification(documents)
    for claim_index, claim in enumerate(case.data.claims):
        for citation_index, citation in enumerate(claim.evidence):
            entry = register.get(citation.source)
            if entry is None or entry.record is None or entry.record.record.document is None:
                continue
            document = documents.by_name.get(entry.record.record.document)
            if document is None or document.text is None or document.text.error:
                continue
            text = document.text
            pages = parse_pages(citation.pages) if citation.pages else None
            readable = not text.scanned
            in_range = None if pages is None else pages[1] <= text.page_count
            match = find_quote(citation.quote, text.pages) if citation.quote and readable else None
            result.citations.append(
                CitationResult(
                    claim.id,
                    claim_index,
                    citation_index,
                    citation.source,
                    document.name,
                    pages,
                    citation.quote,
                    text.page_count,
                    in_range,
                    match,
                )
            )
    for entry in register.entries.values():
        if entry.record is None or entry.record.record.document is None:
            continue
        document = documents.by_name.get(entry.record.record.document)
        if document and document.text and document.text.error is None:
            entry.page_count = document.text.page_count
        mine = [c for c in result.citations if c.source == entry.id]
        if (
            entry.level is Level.on_file
            and document is not None
            and document.text is not None
            and document.text.error is None
            and not document.text.scanned
            and any(c.confirmed for c in mine)
            and not any(c.failed for c in mine)
        ):
            entry.level = Level.verified
    if lock_path is not None and lock_path.exists():
        from hls_audit.load import display_path

        result.lock_path = display_path(lock_path)
        result.drift = compare(read_lock(lock_path, result.lock_path), documents.fingerprints())
    return result
