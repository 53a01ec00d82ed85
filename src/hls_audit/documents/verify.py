"""Read the documents on file and confirm each citation's pages and quote against them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hls_audit.analysis.evidence import Level, Register
from hls_audit.core.errors import InputError
from hls_audit.core.pages import parse_pages
from hls_audit.io.files import MAX_DOCUMENT_BYTES, Folder, Refused, inner_folder
from hls_audit.io.load import CaseStudy, LoadedRecord

if TYPE_CHECKING:  # the readers load only when a record names a document
    from hls_audit.documents.extract import Extracted
    from hls_audit.documents.lock import Drift, Fingerprint
    from hls_audit.documents.quotes import QuoteMatch, SearchBudget

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
        from hls_audit.documents.lock import Fingerprint

        pages = self.text.page_count if self.text and self.text.error is None else None
        return Fingerprint(self.sha256, self.size, pages)


@dataclass
class Documents:
    """Every file in evidence/ that is not a record, read once per audit."""

    by_name: dict[str, Document] = field(default_factory=dict)
    extracted: int = 0  # how many needed extraction (not in the cache)

    def fingerprints(self) -> dict[str, Fingerprint]:
        """What evidence.lock records: every named document that could be read."""
        return {name: doc.fingerprint for name, doc in self.by_name.items() if doc.sha256}


PARALLEL_FROM = 4  # extracting fewer documents than this is faster in one process


def named_documents(case: CaseStudy) -> list[str]:
    """The files in evidence/ that some record names: the only ones ever opened."""
    named = {loaded.record.document for loaded in case.records if loaded.record.document}
    return [name for name in case.documents if name in named]


def _named_by(case: CaseStudy) -> dict[str, LoadedRecord]:
    out: dict[str, LoadedRecord] = {}
    for loaded in case.records:
        if loaded.record.document:
            out.setdefault(loaded.record.document, loaded)
    return out


def read_documents(case: CaseStudy, progress: Progress | None = None) -> Documents:
    """Read every named document through the case study's door; extract what is not cached.

    Files that no record names are never opened. A document that cannot be read (a dangling
    link, no permission, over the size limit) is kept with its reason, for HLS604; one that is
    hostile (a link out of the case study, a device, a FIFO) stops the audit with an input error
    located at the record that names it.
    """
    out = Documents()
    todo: list[Job] = []
    records = _named_by(case)
    names = named_documents(case)
    if not names:
        return out  # nothing to open, and so no cache to open either
    from hls_audit.documents.extract import Extracted, document_kind
    from hls_audit.io.cache import open_cache

    cache = open_cache(case.root)
    evidence = inner_folder(
        case.evidence_dir, case.evidence_display, "the evidence folder", case.folder
    )
    for name in names:
        path = case.evidence_dir / name
        display = f"{case.evidence_display}/{name}"
        try:
            digest, size = evidence.sha256(path, display, "document", MAX_DOCUMENT_BYTES)
        except Refused as exc:
            if exc.hostile:
                loaded = records[name]
                line, column = loaded.document.position(("document",)) or (None, None)
                why = exc.reason.removeprefix("document ")
                raise InputError(
                    f"{loaded.record.id}'s document {name!r} {why}",
                    path=loaded.document.path,
                    line=line,
                    column=column,
                    yaml_path="document",
                    hint=exc.hint,
                    code="HLS002",
                ) from None
            out.by_name[name] = Document(
                name,
                "",
                0,
                Extracted(
                    document_kind(name) or "unknown", error=exc.reason.removeprefix("document ")
                ),
            )
            continue
        document = Document(name, digest, size, None)
        out.by_name[name] = document
        kind = document_kind(name)
        if kind is not None:
            document.text = cache.text(digest, kind) if cache else None
            document.cached = document.text is not None
            if document.text is None:
                todo.append(Job(evidence, path, display, name, digest))
    out.extracted = len(todo)
    for done, (name, result) in enumerate(_extract_all(todo), start=1):
        out.by_name[name].text = result
        if cache and result.kind != "unknown":
            cache.store_text(out.by_name[name].sha256, result.kind, result)
        if progress:
            progress(done, len(todo), name)
    return out


@dataclass(frozen=True)
class Job:
    """One document to extract: read again (bounded, through the door) by whoever extracts it,
    so no more than one document per process is held in memory at a time."""

    folder: Folder
    path: Path
    display: str
    name: str
    sha256: str


def _extract_one(job: Job) -> Extracted:
    from hls_audit.documents.extract import Extracted, document_kind, extract

    kind = document_kind(job.name) or "unknown"
    try:
        data = job.folder.read_bytes(job.path, job.display, "document", MAX_DOCUMENT_BYTES)
    except Refused as exc:
        return Extracted(kind, error=exc.reason.removeprefix("document "))
    if hashlib.sha256(data).hexdigest() != job.sha256:
        return Extracted(kind, error="changed while hls-audit was reading it")
    return extract(data, job.name)


def _extract_all(todo: list[Job]) -> Iterator[tuple[str, Extracted]]:
    if len(todo) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for job in todo:
            yield job.name, _extract_one(job)
        return
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, len(todo))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip((job.name for job in todo), pool.map(_extract_one, todo), strict=True)


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
        """found | other-page | absent | unchecked | unsearched (over the audit's budget)."""
        if self.quote is None or self.match is None:
            return "unchecked"
        if not self.match.searched:
            return "unsearched"
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
    budget: SearchBudget | None = None  # one for the whole audit, made at the first quote
    normalised: dict[str, list[str]] = {}  # each document's pages, normalised once
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
            match = None
            if citation.quote and readable:
                from hls_audit.documents.quotes import SearchBudget, find_quote, normalise

                budget = budget or SearchBudget()
                if document.name not in normalised:
                    normalised[document.name] = [normalise(page) for page in text.pages]
                match = find_quote(
                    citation.quote,
                    text.pages,
                    budget=budget,
                    normalised=normalised[document.name],
                )
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
    by_source: dict[str, list[CitationResult]] = {}  # each source's citations, in one pass
    for checked in result.citations:
        by_source.setdefault(checked.source, []).append(checked)
    for entry in register.entries.values():
        if entry.record is None or entry.record.record.document is None:
            continue
        document = documents.by_name.get(entry.record.record.document)
        if document and document.text and document.text.error is None:
            entry.page_count = document.text.page_count
        mine = by_source.get(entry.id, [])
        if (
            entry.level is Level.on_file
            and document is not None
            and document.text is not None
            and document.text.error is None
            and not document.text.scanned
            and any(c.confirmed for c in mine)
            and not any(c.failed or c.quote_status == "unsearched" for c in mine)
        ):
            entry.level = Level.verified
    if lock_path is not None and os.path.lexists(lock_path):
        from hls_audit.documents.lock import compare, read_lock
        from hls_audit.io.load import display_path

        result.lock_path = display_path(lock_path)
        locked = read_lock(lock_path, result.lock_path, case.folder)
        result.drift = compare(locked, documents.fingerprints())
    return result
