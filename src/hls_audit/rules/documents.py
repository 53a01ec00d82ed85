"""Checks on the documents on file: readable, quotes where cited, unchanged since the lock."""

from __future__ import annotations

from collections.abc import Iterator

from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import Located
from hls_audit.rules.base import Context, check


def _doc_at(ctx: Context, name: str) -> Located:
    return Located(f"{ctx.case.evidence_display}/{name}")


@check(
    "HLS601",
    "quote-not-found",
    Severity.error,
    "A citation's quote is not in the document on file; the best match is reported.",
)
def quote_not_found(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The words a citation quotes (`quote:`) appear on no page of the source's document, after
        forgiving differences of spacing, case, quote marks, ligatures and line-break
        hyphenation. The message gives the closest passage and its similarity (0-100).

    Why it matters:
        A claim that quotes its evidence must quote it exactly; a misquote is the first thing
        an external auditor finds.

    Example:
        evidence:
          - {source: E2, pages: p9, quote: "changed how we all work"}   # HLS601

    Fix:
        Copy the words from the document, or cite the document that holds them.
    """
    for result in ctx.verification.citations:
        if result.quote_status != "absent" or result.match is None:
            continue
        match = result.match
        best = (
            f"; closest: '{match.best_text}' on p{match.best_page} ({match.similarity:.0f}% alike)"
            if match.best_page
            else ""
        )
        yield Hit(
            f"{result.claim} quotes '{result.quote}' from {result.source}, but "
            f"{result.document} does not contain it{best}",
            ctx.case.at(("claims", result.claim_index, "evidence", result.citation_index)),
            claim=result.claim,
            source=result.source,
            hint="copy the words exactly from the document, or cite the one that holds them",
        )


@check(
    "HLS602",
    "quote-on-other-page",
    Severity.warning,
    "A citation's quote is in the document, but not on the pages cited.",
)
def quote_on_other_page(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The quoted words are in the document, but on pages other than the ones the citation
        gives. The message lists where they are.

    Why it matters:
        A reader following the page reference will not find the words.

    Example:
        - {source: E2, pages: p2, quote: "relationships come first"}   # HLS602: it is on p3

    Fix:
        Correct `pages:` to where the words are.
    """
    for result in ctx.verification.citations:
        if result.quote_status != "other-page" or result.match is None:
            continue
        where = ", ".join(f"p{p}" for p in result.match.pages)
        yield Hit(
            f"{result.claim} cites {result.source} at p{_span(result.pages)} for "
            f"'{result.quote}', which is on {where}",
            ctx.case.at(("claims", result.claim_index, "evidence", result.citation_index, "pages")),
            claim=result.claim,
            source=result.source,
            hint=f"change pages to {where.split(', ')[0]}",
        )


def _span(pages: tuple[int, int] | None) -> str:
    if pages is None:
        return "?"
    return str(pages[0]) if pages[0] == pages[1] else f"{pages[0]}-{pages[1]}"


@check(
    "HLS603",
    "scanned-document",
    Severity.warning,
    "A document on file has no extractable text (a scan); its pages and quotes go unchecked.",
)
def scanned_document(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A PDF (or other document) has pages but no text layer, as a scanned letter often does.
        Quotes and page references in it cannot be checked, so the source is never *verified*.

    Why it matters:
        "Quote not found" would be wrong here; the words may be there as an image.

    Example:
        evidence/letters/E1.pdf    # HLS603: 2 pages, no text

    Fix:
        Put a copy with a text layer (run OCR) in evidence/, or accept the source as on file.
    """
    for name, document in sorted(ctx.verification.documents.by_name.items()):
        if document.text is not None and document.text.scanned:
            yield Hit(
                f"evidence/{name} has {document.text.page_count} page(s) but no text: "
                "a scan, so its quotes and pages cannot be checked",
                _doc_at(ctx, name),
                hint="add a copy with a text layer (OCR), or accept it as on file",
            )


@check(
    "HLS604",
    "unreadable-document",
    Severity.error,
    "A document on file cannot be read: corrupt, encrypted, too large, or a broken link.",
)
def unreadable_document(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A document named by a record could not be read: a damaged PDF or DOCX, an encrypted
        PDF, a file type other than PDF, DOCX, text, Markdown or HTML, a link to nothing (a
        dangling link, common after a partial checkout) or a link loop, a file without read
        permission, or one over a limit (100 MiB on disk, 128 MiB unpacked for a DOCX, 10
        million characters of text).

    Why it matters:
        Evidence nobody can open corroborates nothing.

    Example:
        evidence/letters/E3.pdf    # HLS604: cannot be read as PDF

    Fix:
        Replace the file with a readable copy, or a PDF export of it.
    """
    named = {loaded.record.document for loaded in ctx.case.records}
    for name, document in sorted(ctx.verification.documents.by_name.items()):
        if name not in named:
            continue
        if document.text is None:
            problem = "is of a type hls-audit cannot read (use PDF, DOCX, text, Markdown or HTML)"
        elif document.text.error:
            problem = document.text.error
        else:
            continue
        yield Hit(
            f"evidence/{name} {problem}",
            _doc_at(ctx, name),
            hint="replace it with a readable copy, such as a PDF export",
        )


@check(
    "HLS605",
    "quote-without-document",
    Severity.info,
    "A citation carries a quote, but its source has no readable document to check it against.",
)
def quote_without_document(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A citation gives `quote:`, but the source is recorded only (or its document cannot be
        read), so the words are not checked.

    Why it matters:
        An unchecked quote looks checked in the ledger.

    Example:
        - {source: E1, quote: "invaluable"}    # E1 is a confidential letter held elsewhere

    Fix:
        Put a copy of the source in evidence/ where its owner allows.
    """
    checked = {(r.claim_index, r.citation_index) for r in ctx.verification.citations}
    for claim_index, claim in enumerate(ctx.case.data.claims):
        for citation_index, citation in enumerate(claim.evidence):
            if citation.quote and (claim_index, citation_index) not in checked:
                yield Hit(
                    f"{claim.id} quotes {citation.source}, but no readable document of "
                    f"{citation.source} is on file, so the quote is not checked",
                    ctx.case.at(("claims", claim_index, "evidence", citation_index)),
                    claim=claim.id,
                    source=citation.source,
                    hint="put a copy of the source in evidence/ and name it in `document:`",
                )


DRIFT_HINT = "if the change is intended, run `hls-audit lock` and commit evidence.lock"


@check(
    "HLS606",
    "document-changed",
    Severity.warning,
    "A document differs from its fingerprint in evidence.lock (an error under --frozen).",
)
def document_changed(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The sha256, size or page count of a document differs from what `hls-audit lock`
        recorded in evidence.lock.

    Why it matters:
        Evidence that changes after it was checked may no longer say what the claims rely on.

    Example:
        evidence/letters/E1.pdf changed since evidence.lock    # HLS606

    Fix:
        Review the change; if it is intended, run `hls-audit lock` and commit evidence.lock.
    """
    drift = ctx.verification.drift
    for name in drift.changed if drift else []:
        yield Hit(
            f"evidence/{name} has changed since evidence.lock was written",
            _doc_at(ctx, name),
            hint=DRIFT_HINT,
        )


@check(
    "HLS607",
    "document-added",
    Severity.warning,
    "A document is on file that evidence.lock does not list (an error under --frozen).",
)
def document_added(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A document that a record names is missing from evidence.lock.

    Why it matters:
        New evidence should be reviewed and fingerprinted like the rest.

    Example:
        evidence/new-letter.pdf is not in evidence.lock    # HLS607

    Fix:
        Run `hls-audit lock` and commit evidence.lock.
    """
    drift = ctx.verification.drift
    for name in drift.added if drift else []:
        yield Hit(f"evidence/{name} is not in evidence.lock", _doc_at(ctx, name), hint=DRIFT_HINT)


@check(
    "HLS608",
    "document-removed",
    Severity.warning,
    "A document listed in evidence.lock is no longer on file (an error under --frozen).",
)
def document_removed(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        evidence.lock lists a file that is no longer in evidence/.

    Why it matters:
        Evidence that disappears leaves the claims that relied on it unsupported.

    Example:
        evidence.lock lists letters/E3.pdf; the file is gone    # HLS608

    Fix:
        Restore the file, or run `hls-audit lock` if its removal is intended.
    """
    drift = ctx.verification.drift
    for name in drift.removed if drift else []:
        yield Hit(
            f"evidence/{name} is listed in evidence.lock but no longer on file",
            Located(ctx.verification.lock_path),
            hint="restore the file, or run `hls-audit lock` if it was removed on purpose",
        )


@check(
    "HLS609",
    "suspect-claim",
    Severity.warning,
    "A claim cites a source whose document changed since evidence.lock (an error under --frozen).",
)
def suspect_claim(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A claim cites a source whose document changed or disappeared since the lock: the claim
        is *suspect* until someone re-reads the evidence, as in requirements traceability.

    Why it matters:
        The change may have removed the words the claim relies on.

    Example:
        C15 cites E1; evidence/letters/E1.pdf changed    # HLS609 on C15

    Fix:
        Re-read the evidence for the claim, then run `hls-audit lock`.
    """
    drift = ctx.verification.drift
    if not drift:
        return
    touched = set(drift.changed) | set(drift.removed)
    changed: dict[str, str | None] = {}  # per source, worked out once however often it is cited

    def changed_document(source: str) -> str | None:
        if source not in changed:
            entry = ctx.register.get(source)
            names = []
            if entry and entry.record and entry.record.record.document:
                names.append(entry.record.record.document)
            elif entry and entry.kind == "group":
                for part in entry.parts:
                    record = ctx.register.entries[part].record
                    if record and record.record.document:
                        names.append(record.record.document)
            changed[source] = next((n for n in names if n in touched), None)
        return changed[source]

    for claim_index, claim in enumerate(ctx.case.data.claims):
        for citation_index, citation in enumerate(claim.evidence):
            name = changed_document(citation.source)
            if name is not None:
                yield Hit(
                    f"{claim.id} is suspect: {citation.source}'s document "
                    f"evidence/{name} changed since evidence.lock",
                    ctx.case.at(("claims", claim_index, "evidence", citation_index)),
                    claim=claim.id,
                    source=citation.source,
                    hint="re-read the evidence for this claim, then run `hls-audit lock`",
                )
